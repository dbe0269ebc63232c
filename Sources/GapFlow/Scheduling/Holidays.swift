/// A public holiday or closing day, as a rule that gives its date in any year.
public enum HolidayRule: Sendable, Equatable {
    /// The same date every year, e.g. 3 October.
    case fixed(month: Int, day: Int, title: String)
    /// Days after Easter Sunday (negative: before), e.g. -2 Karfreitag, +60 Fronleichnam.
    case easter(offset: Int, title: String)
    /// Buß- und Bettag: the Wednesday before 23 November.
    case repentanceDay(title: String)
    /// One date only (an extra closing day of the organisation).
    case date(LocalDate, title: String)

    public var title: String {
        switch self {
        case .fixed(_, _, let title), .easter(_, let title), .repentanceDay(let title), .date(_, let title): title
        }
    }

    /// The rule's date in `year`, or nil if it has none that year.
    public func date(in year: Int) -> LocalDate? {
        switch self {
        case .fixed(let month, let day, _):
            return LocalDate(year: year, month: month, day: day)
        case .easter(let offset, _):
            return Self.easterSunday(year).adding(days: offset)
        case .repentanceDay:
            guard let november23 = LocalDate(year: year, month: 11, day: 23) else { return nil }
            // Back from 22 November to the nearest Wednesday (ISO weekday 3).
            let back = (november23.weekday - 3 + 7) % 7
            return november23.adding(days: -(back == 0 ? 7 : back))
        case .date(let date, _):
            return date.year == year ? date : nil
        }
    }

    /// Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm).
    public static func easterSunday(_ year: Int) -> LocalDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        // The algorithm yields March 22 … April 25, which exist in every year.
        return LocalDate(year: year, month: month, day: day) ?? LocalDate(daysSinceEpoch: 0)
    }
}

/// The statutory public holidays of the German states, as data: each state lists its rules.
///
/// Nationwide holidays come first; each state adds its own. Sources: the states' holiday acts
/// (e.g. Feiertagsgesetz NRW § 2). Sachsen-Anhalt's and Bayern's local variations (Augsburger
/// Friedensfest, Mariä Himmelfahrt only in Catholic communities) are not modelled.
public enum GermanHolidays {
    static let nationwide: [HolidayRule] = [
        .fixed(month: 1, day: 1, title: "Neujahr"),
        .easter(offset: -2, title: "Karfreitag"),
        .easter(offset: 1, title: "Ostermontag"),
        .fixed(month: 5, day: 1, title: "Tag der Arbeit"),
        .easter(offset: 39, title: "Christi Himmelfahrt"),
        .easter(offset: 50, title: "Pfingstmontag"),
        .fixed(month: 10, day: 3, title: "Tag der Deutschen Einheit"),
        .fixed(month: 12, day: 25, title: "1. Weihnachtstag"),
        .fixed(month: 12, day: 26, title: "2. Weihnachtstag"),
    ]

    static let epiphany = HolidayRule.fixed(month: 1, day: 6, title: "Heilige Drei Könige")
    static let womensDay = HolidayRule.fixed(month: 3, day: 8, title: "Internationaler Frauentag")
    static let corpusChristi = HolidayRule.easter(offset: 60, title: "Fronleichnam")
    static let assumption = HolidayRule.fixed(month: 8, day: 15, title: "Mariä Himmelfahrt")
    static let childrensDay = HolidayRule.fixed(month: 9, day: 20, title: "Weltkindertag")
    static let reformationDay = HolidayRule.fixed(month: 10, day: 31, title: "Reformationstag")
    static let allSaints = HolidayRule.fixed(month: 11, day: 1, title: "Allerheiligen")
    static let repentanceDay = HolidayRule.repentanceDay(title: "Buß- und Bettag")

    /// The rules per state, keyed by ISO 3166-2 code.
    public static let byRegion: [String: [HolidayRule]] = [
        "DE-BW": nationwide + [epiphany, corpusChristi, allSaints],
        "DE-BY": nationwide + [epiphany, corpusChristi, assumption, allSaints],
        "DE-BE": nationwide + [womensDay],
        "DE-BB": nationwide + [reformationDay],
        "DE-HB": nationwide + [reformationDay],
        "DE-HH": nationwide + [reformationDay],
        "DE-HE": nationwide + [corpusChristi],
        "DE-MV": nationwide + [womensDay, reformationDay],
        "DE-NI": nationwide + [reformationDay],
        "DE-NW": nationwide + [corpusChristi, allSaints],
        "DE-RP": nationwide + [corpusChristi, allSaints],
        "DE-SL": nationwide + [corpusChristi, assumption, allSaints],
        "DE-SN": nationwide + [reformationDay, repentanceDay],
        "DE-ST": nationwide + [epiphany, reformationDay],
        "DE-SH": nationwide + [reformationDay],
        "DE-TH": nationwide + [childrensDay, reformationDay],
    ]
}
