import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

/// The minutes anchor the history: they print the root of the latest signed checkpoint under the workflow's title.
@Suite struct MinutesAnchorTests {
    /// A KIM database with two gaps, and a configuration directory of the test's own (never the real one).
    private func prepared() throws -> (Shell, [String]) {
        let shell = Shell()
        shell.variables["XDG_CONFIG_HOME"] = shell.folder.appendingPathComponent("config").path
        try shell.prepareKIM()
        return (shell, [try shell.openGap(), try shell.openGap(title: "Sprachmittlung fehlt")])
    }

    private func write(_ text: String, to path: String) throws {
        try #require(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
    }

    @Test func theMinutesPrintTheRootOfTheLatestCheckpointUnderTheWorkflowsTitle() throws {
        let (shell, ids) = try prepared()
        #expect(shell.run("fire", ids[0], "forward").status == 0)
        #expect(shell.run("fire", ids[0], "table", "--as", "ki.leitung", "--set", "proposal=Vorschlag").status == 0)
        #expect(shell.run("meeting", "add", "--date", "10.12.2026", "--title", "4. Sitzung").status == 0)
        #expect(shell.run("agenda", "publish", "--meeting", "1").status == 0)
        shell.clock.set(Date(timeIntervalSince1970: 1_796_918_400))  // 10 December 2026, 17:00: the meeting's day
        try write(
            #"{"meeting": 1, "decisions": [{"ticket": "\#(ids[0])", "event": "direct_measure", "set": {"decision_note": "Jobcenter handelt"}}]}"#,
            to: shell.folder.appendingPathComponent("decisions.json").path)
        #expect(shell.run("decisions", "apply", "decisions.json", "--as", "geschaeftsstelle").status == 0)

        let unanchored = shell.run("minutes", "--meeting", "1")
        #expect(unanchored.status == 0)
        #expect(!unanchored.output.contains("Signierter Prüfpunkt"))
        #expect(unanchored.errors.contains("warning: no checkpoint has been taken"))

        #expect(shell.run("audit", "checkpoint", "--out", "checkpoint.json").status == 0)
        let checkpoint = try JSONParser.parse(
            try String(contentsOf: shell.folder.appendingPathComponent("checkpoint.json"), encoding: .utf8))
        let root = try #require(checkpoint["root"]?.string)
        let minutes = shell.run("minutes", "--meeting", "1")
        #expect(minutes.errors.isEmpty, "\(minutes.errors)")
        #expect(minutes.output.hasSuffix("\n**Signierter Prüfpunkt der Vorgangshistorie:** \(root) (10.12.2026 17:00)\n"))
        #expect(shell.run("minutes", "--meeting", "1", "--format", "html").output.contains("\(root) (10.12.2026 17:00)</p>"))
        #expect(!shell.run("minutes", "--meeting", "1", "--format", "csv").output.contains(root))
    }
}
