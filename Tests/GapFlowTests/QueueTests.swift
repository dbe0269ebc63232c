import Foundation
import Testing

@testable import GapFlow

@Suite struct QueueTests {
    private let workflow = "systemic-gap-escalation"
    private let day: TimeInterval = 86_400

    private func open(_ engine: Engine, _ municipality: String, _ title: String) throws -> String {
        var values = Fixtures.gapValues
        values["municipality"] = .text(municipality)
        values["title"] = .text(title)
        return try engine.open(workflow: workflow, Command(.open, actor: Fixtures.coordinator, values: values)).ticket.id
    }

    @Test func theQueueShowsOverdueFirstThenTheNextDeadlineThenTheLongestWaiting() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock, store: .memory)
        let oldest = try open(engine, "Siegburg", "älteste")
        clock.advance(by: 2 * day)
        let dismissed = try open(engine, "Alfter", "abgewiesen")
        try engine.fire(dismissed, Command(.fire(event: "dismiss"), actor: Fixtures.coordinator, values: ["reason": .text("Einzelfall")]))
        clock.advance(by: 2 * day)
        let newest = try open(engine, "Troisdorf", "neueste")
        clock.advance(by: 11 * day)
        try engine.fireDueTimers()  // the oldest one's reminder and the dismissed one's feedback reminder have gone out
        let forwarded = try open(engine, "Siegburg", "nicht meins")
        try engine.fire(
            forwarded, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))

        let queue = try engine.queue(for: Fixtures.coordinator)
        #expect(queue.map(\.ticket.id) == [oldest, dismissed, newest])
        #expect(queue.map(\.overdue) == [true, true, false])
        #expect(queue.last?.events == ["forward", "request_info", "merge", "dismiss", "withdraw"])
        #expect(queue[1].events == ["publish"])

        #expect(try engine.queue(for: Fixtures.coordinator, area: "troisdorf").map(\.ticket.id) == [newest])
        #expect(try engine.queue(for: Fixtures.coordinator, area: "linksrheinisch").map(\.ticket.id) == [dismissed])
        #expect(try engine.queue(for: Fixtures.coordinator, municipality: "siegburg").map(\.ticket.id) == [oldest])
        #expect(try engine.queue(for: Fixtures.kiLead).map(\.ticket.id) == [forwarded])
        #expect(try engine.queue(for: Fixtures.caseManager).isEmpty)
    }
}
