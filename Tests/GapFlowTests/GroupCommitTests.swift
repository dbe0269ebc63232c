import Dispatch
import Foundation
import Synchronization
import Testing

@testable import GapFlow
@testable import GapFlowSQLite

/// Writes that arrive together share one transaction and one commit, each still all-or-nothing and acknowledged only
/// after the commit (issue 15).
@Suite struct GroupCommitTests {
    /// Runs `first` in a write that holds the lock until a second write waits for it, and `second` as that write.
    private func together<A: Sendable, B: Sendable>(
        _ store: SQLiteStore, _ first: @escaping @Sendable (any StoreTransaction) throws -> A,
        _ second: @escaping @Sendable (any StoreTransaction) throws -> B
    ) -> (Result<A, any Error>, Result<B, any Error>) {
        let results = Mutex<(Result<A, any Error>?, Result<B, any Error>?)>((nil, nil))
        // Threads of their own, not Dispatch's pool: a write waiting for the lock must not wait for a pool thread.
        let done = DispatchSemaphore(value: 0)
        let firstInside = DispatchSemaphore(value: 0)
        Thread {
            let result = Result {
                try store.write { tx throws in
                    firstInside.signal()
                    // Until the second write waits for the lock (no clock: it is a matter of order, not time).
                    while store.waiting.load(ordering: .relaxed) == 0 { sched_yield() }
                    return try first(tx)
                }
            }
            results.withLock { $0.0 = result }
            done.signal()
        }.start()
        firstInside.wait()
        Thread {
            let result = Result { try store.write { tx throws in try second(tx) } }
            results.withLock { $0.1 = result }
            done.signal()
        }.start()
        done.wait()
        done.wait()
        let (a, b) = results.withLock { $0 }
        return (
            a ?? .failure(StoreError.failed(path: "", message: "no result")),
            b ?? .failure(StoreError.failed(path: "", message: "no result"))
        )
    }

    private func actor(_ name: String) -> Actor { Actor(name: name, roles: ["cm"]) }

    @Test func twoWritesThatArriveTogetherShareOneCommit() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteStore(path: folder.path("test.sqlite"), mode: .create, groupCommitWindow: .seconds(3600))
        let before = store.commits.load(ordering: .relaxed)
        let now = Fixtures.start
        let (a, b) = together(
            store, { tx in try tx.saveActor(Actor(name: "eins", roles: ["cm"]), at: now) },
            { tx in try tx.saveActor(Actor(name: "zwei", roles: ["cm"]), at: now) })
        #expect(throws: Never.self) { try a.get() }
        #expect(throws: Never.self) { try b.get() }
        #expect(store.commits.load(ordering: .relaxed) - before == 1, "one commit for both")
        #expect(try store.read { tx in try tx.actors().map(\.name) } == ["eins", "zwei"])
        // Alone, a write commits at once.
        try store.write { tx in try tx.saveActor(Actor(name: "drei", roles: ["cm"]), at: now) }
        #expect(store.commits.load(ordering: .relaxed) - before == 2)
    }

    @Test func aWriteThatFailsInAGroupTakesOnlyItsOwnChangesBack() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteStore(path: folder.path("test.sqlite"), mode: .create, groupCommitWindow: .seconds(3600))
        let now = Fixtures.start
        struct Refused: Error {}
        let (a, b) = together(
            store, { tx in try tx.saveActor(Actor(name: "eins", roles: ["cm"]), at: now) },
            { tx -> Void in
                try tx.saveActor(Actor(name: "zwei", roles: ["cm"]), at: now)
                throw Refused()
            })
        #expect(throws: Never.self) { try a.get() }
        #expect(throws: Refused.self) { try b.get() }
        #expect(try store.read { tx in try tx.actors().map(\.name) } == ["eins"])
        // The other way round: the first fails, the second is kept.
        let (c, d) = together(
            store,
            { tx -> Void in
                try tx.saveActor(Actor(name: "drei", roles: ["cm"]), at: now)
                throw Refused()
            }, { tx in try tx.saveActor(Actor(name: "vier", roles: ["cm"]), at: now) })
        #expect(throws: Refused.self) { try c.get() }
        #expect(throws: Never.self) { try d.get() }
        #expect(try store.read { tx in try tx.actors().map(\.name) } == ["eins", "vier"])
    }

    @Test func manyConcurrentCommandsAreAllKeptWithGaplessNumbers() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder)
        let errors = Mutex(0)
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<16 {
            Thread {
                for _ in 0..<10 {
                    do {
                        _ = try engine.open(
                            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues))
                    } catch {
                        errors.withLock { $0 += 1 }
                    }
                }
                done.signal()
            }.start()
        }
        for _ in 0..<16 { done.wait() }
        #expect(errors.withLock { $0 } == 0)
        let ids = try engine.tickets().map(\.id).sorted()
        #expect(ids == (1...160).map { "GAP-2026-" + String($0).leftPadded(to: 4) })
        #expect(try engine.verifyHistory().findings.isEmpty)
    }
}
