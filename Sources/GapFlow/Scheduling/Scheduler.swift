import Dispatch
import Foundation
import Synchronization

/// Fires durable timers on time: one `DispatchSourceTimer`, armed at the earliest due time in the store.
///
/// The scheduler holds no timers in memory: it asks the store for the earliest pending due time, sleeps
/// until then, fires everything due (oldest first, each timer in its own transaction) and asks again.
/// Commands in this process that arm an earlier timer re-arm it at once; timers armed by other processes
/// are noticed at once when the store tells of them (PostgreSQL's `LISTEN/NOTIFY`), and otherwise at the latest
/// after `recheckInterval`, the only periodic work (one indexed query). When the store fails (a database that is
/// down, a lost connection) it tries again after 5 s, then 10, 20, 40 and every minute, and keeps running.
/// Start-up and catch-up with a million pending timers are measured in <doc:Benchmarks>.
public final class Scheduler: Sendable {
    private struct State {
        var armedAt: Date?
        var running = false
        var fired = 0
        /// Failures in a row, for the backoff.
        var failures = 0
    }

    private let engine: Engine
    private let queue: DispatchQueue
    /// Safe to share: it is created in `init`, then only scheduled and cancelled, which Dispatch allows from any thread.
    nonisolated(unsafe) private let source: DispatchSourceTimer
    private let state = Mutex(State())
    private let log: @Sendable (String) -> Void
    /// The longest the scheduler sleeps before looking for timers armed by other processes.
    public let recheckInterval: TimeInterval

    public init(
        engine: Engine, recheckInterval: TimeInterval = 60, log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.engine = engine
        self.recheckInterval = recheckInterval
        self.log = log
        queue = DispatchQueue(label: "gapflow.scheduler")
        source = DispatchSource.makeTimerSource(queue: queue)
    }

    deinit { source.cancel() }

    /// Fires what is overdue (catch-up after downtime, oldest first) and arms the timer for what comes next.
    public func start() {
        let alreadyRunning = state.withLock { state in
            defer { state.running = true }
            return state.running
        }
        guard !alreadyRunning else { return }
        source.setEventHandler { [weak self] in self?.wake() }
        source.activate()
        engine.observeArmedTimers { [weak self] due in self?.armed(due) }
        engine.store.observeTimersArmedElsewhere { [weak self] due in self?.armed(due) }
        queue.async { [weak self] in self?.wake() }
    }

    /// Stops firing; a timer being fired finishes its transaction first, so nothing is lost or half-done.
    public func stop() {
        state.withLock { $0.running = false }
        source.cancel()
        queue.sync {}
    }

    /// Looks for due timers now (e.g. on SIGHUP); returns at once, the work happens on the scheduler's queue.
    public func wakeNow() {
        queue.async { [weak self] in self?.wake() }
    }

    /// Waits until the work already handed to the scheduler is done (for tests and clean shutdown).
    public func waitUntilIdle() {
        queue.sync {}
    }

    /// When the Dispatch timer is armed to wake next (the earliest due time, or the recheck).
    public var armedAt: Date? { state.withLock { $0.armedAt } }

    /// How many timers this scheduler has fired since it started.
    public var firedCount: Int { state.withLock { $0.fired } }

    /// A command armed a timer: wake earlier if it is due before the current alarm.
    ///
    /// Runs on the scheduler's queue, after any wake-up in progress, so that one cannot overwrite the earlier alarm.
    private func armed(_ due: Date) {
        queue.async { [weak self] in
            guard let self else { return }
            let earlier = self.state.withLock { state in
                guard state.running, state.armedAt.map({ due < $0 }) ?? true else { return false }
                state.armedAt = due
                return true
            }
            if earlier { self.arm(at: due) }
        }
    }

    private func wake() {
        guard state.withLock({ $0.running }) else { return }
        var next: Date?
        do {
            let fired = try engine.fireDueTimers { firing in
                log("\(firing.summary) [\(Int((firing.lateBy * 1000).rounded())) ms after its due time]")
            }
            state.withLock { $0.fired += fired }
            next = try engine.earliestDue()
            state.withLock { $0.failures = 0 }
        } catch {
            let failures = state.withLock { state in
                state.failures += 1
                return state.failures
            }
            let wait = min(60, 5 << min(failures - 1, 4))
            log("could not fire timers: \(error); trying again in \(wait) s")
            next = engine.clock.now().addingTimeInterval(TimeInterval(wait))
        }
        let recheck = engine.clock.now().addingTimeInterval(recheckInterval)
        let wakeAt = min(next ?? recheck, recheck)
        state.withLock { $0.armedAt = wakeAt }
        arm(at: wakeAt)
    }

    private func arm(at date: Date) {
        let delay = max(0, date.timeIntervalSince(engine.clock.now()))
        source.schedule(wallDeadline: .now() + .nanoseconds(Int(min(delay, 86_400 * 365) * 1_000_000_000)), leeway: .milliseconds(1))
    }
}
