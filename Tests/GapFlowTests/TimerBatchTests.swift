import Foundation
import Synchronization
import Testing

@testable import GapFlow
@testable import GapFlowSQLite

/// Due timers fire in batches: one transaction for many, oldest first, each once, each all-or-nothing (issue 15).
@Suite struct TimerBatchTests {
    /// A store that counts its write transactions.
    final class CountingStore: TicketStore {
        let inner: any TicketStore
        let writes = Mutex(0)
        init(_ inner: any TicketStore) { self.inner = inner }
        var location: String { inner.location }
        func read<T>(_ body: (any StoreTransaction) throws -> T) throws -> T { try inner.read(body) }
        func write<T>(rollback: Bool, _ body: (any StoreTransaction) throws -> T) throws -> T {
            writes.withLock { $0 += 1 }
            return try inner.write(rollback: rollback, body)
        }
        func backup(to path: String) throws { try inner.backup(to: path) }
        func eraseRemovedContent() throws { try inner.eraseRemovedContent() }
    }

    private func open(_ engine: Engine, count: Int, clock: ManualClock) throws -> [String] {
        try (0..<count).map { _ in
            clock.advance(by: 60)
            return try engine.open(
                workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)
            )
            .ticket.id
        }
    }

    @Test(arguments: [Fixtures.Store.memory, .sqlite])
    func manyDueTimersFireInFewTransactionsOldestFirstEachOnce(store kind: Fixtures.Store) throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let counting = CountingStore(
            kind == .sqlite ? try SQLiteStore(path: folder.path("test.sqlite"), mode: .create) : MemoryStore())
        let engine = Engine(store: counting, clock: clock, timerBatch: TimerBatch(size: 256, time: .seconds(3600)))
        try engine.register(source: Array(try Data(contentsOf: Repository.kimFile)), file: Repository.kimFile.path)
        for actor in [Fixtures.coordinator, Fixtures.caseManager, Fixtures.kiLead] { try engine.saveActor(actor) }
        _ = try open(engine, count: 300, clock: clock)  // a reminder and an escalation each
        clock.advance(by: 40 * 86_400)
        let before = counting.writes.withLock { $0 }
        let firings = try engine.fireDueTimers()
        let transactions = counting.writes.withLock { $0 } - before
        #expect(firings.count == 600)
        #expect(transactions <= 600 / 256 + 2, "\(transactions) transactions for 600 timers")
        let order = firings.map { ($0.timer.dueAt, $0.timer.id) }
        #expect(zip(order, order.dropFirst()).allSatisfy { $0 <= $1 }, "oldest first")
        #expect(Set(firings.map(\.timer.id)).count == 600, "each once")
        #expect(try engine.fireDueTimers().isEmpty)
        #expect(try engine.pendingTimers(dueBy: clock.now()).isEmpty)
    }

    @Test func aTimerWhoseWorkFailsKeepsTheOnesBeforeItAndChangesNothingOfItsOwn() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let ids = try open(engine, count: 5, clock: clock)
        // The third ticket's reminder notice cannot be written.
        let connection = try Connection(path: folder.path("test.sqlite"), readOnly: false, create: false)
        try connection.execute(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON outbox WHEN new.ticket_id = '\(ids[2])' BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
        )
        clock.advance(by: 16 * 86_400)  // the reminders are due, the escalations not yet
        var heard: [String] = []
        #expect(throws: (any Error).self) { try engine.fireDueTimers { heard.append($0.timer.ticketID) } }
        #expect(heard == [ids[0], ids[1]])
        for (index, id) in ids.enumerated() {
            let reminder = try #require(try engine.timers(of: id).first { $0.timer == "reminder" })
            #expect(reminder.status == (index < 2 ? .fired : .pending), "\(id)")
            #expect(try engine.outbox().contains { $0.ticketID == id } == (index < 2), "\(id): its notice with its timer, or neither")
        }
    }
}
