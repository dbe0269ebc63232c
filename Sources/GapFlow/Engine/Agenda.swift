import Foundation

/// The items a meeting decides, in agenda order, with what the papers show for each.
///
/// `gapflow agenda --format json` writes it in a stable schema: <doc:AgendaJSON>.
public struct Agenda: Sendable {
    /// One substantive item: a ticket awaiting a decision.
    public struct Item: Sendable {
        public let ticket: Ticket
        public let section: MeetingRules.Section
        /// When the ticket (last) entered its state; a deferral counts as entering again.
        public let entered: Date
        /// Calendar days from entering the state to the meeting.
        public let waitingDays: Int
        /// How often the ticket stayed in a meeting state by a decision, i.e. was deferred.
        public let deferrals: Int
    }

    public let meeting: Meeting
    public let definition: Definition
    public let rules: MeetingRules
    public let items: [Item]
    /// Tickets in the status item's state (e.g. open mandates of project groups).
    public let status: [Ticket]
}

/// Why a meeting request was refused.
public enum MeetingError: Error, Sendable, Equatable, CustomStringConvertible {
    case noMeetings(workflow: String)
    case dateInPast(LocalDate, today: LocalDate)
    case overlaps(LocalDate, existing: Int)
    case invalidTime(String)
    case unknownMeeting(String)
    case noUpcomingMeeting(workflow: String)
    /// The title or place (`field`) holds a control character, e.g. a line break; `scalar` is its code point.
    case controlCharacter(field: String, scalar: UInt32)
    case deadlineAfterMeeting(LocalDate, meeting: LocalDate)

    public var description: String {
        switch self {
        case .noMeetings(let workflow): "workflow \"\(workflow)\" declares no \"meetings\""
        case .dateInPast(let date, let today): "the date \(date.german) is in the past (today is \(today.german))"
        case .overlaps(let date, let existing): "meeting \(existing) is already on \(date.german)"
        case .invalidTime(let text): "\"\(text)\" is not a time of day (write HH:MM, e.g. 14:00)"
        case .unknownMeeting(let reference): "there is no meeting \(reference)"
        case .noUpcomingMeeting(let workflow): "no meeting of \"\(workflow)\" lies ahead"
        case .controlCharacter(let field, let scalar):
            "the meeting's \(field) contains a line break or another control character (U+\(String(scalar, radix: 16, uppercase: true).leftPadded(to: 4)))"
        case .deadlineAfterMeeting(let deadline, let meeting):
            "the submission deadline \(deadline.german) is after the meeting on \(meeting.german)"
        }
    }

    public var hint: String? {
        switch self {
        case .noMeetings: "add a \"meetings\" section to the workflow file"
        case .dateInPast: "give a future date"
        case .overlaps: "a board meets once a day; change the existing meeting or pick another date"
        case .invalidTime: nil
        case .unknownMeeting, .noUpcomingMeeting: "see `gapflow meeting list`; add one with `gapflow meeting add`"
        case .controlCharacter(let field, _): "write the \(field) on one line, without tabs or other control characters"
        case .deadlineAfterMeeting: "give a deadline on or before the meeting's date, or leave --deadline out for the default"
        }
    }
}

extension Engine {
    /// Adds a meeting; its submission deadline defaults to the workflow's `submissionDays` before it.
    @discardableResult
    public func addMeeting(
        workflow: String, date: LocalDate, time: String?, title: String, place: String?, submissionDeadline: LocalDate? = nil
    ) throws -> Meeting {
        let now = now()
        for (field, text) in [("title", title), ("place", place ?? "")] {
            if let scalar = text.unicodeScalars.first(where: Self.isControlCharacter) {
                throw MeetingError.controlCharacter(field: field, scalar: scalar.value)
            }
        }
        if let submissionDeadline, submissionDeadline > date {
            throw MeetingError.deadlineAfterMeeting(submissionDeadline, meeting: date)
        }
        if let time {
            let parts = time.split(separator: ":")
            guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
                (0..<24).contains(hours), (0..<60).contains(minutes)
            else { throw MeetingError.invalidTime(time) }
        }
        return try store.write { tx in
            let definition = try definition(workflow, version: nil, in: tx)
            guard let rules = definition.meetings else { throw MeetingError.noMeetings(workflow: workflow) }
            let today = LocalDate(now, in: definition.calendar.timeZone)
            guard date >= today else { throw MeetingError.dateInPast(date, today: today) }
            if let existing = try tx.meetings(workflow: workflow).first(where: { $0.date == date }) {
                throw MeetingError.overlaps(date, existing: existing.id)
            }
            let deadline = submissionDeadline ?? date.adding(days: -rules.submissionDays)
            let id = try tx.insertMeeting(
                workflow: workflow, date: date, time: time, title: title, place: place, deadline: deadline, at: now)
            return Meeting(
                id: id, workflowID: workflow, date: date, time: time, title: title, place: place, submissionDeadline: deadline)
        }
    }

    /// A character a one-line text such as a meeting's title must not hold: C0 controls (tab, line feed, carriage
    /// return among them), DEL, C1 controls, and the Unicode line and paragraph separators.
    static func isControlCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    /// The meetings of a workflow (of all workflows when nil), by date.
    public func meetings(workflow: String? = nil) throws -> [Meeting] {
        try store.read { tx in try tx.meetings(workflow: workflow) }
    }

    /// A meeting by id, or `next`: the first meeting on or after today.
    public func meeting(_ reference: String, workflow: String) throws -> Meeting {
        let meetings = try meetings(workflow: workflow)
        if reference == "next" {
            let today = LocalDate(now(), in: .berlin)
            guard let next = meetings.first(where: { $0.date >= today }) else { throw MeetingError.noUpcomingMeeting(workflow: workflow) }
            return next
        }
        guard let id = Int(reference), let meeting = meetings.first(where: { $0.id == id }) else {
            throw MeetingError.unknownMeeting(reference)
        }
        return meeting
    }

    /// The agenda of a meeting: every ticket in a meeting state whose first meeting after entering it is this one.
    ///
    /// A ticket belongs to the first meeting whose submission deadline is on or after the day it entered its state;
    /// staying in the state by a decision (a deferral) counts as entering again, and a deferral recorded for a
    /// meeting moves the item to the meeting after that one, whenever the decision was entered.
    public func agenda(for meeting: Meeting) throws -> Agenda {
        try store.read { tx in
            let definition = try definition(meeting.workflowID, version: nil, in: tx)
            guard let rules = definition.meetings else { throw MeetingError.noMeetings(workflow: meeting.workflowID) }
            let meetings = try tx.meetings(workflow: meeting.workflowID)
            let meetingStates = definition.states.filter { $0.meetingSection != nil }.map(\.id)
            let zone = definition.calendar.timeZone
            var items: [Agenda.Item] = []
            for ticket in try tx.tickets(TicketFilter(workflow: meeting.workflowID, states: meetingStates)) {
                guard let sectionID = definition.state(ticket.state)?.meetingSection,
                    let section = rules.sections.first(where: { $0.id == sectionID })
                else { continue }
                let anchor = try tx.agendaAnchor(ticket: ticket.id, state: ticket.state, meetingStates: meetingStates)
                let entered = anchor.entered ?? ticket.updatedAt
                let enteredDay = LocalDate(entered, in: zone)
                // Deferred at a meeting: the next meeting after it. Otherwise: the first deadline on or after entering.
                let decidedAt = anchor.decidedAt.flatMap { id in meetings.first { $0.id == id } }
                let due =
                    decidedAt.map { deferredAt in meetings.first { $0.date > deferredAt.date } }
                    ?? meetings.first { $0.submissionDeadline >= enteredDay }
                guard due?.id == meeting.id else { continue }
                items.append(
                    Agenda.Item(
                        ticket: ticket, section: section, entered: entered,
                        waitingDays: meeting.date.daysSinceEpoch - enteredDay.daysSinceEpoch, deferrals: anchor.stays))
            }
            let order = Dictionary(uniqueKeysWithValues: rules.sections.enumerated().map { ($1.id, $0) })
            items.sort { (order[$0.section.id] ?? 0, $0.entered, $0.ticket.id) < (order[$1.section.id] ?? 0, $1.entered, $1.ticket.id) }
            let status = try rules.statusItem.map { try tx.tickets(TicketFilter(workflow: meeting.workflowID, states: [$0.state])) } ?? []
            return Agenda(meeting: meeting, definition: definition, rules: rules, items: items, status: status)
        }
    }
}

extension MeetingError: ExplainedError {
    public var summary: String { description }
    public var kind: ErrorKind {
        switch self {
        case .unknownMeeting, .noUpcomingMeeting: .notFound
        default: .refused
        }
    }
}
