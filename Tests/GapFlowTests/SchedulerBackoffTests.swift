import Foundation
import Synchronization
import Testing

@testable import GapFlow
@testable import GapFlowSQLite

/// A timer service whose database keeps failing (a server that is down, a lost connection) keeps running and waits
/// longer each time: 5 s, 10 s, 20 s, 40 s, then every minute; the first success starts over.
@Suite struct SchedulerBackoffTests {
    @Test func failuresInARowWaitLongerAndASuccessStartsOver() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let setup = try Fixtures.kimEngine(in: folder, clock: clock)
        _ = try setup.open(
            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues))
        clock.advance(by: 16 * 86_400)
        let engine = Engine(store: try SQLiteStore(path: folder.path("test.sqlite"), busyTimeout: .milliseconds(10)), clock: clock)
        let scheduler = Scheduler(engine: engine, recheckInterval: 365 * 86_400)
        let holder = try Connection(path: folder.path("test.sqlite"), readOnly: false, create: false)
        try holder.execute("BEGIN IMMEDIATE")
        scheduler.start()
        scheduler.waitUntilIdle()
        var waits: [TimeInterval] = []
        for _ in 0..<6 {
            waits.append((scheduler.armedAt ?? .distantPast).timeIntervalSince(clock.now()))
            scheduler.wakeNow()
            scheduler.waitUntilIdle()
        }
        #expect(waits == [5, 10, 20, 40, 60, 60])
        try holder.execute("COMMIT")
        scheduler.wakeNow()
        scheduler.waitUntilIdle()
        #expect(scheduler.firedCount == 1)
        try holder.execute("BEGIN IMMEDIATE")
        clock.advance(by: 30 * 86_400)
        scheduler.wakeNow()
        scheduler.waitUntilIdle()
        #expect(scheduler.armedAt == clock.now().addingTimeInterval(5), "after a success the backoff starts over")
        try holder.execute("COMMIT")
        scheduler.stop()
    }
}
