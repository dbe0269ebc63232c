import Foundation
import Testing

@testable import GapFlow

@Suite struct BusinessCalendarTests {
    let nrw = BusinessCalendar(region: "DE-NW")

    private func date(_ text: String) throws -> LocalDate { try #require(LocalDate(parsing: text)) }

    private func holidays(_ calendar: BusinessCalendar, _ year: Int) -> [String: String] {
        var result: [String: String] = [:]
        for rule in calendar.rules { if let day = rule.date(in: year) { result[day.iso8601] = rule.title } }
        return result
    }

    @Test(arguments: [
        (2026, "2026-04-03", "2026-04-06", "2026-05-14", "2026-05-25", "2026-06-04"),
        (2027, "2027-03-26", "2027-03-29", "2027-05-06", "2027-05-17", "2027-05-27"),
        (2028, "2028-04-14", "2028-04-17", "2028-05-25", "2028-06-05", "2028-06-15"),
    ])
    func theMovableFeastsOfNRWFollowEaster(
        year: Int, goodFriday: String, easterMonday: String, ascension: String, whitMonday: String, corpusChristi: String
    ) {
        let days = holidays(nrw, year)
        #expect(days[goodFriday] == "Karfreitag")
        #expect(days[easterMonday] == "Ostermontag")
        #expect(days[ascension] == "Christi Himmelfahrt")
        #expect(days[whitMonday] == "Pfingstmontag")
        #expect(days[corpusChristi] == "Fronleichnam")
        #expect(days["\(year)-11-01"] == "Allerheiligen")
        #expect(days["\(year)-10-03"] == "Tag der Deutschen Einheit")
        #expect(days.count == 11)
    }

    @Test func otherStatesHaveTheirOwnHolidays() {
        #expect(holidays(BusinessCalendar(region: "DE-SN"), 2026)["2026-11-18"] == "Buß- und Bettag")
        #expect(holidays(BusinessCalendar(region: "DE-SN"), 2027)["2027-11-17"] == "Buß- und Bettag")
        #expect(holidays(BusinessCalendar(region: "DE-BE"), 2027)["2027-03-08"] == "Internationaler Frauentag")
        #expect(holidays(BusinessCalendar(region: "DE-NI"), 2026)["2026-06-04"] == nil)
        #expect(GermanHolidays.byRegion.count == 16)
    }

    @Test func fronleichnamIsNoBusinessDayInNRW() throws {
        #expect(nrw.adding(businessDays: 1, to: try date("2026-06-03")) == (try date("2026-06-05")))
        #expect(BusinessCalendar(region: "DE-NI").adding(businessDays: 1, to: try date("2026-06-03")) == (try date("2026-06-04")))
        #expect(nrw.adding(businessDays: 1, to: try date("2027-03-25")) == (try date("2027-03-30")))
    }

    @Test func closingDaysOfTheOrganisationCountLikeHolidays() throws {
        let kim = try Fixtures.kimDefinition().calendar
        #expect(kim.holiday(on: try date("2027-02-08"))?.title == "Rosenmontag")
        #expect(kim.adding(businessDays: 1, to: try date("2026-12-23")) == (try date("2026-12-28")))
        #expect(nrw.adding(businessDays: 1, to: try date("2026-12-23")) == (try date("2026-12-24")))
        #expect(kim.adding(businessDays: -1, to: try date("2026-12-28")) == (try date("2026-12-23")))
    }

    @Test func businessDaysBetweenDatesSkipWeekendsAndHolidays() throws {
        #expect(nrw.businessDays(from: try date("2026-06-01"), to: try date("2026-06-08")) == 4)
        #expect(nrw.businessDays(from: try date("2026-06-08"), to: try date("2026-06-01")) == 0)
    }

    @Test func businessDaysKeepTheWallClockTimeAcrossTheEndOfSummerTime() throws {
        // Friday 23 October 2026, 14:30 CEST; summer time ends on Sunday 25 October.
        let start = nrw.instant(try date("2026-10-23"), secondsOfDay: 14 * 3600 + 1800)
        let due = Delay.businessDays(2).apply(to: start, calendar: nrw)
        #expect(nrw.local(due).date == (try date("2026-10-27")))
        #expect(nrw.local(due).secondsOfDay == 14 * 3600 + 1800)
        #expect(due.timeIntervalSince(start) == 4 * 86_400 + 3600)
        #expect(Timestamp.iso8601(start) == "2026-10-23T12:30:00.000Z")
        #expect(Timestamp.iso8601(due) == "2026-10-27T13:30:00.000Z")
    }

    @Test func calendarDaysKeepTheWallClockTimeButHoursAreElapsedTime() throws {
        // Saturday 27 March 2027, 09:00 CET; summer time starts on Sunday 28 March.
        let start = nrw.instant(try date("2027-03-27"), secondsOfDay: 9 * 3600)
        let oneDay = try #require(ISODuration("P1D"))
        let day = Delay.duration(oneDay).apply(to: start, calendar: nrw)
        #expect(day.timeIntervalSince(start) == 23 * 3600)
        let hours = Delay.duration(try #require(ISODuration("PT24H"))).apply(to: start, calendar: nrw)
        #expect(hours.timeIntervalSince(start) == 24 * 3600)
        let month = Delay.duration(try #require(ISODuration("P1M"))).apply(
            to: nrw.instant(try date("2027-01-31"), secondsOfDay: 0), calendar: nrw)
        #expect(nrw.local(month).date == (try date("2027-02-28")))
    }

    @Test func isoDurationsAreParsedStrictly() {
        #expect(ISODuration("P14D")?.days == 14)
        #expect(ISODuration("P2W")?.weeks == 2)
        #expect(ISODuration("PT4H")?.hours == 4)
        #expect(
            ISODuration("P1Y2M3DT4H5M6S").map { [$0.years, $0.months, $0.days, $0.hours, $0.minutes, $0.seconds] } == [1, 2, 3, 4, 5, 6])
        for bad in ["14D", "P", "PT", "P1H", "PT1D", "P-1D", "P0D", "P1.5D", "1 week"] { #expect(ISODuration(bad) == nil, "\(bad)") }
    }
}
