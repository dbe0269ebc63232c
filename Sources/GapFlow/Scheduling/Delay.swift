import Foundation

/// How long a timer waits: an ISO 8601 duration (`P14D`, `PT4H`, `P1M`) or a number of business days.
public enum Delay: Sendable, Equatable, CustomStringConvertible {
    case duration(ISODuration)
    case businessDays(Int)

    /// The instant `self` after `start` (before it when `backwards`), in the calendar's time zone.
    ///
    /// Days, weeks, months and years move the wall-clock date and keep the time of day (so `P1D` across
    /// the change to summer time is 23 hours); hours, minutes and seconds are exact elapsed time.
    public func apply(to start: Date, calendar: BusinessCalendar, backwards: Bool = false) -> Date {
        let sign = backwards ? -1 : 1
        let (date, seconds) = calendar.local(start)
        switch self {
        case .businessDays(let count):
            return calendar.instant(calendar.adding(businessDays: sign * count, to: date), secondsOfDay: seconds)
        case .duration(let duration):
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
        guard number.isEmpty, seen, years + months + weeks + days + hours + minutes + seconds > 0 else { return nil }
    }
}
