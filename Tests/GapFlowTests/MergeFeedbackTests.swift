import Foundation
import Testing

@testable import GapFlow

/// A gap reported from several municipalities: a merge adds up the cases and collects the municipalities, and the
/// published feedback reaches every reporter and, as a bulletin, every case manager of the district.
@Suite struct MergeFeedbackTests {
    private let workflow = "systemic-gap-escalation"
    private let much = Actor(name: "cm.much", roles: ["cm"], municipality: "Much")
    private let eitorf = Actor(name: "cm.eitorf", roles: ["cm"], municipality: "Eitorf")

    private func engine(_ kind: Fixtures.Store) throws -> (Engine, TemporaryFolder) {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: kind)
        try engine.saveActor(much)
        try engine.saveActor(eitorf)
        return (engine, folder)
    }

    private func report(_ engine: Engine, by actor: Actor, cases: Int) throws -> String {
        var values = Fixtures.gapValues
        values["municipality"] = nil
        values["cases_observed"] = .text(String(cases))
        return try engine.open(workflow: workflow, Command(.open, actor: actor, values: values)).ticket.id
    }

    @Test(arguments: Fixtures.Store.allCases)
    func mergingAddsUpTheCasesAndCollectsTheMunicipalities(kind: Fixtures.Store) throws {
        let (engine, _) = try engine(kind)
        let target = try report(engine, by: much, cases: 3)
        let source = try report(engine, by: eitorf, cases: 4)
        try engine.fire(source, Command(.fire(event: "merge"), actor: Fixtures.coordinator, values: ["merged_into": .text(target)]))
        let merged = try engine.ticket(target)
        #expect(merged.fields["cases_observed"] == .integer(7))
        #expect(merged.fields["observed_in"] == .choices(["Eitorf", "Much"]))
        #expect(merged.state == "reported" && merged.revision == 2)
        let entry = try #require(try engine.history(target).last)
        #expect(entry.event == "merge" && entry.comment == source && entry.actor == "koordination")
        #expect(Step.replay(try engine.history(target))?.fields == merged.fields)
        #expect(try engine.verifyHistory().verifies)
    }

    @Test func publishingNotifiesEveryReporterAndSendsABulletinToEveryCaseManager() throws {
        let (engine, _) = try engine(.memory)
        let target = try report(engine, by: much, cases: 3)
        let source = try report(engine, by: eitorf, cases: 4)
        try engine.fire(source, Command(.fire(event: "merge"), actor: Fixtures.coordinator, values: ["merged_into": .text(target)]))
        try engine.fire(target, Command(.fire(event: "dismiss"), actor: Fixtures.coordinator, values: ["reason": .text("Einzelfall")]))
        try engine.fire(
            target, Command(.fire(event: "publish"), actor: Fixtures.coordinator, values: ["feedback": .text("Kein Handlungsbedarf")]))
        let notices = try engine.outbox().filter { $0.ticketID == target && $0.kind == Notice.Kind.event.rawValue }
        #expect(notices.count == 2)
        let payloads = try notices.map { try JSONParser.parse($0.payload) }
        let reporters = try #require(payloads.first { $0["audience"]?.string == "reporters" })
        #expect(reporters["recipients"]?.elements?.compactMap(\.string) == ["cm.much", "cm.eitorf"])
        let bulletin = try #require(payloads.first { $0["audience"]?.string == "everyone" })
        #expect(Set(bulletin["recipients"]?.elements?.compactMap(\.string) ?? []) == ["cm.siegburg", "cm.much", "cm.eitorf"])
        #expect(bulletin["message"]?.string?.contains("CM-Stellen") == true)
    }
}
