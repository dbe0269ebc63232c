import Foundation
import GapFlow
import Synchronization

/// Listens on its own connection for `NOTIFY gapflow_timers` and tells observers when another process armed a
/// timer, so that a sleeping scheduler wakes for it instead of polling. Reconnects with backoff when the connection
/// breaks, and then wakes the observers once (a notice may have been missed meanwhile).
final class PostgresListener: Sendable {
    private let connectionString: String
    private let location: String
    private let observers = Mutex<[@Sendable (Date) -> Void]>([])
    private let started = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)

    init(connectionString: String, location: String) {
        self.connectionString = connectionString
        self.location = location
    }

    func add(_ observer: @escaping @Sendable (Date) -> Void) {
        observers.withLock { $0.append(observer) }
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in run() }
        thread.name = "gapflow.listen"
        thread.start()
    }

    /// Ends the listening thread within a second.
    func stop() { stopped.store(true, ordering: .releasing) }

    private func tell(_ date: Date) {
        for observer in observers.withLock({ $0 }) { observer(date) }
    }

    private func run() {
        var backoff: UInt32 = 1
        var first = true
        while !stopped.load(ordering: .acquiring) {
            do {
                let connection = try PGConnection(conninfo: connectionString, location: location)
                let schema = try connection.query("SELECT current_schema()").first?.first?.text ?? ""
                try connection.execute("LISTEN \(PostgresStore.timerChannel)")
                backoff = 1
                if !first { tell(Date(timeIntervalSince1970: 0)) }
                first = false
                while !stopped.load(ordering: .acquiring) {
                    var descriptor = pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0)
                    _ = poll(&descriptor, 1, 1000)
                    guard let payloads = connection.notifications(), !connection.isBroken else { break }
                    for payload in payloads {
                        let parts = payload.split(separator: " ")
                        guard parts.count == 2, parts[0] == schema, let milliseconds = Int(parts[1]) else { continue }
                        tell(Date(timeIntervalSince1970: Double(milliseconds) / 1000))
                    }
                }
            } catch {
                first = false
            }
            if stopped.load(ordering: .acquiring) { return }
            sleep(backoff)
            backoff = min(60, backoff * 2)
        }
    }
}
