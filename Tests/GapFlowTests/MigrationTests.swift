import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowSQLite

@Suite struct MigrationTests {
    private let day: TimeInterval = 86_400
    private let admin = Actor(name: "admin", roles: ["admin", "clerk"])

    /// A small workflow:  open ──submit──▶ review ──finish──▶ done, with a timer in each working state.
    private func source(
        version: Int, openTimer: String = "P10D", reviewTimers: String = #"{ "id": "check", "after": "P2D", "notify": "clerk" }"#,
        extraFields: String = #", "note": { "type": "text", "title": "Notiz" }"#, reviewState: String = "review"
    ) -> String {
        """
        {
          "id": "mini", "version": \(version), "title": "Mini", "ticketPrefix": "MINI",
          "roles": { "clerk": "Sachbearbeitung", "admin": "Administration" },
          "fields": { "title": { "type": "text", "title": "Titel" }\(extraFields) },
          "initial": { "state": "open", "roles": ["clerk"], "requires": ["title"], "sets": ["note"] },
          "states": {
            "open": { "title": "Offen", "owner": "clerk", "timers": [ { "id": "reminder", "after": "\(openTimer)", "notify": "clerk" } ] },
            "\(reviewState)": { "title": "Prüfung", "owner": "clerk", "timers": [ \(reviewTimers) ] },
            "done": { "title": "Erledigt", "final": true }
          },
          "transitions": [
            { "event": "submit", "title": "Einreichen", "from": "open", "to": "\(reviewState)", "roles": ["clerk"] },
            { "event": "finish", "title": "Abschließen", "from": "\(reviewState)", "to": "done", "roles": ["clerk"] }
          ]
        }
        """.replacingOccurrences(of: "\"sets\": [\"note\"]", with: extraFields.isEmpty ? "\"sets\": []" : "\"sets\": [\"note\"]")
    }

    private func engine(_ folder: TemporaryFolder, _ clock: ManualClock) throws -> Engine {
        let engine = Engine(store: try SQLiteStore(path: folder.path("mini.sqlite"), mode: .create), clock: clock)
        try engine.register(source: Array(source(version: 1).utf8), file: "mini-v1.json")
        try engine.saveActor(admin)
        return engine
    }

    private func open(_ engine: Engine, note: Bool = false) throws -> String {
        var values: [String: FieldInput] = ["title": .text("Vorgang")]
        if note { values["note"] = .text("Notiz") }
        return try engine.open(workflow: "mini", Command(.open, actor: admin, values: values)).ticket.id
    }

    @Test func checkChangesNothingAndApplyMovesTicketsWithTheirTimersCountedFromTheOriginalStart() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try engine(folder, clock)
        let id = try open(engine)
        clock.advance(by: 3 * day)
        try engine.register(source: Array(source(version: 2, openTimer: "P5D").utf8), file: "mini-v2.json")
        let checked = try engine.migrate(workflow: "mini", to: 2, mapping: [:], actor: admin, check: true)
        #expect(checked.map(\.ticket) == [id])
        #expect(checked.first?.timers.map(\.dueAt) == [Fixtures.start.addingTimeInterval(5 * day)])
        #expect(try engine.ticket(id).version == 1)

        let applied = try engine.migrate(workflow: "mini", to: 2, mapping: [:], actor: admin, check: false)
        #expect(applied == checked)
        let ticket = try engine.ticket(id)
        #expect(ticket.version == 2 && ticket.state == "open" && ticket.revision == 2)
        #expect(
            try engine.history(id).last.map { "\($0.event) \($0.from ?? "") → \($0.to): \($0.comment ?? "")" }
                == "migrate open → open: version 1 → 2")
        #expect(try engine.pendingTimers(ticket: id).map(\.dueAt) == [Fixtures.start.addingTimeInterval(5 * day)])
        #expect(try engine.timers(of: id).map(\.status) == [.cancelled, .pending])
        #expect(Step.replay(try engine.history(id))?.state == "open")
        // Migrated tickets now follow version 2.
        #expect(try engine.fire(id, Command(.fire(event: "submit"), actor: admin)).ticket.version == 2)
    }

    @Test func aRemovedStateNeedsAMappingAndAMappingToAnUnknownStateIsRefused() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try engine(folder, clock)
        let id = try open(engine)
        try engine.fire(id, Command(.fire(event: "submit"), actor: admin))
        try engine.register(source: Array(source(version: 2, reviewState: "approval").utf8), file: "mini-v2.json")
        #expect {
            try engine.migrate(workflow: "mini", to: 2, mapping: [:], actor: admin, check: false)
        } throws: { error in
            (error as? MigrationRefused)?.steps.first?.problems
                == ["state \"review\" does not exist in version 2; map it with --map review=STATE"]
        }
        #expect(throws: MigrationRefused.self) {
            try engine.migrate(workflow: "mini", to: 2, mapping: ["review": "nowhere"], actor: admin, check: false)
        }
        #expect(try engine.ticket(id).version == 1)
        let steps = try engine.migrate(workflow: "mini", to: 2, mapping: ["review": "approval"], actor: admin, check: false)
        #expect(steps.map(\.toState) == ["approval"])
        #expect(try engine.ticket(id).state == "approval")
    }

    @Test func ticketsThatWouldLoseAFieldOrADeadlineAreRefusedAndNothingChanges() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try engine(folder, clock)
        let withNote = try open(engine, note: true)
        let plain = try open(engine)
        try engine.fire(plain, Command(.fire(event: "submit"), actor: admin))
        try engine.register(source: Array(source(version: 2, reviewTimers: "", extraFields: "").utf8), file: "mini-v2.json")
        do {
            _ = try engine.migrate(workflow: "mini", to: 2, mapping: [:], actor: admin, check: false)
            Issue.record("migrated although tickets would lose data")
        } catch let refused as MigrationRefused {
            let problems = Dictionary(uniqueKeysWithValues: refused.steps.map { ($0.ticket, $0.problems) })
            #expect(problems[withNote] == ["would lose field \"note\" (Notiz), which version 2 does not have"])
            #expect(problems[plain]?.first?.hasPrefix("its timer \"check\"") == true)
        }
        #expect(try engine.tickets().map(\.version) == [1, 1])
        #expect(try engine.pendingTimers().count == 2)
    }

    @Test func anUnknownVersionIsRefused() throws {
        let folder = TemporaryFolder()
        let engine = try engine(folder, ManualClock(Fixtures.start))
        _ = try open(engine)
        #expect(throws: EngineError.unknownVersion(workflow: "mini", version: 7)) {
            try engine.migrate(workflow: "mini", to: 7, mapping: [:], actor: admin, check: false)
        }
    }

    @Test func aStepMissingBelowTheDatabasesVersionIsAppliedOnOpen() throws {
        let folder = TemporaryFolder()
        _ = try Fixtures.kimEngine(in: folder)
        // A database made while step 9 existed only on another branch: the latest version, without step 9's columns
        // (and without the triggers of step 11 that read one of them).
        let connection = try Connection(path: folder.path("test.sqlite"), readOnly: false, create: false)
        try connection.execute(
            """
            DROP TRIGGER tickets_derived_insert; DROP TRIGGER tickets_derived_stay; DROP TRIGGER history_derived_stay;
            ALTER TABLE history DROP COLUMN chain_format; ALTER TABLE history DROP COLUMN redacted_digests;
            ALTER TABLE history DROP COLUMN redaction; DELETE FROM schema_migrations WHERE version = 9;
            """)
        #expect(try Migrator.version(of: connection) == Migrator.latest)
        let engine = Engine(store: try SQLiteStore(path: folder.path("test.sqlite")))
        #expect(try Set(connection.query("SELECT version FROM schema_migrations").compactMap { $0.first?.integer }).contains(9))
        #expect(
            try connection.query("SELECT count(*) FROM pragma_table_info('history') WHERE name = 'chain_format'").first?.first?.integer == 1
        )
        let id = try engine.open(
            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.caseManager, values: Fixtures.gapValues)
        ).ticket.id
        #expect(try engine.verifyHistory(ticket: id).verifies)
    }
}
