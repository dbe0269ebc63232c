import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

@Suite struct AdminCommandTests {
    @Test func deployRegistersNewVersionsRefusesChangedOnesAndMigrateMovesTickets() throws {
        let shell = Shell()
        try shell.prepareKIM()
        #expect(shell.run("actor", "add", "admin", "--role", "admin").status == 0)
        let id = try shell.openGap()
        let original = try String(contentsOfFile: Shell.workflows + "/systemic-gap-escalation.json", encoding: .utf8)
        let changed = original.replacingOccurrences(of: "\"title\": \"Gemeldet\"", with: "\"title\": \"Eingegangen\"")
        let file = shell.folder.appendingPathComponent("kim.json")
        try changed.write(to: file, atomically: true, encoding: .utf8)
        let refused = shell.run("deploy", file.path)
        #expect(refused.status == 1)
        #expect(refused.errors.contains("differs from the registered version 1"))
        #expect(refused.errors.contains("hint: raise \"version\""))

        try changed.replacingOccurrences(of: "\"version\": 1,", with: "\"version\": 2,").write(to: file, atomically: true, encoding: .utf8)
        #expect(shell.run("deploy", file.path).output == "registered systemic-gap-escalation version 2\n")
        let versions = try JSONParser.parse(shell.run("workflows", "--json").output).elements?.filter {
            $0["workflow"]?.string == "systemic-gap-escalation"
        }
        #expect(versions?.map { "\($0["version"]?.integer ?? 0):\($0["openTickets"]?.integer ?? 0)" } == ["2:0", "1:1"])

        let check = shell.run("migrate", "systemic-gap-escalation", "--to", "2", "--check", "--as", "admin")
        #expect(check.status == 0, "\(check.errors)")
        #expect(check.output.contains("\(id)  v1 reported → v2 reported; timers: reminder 09.12.2026 09:00, escalation 23.12.2026 09:00"))
        #expect(
            shell.run("migrate", "systemic-gap-escalation", "--to", "2", "--as", "koordination").errors.contains("needs the role \"admin\"")
        )
        #expect(shell.run("migrate", "systemic-gap-escalation", "--to", "2", "--as", "admin").status == 0)
        #expect(try JSONParser.parse(shell.run("show", id, "--json").output)["version"]?.integer == 2)
        #expect(shell.run("show", id).output.contains("Eingegangen (reported)"))
    }

    @Test func deployingAnInvalidFileRegistersNothing() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let result = shell.run("deploy", Shell.fixtures + "/invalid/bad-graph.json")
        #expect(result.status == 1)
        #expect(result.errors.contains("PATH_RULE_VIOLATED"))
        #expect(try JSONParser.parse(shell.run("workflows", "--json").output).elements?.count == 2)
    }

    @Test func svgNeedsGraphvizAndSaysSoWhenItIsMissing() throws {
        let shell = Shell()
        shell.variables["PATH"] = "/nonexistent"
        let result = shell.run("diagram", Shell.workflows + "/systemic-gap-escalation.json", "--format", "svg")
        #expect(result.status == 1)
        #expect(result.errors.contains("SVG needs Graphviz's `dot`, which is not installed"))
    }
}
