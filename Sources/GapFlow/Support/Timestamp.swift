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
        let time = [rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60].map { LocalDate.digits($0, 2) }.joined(separator: ":")
        return "\(day.iso8601)T\(time).\(LocalDate.digits(rest % 1000, 3))Z"
    }

    /// Reads what ``iso8601(_:)`` writes (`2026-11-25T08:56:12.123Z`); nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[10] == UInt8(ascii: "T"), bytes[23] == UInt8(ascii: "Z"),
            bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: ".")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hours = number(11..<13),
            let minutes = number(14..<16), let seconds = number(17..<19), let millis = number(20..<23),
            let date = LocalDate(year: year, month: month, day: day), hours < 24, minutes < 60, seconds < 60
        else { return nil }
        let total = ((date.daysSinceEpoch * 24 + hours) * 60 + minutes) * 60 + seconds
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
