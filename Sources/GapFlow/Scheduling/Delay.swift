import Foundation

/// How long a timer waits: an ISO 8601 duration (`P14D`, `PT4H`, `P1M`) or a number of business days.
public enum Delay: Sendable, Equatable, CustomStringConvertible {
    case duration(ISODuration)
    case businessDays(Int)

    /// The longest a timer may wait: ten years. The loader refuses longer delays, and ``apply(to:calendar:backwards:)``
    /// clamps to it, so no arithmetic on a delay can overflow or run for long.
    public static let maximumDays = 3653
    /// Ten years of business days (about 250 a year, after weekends and holidays).
    public static let maximumBusinessDays = 2500
    /// The limit in words, for messages.
    public static let limitText = "at most 10 years"

    /// The instant `self` after `start` (before it when `backwards`), in the calendar's time zone.
    ///
    /// Days, weeks, months and years move the wall-clock date and keep the time of day (so `P1D` across
    /// the change to summer time is 23 hours); hours, minutes and seconds are exact elapsed time.
    public func apply(to start: Date, calendar: BusinessCalendar, backwards: Bool = false) -> Date {
        let sign = backwards ? -1 : 1
        let (date, seconds) = calendar.local(start)
        switch self {
        case .businessDays(let count):
            let count = min(max(count, 0), Self.maximumBusinessDays)
            return calendar.instant(calendar.adding(businessDays: sign * count, to: date), secondsOfDay: seconds)
        case .duration(let original):
            let duration = original.clamped
            var day = calendar.adding(months: sign * (duration.years * 12 + duration.months), to: date)
            day = day.adding(days: sign * (duration.weeks * 7 + duration.days))
            let moved = calendar.instant(day, secondsOfDay: seconds)
            return moved.addingTimeInterval(Double(sign * (duration.hours * 3600 + duration.minutes * 60 + duration.seconds)))
        }
    }

    public var description: String {
        switch self {
        case .duration(let duration): duration.text
        case .businessDays(let count): "\(count) business day\(count == 1 ? "" : "s")"
        }
    }
}

/// An ISO 8601 duration such as `P1Y2M10DT2H30M`, `P2W` or `PT4H`, with whole-number parts.
public struct ISODuration: Sendable, Equatable {
    public var years = 0
    public var months = 0
    public var weeks = 0
    public var days = 0
    public var hours = 0
    public var minutes = 0
    public var seconds = 0
    /// The text it was read from.
    public let text: String

    /// Its length in days, with the average lengths of years and months of the Gregorian calendar, without overflowing.
    public var approximateDays: Double {
        Double(years) * 365.2425 + Double(months) * 30.436875 + Double(weeks) * 7 + Double(days) + Double(hours) / 24 + Double(minutes)
            / 1440
            + Double(seconds) / 86_400
    }

    /// Whether it is no longer than a timer may wait (``Delay/maximumDays``).
    public var isWithinLimit: Bool { approximateDays <= Double(Delay.maximumDays) }

    /// Itself when within the limit, else the limit (ten years as days), so arithmetic on it cannot overflow and no
    /// timer lands further away (only reachable for a definition the loader refused).
    var clamped: ISODuration {
        guard !isWithinLimit else { return self }
        var result = self
        (result.years, result.months, result.weeks, result.hours, result.minutes, result.seconds) = (0, 0, 0, 0, 0, 0)
        result.days = Delay.maximumDays
        return result
    }

    /// Reads an ISO 8601 duration; nil if it is not one, or is zero.
    public init?(_ text: String) {
        self.text = text
        var rest = Substring(text.uppercased())
        guard rest.first == "P", rest.count > 1 else { return nil }
        rest = rest.dropFirst()
        var inTime = false
        var number = ""
        var seen = false
        for character in rest {
            if character == "T" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                continue
            }
            if character.isASCII && character.isNumber {
                number.append(character)
                continue
            }
            guard let value = Int(number), value >= 0 else { return nil }
            number = ""
            seen = true
            switch (character, inTime) {
            case ("Y", false): years = value
            case ("M", false): months = value
            case ("W", false): weeks = value
            case ("D", false): days = value
            case ("H", true): hours = value
            case ("M", true): minutes = value
            case ("S", true): seconds = value
            default: return nil
            }
        }
        guard number.isEmpty, seen, [years, months, weeks, days, hours, minutes, seconds].contains(where: { $0 > 0 }) else { return nil }
    }
}
