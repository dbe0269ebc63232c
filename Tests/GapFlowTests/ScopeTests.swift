import Foundation
import Testing

@testable import GapFlow

/// An actor's scope: several municipalities, or an area declared as a group of the scope field's values.
@Suite struct ScopeTests {
    private let workflow = "systemic-gap-escalation"
    private let cluster = Actor(name: "cm.cluster", roles: ["cm"], scope: ["Much", "Eitorf"])
    private let leftBank = Actor(name: "koordination.links", roles: ["cm_coordination"], scope: ["linksrheinisch"])

    private func engine() throws -> (Engine, TemporaryFolder) {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        try engine.saveActor(cluster)
        try engine.saveActor(leftBank)
        return (engine, folder)
    }

    private func open(_ engine: Engine, in municipality: String) throws -> String {
        var values = Fixtures.gapValues
        values["municipality"] = .text(municipality)
        return try engine.open(workflow: workflow, Command(.open, actor: Fixtures.coordinator, values: values)).ticket.id
    }

    @Test func anActorKeepsEveryMunicipalityAndAreaOfItsScopeAsTheFileSpellsThem() throws {
        let (engine, _) = try engine()
        #expect(try engine.actor(named: "cm.cluster").scope == ["Much", "Eitorf"])
        try engine.saveActor(Actor(name: "cm.mix", roles: ["cm"], scope: ["much", "RECHTSRHEINISCH", "Troisdorf"]))
        #expect(try engine.actor(named: "cm.mix").scope == ["Much", "rechtsrheinisch", "Troisdorf"])
        #expect(try engine.actor(named: "koordination.links").scope == ["linksrheinisch"])
    }

    @Test func aScopeNamingAnUnknownMunicipalityOrAreaIsRefusedAndNothingChanges() throws {
        let (engine, _) = try engine()
        #expect(throws: EngineError.self) { try engine.saveActor(Actor(name: "cm.bonn", roles: ["cm"], scope: ["Much", "Bonn"])) }
        #expect(throws: EngineError.unknownActor("cm.bonn")) { try engine.actor(named: "cm.bonn") }
        #expect(throws: EngineError.self) { try engine.saveActor(Actor(name: "cm.cluster", roles: ["cm"], scope: ["nordrheinisch"])) }
        #expect(try engine.actor(named: "cm.cluster").scope == ["Much", "Eitorf"])
    }

    @Test func theQueueFollowsTheScopeOfSeveralMunicipalitiesAndOfAnArea() throws {
        let (engine, _) = try engine()
        let bornheim = try open(engine, in: "Bornheim")
        let siegburg = try open(engine, in: "Siegburg")
        let wachtberg = try open(engine, in: "Wachtberg")
        #expect(try engine.queue(for: leftBank).map(\.ticket.id).sorted() == [bornheim, wachtberg])
        #expect(try engine.queue(for: Fixtures.coordinator).count == 3)
        #expect(!(try engine.queue(for: leftBank).map(\.ticket.id).contains(siegburg)))

        let much = try open(engine, in: "Much")
        let eitorf = try open(engine, in: "Eitorf")
        for id in [much, eitorf, siegburg] {
            try engine.fire(id, Command(.fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("Wie viele?")]))
        }
        #expect(try engine.queue(for: cluster).map(\.ticket.id).sorted() == [much, eitorf].sorted())
        #expect(try engine.queue(for: Fixtures.caseManager).map(\.ticket.id) == [siegburg])
    }

    @Test func readAccessFollowsTheScope() throws {
        let (engine, _) = try engine()
        let definition = try engine.definition(workflow)
        let eitorf = try engine.ticket(try open(engine, in: "Eitorf"))
        let siegburg = try engine.ticket(try open(engine, in: "Siegburg"))
        #expect(definition.mayRead(eitorf, actor: cluster))
        #expect(!definition.mayRead(siegburg, actor: cluster))
        let area = Actor(name: "cm.rechts", roles: ["cm"], scope: ["rechtsrheinisch"])
        #expect(definition.mayRead(eitorf, actor: area) && definition.mayRead(siegburg, actor: area))
        #expect(!definition.mayRead(try engine.ticket(try open(engine, in: "Alfter")), actor: area))
    }

    @Test func noticesReachEveryActorWhoseScopeCoversTheTicketAndNoOther() throws {
        let (engine, _) = try engine()
        let eitorf = try open(engine, in: "Eitorf")
        try engine.fire(eitorf, Command(.fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("Wie viele?")]))
        let notice = try #require(try engine.outbox().last { $0.ticketID == eitorf && $0.role == "cm" })
        #expect(notice.payload.contains("\"recipients\":[\"cm.cluster\"]"))
    }

    @Test func anActorOfSeveralMunicipalitiesActsOnlyWithinThem() throws {
        let (engine, _) = try engine()
        var values = Fixtures.gapValues
        values["municipality"] = .text("Eitorf")
        #expect(
            try engine.open(workflow: workflow, Command(.open, actor: cluster, values: values)).ticket.fields["municipality"]
                == .choice("Eitorf"))
        values["municipality"] = .text("Siegburg")
        let refused = try #require(throws: Rejection.self) {
            try engine.open(workflow: workflow, Command(.open, actor: cluster, values: values))
        }
        #expect(refused.blockers.contains { $0.code == .outOfScope })
        // With two municipalities none is filled in: the reporter names it.
        values["municipality"] = nil
        #expect(throws: Rejection.self) { try engine.open(workflow: workflow, Command(.open, actor: cluster, values: values)) }
        // One municipality is still filled in.
        #expect(
            try engine.open(workflow: workflow, Command(.open, actor: Fixtures.caseManager, values: values)).ticket.fields["municipality"]
                == .choice("Siegburg"))
    }
}
