import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

/// Setting up and acting without ceremony: one workflow file needs no folder, a meeting id needs no workflow,
/// and the acting person defaults to the operating system's account, not to "unknown".
@Suite struct SetupDefaultsTests {
    /// The KIM workflow under another id, so that two registered workflows have meetings.
    private func secondBoard(in shell: Shell) throws -> String {
        let kim = try String(contentsOfFile: Shell.workflows + "/systemic-gap-escalation.json", encoding: .utf8)
        let second = kim.replacingOccurrences(of: "\"id\": \"systemic-gap-escalation\"", with: "\"id\": \"second-board\"")
            .replacingOccurrences(of: "\"ticketPrefix\": \"GAP\"", with: "\"ticketPrefix\": \"SB\"")
        let path = shell.folder.appendingPathComponent("elsewhere/second-board.json")
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try second.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    @Test func initRegistersOneWorkflowFileWithoutAWorkflowsFolder() throws {
        let shell = Shell()
        let file = try secondBoard(in: shell)
        #expect(!FileManager.default.fileExists(atPath: shell.folder.appendingPathComponent("Workflows").path))
        let result = shell.run("init", "--workflow", "elsewhere/second-board.json")
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("registered second-board version 1 from second-board.json"), "\(result.output)")
        #expect(shell.run("workflows").output.contains("second-board"))
        #expect(!shell.run("workflows").output.contains("systemic-gap-escalation"))
        // Again: unchanged. With a folder as well: a usage error, as the two say different things.
        #expect(shell.run("init", "--workflow", file).output.contains("unchanged  second-board version 1"))
        #expect(shell.run("init", "--workflow", file, "--workflows", Shell.workflows).status == 2)
        let invalid = shell.folder.appendingPathComponent("broken.json")
        try "{ \"id\": ".write(to: invalid, atomically: true, encoding: .utf8)
        #expect(shell.run("init", "--workflow", "broken.json").status == 1)
        #expect(shell.run("init", "--workflow", "missing.json").status == 1)
    }

    @Test func aMeetingIdNeedsNoWorkflowWhenSeveralHaveMeetings() throws {
        let shell = Shell()
        try shell.prepareKIM()
        #expect(shell.run("deploy", try secondBoard(in: shell)).status == 0)
        #expect(
            shell.run("meeting", "add", "--workflow", "systemic-gap-escalation", "--date", "2026-12-10", "--title", "Lenkungsgruppe")
                .status == 0)
        #expect(shell.run("meeting", "add", "--workflow", "second-board", "--date", "2026-12-11", "--title", "Zweites Gremium").status == 0)

        let list = shell.run("meeting", "list")
        #expect(list.status == 0, "\(list.errors)")
        #expect(list.output.contains("Lenkungsgruppe") && list.output.contains("Zweites Gremium"), "\(list.output)")
        #expect(shell.run("meeting", "list", "--workflow", "second-board").output.contains("Lenkungsgruppe") == false)
        let show = shell.run("meeting", "show", "2")
        #expect(show.status == 0, "\(show.errors)")
        #expect(show.output.contains("meeting 2: Zweites Gremium"))
        let agenda = shell.run("agenda", "--meeting", "2")
        #expect(agenda.status == 0, "\(agenda.errors)")
        #expect(agenda.output.contains("Zweites Gremium"))
        let minutes = shell.run("minutes", "--meeting", "1")
        #expect(minutes.status == 0, "\(minutes.errors)")
        #expect(minutes.output.contains("Lenkungsgruppe"))
        let ics = shell.run("meeting", "ics")
        #expect(ics.status == 0, "\(ics.errors)")
        #expect(ics.output.contains("Lenkungsgruppe") && ics.output.contains("Zweites Gremium"))

        // A workflow that contradicts the id is refused; "next" and adding still need one.
        let mismatch = shell.run("agenda", "--meeting", "2", "--workflow", "systemic-gap-escalation")
        #expect(mismatch.status == 1)
        #expect(mismatch.errors.contains("meeting 2 belongs to \"second-board\""), "\(mismatch.errors)")
        #expect(shell.run("agenda", "--meeting", "9").errors.contains("there is no meeting 9"))
        let next = shell.run("agenda")
        #expect(next.status == 2)
        #expect(next.errors.contains("several workflows have meetings"))
        #expect(shell.run("meeting", "add", "--date", "2026-12-17", "--title", "x").status == 2)
        #expect(shell.run("agenda", "--workflow", "second-board").output.contains("Zweites Gremium"))
    }

    @Test func withoutUSERTheActorIsTheOperatingSystemAccount() throws {
        let account = ProcessInfo.processInfo.userName
        try #require(!account.isEmpty, "this process's account has no name")
        let shell = Shell()
        shell.accountName = Environment.operatingSystemAccount()
        try shell.prepareKIM()
        #expect(shell.run("actor", "add", account, "--role", "cm_coordination").status == 0)
        shell.variables = [:]
        let opened = shell.run(
            "open", "systemic-gap-escalation", "--set", "title=Lücke", "--set", "description=Keine", "--set", "municipality=Siegburg")
        #expect(opened.status == 0, "\(opened.errors)")
        let id = opened.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let history = try JSONParser.parse(shell.run("history", id, "--json").output)
        #expect(history.elements?.first?["actor"]?.string == account)
    }

    @Test func withoutAnyAccountNameTheCommandAsksForAs() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let output = Output.capture()
        let errors = Output.capture()
        let environment = Environment(
            variables: [:], workingDirectory: shell.folder, clock: shell.clock, output: output, errors: errors, accountName: nil)
        let status = CLI.run(
            ["open", "systemic-gap-escalation", "--set", "title=Lücke", "--set", "description=Keine", "--set", "municipality=Siegburg"],
            environment: environment)
        #expect(status == 2)
        #expect(errors.text.contains("who is acting is not known"), "\(errors.text)")
        #expect(errors.text.contains("--as"), "\(errors.text)")
        #expect(shell.run("list").output == "no tickets match\n")
    }
}
