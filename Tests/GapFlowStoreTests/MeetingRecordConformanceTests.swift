import Foundation
import GapFlow
import Testing

/// A meeting's record in every store: its status and sequence, its frozen documents (kept as given, never replaced),
/// the items of its published agenda (a ticket once per meeting), and the decisions in writing.
@Suite struct MeetingRecordConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func frozenDocumentsAndAgendaEntriesAreKeptAsGivenAndNeverReplaced(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let id = try harness.open("Kinderbetreuung fehlt")
        let meeting = try harness.engine.addMeeting(
            workflow: Fixtures.workflow, date: try Fixtures.date("2026-12-10"), time: nil, title: "Dezember", place: nil)
        let text = "# Tagesordnung\r\n\u{FEFF}Ä;\"x\"\n"
        let document = MeetingDocument(
            meetingID: meeting.id, kind: .agenda, issue: 0, format: "md", createdAt: Fixtures.start, content: text)
        try harness.store.write { tx in
            try tx.insertMeetingDocument(document)
            try tx.insertAgendaEntry(AgendaEntry(meetingID: meeting.id, number: "4.1", ticketID: id, issue: 0))
            var changed = meeting
            changed.status = .published
            changed.sequence = 3
            try tx.updateMeeting(changed, at: Fixtures.start)
        }
        let before = try harness.export()
        // The same document again, or the same ticket twice on one agenda: refused, nothing changed.
        #expect(throws: (any Error).self) {
            try harness.store.write { tx in
                try tx.insertMeetingDocument(
                    MeetingDocument(
                        meetingID: meeting.id, kind: .agenda, issue: 0, format: "md", createdAt: Fixtures.start, content: "other"))
            }
        }
        #expect(throws: (any Error).self) {
            try harness.store.write { tx in
                try tx.insertAgendaEntry(AgendaEntry(meetingID: meeting.id, number: "4.2", ticketID: id, issue: 1))
            }
        }
        #expect(throws: (any Error).self) {
            try harness.store.write { tx in
                try tx.insertAgendaEntry(AgendaEntry(meetingID: meeting.id + 7, number: "4.1", ticketID: id, issue: 0))
            }
        }
        #expect(try harness.export() == before)
        try harness.store.read { tx in
            #expect(try tx.meetingDocuments(meeting: meeting.id) == [document])
            #expect(
                try tx.agendaEntries(meeting: meeting.id) == [AgendaEntry(meetingID: meeting.id, number: "4.1", ticketID: id, issue: 0)])
            let stored = try #require(try tx.meetings(workflow: Fixtures.workflow).first)
            #expect(stored.status == .published && stored.sequence == 3)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func decisionsInWritingAreTheEntriesWithAResolutionAndNoMeeting(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let id = try harness.open()
        try harness.engine.fire(
            id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        try harness.engine.fire(id, Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Vorschlag")]))
        _ = try harness.engine.applyDecisions(
            [Decision(entry: 1, ticket: id, event: "defer", values: ["decision_note": .text("Vertagt")], comment: nil, resolution: nil)],
            meeting: nil, actor: Fixtures.office, check: false)
        let recorded = try harness.store.read { tx in try tx.decisionsInWriting() }
        #expect(recorded.map(\.ticket) == [id])
        #expect(recorded.map(\.entry.revision) == [4])
        #expect(recorded.first?.entry.decision == DecisionRecord(meeting: nil, resolution: "U2026-1"))
    }
}
