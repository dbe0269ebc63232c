import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowSQLite

/// Defects found by trying to break the engine and the store, each pinned by the test that found it.
@Suite struct HardeningTests {
    private let day: TimeInterval = 86_400

    @Test func textWithANulByteIsStoredWhole() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder)
        var values = Fixtures.gapValues
        values["description"] = .text("vor\u{0}nach dem NUL")
        let id = try engine.open(workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.caseManager, values: values)).ticket.id
        #expect(try engine.ticket(id).fields["description"] == .text("vor\u{0}nach dem NUL"))
        #expect(try engine.verifyHistory().findings.isEmpty)
    }

    @Test(arguments: [Fixtures.Store.sqlite, .memory])
    func historyTimesNeverGoBackEvenWhenTheClockDoes(store: Fixtures.Store) throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock, store: store)
        let id = try engine.open(
            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.caseManager, values: Fixtures.gapValues)
        )
        .ticket.id
        clock.set(Fixtures.start.addingTimeInterval(-3600))  // the clock is set back an hour (NTP, another machine)
        try engine.fire(id, Command(.fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("Wie viele?")]))
        let times = try engine.history(id).map(\.at)
        #expect(times == times.sorted())
    }

    @Test func aRequestForInformationNeedsItsOwnQuestionEachTime() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder)
        let id = try engine.open(
            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.caseManager, values: Fixtures.gapValues)
        )
        .ticket.id
        let ask = { (values: [String: FieldInput]) in
            try engine.fire(id, Command(.fire(event: "request_info"), actor: Fixtures.coordinator, values: values))
        }
        _ = try ask(["query": .text("Wie viele Familien sind betroffen?")])
        try engine.fire(id, Command(.fire(event: "resubmit"), actor: Fixtures.caseManager))
        #expect {
            try ask([:])
        } throws: { error in
            (error as? Rejection)?.blockers.map(\.code) == [.missingField]
        }
        #expect(try engine.ticket(id).state == "reported")
        _ = try ask(["query": .text("Und in welchen Kommunen?")])
        #expect(try engine.ticket(id).fields["query"] == .text("Und in welchen Kommunen?"))
    }

    @Test func migratingNeedsTheAdminRoleEvenWhenTheWorkflowDoesNotDeclareIt() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder)
        _ = try engine.open(workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.caseManager, values: Fixtures.gapValues))
        #expect(throws: EngineError.roleRequired(actor: Fixtures.caseManager.name, role: "admin", action: "migrate tickets")) {
            try engine.migrate(workflow: "systemic-gap-escalation", to: 1, mapping: [:], actor: Fixtures.caseManager, check: false)
        }
    }

    @Test func aMigrationDoesNotRepeatARemindersThatAlreadyFired() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let admin = Actor(name: "admin", roles: ["admin"])
        try engine.saveActor(admin)
        let id = try engine.open(
            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.caseManager, values: Fixtures.gapValues)
        )
        .ticket.id
        let timers = try engine.pendingTimers(ticket: id).sorted { $0.dueAt < $1.dueAt }
        let first = try #require(timers.first)
        // Past the first timer, before the second: the first fires once.
        clock.set(first.dueAt.addingTimeInterval(60))
        #expect(try engine.fireDueTimers().map(\.timer.timer) == [first.timer])
        let notices = try engine.outbox(limit: 100).count

        let source = try String(contentsOf: Repository.kimFile, encoding: .utf8).replacingOccurrences(
            of: "\"version\": 1,", with: "\"version\": 2,")
        try engine.register(source: Array(source.utf8), file: "kim-v2.json")
        let steps = try engine.migrate(workflow: "systemic-gap-escalation", to: 2, mapping: [:], actor: admin, check: false)
        #expect(steps.first?.timers.map(\.timer).contains(first.timer) == false)
        #expect(try engine.fireDueTimers().isEmpty)
        #expect(try engine.outbox(limit: 100).count == notices)
        #expect(try engine.history(id).last.map { "\($0.actor) \($0.role) \($0.event)" } == "admin admin migrate")
    }
}

/// Opening a store never recomputes a chain: forged entries with their hashes removed stay findings.
@Suite struct ChainLaunderingTests {
    @Test func nulledChainColumnsAreNotBackfilledWhenTheStoreIsOpenedAgain() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder)
        let id = try engine.open(
            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.caseManager, values: Fixtures.gapValues)
        )
        .ticket.id
        let tamperer = try Connection(path: folder.path("test.sqlite"), readOnly: false, create: false)
        try tamperer.execute(
            """
            DROP TRIGGER history_is_append_only_update;
            UPDATE history SET comment = 'gefälscht', content_digest = NULL, chain_hash = NULL WHERE ticket_id = '\(id)';
            """)
        // Any later command opens the store again.
        let reopened = Engine(store: try SQLiteStore(path: folder.path("test.sqlite")), clock: ManualClock(Fixtures.start))
        try reopened.saveActor(Actor(name: "neu", roles: ["cm"], municipality: "Siegburg"))
        #expect(try reopened.verifyHistory().findings.map(\.problem) == ["entry has no hash"])
    }

    @Test func aPurgeThatIsNotEndedIsNotCommitted() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteStore(path: folder.path("test.sqlite"), mode: .create)
        try store.write { tx in try tx.beginPurge() }
        let connection = try Connection(path: folder.path("test.sqlite"), readOnly: true, create: false)
        #expect(try connection.query("SELECT count(*) FROM purge_session").first?.first?.integer == 0)
    }

    @Test func aReadTransactionCannotWrite() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteStore(path: folder.path("test.sqlite"), mode: .create)
        #expect(throws: StoreError.self) {
            try store.read { tx in try tx.saveActor(Actor(name: "x", roles: []), at: Fixtures.start) }
        }
        #expect(try store.read { tx in try tx.actors() }.isEmpty)
    }
}

/// One rule for "overdue": the diagram counts what the queue and the report call overdue.
@Suite struct OverdueRuleTests {
    @Test func theDiagramCountsAFiredReminderAsOverdueLikeTheQueue() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let id = try engine.open(
            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.caseManager, values: Fixtures.gapValues)
        )
        .ticket.id
        let first = try #require(try engine.pendingTimers(ticket: id).map(\.dueAt).min())
        clock.set(first.addingTimeInterval(60))
        _ = try engine.fireDueTimers()  // the reminder fires; the ticket stays where it is, now overdue
        let queued = try engine.queue(for: Fixtures.coordinator).filter(\.overdue).count
        #expect(queued == 1)
        #expect(try engine.stateCounts(workflow: "systemic-gap-escalation")["reported"].map { [$0.open, $0.overdue] } == [1, queued])
        let report = try engine.report(workflow: "systemic-gap-escalation")
        #expect(report.overdue == [id])
    }
}

/// Database files hold gap reports: only their owner may read them.
@Suite struct FilePermissionTests {
    @Test func aNewDatabaseItsWALAndABackupAreReadableByTheOwnerOnly() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder)
        _ = try engine.open(workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.caseManager, values: Fixtures.gapValues))
        try engine.store.backup(to: folder.path("copy.sqlite"))
        for name in ["test.sqlite", "test.sqlite-wal", "copy.sqlite"] {
            var info = stat()
            try #require(stat(folder.path(name), &info) == 0, "\(name) exists")
            #expect(info.st_mode & 0o077 == 0, "\(name) has mode \(String(info.st_mode & 0o777, radix: 8))")
        }
    }
}
