import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

@Suite struct TimerCommandTests {
    private let day: TimeInterval = 86_400

    @Test func timersListsPendingOnesAndTickFiresWhatIsDueOnce() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let id = try shell.openGap()
        let timers = shell.run("timers")
        #expect(timers.status == 0)
        #expect(timers.output.contains("\(id)  Gemeldet  reminder    09.12.2026 09:00  notify cm_coordination"))
        #expect(timers.output.contains("escalation  23.12.2026 09:00  fire escalate, notify ki_lead"))
        #expect(shell.run("timers", "--due").output == "no timer is due\n")
        #expect(
            shell.run("show", id).output.contains("23.12.2026 09:00  escalation (fire escalate, notify ki_lead)")
        )
        let shown = try JSONParser.parse(shell.run("show", id, "--json").output)
        #expect(
            shown["pendingTimers"]?.elements?.compactMap { $0["dueAt"]?.string } == [
                "2026-12-09T08:00:00.000Z", "2026-12-23T08:00:00.000Z",
            ])
        shell.clock.advance(by: 30 * day)
        let due = try JSONParser.parse(shell.run("timers", "--due", "--json").output)
        #expect(due.elements?.compactMap { $0["timer"]?.string } == ["reminder", "escalation"])
        let tick = shell.run("tick")
        #expect(tick.status == 0)
        #expect(tick.output.hasSuffix("2 timers handled\n"))
        #expect(tick.output.contains("fired escalate → ki_review (late by 2 days)"))
        #expect(shell.run("tick").output == "0 timers handled\n")
        #expect(try JSONParser.parse(shell.run("show", id, "--json").output)["state"]?.string == "ki_review")
    }

    @Test func deliverHandsEachNoticeToTheCommandOnceWithItsStableID() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let id = try shell.openGap()
        #expect(shell.run("fire", id, "request_info", "--set", "query=Wie viele?").status == 0)
        let result = shell.run("outbox", "deliver", "--exec", "cat >> received.jsonl; echo $GAPFLOW_NOTICE_ID >> ids.txt")
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output == "delivered \(id)/r2/1\n1 delivered, 0 failed\n")
        let received = try String(contentsOf: shell.folder.appendingPathComponent("received.jsonl"), encoding: .utf8)
        let notice = try JSONParser.parse(received)
        #expect(notice["id"]?.string == "\(id)/r2/1")
        #expect(notice["recipients"]?.elements?.compactMap(\.string) == ["cm.siegburg"])
        #expect(notice["message"]?.string == "Die CM-Koordination hat eine Rückfrage zu Ihrer Meldung.")
        #expect(try String(contentsOf: shell.folder.appendingPathComponent("ids.txt"), encoding: .utf8) == "\(id)/r2/1\n")
        #expect(shell.run("outbox", "deliver", "--exec", "cat >> received.jsonl").output == "0 delivered, 0 failed\n")
    }

    @Test func aFailingCommandKeepsTheNoticeAndRetriesItAfterABackOff() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let id = try shell.openGap()
        #expect(shell.run("fire", id, "request_info", "--set", "query=?").status == 0)
        let failed = shell.run("outbox", "deliver", "--exec", "echo 'mail server down' >&2; exit 3")
        #expect(failed.status == 1)
        #expect(failed.output.contains("failed    \(id)/r2/1: exit status 3: mail server down; next attempt in 1 min"))
        #expect(shell.run("outbox", "deliver", "--exec", "true").output == "0 delivered, 0 failed\n")
        shell.clock.advance(by: 61)
        #expect(shell.run("outbox", "deliver", "--exec", "exit 1").output.contains("next attempt in 2 min"))
        shell.clock.advance(by: 121)
        #expect(shell.run("outbox", "deliver", "--exec", "true").status == 0)
        let list = try JSONParser.parse(shell.run("outbox", "list", "--json").output)
        #expect(list.elements?.first?["attempts"]?.integer == 3)
        #expect(list.elements?.first?["deliveredAt"]?.string != nil)
    }

    @Test func aHangingCommandIsStoppedAfterTheTimeoutAndRetriedLater() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let id = try shell.openGap()
        #expect(shell.run("fire", id, "request_info", "--set", "query=?").status == 0)
        let result = shell.run("outbox", "deliver", "--exec", "exec sleep 30", "--timeout", "0.2")
        #expect(result.status == 1)
        #expect(result.output.contains("timed out after 0.2 s"))
        #expect(shell.run("outbox", "list", "--pending").output.contains("retry"))
    }

    @Test func aCommandThatIgnoresItsInputDoesNotEndGapflow() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let id = try shell.openGap()
        #expect(shell.run("fire", id, "request_info", "--set", "query=?").status == 0)
        #expect(shell.run("outbox", "deliver", "--exec", "exit 0").status == 0)
    }
}
