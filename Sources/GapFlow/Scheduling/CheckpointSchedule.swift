import Dispatch
import Foundation
import Synchronization

/// Takes signed checkpoints on a schedule, for the timer service (`gapflow run --checkpoint-every`).
///
/// Like the ``Scheduler`` it holds one `DispatchSourceTimer` and asks the store when it is due: a checkpoint is due
/// `interval` after the latest one the admin log records (taken by this service, by hand or before a restart), and
/// at once when there is none. So a restart neither skips nor doubles one, and a checkpoint taken by hand moves the
/// next one on.
public final class CheckpointSchedule: Sendable {
    private struct State {
        var armedAt: Date?
        var running = false
        var taken = 0
    }

    private let engine: Engine
    /// How long after the latest checkpoint the next one is taken.
    public let interval: TimeInterval
    private let take: @Sendable () throws -> String
    private let log: @Sendable (String) -> Void
    private let queue = DispatchQueue(label: "gapflow.checkpoints")
    /// Safe to share: it is created in `init`, then only scheduled and cancelled, which Dispatch allows from any thread.
    nonisolated(unsafe) private let source: DispatchSourceTimer
    private let state = Mutex(State())

    /// `take` takes one checkpoint (signs it, writes its file, records it) and returns a line for the log.
    public init(
        engine: Engine, interval: TimeInterval, take: @escaping @Sendable () throws -> String,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.engine = engine
        self.interval = interval
        self.take = take
        self.log = log
        source = DispatchSource.makeTimerSource(queue: queue)
    }

    deinit { source.cancel() }

    /// Takes a checkpoint now if one is due, and arms the timer for the next.
    public func start() {
        let alreadyRunning = state.withLock { state in
            defer { state.running = true }
            return state.running
        }
        guard !alreadyRunning else { return }
        source.setEventHandler { [weak self] in self?.wake() }
        source.activate()
        queue.async { [weak self] in self?.wake() }
    }

    /// Stops; a checkpoint being taken is finished first.
    public func stop() {
        state.withLock { $0.running = false }
        source.cancel()
        queue.sync {}
    }

    /// Looks now whether a checkpoint is due (e.g. on SIGHUP); the work happens on the schedule's queue.
    public func wakeNow() {
        queue.async { [weak self] in self?.wake() }
    }

    /// Waits until the work already handed to the schedule is done (for tests and clean shutdown).
    public func waitUntilIdle() {
        queue.sync {}
    }

    /// When the next checkpoint is due.
    public var armedAt: Date? { state.withLock { $0.armedAt } }

    /// How many checkpoints this schedule has taken since it started.
    public var takenCount: Int { state.withLock { $0.taken } }

    private func wake() {
        guard state.withLock({ $0.running }) else { return }
        let now = engine.clock.now()
        var next: Date
        do {
            let latest = try engine.latestCheckpoint(atOrBefore: now)?.at
            if let latest, now < latest.addingTimeInterval(interval) {
                next = latest.addingTimeInterval(interval)
            } else {
                let line = try take()
                state.withLock { $0.taken += 1 }
                log(line)
                next = engine.clock.now().addingTimeInterval(interval)
            }
        } catch {
            let retry = min(interval, 300)
            log("could not take a checkpoint: \((error as? any ExplainedError)?.summary ?? "\(error)"); trying again in \(Int(retry)) s")
            next = now.addingTimeInterval(retry)
        }
        state.withLock { $0.armedAt = next }
        let delay = max(0, next.timeIntervalSince(engine.clock.now()))
        source.schedule(wallDeadline: .now() + .nanoseconds(Int(min(delay, 86_400 * 365) * 1_000_000_000)), leeway: .seconds(1))
    }
}
