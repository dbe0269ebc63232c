import Foundation
import GapFlow

extension PostgresTransaction {
    func insertMeeting(
        workflow: String, date: LocalDate, time: String?, title: String, place: String?, deadline: LocalDate, at now: Date
    ) throws(StoreError) -> Int {
        let rows = try connection.query(
            """
            INSERT INTO meetings(workflow_id, date, time, title, place, submission_deadline, created_at)
            VALUES(?, ?, ?, ?, ?, ?, ?) RETURNING id
            """,
            [
                .text(workflow), .text(date.iso8601), time.map(PGValue.text) ?? .null, .text(title), place.map(PGValue.text) ?? .null,
                .text(deadline.iso8601), .text(Timestamp.iso8601(now)),
            ])
        guard let id = rows.first?.first?.integer else { throw StoreError.damaged(path: path, what: "meeting id") }
        return id
    }

    /// The meetings of a workflow (of every workflow when nil), by date.
    func meetings(workflow: String?) throws(StoreError) -> [Meeting] {
        let sql = "SELECT id, workflow_id, date, time, title, place, submission_deadline FROM meetings"
        let rows: [[PGValue]]
        if let workflow {
            rows = try connection.query(sql + " WHERE workflow_id = ? ORDER BY date, time NULLS FIRST, id", [.text(workflow)])
        } else {
            rows = try connection.query(sql + " ORDER BY date, time NULLS FIRST, id")
        }
        var meetings: [Meeting] = []
        for row in rows {
            guard let id = row[0].integer, let workflow = row[1].text, let date = row[2].text.flatMap(LocalDate.init(parsing:)),
                let title = row[4].text, let deadline = row[6].text.flatMap(LocalDate.init(parsing:))
            else { throw StoreError.damaged(path: path, what: "meeting row") }
            meetings.append(
                Meeting(
                    id: id, workflowID: workflow, date: date, time: row[3].text, title: title, place: row[5].text,
                    submissionDeadline: deadline))
        }
        return meetings
    }

    /// When a ticket last entered `state` (a stay in it, such as a deferral, counts as entering again) and how
    /// often it stayed in a meeting state, e.g. was deferred. A redaction's entry is not a move and counts for neither.
    /// `decidedAt` is the meeting whose decision put it there (a deferral at a meeting), if any.
    func agendaAnchor(
        ticket: String, state: String, meetingStates: [String]
    ) throws(StoreError) -> AgendaAnchor {
        // ?1 is the ticket, ?2 the state, ?3… the meeting states.
        let placeholders = meetingStates.indices.map { "?\($0 + 3)" }.joined(separator: ",")
        let row = try connection.query(
            """
            SELECT max(CASE WHEN to_state = ?2 THEN at END),
                   sum(CASE WHEN from_state = to_state AND to_state IN (\(placeholders.isEmpty ? "NULL" : placeholders)) THEN 1 ELSE 0 END),
                   (SELECT meeting_id FROM history WHERE ticket_id = ?1 AND to_state = ?2 AND redaction IS NULL
                    ORDER BY revision DESC LIMIT 1)
            FROM history WHERE ticket_id = ?1 AND redaction IS NULL
            """, [.text(ticket), .text(state)] + meetingStates.map(PGValue.text)
        ).first
        return AgendaAnchor(entered: row?[0].text.flatMap(Timestamp.parse), stays: row?[1].integer ?? 0, decidedAt: row?[2].integer)
    }

    /// Entries recorded for a meeting, in resolution order.
    func decisions(meeting: Int) throws(StoreError) -> [RecordedDecision] {
        let rows = try connection.query("SELECT ticket_id, revision FROM history WHERE meeting_id = ? ORDER BY rowid", [.integer(meeting)])
        var result: [RecordedDecision] = []
        for row in rows {
            guard let ticket = row[0].text, let revision = row[1].integer else { continue }
            if let entry = try history(of: ticket).first(where: { $0.revision == revision }) {
                result.append(RecordedDecision(ticket: ticket, entry: entry))
            }
        }
        return result
    }
}
