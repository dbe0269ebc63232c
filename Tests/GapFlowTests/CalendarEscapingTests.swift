import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowDocuments

/// iCalendar text carries no control characters and its lines are folded by octets (issue "Hardening").
@Suite struct CalendarEscapingTests {
    private let workflow = HostileText.workflow

    @Test func iCalendarTextHasNoControlCharactersAndFoldsByOctets() throws {
        let long = "A" + String(repeating: "\u{301}", count: 100)  // one grapheme of 201 octets
        var meetings: [Meeting] = []
        for (index, text) in (HostileText.samples + [long, String(repeating: "👨‍👩‍👧‍👦", count: 30)]).enumerated() {
            meetings.append(
                Meeting(
                    id: index + 1, workflowID: workflow, date: try #require(LocalDate(parsing: "2027-01-04")).adding(days: index),
                    time: index % 2 == 0 ? "14:00" : nil, title: text, place: text,
                    submissionDeadline: try #require(LocalDate(parsing: "2026-12-01"))))
        }
        let ics = CalendarExport.icalendar(meetings, calendarName: "Lenkungsgruppe\r\u{1B}[2J", now: Fixtures.start, database: "0123abcd")
        #expect(HostileText.icalendarProblems(ics) == [])
        let unfolded = HostileText.unfold(ics)
        #expect(unfolded.contains("SUMMARY:Zeile 1\\nZeile 2"))
        #expect(unfolded.filter { $0 == "SUMMARY:Zeile 1\\nZeile 2" }.count == 2)  // CRLF and a bare CR alike
        #expect(unfolded.contains("SUMMARY:" + long))
        #expect(unfolded.contains("SUMMARY:[31mrot]0\\;pwned"))
        #expect(unfolded.contains("X-WR-CALNAME:Lenkungsgruppe\\n[2J"))
        #expect(unfolded.contains("SUMMARY:\t=1+1"))
    }
}
