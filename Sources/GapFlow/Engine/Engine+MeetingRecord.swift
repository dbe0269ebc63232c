import Foundation

/// What the minutes of a meeting are made from: the meeting, its agenda as published, the decisions recorded for it
/// (each ticket as it was right after its decision, not as it is now), the decisions in writing since the meeting
/// before, and the corrections recorded after approval.
public struct MinutesRecord: Sendable {
    /// One decision with the ticket as the decision left it.
    public struct Decided: Sendable {
        /// The agenda item's number (e.g. `4.3`), nil for a decision in writing.
        public let number: String?
        public let ticket: Ticket
        public let definition: Definition
        public let entry: HistoryEntry
        /// How the board voted, if recorded.
        public let vote: Vote?

        public init(number: String?, ticket: Ticket, definition: Definition, entry: HistoryEntry, vote: Vote? = nil) {
            self.number = number
            self.ticket = ticket
            self.definition = definition
            self.entry = entry
            self.vote = vote
        }
    }

    public let meeting: Meeting
    public let definition: Definition
    public let agenda: [AgendaEntry]
    public let decisions: [Decided]
    /// Decisions in writing (*Umlaufverfahren*) after the meeting before this one, up to this meeting's day.
    public let inWriting: [Decided]
    /// The meeting before this one (not cancelled), whose minutes this meeting approves.
    public let previous: Meeting?
    /// Recorded corrections (kind ``MeetingDocument/Kind/correction``), oldest first.
    public let corrections: [MeetingDocument]

    public init(
        meeting: Meeting, definition: Definition, agenda: [AgendaEntry] = [], decisions: [Decided], inWriting: [Decided] = [],
        previous: Meeting? = nil, corrections: [MeetingDocument] = []
    ) {
        self.meeting = meeting
        self.definition = definition
        self.agenda = agenda
        self.decisions = decisions
        self.inWriting = inWriting
        self.previous = previous
        self.corrections = corrections
    }
}

/// A change of a meeting's date, time, title, place or submission deadline; nil leaves the value as it is.
public struct MeetingChanges: Sendable {
    public var date: LocalDate?
    /// A new start time; an empty string removes it.
    public var time: String?
    public var title: String?
    /// A new place; an empty string removes it.
    public var place: String?
    public var submissionDeadline: LocalDate?

    public init(
        date: LocalDate? = nil, time: String? = nil, title: String? = nil, place: String? = nil, submissionDeadline: LocalDate? = nil
    ) {
        self.date = date
        self.time = time
        self.title = title
        self.place = place
        self.submissionDeadline = submissionDeadline
    }
}

/// Renders frozen documents: format (e.g. `md`) and content, made by the caller (the documents module) inside the
/// transaction that stores them.
public typealias RenderedDocuments = [(format: String, content: String)]

extension Engine {
    func meeting(_ id: Int, in tx: any StoreTransaction) throws -> Meeting {
        guard let meeting = try tx.meetings(workflow: nil).first(where: { $0.id == id }) else {
            throw MeetingError.unknownMeeting(String(id))
        }
        return meeting
    }

    /// Checks a start time written `HH:MM`.
    static func checkTime(_ time: String) throws {
        let parts = time.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
            (0..<24).contains(hours), (0..<60).contains(minutes)
        else { throw MeetingError.invalidTime(time) }
    }

    /// Changes a meeting that is not yet held, moved or not; every change raises its sequence (iCalendar `SEQUENCE`).
    /// Moving a draft without a new deadline moves its deadline too.
    @discardableResult
    public func editMeeting(_ id: Int, _ changes: MeetingChanges) throws -> Meeting {
        for (field, text) in [("title", changes.title ?? ""), ("place", changes.place ?? "")] {
            if let scalar = text.unicodeScalars.first(where: Self.isControlCharacter) {
                throw MeetingError.controlCharacter(field: field, scalar: scalar.value)
            }
        }
        if let time = changes.time, !time.isEmpty { try Self.checkTime(time) }
        return try store.write { tx in
            var meeting = try meeting(id, in: tx)
            guard meeting.status == .draft || meeting.status == .published else {
                throw MeetingError.wrongStage(meeting: id, status: meeting.status, needed: "minutes are not approved")
            }
            let definition = try definition(meeting.workflowID, version: nil, in: tx)
            let today = LocalDate(now(), in: definition.calendar.timeZone)
            guard meeting.date >= today else { throw MeetingError.dateInPast(meeting.date, today: today) }
            if let date = changes.date, date != meeting.date {
                guard date >= today else { throw MeetingError.dateInPast(date, today: today) }
                if let existing = try tx.meetings(workflow: meeting.workflowID).first(where: {
                    $0.date == date && $0.status != .cancelled && $0.id != id
                }) {
                    throw MeetingError.overlaps(date, existing: existing.id)
                }
                if changes.submissionDeadline == nil, meeting.status == .draft {
                    meeting.submissionDeadline = date.adding(days: -(definition.meetings?.submissionDays ?? 0))
                }
                meeting.date = date
            }
            if let deadline = changes.submissionDeadline { meeting.submissionDeadline = deadline }
            guard meeting.submissionDeadline <= meeting.date else {
                throw MeetingError.deadlineAfterMeeting(meeting.submissionDeadline, meeting: meeting.date)
            }
            if let time = changes.time { meeting.time = time.isEmpty ? nil : time }
            if let title = changes.title, !title.trimmingCharacters(in: .whitespaces).isEmpty { meeting.title = title }
            if let place = changes.place { meeting.place = place.isEmpty ? nil : place }
            meeting.sequence += 1
            try tx.updateMeeting(meeting, at: now())
            return meeting
        }
    }

    /// Cancels a meeting for which no decision is recorded; its record stays, with the status `cancelled`.
    @discardableResult
    public func cancelMeeting(_ id: Int) throws -> Meeting {
        try store.write { tx in
            var meeting = try meeting(id, in: tx)
            guard meeting.status == .draft || meeting.status == .published, try tx.decisions(meeting: id).isEmpty else {
                throw MeetingError.wrongStage(meeting: id, status: meeting.status, needed: "record holds no decisions")
            }
            meeting.status = .cancelled
            meeting.sequence += 1
            try tx.updateMeeting(meeting, at: now())
            return meeting
        }
    }

    /// Publishes a draft's agenda: its items are recorded with their numbers and `render`'s documents are stored as
    /// they were sent; from now on the agenda changes only by a supplement.
    @discardableResult
    public func publishAgenda(_ id: Int, render: (Agenda) throws -> RenderedDocuments) throws -> Agenda {
        try store.write { tx in
            var meeting = try meeting(id, in: tx)
            guard meeting.status == .draft else {
                throw MeetingError.wrongStage(meeting: id, status: meeting.status, needed: "agenda is a draft")
            }
            let now = now()
            let agenda = try agenda(for: meeting, in: tx)
            for item in agenda.items {
                try tx.insertAgendaEntry(AgendaEntry(meetingID: id, number: item.number, ticketID: item.ticket.id, issue: 0))
            }
            for document in try render(agenda) {
                try tx.insertMeetingDocument(
                    MeetingDocument(
                        meetingID: id, kind: .agenda, issue: 0, format: document.format, createdAt: now, content: document.content))
            }
            meeting.status = .published
            try tx.updateMeeting(meeting, at: now)
            return Agenda(
                meeting: meeting, definition: agenda.definition, rules: agenda.rules, items: agenda.items, status: agenda.status)
        }
    }

    /// Adds tickets to a published agenda as its next numbered supplement (*Nachtrag*) or, `urgent`, as an urgent
    /// item (*Tischvorlage*): each gets the next number in its section; `render` makes the supplement's documents,
    /// which are stored as sent. Up to the meeting's day.
    @discardableResult
    public func supplementAgenda(
        _ id: Int, tickets: [String], urgent: Bool, render: (Agenda) throws -> RenderedDocuments
    ) throws -> Agenda {
        try store.write { tx in
            let meeting = try meeting(id, in: tx)
            guard meeting.status == .published else {
                throw MeetingError.wrongStage(meeting: id, status: meeting.status, needed: "agenda is published")
            }
            let definition = try definition(meeting.workflowID, version: nil, in: tx)
            guard let rules = definition.meetings else { throw MeetingError.noMeetings(workflow: meeting.workflowID) }
            let now = now()
            let today = LocalDate(now, in: definition.calendar.timeZone)
            guard today <= meeting.date else { throw MeetingError.dateInPast(meeting.date, today: today) }
            var entries = try tx.agendaEntries(meeting: id)
            let issue = (entries.map(\.issue).max() ?? 0) + 1
            for reference in tickets {
                let ticket = try ticket(reference, in: tx)
                if let present = entries.first(where: { $0.ticketID == ticket.id }) {
                    throw MeetingError.alreadyOnAgenda(ticket: ticket.id, meeting: id, number: "\(definition.words.item) \(present.number)")
                }
                guard ticket.workflowID == meeting.workflowID, let sectionID = definition.state(ticket.state)?.meetingSection,
                    let point = rules.pointNumber(ofSection: sectionID)
                else { throw MeetingError.notForTheBoard(ticket: ticket.id, state: ticket.state) }
                let taken = entries.compactMap { entry -> Int? in
                    let parts = entry.number.split(separator: ".")
                    return parts.count == 2 && Int(parts[0]) == point ? Int(parts[1]) : nil
                }
                let entry = AgendaEntry(meetingID: id, number: "\(point).\((taken.max() ?? 0) + 1)", ticketID: ticket.id, issue: issue)
                try tx.insertAgendaEntry(entry)
                entries.append(entry)
            }
            let full = try agenda(for: meeting, in: tx)
            let added = Set(entries.filter { $0.issue == issue }.map(\.ticketID))
            var supplement = Agenda(
                meeting: meeting, definition: full.definition, rules: full.rules, items: full.items.filter { added.contains($0.ticket.id) },
                status: full.status)
            supplement.issue = issue
            supplement.urgent = urgent
            for document in try render(supplement) {
                try tx.insertMeetingDocument(
                    MeetingDocument(
                        meetingID: id, kind: urgent ? .urgent : .supplement, issue: issue, format: document.format, createdAt: now,
                        content: document.content))
            }
            return supplement
        }
    }

    /// A meeting's frozen documents, in the order they were stored.
    public func meetingDocuments(_ id: Int) throws -> [MeetingDocument] {
        try store.read { tx in try tx.meetingDocuments(meeting: id) }
    }

    /// What the minutes of a meeting are made from (the draft minutes, before approval).
    public func minutesRecord(_ id: Int) throws -> MinutesRecord {
        try store.read { tx in try minutesRecord(try meeting(id, in: tx), in: tx) }
    }

    func minutesRecord(_ meeting: Meeting, in tx: any StoreTransaction) throws -> MinutesRecord {
        let definition = try definition(meeting.workflowID, version: nil, in: tx)
        let zone = definition.calendar.timeZone
        let agenda = try tx.agendaEntries(meeting: meeting.id)
        func decided(_ recorded: RecordedDecision) throws -> MinutesRecord.Decided {
            var ticket = try ticket(recorded.ticket, in: tx)
            let history = try tx.history(of: ticket.id).filter { $0.revision <= recorded.entry.revision }
            var fields: [String: FieldValue] = [:]
            for entry in history { for change in entry.changes { fields[change.field] = change.new } }
            ticket.fields = fields
            ticket.state = recorded.entry.to
            return MinutesRecord.Decided(
                number: agenda.first { $0.ticketID == ticket.id }?.number, ticket: ticket,
                definition: try self.definition(ticket.workflowID, version: ticket.version, in: tx), entry: recorded.entry,
                vote: try tx.vote(ticket: ticket.id, revision: recorded.entry.revision))
        }
        let meetings = try tx.meetings(workflow: meeting.workflowID).filter { $0.status != .cancelled }
        let previous = meetings.last { $0.date < meeting.date }
        let inWriting = try tx.decisionsInWriting().filter { recorded in
            let day = LocalDate(recorded.entry.at, in: zone)
            return day <= meeting.date && previous.map { day > $0.date } ?? true
        }.map(decided).filter { $0.ticket.workflowID == meeting.workflowID }
        return MinutesRecord(
            meeting: meeting, definition: definition, agenda: agenda, decisions: try tx.decisions(meeting: meeting.id).map(decided),
            inWriting: inWriting, previous: previous,
            corrections: try tx.meetingDocuments(meeting: meeting.id).filter { $0.kind == .correction })
    }

    /// Approves the minutes of a held meeting: `render`'s documents are stored as approved (issue 1); from now on they
    /// change only by a recorded correction.
    @discardableResult
    public func approveMinutes(_ id: Int, render: (MinutesRecord) throws -> RenderedDocuments) throws -> Meeting {
        try store.write { tx in
            var meeting = try meeting(id, in: tx)
            guard meeting.status == .published else {
                throw MeetingError.wrongStage(
                    meeting: id, status: meeting.status, needed: "agenda is published and minutes not yet approved")
            }
            let now = now()
            let definition = try definition(meeting.workflowID, version: nil, in: tx)
            let today = LocalDate(now, in: definition.calendar.timeZone)
            guard today >= meeting.date else { throw MeetingError.notYetHeld(meeting: id, date: meeting.date, today: today) }
            meeting.status = .approved
            try tx.updateMeeting(meeting, at: now)
            for document in try render(try minutesRecord(meeting, in: tx)) {
                try tx.insertMeetingDocument(
                    MeetingDocument(
                        meetingID: id, kind: .minutes, issue: 1, format: document.format, createdAt: now, content: document.content))
            }
            return meeting
        }
    }

    /// Records a dated correction of approved minutes and stores the minutes again with it (the next issue); the
    /// issues before stay as they were. Returns the new issue's number.
    @discardableResult
    public func correctMinutes(_ id: Int, text: String, render: (MinutesRecord) throws -> RenderedDocuments) throws -> Int {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw MeetingError.emptyCorrection }
        return try store.write { tx in
            let meeting = try meeting(id, in: tx)
            guard meeting.status == .approved else {
                throw MeetingError.wrongStage(meeting: id, status: meeting.status, needed: "minutes are approved")
            }
            let now = now()
            let documents = try tx.meetingDocuments(meeting: id)
            let correction = documents.filter { $0.kind == .correction }.count + 1
            try tx.insertMeetingDocument(
                MeetingDocument(meetingID: id, kind: .correction, issue: correction, format: "text", createdAt: now, content: text))
            let issue = (documents.filter { $0.kind == .minutes }.map(\.issue).max() ?? 1) + 1
            for document in try render(try minutesRecord(meeting, in: tx)) {
                try tx.insertMeetingDocument(
                    MeetingDocument(
                        meetingID: id, kind: .minutes, issue: issue, format: document.format, createdAt: now, content: document.content))
            }
            return issue
        }
    }
}
