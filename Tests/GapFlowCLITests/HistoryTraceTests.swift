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

/// Listing reads definitions inside its own read transaction: a ticket on an older version lists without a crash.
@Suite struct ListOlderVersionTests {
    @Test func aTicketOnAnOlderDefinitionVersionIsListed() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let id = try shell.openGap()
        let source = try String(contentsOfFile: Shell.workflows + "/systemic-gap-escalation.json", encoding: .utf8)
        try source.replacingOccurrences(of: "\"version\": 1,", with: "\"version\": 2,").write(
            to: shell.folder.appendingPathComponent("kim-v2.json"), atomically: true, encoding: .utf8)
        #expect(shell.run("deploy", "kim-v2.json").status == 0)
        let listed = shell.run("list", "--json")
        #expect(listed.status == 0, "\(listed.errors)")
        let tickets = try JSONParser.parse(listed.output)
        #expect(tickets.elements?.compactMap { $0["id"]?.string } == [id])
        #expect(tickets.elements?.first?["version"]?.integer == 1)
    }
}

/// Anyone is not anyone: once an admin is registered, only an admin may add or change actors.
@Suite struct ActorAdminTests {
    @Test func onlyAnAdminMayAddActorsOnceThereIsOne() throws {
        let shell = Shell()
        try shell.prepareKIM()  // set-up as koordination: no admin yet
        #expect(shell.run("actor", "add", "admin", "--role", "admin").status == 0)
        let refused = shell.run("actor", "add", "cm.much", "--role", "cm", "--municipality", "Much")
        #expect(refused.status == 1)
        #expect(refused.errors.contains("koordination may not add or change actors: that needs the role \"admin\""), "\(refused.errors)")
        let promoted = shell.run("actor", "add", "koordination", "--role", "admin")
        #expect(promoted.status == 1)
        #expect(shell.run("actor", "list", "--json").output.contains("cm.much") == false)
        #expect(shell.run("actor", "add", "cm.much", "--role", "cm", "--municipality", "Much", "--as", "admin").status == 0)
    }
}
