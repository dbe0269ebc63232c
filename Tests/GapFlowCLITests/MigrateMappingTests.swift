import Foundation
import GapFlow
import Testing

@testable import GapFlowCLI

/// `gapflow migrate --map OLD=NEW`: both states must exist, or nothing moves and both are named.
@Suite struct MigrateMappingTests {
    /// The KIM workflow with one open gap (in "reported"; its id returned) and an unchanged version 2 registered.
    private func prepared() throws -> (Shell, String) {
        let shell = Shell()
        try shell.prepareKIM()
        try #require(shell.run("actor", "add", "admin", "--role", "admin").status == 0)
        let id = try shell.openGap()
        let original = try String(contentsOfFile: Shell.workflows + "/systemic-gap-escalation.json", encoding: .utf8)
        let file = shell.folder.appendingPathComponent("kim-v2.json")
        try original.replacingOccurrences(of: "\"version\": 1,", with: "\"version\": 2,").write(to: file, atomically: true, encoding: .utf8)
        try #require(shell.run("deploy", file.path).status == 0)
        return (shell, id)
    }

    @Test func aMappingFromAStateTheTicketsDoNotHaveIsRefused() throws {
        let (shell, id) = try prepared()
        let result = shell.run(
            "migrate", "systemic-gap-escalation", "--to", "2", "--map", "reportd=ki_review", "--check", "--as", "admin")
        #expect(result.status == 1)
        #expect(
            result.errors.contains("  --map reportd=ki_review: version 1 has no state \"reportd\" (did you mean \"reported\"?)"),
            "\(result.errors)")
        #expect(!result.errors.contains("- -:"))
        let applied = shell.run("migrate", "systemic-gap-escalation", "--to", "2", "--map", "reportd=ki_review", "--as", "admin")
        #expect(applied.status == 1)
        #expect(try JSONParser.parse(shell.run("show", id, "--json").output)["version"]?.integer == 1)
    }

    @Test func aMappingToAStateTheNewVersionDoesNotHaveIsRefusedAndPrintedPlainly() throws {
        let (shell, _) = try prepared()
        let result = shell.run(
            "migrate", "systemic-gap-escalation", "--to", "2", "--map", "reported=ki_reviw", "--check", "--as", "admin")
        #expect(result.status == 1)
        let lines = result.errors.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("error: ") == true)
        #expect(
            lines.contains("  --map reported=ki_reviw: version 2 has no state \"ki_reviw\" (did you mean \"ki_review\"?)"),
            "\(lines)")
        #expect(!result.errors.contains("- -:"), "\(lines)")
        #expect(lines.last?.hasPrefix("hint: ") == true)
    }

    @Test func aStateMappedTwiceIsAUsageError() throws {
        let (shell, _) = try prepared()
        let result = shell.run(
            "migrate", "systemic-gap-escalation", "--to", "2", "--map", "reported=ki_review", "--map", "reported=feedback", "--check",
            "--allow-dropped-timers", "--as", "admin")
        #expect(result.status == 2)
        #expect(result.errors.contains("--map names state \"reported\" twice"), "\(result.errors)")
    }

    @Test func aCorrectMappingStillMovesTheTickets() throws {
        let (shell, _) = try prepared()
        let result = shell.run(
            "migrate", "systemic-gap-escalation", "--to", "2", "--map", "reported=ki_review", "--check", "--allow-dropped-timers",
            "--as", "admin")
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("v1 reported → v2 ki_review"))
    }
}
