import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowSQLite

@Suite struct RetentionTests {
    private let day: TimeInterval = 86_400

    @Test func closedTicketsLoseTheirFreeTextAfterTheRetentionPeriodAndKeepTheirStatistics() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let admin = Actor(name: "admin", roles: ["admin"])
        try engine.saveActor(admin)
        var values = Fixtures.gapValues
        values["legal_domains"] = .text("SGB II")
        values["cases_observed"] = .text("4")
        let closed = try engine.open(workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: values))
            .ticket.id
        try engine.fire(
            closed,
            Command(.fire(event: "dismiss"), actor: Fixtures.coordinator, values: ["reason": .text("Einzelfall in der Familie Kaya")]))
        try engine.fire(
            closed,
            Command(
                .fire(event: "publish"), actor: Fixtures.coordinator, values: ["feedback": .text("Rückmeldung an Frau Kaya")],
                comment: "erledigt"))
        let running = try engine.open(workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: values))
            .ticket.id
        let runningHistory = try engine.history(running)

        clock.advance(by: 2 * 365 * day - day)  // not yet two years
        #expect(try engine.purge(actor: admin, check: true).isEmpty)
        clock.advance(by: 2 * day)
        let checked = try engine.purge(actor: admin, check: true)
        #expect(checked.map(\.ticket) == [closed])
        #expect(checked.first?.removedFields == ["description", "feedback", "reason", "title"])
        #expect(try engine.ticket(closed).fields["title"] != nil)

        #expect(try engine.purge(actor: admin, check: false) == checked)
        let ticket = try engine.ticket(closed)
        #expect(
            ticket.fields == ["municipality": .choice("Siegburg"), "legal_domains": .choices(["SGB II"]), "cases_observed": .integer(4)])
        let history = try engine.history(closed)
        #expect(history.map(\.event) == ["open", "dismiss", "publish", "purge"])
        #expect(
            history.dropLast().allSatisfy {
                $0.comment == nil && $0.changes.allSatisfy { !["title", "description", "reason", "feedback"].contains($0.field) }
            })
        let replayed = try #require(Step.replay(history))
        #expect(replayed.fields == ticket.fields && replayed.state == "closed")
        #expect(try engine.outbox().allSatisfy { $0.ticketID != closed })
        #expect(try engine.history(running) == runningHistory)
        #expect(try engine.purge(actor: admin, check: false).isEmpty)

        // Outside a purge the history stays append-only.
        let connection = try Connection(path: folder.path("test.sqlite"), readOnly: false, create: false)
        #expect(throws: StoreError.self) { try connection.execute("UPDATE history SET comment = 'x' WHERE ticket_id = '\(running)'") }
    }
}
