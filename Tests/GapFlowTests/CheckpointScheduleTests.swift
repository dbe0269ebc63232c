import Foundation
import Synchronization
import Testing

@testable import GapFlow

/// The timer service's checkpoints: due an interval after the latest one the database records, on the injected clock.
@Suite struct CheckpointScheduleTests {
    private let hour: TimeInterval = 3600

    private func schedule(_ engine: Engine, _ key: SigningKey) -> CheckpointSchedule {
        CheckpointSchedule(
            engine: engine, interval: 6 * hour,
            take: {
                let checkpoint = try engine.takeCheckpoint(key: key, actor: Actor.system.name) { _ in }
                return "took \(checkpoint.root)"
            })
    }

    @Test func aCheckpointIsTakenAtOnceThenEveryIntervalAfterTheLatestOne() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let key = try #require(SigningKey.generate())
        let checkpoints = schedule(engine, key)
        checkpoints.start()
        checkpoints.waitUntilIdle()
        #expect(checkpoints.takenCount == 1)
        #expect(checkpoints.armedAt == Fixtures.start.addingTimeInterval(6 * hour))

        clock.advance(by: 5 * hour)  // woken early (SIGHUP): not due yet
        checkpoints.wakeNow()
        checkpoints.waitUntilIdle()
        #expect(checkpoints.takenCount == 1)

        clock.advance(by: hour)
        checkpoints.wakeNow()
        checkpoints.waitUntilIdle()
        #expect(checkpoints.takenCount == 2)
        #expect(checkpoints.armedAt == Fixtures.start.addingTimeInterval(12 * hour))

        // One taken by hand moves the next one on.
        clock.advance(by: 2 * hour)
        let manual = try engine.takeCheckpoint(key: key, actor: "admin") { _ in }
        checkpoints.wakeNow()
        checkpoints.waitUntilIdle()
        #expect(checkpoints.takenCount == 2)
        #expect(checkpoints.armedAt == Fixtures.start.addingTimeInterval(14 * hour))
        checkpoints.stop()
        #expect(try engine.latestCheckpoint()?.root == manual.root)
        #expect(try engine.adminLog().filter { $0.kind == AdminLogKind.checkpointTaken }.map(\.actor) == ["system", "system", "admin"])
    }

    @Test func aRestartedServiceWaitsForTheCheckpointThatIsDue() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let key = try #require(SigningKey.generate())
        _ = try engine.takeCheckpoint(key: key, actor: nil) { _ in }
        clock.advance(by: 2 * hour)
        let checkpoints = schedule(engine, key)
        checkpoints.start()
        checkpoints.waitUntilIdle()
        #expect(checkpoints.takenCount == 0)
        #expect(checkpoints.armedAt == Fixtures.start.addingTimeInterval(6 * hour))
        checkpoints.stop()
    }

    @Test func aFailedCheckpointIsLoggedAndTriedAgainSoon() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let messages = Mutex<[String]>([])
        let checkpoints = CheckpointSchedule(
            engine: engine, interval: 6 * hour, take: { throw CheckpointError.databaseDoesNotVerify(problems: ["x"]) },
            log: { line in messages.withLock { $0.append(line) } })
        checkpoints.start()
        checkpoints.waitUntilIdle()
        #expect(checkpoints.takenCount == 0)
        #expect(checkpoints.armedAt == Fixtures.start.addingTimeInterval(300))
        #expect(messages.withLock { $0 }.first?.hasPrefix("could not take a checkpoint: the database does not verify") == true)
        checkpoints.stop()
    }
}
