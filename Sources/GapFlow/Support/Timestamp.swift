import Foundation
import Synchronization

/// Instants as GapFlow stores and prints them: UTC, millisecond precision, ISO 8601.
public enum Timestamp {
    /// The instant rounded down to whole milliseconds, so that what is stored reads back equal.
    public static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    /// `2026-11-25T08:56:12.123Z`.
    public static func iso8601(_ date: Date) -> String {
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let days = milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000
        let rest = milliseconds - days * 86_400_000
        let day = LocalDate(daysSinceEpoch: days)
        return String(
            format: "%@T%02d:%02d:%02d.%03dZ", day.iso8601, rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60, rest % 1000)
    }

    /// Reads what ``iso8601(_:)`` writes; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let parts = text.split(separator: "T")
        guard parts.count == 2, let day = LocalDate(parsing: String(parts[0])), parts[1].hasSuffix("Z") else { return nil }
        let time = parts[1].dropLast().split(separator: ":")
        guard time.count == 3, let hours = Int(time[0]), let minutes = Int(time[1]) else { return nil }
        let secondParts = time[2].split(separator: ".")
        guard let seconds = Int(secondParts[0]) else { return nil }
        let millis = secondParts.count > 1 ? Int(secondParts[1].prefix(3).padding(toLength: 3, withPad: "0", startingAt: 0)) ?? 0 : 0
        let total = ((day.daysSinceEpoch * 24 + hours) * 60 + minutes) * 60 + seconds
        return Date(timeIntervalSince1970: Double(total * 1000 + millis) / 1000)
    }

    /// `25.11.2026 09:56`, local time in Berlin, as German users read it.
    public static func german(_ date: Date) -> String {
        let local = date.addingTimeInterval(Double(TimeZone.berlin.secondsFromGMT(for: date)))
        let iso = iso8601(local)
        let day = LocalDate(parsing: String(iso.prefix(10)))?.german ?? String(iso.prefix(10))
        return "\(day) \(iso.dropFirst(11).prefix(5))"
    }
}

/// Where the engine takes the current time from; tests inject a manual one and never sleep.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The system's clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that stands still until told to move: for tests, and for the demo's simulated weeks.
public final class ManualClock: WallClock {
    private let current: Mutex<Date>

    public init(_ start: Date) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward (or back, to test clocks that jump).
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}
