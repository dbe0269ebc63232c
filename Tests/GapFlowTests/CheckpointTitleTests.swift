import Foundation
import Testing

@testable import GapFlow

/// The words the minutes print before the checkpoint's root come from the workflow file, checked like every title.
@Suite struct CheckpointTitleTests {
    @Test func theKIMWorkflowNamesTheCheckpointInGermanAndABadTitleIsReported() throws {
        #expect(try Fixtures.kimDefinition().meetings?.checkpointTitle == "Signierter Prüfpunkt der Vorgangshistorie")
        let source = try String(contentsOf: Repository.kimFile, encoding: .utf8)
        let title = "\"checkpointTitle\": \"Signierter Prüfpunkt der Vorgangshistorie\""
        #expect(source.contains(title))
        for (replacement, code) in [
            ("\"checkpointTitle\": \" \"", Diagnostic.Code.invalidValue), ("\"checkpointTitle\": 7", .typeMismatch),
        ] {
            let result = DefinitionLoader.load(
                source: Array(source.replacingOccurrences(of: title, with: replacement).utf8), file: "kim.json")
            #expect(result.definition == nil)
            #expect(result.diagnostics.map { "\($0.code) \($0.path)" } == ["\(code) meetings.checkpointTitle"])
        }
        let without = source.replacingOccurrences(of: ",\n    \(title)", with: "")
        #expect(DefinitionLoader.load(source: Array(without.utf8), file: "kim.json").definition?.meetings?.checkpointTitle == nil)
    }
}
