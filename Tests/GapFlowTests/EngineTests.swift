import Foundation
import Testing

@testable import GapFlow

@Suite struct EngineTests {
    private let workflow = "systemic-gap-escalation"

    private func open(_ engine: Engine, as actor: Actor = Fixtures.coordinator) throws -> String {
        try engine.open(workflow: workflow, Command(.open, actor: actor, values: Fixtures.gapValues)).ticket.id
    }

    @Test func ticketIDsAreReadableAndCountPerYearInBerlinTime() throws {
        let folder = TemporaryFolder()
        // 2026-12-31 22:30 UTC is 23:30 in Berlin; an hour later it is 2027 in Berlin but still 2026 in UTC.
        let clock = ManualClock(Date(timeIntervalSince1970: 1_798_756_200))
        let engine = try Fixtures.kimEngine(in: folder, clock: clock, store: .memory)
        #expect(try open(engine) == "GAP-2026-0001")
        #expect(try open(engine) == "GAP-2026-0002")
        clock.advance(by: 3_600)
        #expect(try open(engine) == "GAP-2027-0001")
    }

    @Test func aRefusedCommandConsumesNoTicketNumberAndChangesNothing() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        #expect(throws: Rejection.self) {
            try engine.open(workflow: workflow, Command(.open, actor: Fixtures.kiLead, values: Fixtures.gapValues))
        }
        #expect(try open(engine) == "GAP-2026-0001")
        #expect(throws: Rejection.self) {
            try engine.fire(
                "GAP-2026-0001", Command(.fire(event: "publish"), actor: Fixtures.coordinator, values: ["feedback": .text("x")]))
        }
        #expect(throws: EngineError.unknownTicket("GAP-2026-0404")) {
            try engine.fire("GAP-2026-0404", Command(.fire(event: "forward"), actor: Fixtures.coordinator))
        }
        #expect(try engine.history("GAP-2026-0001").count == 1)
        #expect(try engine.ticket("gap-2026-0001").state == "reported")
    }

    @Test func registeringTheSameFileTwiceChangesNothingButAChangedFileNeedsANewVersion() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        let source = try String(contentsOf: Repository.kimFile, encoding: .utf8)
        #expect(try engine.register(source: Array(source.utf8), file: "kim.json") == .unchanged(workflow: workflow, version: 1))
        let changed = source.replacingOccurrences(of: "\"title\": \"Gemeldet\"", with: "\"title\": \"Eingegangen\"")
        #expect(throws: EngineError.definitionChanged(workflow: workflow, version: 1, file: "kim.json")) {
            try engine.register(source: Array(changed.utf8), file: "kim.json")
        }
        #expect(try engine.definition(workflow).state("reported")?.title == "Gemeldet")
    }

    @Test func runningTicketsKeepTheirVersionAndNewTicketsTakeTheNewest() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        let old = try open(engine)
        let source = try String(contentsOf: Repository.kimFile, encoding: .utf8)
        let version2 =
            source
            .replacingOccurrences(of: "\"version\": 1,", with: "\"version\": 2,")
            .replacingOccurrences(of: "\"requires\": [\"legal_domains\"]", with: "\"requires\": [\"legal_domains\", \"target_group\"]")
        #expect(try engine.register(source: Array(version2.utf8), file: "kim-v2.json") == .registered(workflow: workflow, version: 2))
        let new = try open(engine)
        #expect(try engine.ticket(old).version == 1)
        #expect(try engine.ticket(new).version == 2)
        let forward = Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")])
        #expect(try engine.fire(old, forward).ticket.state == "ki_review")
        #expect(throws: Rejection.self) { try engine.fire(new, forward) }
        let records = try engine.workflows()
        #expect(records.map { "\($0.version):\($0.openTickets)" } == ["2:1", "1:1"])
    }

    @Test func anInvalidDefinitionIsNotRegistered() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        let broken = try Data(contentsOf: Repository.fixtures.appendingPathComponent("invalid/bad-graph.json"))
        #expect(throws: EngineError.self) { try engine.register(source: Array(broken), file: "bad-graph.json") }
        #expect(try engine.workflows().map(\.workflowID) == [workflow])
    }

    @Test func actorsNeedRolesThatAWorkflowKnows() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        #expect(throws: EngineError.self) { try engine.saveActor(Actor(name: "x", roles: ["mayor"])) }
        try engine.saveActor(Actor(name: "cm.troisdorf", roles: ["cm"], municipality: "Troisdorf"))
        #expect(try engine.actor(named: "cm.troisdorf") == Actor(name: "cm.troisdorf", roles: ["cm"], municipality: "Troisdorf"))
        #expect(throws: EngineError.unknownActor("nobody")) { try engine.actor(named: "nobody") }
        #expect(throws: EngineError.self) { try engine.saveActor(Actor(name: "cm.bonn", roles: ["cm"], municipality: "Bonn")) }
        try engine.saveActor(Actor(name: "cm.hennef", roles: ["cm"], municipality: "hennef (sieg)"))
        #expect(try engine.actor(named: "cm.hennef").scope == ["Hennef (Sieg)"])
    }

    @Test func listFiltersByStateAndFieldValuesIncludingSetMembership() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        let a = try open(engine)
        let b = try open(engine)
        try engine.fire(
            a, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II,AufenthG")]))
        #expect(try engine.tickets(TicketFilter(states: ["reported"])).map(\.id) == [b])
        #expect(try engine.tickets(TicketFilter(fields: ["legal_domains": .choices(["AufenthG"])])).map(\.id) == [a])
        #expect(try engine.tickets(TicketFilter(fields: ["municipality": .choice("Siegburg")])).map(\.id) == [a, b])
        #expect(try engine.tickets(TicketFilter(fields: ["municipality": .choice("Troisdorf")])).isEmpty)
    }

    /// The central property of the history: replaying it gives exactly the stored ticket, after any sequence of commands.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func everyTicketsStateEqualsTheReplayOfItsHistory(seed: UInt64) throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock, store: .memory)
        let definition = try engine.definition(workflow)
        var random = SeededRandom(seed: seed)
        let allRoles = Actor(name: "alle", roles: definition.roles.map(\.id) + [Definition.systemRole])
        var ids: [String] = []
        for _ in 0..<5 { ids.append(try open(engine)) }
        var fired = 0
        for _ in 0..<150 {
            clock.advance(by: Double(Int.random(in: 60...86_400, using: &random)))
            try engine.fireDueTimers()  // reminders and escalations happen along the way, as the scheduler would fire them
            let running = try ids.filter { definition.state(try engine.ticket($0).state)?.isFinal == false }
            guard let id = running.randomElement(using: &random) else {
                ids.append(try open(engine))
                continue
            }
            let ticket = try engine.ticket(id)
            guard let transition = definition.transitions(from: ticket.state).randomElement(using: &random) else { continue }
            let today = LocalDate(clock.now(), in: .berlin)
            var values: [String: FieldInput] = [:]
            for name in transition.needs + transition.sets where Bool.random(using: &random) || transition.needs.contains(name) {
                guard let field = definition.field(name) else { continue }
                values[name] = KIMValues.input(for: field, today: today)
            }
            if values["merged_into"] != nil { values["merged_into"] = .text(ids.first { $0 != id } ?? id) }
            var command = Command(.fire(event: transition.event), actor: allRoles, values: values, comment: "Schritt")
            // The board's decisions are taken in writing here, each under its own resolution number.
            if definition.meetings?.decisionEvents.contains(transition.event) == true {
                command.decision = DecisionRecord(resolution: "U-\(ids.count)-\(fired)-\(transition.event)")
            }
            if (try? engine.fire(id, command)) != nil {
                fired += 1
            }
        }
        for id in ids {
            let ticket = try engine.ticket(id)
            let replayed = try #require(Step.replay(try engine.history(id)))
            #expect(replayed.state == ticket.state)
            #expect(replayed.fields == ticket.fields)
            #expect(replayed.revision == ticket.revision)
        }
        #expect(fired >= 100, "the walk must actually move tickets")
    }

    @Test func replayRefusesAHistoryWithAGap() throws {
        let entry = { (revision: Int, from: String?, to: String) in
            HistoryEntry(
                revision: revision, at: Fixtures.start, actor: "a", role: "r", event: "e", from: from, to: to, changes: [], comment: nil)
        }
        #expect(Step.replay([entry(1, nil, "a"), entry(2, "a", "b")])?.state == "b")
        #expect(Step.replay([entry(1, nil, "a"), entry(3, "a", "b")]) == nil)
        #expect(Step.replay([entry(1, nil, "a"), entry(2, "x", "b")]) == nil)
    }
}
