import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowDocuments

/// A meeting's title and place are one line of text, and its submission deadline is not after it (issue "Hardening").
@Suite struct MeetingInputTests {
    private let workflow = HostileText.workflow

    @Test func aMeetingsTitleAndPlaceAreOneLineWithoutControlCharacters() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        let date = try #require(LocalDate(parsing: "2027-03-11"))
        for text in [
            "Sitzung\nX-INJECTED:1", "Sitzung\r", "Sitzung\r\n", "Sitzung\tA", "Sitzung\u{1B}[2J", "Sitzung\u{0}", "Sitzung\u{85}",
            "Sitzung\u{2028}",
        ] {
            let title = #expect(throws: MeetingError.self) {
                try engine.addMeeting(workflow: workflow, date: date, time: nil, title: text, place: nil)
            }
            #expect(title?.summary.contains("title") == true, "\(text.debugDescription): \(String(describing: title))")
            #expect(title?.hint != nil && title?.kind == .refused)
            let place = #expect(throws: MeetingError.self) {
                try engine.addMeeting(workflow: workflow, date: date, time: nil, title: "1. Sitzung", place: text)
            }
            #expect(place?.summary.contains("place") == true, "\(text.debugDescription): \(String(describing: place))")
            // The message names the character without printing it.
            #expect(HostileText.controls(place?.summary ?? "").isEmpty && HostileText.controls(place?.hint ?? "").isEmpty)
        }
        #expect(try engine.meetings().isEmpty)
        try engine.addMeeting(workflow: workflow, date: date, time: nil, title: "1. Sitzung – „Lenkungsgruppe“ 👥", place: "Saal #3")
    }

    @Test func aSubmissionDeadlineAfterTheMeetingIsRefused() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        let date = try #require(LocalDate(parsing: "2027-03-11"))
        let error = #expect(throws: MeetingError.self) {
            try engine.addMeeting(
                workflow: workflow, date: date, time: nil, title: "1. Sitzung", place: nil, submissionDeadline: date.adding(days: 1))
        }
        #expect(error?.summary.contains("12.03.2027") == true && error?.hint != nil, "\(String(describing: error))")
        #expect(try engine.meetings().isEmpty)
        // On the day itself is allowed: items submitted up to the meeting.
        #expect(
            try engine.addMeeting(workflow: workflow, date: date, time: nil, title: "1. Sitzung", place: nil, submissionDeadline: date)
                .submissionDeadline == date)
    }
}
