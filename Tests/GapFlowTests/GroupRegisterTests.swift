import Foundation
import Testing

@testable import GapFlow

/// Project groups as a register: members and topic, a mandate names a registered group, only members submit.
@Suite struct GroupRegisterTests {
    private let workflow = "systemic-gap-escalation"
    private let other = Actor(name: "pg.arbeit", roles: ["project_group"])

    private func engine() throws -> (Engine, TemporaryFolder) {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        try engine.saveActor(other)
        return (engine, folder)
    }

    private func tabled(_ engine: Engine) throws -> String {
        let id = try engine.open(workflow: workflow, Command(.open, actor: Fixtures.caseManager, values: Fixtures.gapValues)).ticket.id
        try engine.fire(id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        try engine.fire(id, Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Beauftragen")]))
        return id
    }

    /// The board's mandate for `group`, decided in writing (the board's events need a resolution).
    private func mandate(_ group: String) -> Command {
        let due = LocalDate(Fixtures.start, in: .berlin).adding(days: 60)
        return Command.decided(
            "mandate", by: Fixtures.office,
            values: [
                "project_group": .text(group), "mandate": .text("Konzept"), "due_date": .text(due.iso8601),
                "decision_note": .text("Beschluss 1/2026"),
            ], resolution: "U2026-\(group)")
    }

    @Test func aGroupNeedsMembersWhoAreRegisteredActors() throws {
        let (engine, _) = try engine()
        #expect(throws: EngineError.invalidGroup("project group \"PG Schule\" needs at least one member")) {
            try engine.saveGroup(ProjectGroup(id: "PG Schule", members: []))
        }
        #expect(throws: EngineError.unknownActor("niemand")) { try engine.saveGroup(ProjectGroup(id: "PG Schule", members: ["niemand"])) }
        #expect(try engine.groups().isEmpty)
        try engine.saveGroup(ProjectGroup(id: "PG Schule", topic: "Schule", members: ["pg.sprache"]))
        try engine.saveGroup(ProjectGroup(id: "pg schule", topic: "Schule und Kita", members: ["pg.sprache", "pg.arbeit"]))
        #expect(try engine.groups() == [ProjectGroup(id: "PG Schule", topic: "Schule und Kita", members: ["pg.sprache", "pg.arbeit"])])
    }

    @Test func aMandateNamesARegisteredGroupAndOnlyItsMembersSubmitTheSolution() throws {
        let (engine, _) = try engine()
        try engine.saveGroup(ProjectGroup(id: "PG Schule", topic: "Schule", members: ["pg.sprache"]))
        try engine.saveGroup(ProjectGroup(id: "PG Arbeit", topic: "Arbeit", members: ["pg.arbeit"]))
        let id = try tabled(engine)
        let unknown = try #require(throws: Rejection.self) { try engine.fire(id, mandate("PG Kita")) }
        #expect(
            unknown.blockers.map(\.message) == [
                #"field "project_group": "PG Kita" is not a registered project group ("PG Schule", "PG Arbeit")"#
            ])
        #expect(try engine.ticket(id).state == "awaiting_steering")
        #expect(try engine.fire(id, mandate("pg schule")).ticket.fields["project_group"] == .text("PG Schule"))

        let submit = { (actor: Actor) in
            Command(.fire(event: "submit_solution"), actor: actor, values: ["solution": .text("Kurse mit Betreuung")])
        }
        let refused = try #require(throws: Rejection.self) { try engine.fire(id, submit(other)) }
        #expect(refused.blockers.map(\.code) == [.notAMember])
        #expect(!(try engine.options(id, actor: other).map(\.transition.event).contains("submit_solution")))
        #expect(try engine.fire(id, submit(Fixtures.projectGroup)).ticket.state == "solution_review")
    }

    @Test func aGroupsMandatesAreListedWithTheirDueDates() throws {
        let (engine, _) = try engine()
        try engine.saveGroup(ProjectGroup(id: "PG Schule", members: ["pg.sprache"]))
        let id = try tabled(engine)
        try engine.fire(id, mandate("PG Schule"))
        let mandates = try engine.mandates(of: "pg schule")
        #expect(mandates.map(\.0.id) == [id])
        #expect(mandates.first?.0.fields["due_date"] != nil)
        #expect(throws: EngineError.self) { try engine.mandates(of: "PG Kita") }
    }
}
