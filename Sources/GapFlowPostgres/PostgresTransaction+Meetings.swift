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
        let sql =
            "SELECT id, workflow_id, date, time, title, place, submission_deadline, status, sequence, attendance, created_at, updated_at FROM meetings"
        let rows: [[PGValue]]
        if let workflow {
            rows = try connection.query(sql + " WHERE workflow_id = ? ORDER BY date, time NULLS FIRST, id", [.text(workflow)])
        } else {
            rows = try connection.query(sql + " ORDER BY date, time NULLS FIRST, id")
        }
        var meetings: [Meeting] = []
        for row in rows {
            guard let id = row[0].integer, let workflow = row[1].text, let date = row[2].text.flatMap(LocalDate.init(parsing:)),
                let title = row[4].text, let deadline = row[6].text.flatMap(LocalDate.init(parsing:)),
                let status = row[7].text.flatMap(MeetingStatus.init(rawValue:)), let sequence = row[8].integer
            else { throw StoreError.damaged(path: path, what: "meeting row") }
            var attendance: Attendance?
            if let text = row[9].text {
                guard let read = Attendance(json: text) else { throw StoreError.damaged(path: path, what: "meeting attendance") }
                attendance = read
            }
            var meeting = Meeting(
                id: id, workflowID: workflow, date: date, time: row[3].text, title: title, place: row[5].text,
                submissionDeadline: deadline, status: status, sequence: sequence, attendance: attendance)
            meeting.createdAt = row[10].text.flatMap(Timestamp.parse)
            meeting.modifiedAt = row[11].text.flatMap(Timestamp.parse) ?? meeting.createdAt
            meetings.append(meeting)
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

extension PostgresTransaction {
    func decisionsInWriting() throws(StoreError) -> [RecordedDecision] {
        let rows = try connection.query(
            "SELECT ticket_id, revision FROM history WHERE meeting_id IS NULL AND resolution IS NOT NULL ORDER BY rowid")
        var result: [RecordedDecision] = []
        for row in rows {
            guard let ticket = row[0].text, let revision = row[1].integer else { continue }
            if let entry = try history(of: ticket).first(where: { $0.revision == revision }) {
                result.append(RecordedDecision(ticket: ticket, entry: entry))
            }
        }
        return result
    }

    func isResolutionInWritingTaken(_ resolution: String) throws(StoreError) -> Bool {
        try !connection.query(
            "SELECT 1 FROM history WHERE resolution = ? AND meeting_id IS NULL LIMIT 1", [.text(resolution)]
        ).isEmpty
    }

    func updateMeeting(_ meeting: Meeting, at now: Date) throws(StoreError) {
        try connection.query(
            """
            UPDATE meetings SET date = ?, time = ?, title = ?, place = ?, submission_deadline = ?, status = ?, sequence = ?,
                updated_at = ?, attendance = ? WHERE id = ?
            """,
            [
                .text(meeting.date.iso8601), meeting.time.map(PGValue.text) ?? .null, .text(meeting.title),
                meeting.place.map(PGValue.text) ?? .null, .text(meeting.submissionDeadline.iso8601), .text(meeting.status.rawValue),
                .integer(meeting.sequence), .text(Timestamp.iso8601(now)), meeting.attendance.map { PGValue.text($0.json) } ?? .null,
                .integer(meeting.id),
            ])
    }

    func insertMeetingDocument(_ document: MeetingDocument) throws(StoreError) {
        try connection.query(
            "INSERT INTO meeting_documents(meeting_id, kind, issue, format, created_at, content) VALUES(?, ?, ?, ?, ?, ?)",
            [
                .integer(document.meetingID), .text(document.kind.rawValue), .integer(document.issue), .text(document.format),
                .text(Timestamp.iso8601(document.createdAt)), .text(document.content),
            ])
    }

    func meetingDocuments(meeting: Int) throws(StoreError) -> [MeetingDocument] {
        let rows = try connection.query(
            "SELECT kind, issue, format, created_at, content FROM meeting_documents WHERE meeting_id = ? ORDER BY rowid",
            [.integer(meeting)])
        var documents: [MeetingDocument] = []
        for row in rows {
            guard let kind = row[0].text.flatMap(MeetingDocument.Kind.init(rawValue:)), let issue = row[1].integer,
                let format = row[2].text, let created = row[3].text.flatMap(Timestamp.parse), let content = row[4].text
            else { throw StoreError.damaged(path: path, what: "meeting document row") }
            documents.append(
                MeetingDocument(meetingID: meeting, kind: kind, issue: issue, format: format, createdAt: created, content: content))
        }
        return documents
    }

    func insertAgendaEntry(_ entry: AgendaEntry) throws(StoreError) {
        try connection.query(
            "INSERT INTO agenda_entries(meeting_id, number, ticket_id, issue) VALUES(?, ?, ?, ?)",
            [.integer(entry.meetingID), .text(entry.number), .text(entry.ticketID), .integer(entry.issue)])
    }

    func agendaEntries(meeting: Int) throws(StoreError) -> [AgendaEntry] {
        let rows = try connection.query(
            "SELECT number, ticket_id, issue FROM agenda_entries WHERE meeting_id = ? ORDER BY rowid", [.integer(meeting)])
        var entries: [AgendaEntry] = []
        for row in rows {
            guard let number = row[0].text, let ticket = row[1].text, let issue = row[2].integer else {
                throw StoreError.damaged(path: path, what: "agenda entry row")
            }
            entries.append(AgendaEntry(meetingID: meeting, number: number, ticketID: ticket, issue: issue))
        }
        return entries
    }

    func boardMembers(workflow: String) throws(StoreError) -> [BoardMember] {
        try connection.query(
            "SELECT name, body, deputy FROM board_members WHERE workflow_id = ? ORDER BY name", [.text(workflow)]
        ).map { row throws(StoreError) in
            guard let name = row[0].text, let body = row[1].text else { throw StoreError.damaged(path: path, what: "board member row") }
            return BoardMember(name: name, body: body, deputy: row[2].text)
        }
    }

    func saveBoardMember(_ member: BoardMember, workflow: String, at now: Date) throws(StoreError) {
        try connection.query(
            """
            INSERT INTO board_members(workflow_id, name, body, deputy, added_at) VALUES(?, ?, ?, ?, ?)
            ON CONFLICT(workflow_id, name) DO UPDATE SET body = excluded.body, deputy = excluded.deputy
            """,
            [
                .text(workflow), .text(member.name), .text(member.body), member.deputy.map(PGValue.text) ?? .null,
                .text(Timestamp.iso8601(now)),
            ])
    }

    func removeBoardMember(_ name: String, workflow: String) throws(StoreError) -> Bool {
        !(try connection.query(
            "DELETE FROM board_members WHERE workflow_id = ? AND name = ? RETURNING name", [.text(workflow), .text(name)]
        ).isEmpty)
    }

    func insertVote(_ vote: Vote, ticket: String, revision: Int) throws(StoreError) {
        try connection.query(
            "INSERT INTO decision_votes(ticket_id, revision, vote) VALUES(?, ?, ?)", [.text(ticket), .integer(revision), .text(vote.text)])
    }

    func vote(ticket: String, revision: Int) throws(StoreError) -> Vote? {
        guard
            let text = try connection.query(
                "SELECT vote FROM decision_votes WHERE ticket_id = ? AND revision = ?", [.text(ticket), .integer(revision)]
            ).first?.first?.text
        else { return nil }
        guard let vote = Vote(text: text) else { throw StoreError.damaged(path: path, what: "vote of \(ticket)") }
        return vote
    }
}
