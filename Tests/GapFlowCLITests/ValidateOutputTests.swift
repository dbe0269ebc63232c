import Foundation
import GapFlow
import Testing

@testable import GapFlowCLI

/// `gapflow validate` on files with very many problems or bytes that are not text.
@Suite struct ValidateOutputTests {
    /// A valid workflow with `count` keys the format does not have.
    private func fileWithUnknownKeys(_ count: Int, in shell: Shell) throws -> String {
        let keys = (0..<count).map { "  \"extra\($0)\": 1," }.joined(separator: "\n")
        let text = """
            {
            \(keys)
              "id": "many", "version": 1, "title": "Many", "ticketPrefix": "MANY",
              "roles": { "clerk": "Clerk" },
              "fields": { "title": { "type": "text", "title": "Title" } },
              "initial": { "state": "open", "roles": ["clerk"] },
              "states": { "open": { "title": "Open", "owner": "clerk" }, "done": { "title": "Done", "final": true } },
              "transitions": [ { "event": "finish", "title": "Finish", "from": "open", "to": "done", "roles": ["clerk"] } ]
            }
            """
        let path = shell.folder.appendingPathComponent("many.json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func deployingAFileWithManyProblemsCountsEveryErrorAndSaysHowManyMore() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let file = try fileWithUnknownKeys(250, in: shell)
        let result = shell.run("deploy", file)
        #expect(result.status == 1)
        #expect(result.errors.contains("is not a valid definition (250 errors)"), "\(result.errors)")
        #expect(result.errors.contains("  and 150 more\n"))
    }

    @Test func aFileWithManyProblemsShowsTheFirstHundredAndCountsTheRest() throws {
        let shell = Shell()
        let file = try fileWithUnknownKeys(250, in: shell)
        let result = shell.run("validate", file)
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 102)
        #expect(lines[0] == "\(file):2:3: error: UNKNOWN_KEY at extra0: unknown key \"extra0\"")
        #expect(lines[99].hasPrefix("\(file):101:3: error: UNKNOWN_KEY at extra99:"))
        #expect(lines[100] == "\(file): and 150 more")
        #expect(lines[101] == "250 errors in 1 file")
    }

    @Test func theJSONReportCountsWhatItLeavesOut() throws {
        let shell = Shell()
        let file = try fileWithUnknownKeys(250, in: shell)
        let result = shell.run("validate", "--json", file)
        #expect(result.status == 1)
        let report = try #require(try JSONParser.parse(result.output).elements?.first)
        #expect(report["valid"]?.bool == false)
        #expect(report["diagnostics"]?.elements?.count == 100)
        #expect(report["omitted"]?.integer == 150)
        #expect(report["errors"]?.integer == 250)

        let few = shell.run("validate", "--json", Shell.fixtures + "/invalid/broken-references.json")
        let fewReport = try #require(try JSONParser.parse(few.output).elements?.first)
        #expect(fewReport["omitted"]?.integer == 0)
        #expect(fewReport["diagnostics"]?.elements?.count == 7)
    }

    @Test func aFileThatIsNotUTF8IsRefusedWithTheByteOffset() throws {
        let shell = Shell()
        let path = shell.folder.appendingPathComponent("latin1.json").path
        try Data(Array("{\n  \"title\": \"Gr".utf8) + [0xFC] + Array("n\"\n}".utf8)).write(to: URL(fileURLWithPath: path))
        let result = shell.run("validate", path)
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("\(path):2:15: error: INVALID_UTF8: ") == true, "\(lines)")
        #expect(lines.first?.contains("byte offset 16") == true, "\(lines)")
    }
}
