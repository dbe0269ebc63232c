import Foundation

/// Working days of an administration: Monday to Friday, less the public holidays of its state and its own closing days.
///
/// All dates and wall-clock times are taken in the calendar's time zone (Europe/Berlin for German workflows),
/// so a deadline "10 business days later" keeps its time of day across the change to and from summer time.
public struct BusinessCalendar: Sendable, Equatable {
    /// The region whose holidays apply (ISO 3166-2, e.g. `DE-NW`), or nil for weekends only.
    public let region: String?
    public let rules: [HolidayRule]
    public let timeZone: TimeZone

    /// A calendar for `region` plus the organisation's extra closing days.
    public init(region: String?, closingDays: [HolidayRule] = [], timeZone: TimeZone = .berlin) {
        self.region = region
        self.rules = (region.flatMap { GermanHolidays.byRegion[$0] } ?? []) + closingDays
        self.timeZone = timeZone
    }

    /// Weekends only, in Berlin time.
    public static let weekendsOnly = BusinessCalendar(region: nil)

    /// The holiday or closing day on `date`, if any.
    public func holiday(on date: LocalDate) -> HolidayRule? {
        rules.first { $0.date(in: date.year) == date }
    }

    public func isBusinessDay(_ date: LocalDate) -> Bool {
        date.weekday <= 5 && holiday(on: date) == nil
    }

    /// The date `count` business days after `date` (before it when negative); `date` itself never counts.
    public func adding(businessDays count: Int, to date: LocalDate) -> LocalDate {
        var current = date
        var remaining = abs(count)
        let step = count >= 0 ? 1 : -1
        while remaining > 0 {
            current = current.adding(days: step)
            if isBusinessDay(current) { remaining -= 1 }
        }
        return current
    }

    /// Business days in the half-open range (`from`, `to`]: how many working days passed between two dates.
    public func businessDays(from: LocalDate, to: LocalDate) -> Int {
        guard from < to else { return 0 }
        var count = 0
        var current = from
        while current < to {
            current = current.adding(days: 1)
            if isBusinessDay(current) { count += 1 }
        }
        return count
    }

    // MARK: - Wall-clock time

    private var gregorian: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The local date and time of day (in seconds since midnight) of an instant.
    public func local(_ instant: Date) -> (date: LocalDate, secondsOfDay: Int) {
        let parts = gregorian.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        let date = LocalDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? LocalDate(instant, in: timeZone)
        return (date, (parts.hour ?? 0) * 3600 + (parts.minute ?? 0) * 60 + (parts.second ?? 0))
    }

    /// The instant of a local date and time of day; a time that does not exist (the spring gap) moves forward.
    public func instant(_ date: LocalDate, secondsOfDay: Int) -> Date {
        var parts = DateComponents()
        parts.year = date.year
        parts.month = date.month
        parts.day = date.day
        parts.hour = secondsOfDay / 3600
        parts.minute = secondsOfDay / 60 % 60
        parts.second = secondsOfDay % 60
        return gregorian.date(from: parts) ?? Date(timeIntervalSince1970: Double(date.daysSinceEpoch * 86_400 + secondsOfDay))
    }

    /// Adds calendar months to a local date, keeping the day where the month has it (31 January + 1 month = 28/29 February).
    func adding(months: Int, to date: LocalDate) -> LocalDate {
        let total = date.year * 12 + (date.month - 1) + months
        let year = total / 12
        let month = total % 12 + 1
        let day = min(date.day, LocalDate.daysIn(month: month, year: year))
        return LocalDate(year: year, month: month, day: day) ?? date
    }
}
