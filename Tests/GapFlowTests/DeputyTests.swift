import Foundation
import Testing

@testable import GapFlow

/// Deputies (*Vertretung*): a period with an end, no overlap; while it runs the deputy sees the queue, receives the
/// notices and acts for the absent actor, and the history says so.
@Suite struct DeputyTests {
    private let workflow = "systemic-gap-escalation"
    private let deputy = Actor(name: "vertretung", roles: ["cm"], municipality: "Troisdorf")
    private var today: LocalDate { LocalDate(Fixtures.start, in: .berlin) }

    private func engine(_ kind: Fixtures.Store, clock: ManualClock = ManualClock(Fixtures.start)) throws -> (Engine, TemporaryFolder) {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, clock: clock, store: kind)
        try engine.saveActor(deputy)
        return (engine, folder)
    }

    private func open(_ engine: Engine) throws -> String {
        try engine.open(workflow: workflow, Command(.open, actor: Fixtures.caseManager, values: Fixtures.gapValues)).ticket.id
    }

    @Test func aDeputyPeriodMustEndMayNotOverlapAndNamesTwoRegisteredActors() throws {
        let (engine, _) = try engine(.memory)
        try engine.addDeputy(Deputyship(absent: "koordination", deputy: "vertretung", from: today, to: today.adding(days: 14)))
        let refused: [Deputyship] = [
            Deputyship(absent: "koordination", deputy: "ki.leitung", from: today.adding(days: 14), to: today.adding(days: 20)),
            Deputyship(absent: "koordination", deputy: "ki.leitung", from: today.adding(days: 30), to: today.adding(days: 29)),
            Deputyship(absent: "koordination", deputy: "koordination", from: today.adding(days: 30), to: today.adding(days: 31)),
            Deputyship(absent: "koordination", deputy: "niemand", from: today.adding(days: 30), to: today.adding(days: 31)),
        ]
        for deputyship in refused {
            #expect(throws: EngineError.self) { try engine.addDeputy(deputyship) }
        }
        let overlap = try #require(throws: EngineError.self) { try engine.addDeputy(refused[0]) }
        #expect(overlap.description.contains("overlaps"))
        #expect(try engine.deputyships().count == 1)
        // The next period may begin the day after.
        try engine.addDeputy(
            Deputyship(absent: "koordination", deputy: "ki.leitung", from: today.adding(days: 15), to: today.adding(days: 20)))
        #expect(try engine.deputyships().map(\.deputy) == ["vertretung", "ki.leitung"])
    }

    @Test(arguments: Fixtures.Store.allCases)
    func whileThePeriodRunsTheDeputySeesTheQueueActsForTheAbsentAndTheHistorySaysSo(kind: Fixtures.Store) throws {
        let clock = ManualClock(Fixtures.start)
        let (engine, _) = try engine(kind, clock: clock)
        let id = try open(engine)
        #expect(try engine.queue(for: deputy).isEmpty)
        let forward = Command(.fire(event: "forward"), actor: deputy, values: ["legal_domains": .text("SGB II")])
        #expect(throws: Rejection.self) { try engine.fire(id, forward) }

        try engine.addDeputy(Deputyship(absent: "koordination", deputy: "vertretung", from: today, to: today.adding(days: 7)))
        let queue = try engine.queue(for: deputy)
        #expect(queue.map(\.ticket.id) == [id])
        #expect(queue.first?.deputyFor == "koordination")
        #expect(queue.first?.events.contains("forward") == true)
        #expect(try engine.options(id, actor: deputy).map(\.transition.event).contains("forward"))

        let outcome = try engine.fire(id, forward)
        #expect(outcome.entry.actor == "vertretung" && outcome.entry.deputyFor == "koordination" && outcome.entry.role == "cm_coordination")
        let stored = try #require(try engine.history(id).last)
        #expect(stored.actor == "vertretung" && stored.deputyFor == "koordination")
        #expect(try engine.verifyHistory().verifies)

        // After the period: nothing more.
        clock.advance(by: 9 * 86_400)
        #expect(try engine.queue(for: deputy).isEmpty)
        let other = try open(engine)
        #expect(throws: Rejection.self) {
            try engine.fire(other, Command(.fire(event: "forward"), actor: deputy, values: ["legal_domains": .text("SGB II")]))
        }
    }

    @Test func theDeputyReceivesTheAbsentActorsNoticesWhileThePeriodRuns() throws {
        let (engine, _) = try engine(.memory)
        try engine.addDeputy(Deputyship(absent: "cm.siegburg", deputy: "vertretung", from: today, to: today.adding(days: 7)))
        let id = try open(engine)
        try engine.fire(id, Command(.fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("Wie viele?")]))
        let notice = try #require(try engine.outbox().last { $0.ticketID == id && $0.role == "cm" })
        let payload = try JSONParser.parse(notice.payload)
        #expect(payload["recipients"]?.elements?.compactMap(\.string) == ["cm.siegburg", "vertretung"])
        #expect(payload["deputies"]?.elements?.first?["for"]?.string == "cm.siegburg")
    }
}
