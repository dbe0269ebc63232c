import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowDocuments

/// Titles from a hostile workflow file stay inside their labels in Mermaid and DOT (issue "Hardening").
@Suite struct DiagramEscapingTests {

    @Test func mermaidLabelsCannotEndTheirStatementOrConfigureMermaid() throws {
        let mermaid = DiagramExport.mermaid(try Fixtures.definition(HostileText.definition))
        let lines = mermaid.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.first == "stateDiagram-v2")
        for line in lines.dropFirst() {
            let known =
                line.wholeMatch(of: #/    state "[^"]*" as [a-z_]+/#) != nil
                || line.wholeMatch(of: #/    [a-z_]+ --> [a-z_]+: [^\n]+/#) != nil
                || line.wholeMatch(of: #/    (\[\*\] --> [a-z_]+|[a-z_]+ --> \[\*\])/#) != nil || line.hasPrefix("    class")
            #expect(known, "\(line)")
        }
        let labels = mermaid.replacingOccurrences(of: "<br/>", with: "").replacingOccurrences(
            of: #"#\w+;"#, with: "", options: .regularExpression)
        #expect(!labels.contains("%%") && !labels.contains("<") && !labels.contains("{") && !labels.contains(";"), "\(mermaid)")
        #expect(HostileText.controls(mermaid, allowed: ["\n"]).isEmpty)
        #expect(mermaid.contains("state \"Offen #quot;A#quot; #35; B #lt;b#gt;fett#lt;/b#gt;"))
    }

    @Test func dotLabelsStayInsideTheirQuotes() throws {
        let dot = DiagramExport.dot(try Fixtures.definition(HostileText.definition))
        let lines = dot.split(separator: "\n").map(String.init)
        #expect(lines.count == 10, "\(dot)")
        #expect(lines.first == "digraph \"hostile\" {" && lines.last == "}")
        for line in lines.dropFirst().dropLast() {
            #expect(line.hasPrefix("    ") && line.hasSuffix(";"), "\(line)")
            #expect(
                line.replacingOccurrences(of: "\\\\", with: "").replacingOccurrences(of: "\\\"", with: "").filter { $0 == "\"" }.count % 2
                    == 0, "\(line)")
        }
        #expect(HostileText.controls(dot, allowed: ["\n"]).isEmpty)
        #expect(dot.contains("label=\"Offen \\\"A\\\"\\n# B\\n<b>fett</b>"))
        #expect(dot.contains("label=\"Fertig\\\\Ende\\\"[2J\""))
    }
}
