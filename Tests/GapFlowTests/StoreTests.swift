import Dispatch
import Foundation
import Synchronization
import Testing

@testable import GapFlow
@testable import GapFlowSQLite

@Suite struct StoreTests {
    private func rawSQLite(_ path: String, _ sql: String) throws {
        let connection = try Connection(path: path, readOnly: false, create: true)
        try connection.execute(sql)
    }

    private func snapshot(_ engine: Engine) throws -> [String] {
        try engine.tickets().map { ticket in
            "\(ticket.id) \(ticket.state) r\(ticket.revision) \(ticket.fields.keys.sorted()) \(try engine.history(ticket.id).count)"
        }
    }

    @Test func aNewDatabaseIsMigratedToTheLatestSchemaAndMarkedAsGapFlows() throws {
        let folder = TemporaryFolder()
        _ = try SQLiteStore(path: folder.path("new.sqlite"), mode: .create)
        let connection = try Connection(path: folder.path("new.sqlite"), readOnly: true, create: false)
        #expect(try connection.query("PRAGMA user_version").first?.first?.integer == Migrator.latest)
        #expect(try connection.query("PRAGMA application_id").first?.first?.integer == SQLiteStore.applicationID)
        #expect(try connection.query("PRAGMA journal_mode").first?.first?.text == "wal")
        #expect(try connection.query("SELECT count(*) FROM schema_migrations").first?.first?.integer == Migrator.steps.count)
    }

    @Test func openingTwiceDoesNotMigrateTwice() throws {
        let folder = TemporaryFolder()
        _ = try SQLiteStore(path: folder.path("db.sqlite"), mode: .create)
        _ = try SQLiteStore(path: folder.path("db.sqlite"), mode: .readWrite)
        let connection = try Connection(path: folder.path("db.sqlite"), readOnly: true, create: false)
        #expect(try connection.query("SELECT count(*) FROM schema_migrations").first?.first?.integer == Migrator.steps.count)
    }

    @Test func aMissingDatabaseIsNotCreatedByAccident() {
        let folder = TemporaryFolder()
        #expect(throws: StoreError.missing(path: folder.path("none.sqlite"))) {
            try SQLiteStore(path: folder.path("none.sqlite"), mode: .readWrite)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path("none.sqlite")))
    }

    @Test func aDatabaseFromANewerGapFlowIsRefusedAndLeftAlone() throws {
        let folder = TemporaryFolder()
        let path = folder.path("newer.sqlite")
        _ = try SQLiteStore(path: path, mode: .create)
        try rawSQLite(path, "PRAGMA user_version=\(Migrator.latest + 1)")
        #expect(throws: StoreError.newerSchema(path: path, found: Migrator.latest + 1, supported: Migrator.latest)) {
            try SQLiteStore(path: path, mode: .readWrite)
        }
    }

    @Test func anotherProgramsDatabaseIsNeverTouched() throws {
        let folder = TemporaryFolder()
        let path = folder.path("other.sqlite")
        try rawSQLite(path, "CREATE TABLE customers(id INTEGER)")
        #expect(throws: StoreError.notADatabase(path: path)) { try SQLiteStore(path: path, mode: .readWrite) }
        let connection = try Connection(path: path, readOnly: true, create: false)
        #expect(try connection.query("SELECT count(*) FROM sqlite_schema").first?.first?.integer == 1)
    }

    @Test func aFileThatIsNotSQLiteIsReportedAsSuch() throws {
        let folder = TemporaryFolder()
        let path = folder.path("notes.sqlite")
        try Data("Protokoll der Sitzung vom 12.03.2027\n".utf8 + Data(repeating: 65, count: 200)).write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.notADatabase(path: path)) { try SQLiteStore(path: path, mode: .readWrite) }
    }

    @Test func aReadOnlyStoreRefusesWritesAndChangesNothing() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder)
        let id = try engine.open(
            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)
        ).ticket.id
        let before = try snapshot(engine)
        let readOnly = Engine(store: try SQLiteStore(path: folder.path("test.sqlite"), mode: .readOnly), clock: ManualClock(Fixtures.start))
        #expect(throws: StoreError.readOnly(path: folder.path("test.sqlite"))) {
            try readOnly.fire(id, Command(.fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("?")]))
        }
        #expect(try readOnly.ticket(id).state == "reported")
        #expect(try snapshot(engine) == before)
    }

    @Test func aLockedDatabaseGivesABusyErrorAndLosesNothing() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder)
        let id = try engine.open(
            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)
        ).ticket.id
        let before = try snapshot(engine)
        // Another connection holds the write lock; this one has a short timeout so the test does not wait long.
        let holder = try Connection(path: folder.path("test.sqlite"), readOnly: false, create: false)
        try holder.execute("BEGIN IMMEDIATE")
        let waiting = try Connection(path: folder.path("test.sqlite"), readOnly: false, create: false)
        try waiting.execute("PRAGMA busy_timeout=10")
        #expect(throws: StoreError.busy(path: folder.path("test.sqlite"))) { try waiting.execute("BEGIN IMMEDIATE") }
        try holder.execute("ROLLBACK")
        #expect(try snapshot(engine) == before)
        #expect(try engine.ticket(id).revision == 1)
    }

    @Test func historyIsAppendOnlyInTheDatabaseItself() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder)
        _ = try engine.open(workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues))
        let connection = try Connection(path: folder.path("test.sqlite"), readOnly: false, create: false)
        #expect(throws: StoreError.self) { try connection.execute("UPDATE history SET actor = 'someone else'") }
        #expect(throws: StoreError.self) { try connection.execute("DELETE FROM history") }
        #expect(try connection.query("SELECT actor FROM history").first?.first?.text == "koordination")
    }

    @Test func aStaleRevisionFromAnotherWriterIsAConflictAndTheWinnerIsKept() throws {
        let folder = TemporaryFolder()
        let first = try Fixtures.kimEngine(in: folder)
        let second = Engine(store: try SQLiteStore(path: folder.path("test.sqlite")), clock: ManualClock(Fixtures.start))
        let id = try first.open(
            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)
        ).ticket.id
        let seen = try second.ticket(id).revision
        try first.fire(
            id,
            Command(
                .fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("Wie viele Fälle?")],
                expectedRevision: seen))
        let late = Command(
            .fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")], expectedRevision: seen)
        #expect(throws: StoreError.conflict(ticket: id, expected: 1, actual: 2)) { try second.fire(id, late) }
        #expect(try second.ticket(id).state == "clarification")
        #expect(try second.history(id).map(\.event) == ["open", "request_info"])
    }

    @Test func concurrentWritersOnOneFileNeverLoseAnUpdate() async throws {
        let folder = TemporaryFolder()
        let setup = try Fixtures.kimEngine(in: folder)
        let id = try setup.open(
            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)
        ).ticket.id
        let path = folder.path("test.sqlite")
        let writers = 4
        let deferralsEach = 25
        try setup.fire(id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        try setup.fire(id, Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Vorschlag")]))
        // Each writer has its own connection, as separate processes would.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    let engine = Engine(store: try SQLiteStore(path: path), clock: ManualClock(Fixtures.start))
                    for round in 0..<deferralsEach {
                        try engine.fire(
                            id,
                            .decided(
                                "defer", by: Fixtures.office, values: ["decision_note": .text("w\(writer) r\(round)")],
                                resolution: "U-\(writer)-\(round)")
                        )
                    }
                }
            }
            try await group.waitForAll()
        }
        let history = try setup.history(id)
        #expect(history.count == 3 + writers * deferralsEach)
        #expect(history.map(\.revision) == Array(1...history.count))
        #expect(try setup.ticket(id).revision == history.count)
    }

    @Test func aReadGoesOnWhileAWriteIsOpenAndSeesTheLastCommit() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder)
        let id = try engine.open(
            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)
        )
        .ticket.id
        let writing = DispatchSemaphore(value: 0)
        let finish = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = try? engine.store.write { tx -> Void in
                try tx.setPassword(nil, actor: Fixtures.coordinator.name)
                writing.signal()
                finish.wait()  // the write transaction stays open until the read below has finished
            }
            done.signal()
        }
        writing.wait()
        // On the writer's connection this read would wait for the write (and the write for it): a deadlock the
        // timeout below would report. On a reader connection it is answered at once, from the last commit.
        let read = DispatchSemaphore(value: 0)
        let revision = Mutex<Int?>(nil)
        DispatchQueue.global().async {
            revision.withLock { $0 = try? engine.ticket(id).revision }
            read.signal()
        }
        let answered = read.wait(timeout: .now() + 10) == .success
        finish.signal()
        done.wait()
        #expect(answered, "a read waited for an open write transaction")
        #expect(revision.withLock { $0 } == 1)
    }
}
