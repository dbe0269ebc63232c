import Dispatch
import Foundation
import GapFlow
import Synchronization
import Testing

@testable import GapFlowPostgres

/// What only the PostgreSQL store does: several processes (here: several stores, each with its own connections, as
/// several nodes have) on one database, connections that break, and schemas that are not its own.
@Suite(.enabled(if: PostgresTestServer.uri != nil, "no PostgreSQL test server (see the loud message above)"))
struct PostgresStoreTests {
    /// Another node on the harness's schema: its own store with its own connections, and its own engine.
    private func node(of harness: Harness) throws -> Engine {
        Engine(store: try PostgresStore(connectionString: try harness.folder.postgresURI()), clock: harness.clock)
    }

    @Test func threeNodesFireEveryDueTimerExactlyOnce() throws {
        let harness = try Harness(.postgres)
        for index in 0..<40 { _ = try harness.open("Lücke \(index)") }
        let pending = try harness.engine.pendingTimers(limit: 10_000)
        #expect(pending.count >= 40)
        harness.clock.advance(by: 400 * Fixtures.day)  // every reminder and escalation is due
        let nodes = try (0..<3).map { _ in try node(of: harness) }
        let fired = Mutex<[Int]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: nodes.count) { index in
            do {
                // Each node goes on until nothing is due any more, as its scheduler would.
                while try nodes[index].fireDueTimers(each: { firing in fired.withLock { $0.append(firing.timer.id) } }) > 0 {}
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let ids = fired.withLock { $0 }
        #expect(Set(ids).count == ids.count, "no timer fired twice")
        #expect(try harness.engine.pendingTimers(dueBy: harness.clock.now(), limit: 10_000).isEmpty, "every due timer fired")
        let done = try harness.store.read { tx in try pending.compactMap { try tx.timer($0.id) } }
        #expect(done.allSatisfy { $0.status != .pending })
        #expect(try harness.engine.verifyHistory().findings.isEmpty)
    }

    @Test func twoNodesNeverTakeTheSameNoticeAndALeaseRunsOut() throws {
        let harness = try Harness(.postgres)
        let ticket = try harness.open()
        try harness.store.write { tx in
            for index in 0..<60 {
                try tx.insertNotice(id: "n\(index)", ticket: ticket, kind: "k", role: "cm", payload: "{}", at: harness.clock.now())
            }
        }
        let nodes = try (0..<3).map { _ in try node(of: harness) }
        let taken = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: nodes.count) { index in
            while let batch = try? nodes[index].claimNoticesToDeliver(limit: 4, lease: 600), !batch.isEmpty {
                taken.withLock { $0 += batch.map(\.id) }
            }
        }
        let ids = taken.withLock { $0 }
        let all = try harness.engine.outbox().map(\.id)
        #expect(ids.count == all.count && Set(ids) == Set(all), "each notice taken once")
        #expect(try harness.engine.claimNoticesToDeliver(lease: 600).isEmpty, "all leased")
        harness.clock.advance(by: 601)
        #expect(try harness.engine.claimNoticesToDeliver(lease: 600).count == all.count, "a dead node's notices come back")
    }

    @Test func concurrentWritersOnOneRowAreRetriedAndNoneIsLost() throws {
        let harness = try Harness(.postgres, empty: true)
        let nodes = try (0..<4).map { _ in try PostgresStore(connectionString: try harness.folder.postgresURI()) }
        let numbers = Mutex<[Int]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            for _ in 0..<15 {
                do {
                    let number = try nodes[index % nodes.count].write { tx in try tx.nextTicketNumber(prefix: "GAP", year: 2026) }
                    numbers.withLock { $0.append(number) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        #expect(numbers.withLock { $0 }.sorted() == Array(1...120))
    }

    @Test func aTimerArmedOnOneNodeWakesTheOthers() throws {
        let harness = try Harness(.postgres)
        let other = try PostgresStore(connectionString: try harness.folder.postgresURI())
        let woken = DispatchSemaphore(value: 0)
        let seen = Mutex<[Date]>([])
        other.observeTimersArmedElsewhere { due in
            seen.withLock { $0.append(due) }
            woken.signal()
        }
        // The listener connects on its own thread; a notice sent before it listens would be missed, so wait for it.
        var listening = false
        for _ in 0..<200 where !listening {
            listening =
                try harness.store.read { tx in
                    try (tx as? PostgresTransaction)?.connection.query(
                        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()"
                    ).first?.first?.integer ?? 0
                } > 0
            if !listening { usleep(10_000) }
        }
        #expect(listening)
        _ = try harness.open()
        #expect(woken.wait(timeout: .now() + 10) == .success, "the other node heard of the new timer")
        let earliest = try harness.engine.earliestDue()
        #expect(seen.withLock { $0 }.contains { abs($0.timeIntervalSince(earliest ?? .distantPast)) < 0.001 })
    }

    @Test func aConnectionLostInATransactionKeepsNothingAndTheNextTransactionConnectsAgain() throws {
        let harness = try Harness(.postgres)
        let before = try harness.export()
        do {
            try harness.store.write { tx in
                try tx.saveActor(Actor(name: "neu", roles: ["cm"]), at: harness.clock.now())
                guard let connection = (tx as? PostgresTransaction)?.connection,
                    let pid = try connection.query("SELECT pg_backend_pid()").first?.first?.integer
                else { throw Abort() }
                try PostgresTestServer.execute("SELECT pg_terminate_backend(\(pid))")
                try tx.saveActor(Actor(name: "noch", roles: ["cm"]), at: harness.clock.now())
            }
            Issue.record("the write went through on a terminated connection")
        } catch let error as StoreError {
            #expect("\(error)".contains("lost during the transaction; nothing of it was kept"), "\(error)")
        }
        #expect(try harness.export() == before)
        try harness.store.write { tx in try tx.saveActor(Actor(name: "danach", roles: ["cm"]), at: harness.clock.now()) }
        #expect(try harness.engine.actors().contains { $0.name == "danach" })
    }

    @Test func anotherApplicationsSchemaAndANewerSchemaAreRefusedAndLeftAsTheyAre() throws {
        let folder = TemporaryFolder()
        let uri = try folder.postgresURI()
        try PostgresTestServer.execute("CREATE SCHEMA \(folder.schema); CREATE TABLE \(folder.schema).invoices(id int)")
        #expect(throws: StoreError.notADatabase(path: uri)) { _ = try PostgresStore(connectionString: uri, mode: .create) }
        #expect(throws: StoreError.notADatabase(path: uri)) { _ = try PostgresStore(connectionString: uri, mode: .readWrite) }
        try PostgresTestServer.execute("DROP TABLE \(folder.schema).invoices")

        #expect(throws: StoreError.missing(path: uri)) { _ = try PostgresStore(connectionString: uri, mode: .readWrite) }
        _ = try PostgresStore(connectionString: uri, mode: .create)
        try PostgresTestServer.execute("UPDATE \(folder.schema).gapflow_schema SET version = 99")
        let newer = StoreError.newerSchema(path: uri, found: 99, supported: PostgresMigrator.latest)
        #expect(throws: newer) { _ = try PostgresStore(connectionString: uri, mode: .create) }
        #expect(throws: newer) { _ = try PostgresStore(connectionString: uri, mode: .readOnly) }
    }

    @Test func aPasswordInTheURIIsRefusedAndNeverShown() throws {
        let uri = "postgresql://gapflow:geheim@db.example/kim?sslmode=require"
        #expect(throws: StoreError.self) { _ = try PostgresStore(connectionString: uri) }
        do {
            _ = try PostgresStore(connectionString: uri)
        } catch {
            #expect(!"\(error)".contains("geheim"))
            #expect("\(error)".contains("~/.pgpass or PGPASSWORD"))
        }
        #expect(PostgresStore.withoutPassword(uri) == "postgresql://gapflow@db.example/kim?sslmode=require")
        #expect(PostgresStore.withoutPassword("postgresql:///kim?host=/run&password=x&user=a") == "postgresql:///kim?host=/run&user=a")
        #expect(PostgresStore.withoutPassword("host=db password=x dbname=kim") == "host=db dbname=kim")
    }

    @Test func anUnreachableServerIsNamedInOneLine() throws {
        let uri = "postgresql:///kim?host=/nonexistent-gapflow-socket&port=1"
        do {
            _ = try PostgresStore(connectionString: uri)
            Issue.record("connected to nothing")
        } catch {
            #expect("\(error)".hasPrefix("cannot connect to PostgreSQL: "), "\(error)")
            #expect(!"\(error)".contains("\n"))
        }
    }

    @Test func textWithANulCharacterIsRefusedNotCutOff() throws {
        let harness = try Harness(.postgres)
        #expect(throws: StoreError.self) {
            try harness.store.write { tx in try tx.saveActor(Actor(name: "a\u{0}b", roles: ["cm"]), at: harness.clock.now()) }
        }
        #expect(try harness.engine.actors().allSatisfy { !$0.name.hasPrefix("a") || $0.name == "admin" })
    }
}
