import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

/// `gapflow history` shows everything that happened to a ticket: its entries, and the reminders sent for it.
@Suite struct HistoryTraceTests {
    @Test func aFiredReminderShowsInTheHistoryAtItsTime() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let id = try shell.openGap()
        shell.clock.advance(by: 15 * 86_400)  // past the reminder, before the escalation
        #expect(shell.run("tick").output.hasSuffix("1 timer handled\n"))
        let history = shell.run("history", id)
        #expect(history.status == 0)
        let lines = history.output.split(separator: "\n").map(String.init)
        let reminder = try #require(lines.firstIndex { $0.hasPrefix("·") })
        #expect(lines[reminder].contains("reminder (fired) → CM-Koordination"), "\(history.output)")
        #expect(reminder > 0 && lines[0].hasPrefix("#1"))
    }
}

/// Who did it: the CLI records the operating-system account that ran a command beside the actor it acted for.
@Suite struct AccountRecordTests {
    @Test func everyEntryNamesTheAccountThatRanTheCommand() throws {
        let shell = Shell()
        shell.accountName = "verwaltung01"
        try shell.prepareKIM()
        let id = try shell.openGap()
        let history = try JSONParser.parse(shell.run("history", id, "--json").output)
        #expect(history.elements?.compactMap { $0["account"]?.string } == ["verwaltung01"])
        #expect(shell.run("history", id).output.contains("[verwaltung01]"))
        #expect(shell.run("audit", "verify").status == 0)
    }
}
