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
        /// The item's number on the agenda, e.g. `4.2`: the second item under point 4.
        public let number: String
    }

    public let meeting: Meeting
    public let definition: Definition
    public let rules: MeetingRules
    public let items: [Item]
    /// Tickets in the status item's states (e.g. open mandates of project groups, reports awaiting an answer), in
    /// the order of the states.
    public let status: [Ticket]
    /// 0 for the agenda itself; 1, 2, … for its supplements (*Nachtrag*) and urgent items (*Tischvorlage*), which
    /// hold only the items they add.
    public var issue = 0
    /// Whether this supplement is an urgent item (*Tischvorlage*).
    public var urgent = false

    /// Whether a ticket of the status item is overdue at the meeting: its `overdue` date lies before the meeting's day.
    public func isOverdue(_ ticket: Ticket) -> Bool {
        guard let field = rules.statusItem?.overdueField, case .date(let due)? = ticket.fields[field] else { return false }
        return due < meeting.date
    }
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
    /// The meeting's record is not in the stage the request needs (`status`), e.g. decisions for a draft.
    case wrongStage(meeting: Int, status: MeetingStatus, needed: String)
    /// Decisions before the meeting took place.
    case notYetHeld(meeting: Int, date: LocalDate, today: LocalDate)
    /// A ticket is already on the meeting's agenda.
    case alreadyOnAgenda(ticket: String, meeting: Int, number: String)
    /// A ticket is not in a state the board decides.
    case notForTheBoard(ticket: String, state: String)
    /// A correction without text.
    case emptyCorrection
    /// A resolution number in writing that is empty or already taken.
    case resolutionTaken(String)
    /// A name that is not on the board's register.
    case notAMember(String)
    /// A member without a deputy named as represented.
    case noDeputy(String)

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
        case .wrongStage(let meeting, let status, let needed):
            status == .cancelled
                ? "meeting \(meeting) was cancelled" : "meeting \(meeting) is \(status.rawValue); this needs a meeting whose \(needed)"
        case .notYetHeld(let meeting, let date, let today):
            "meeting \(meeting) takes place on \(date.german); its decisions can be entered from that day on (today is \(today.german))"
        case .alreadyOnAgenda(let ticket, let meeting, let number):
            "ticket \(ticket) is already on the agenda of meeting \(meeting) (\(number))"
        case .notForTheBoard(let ticket, let state): "ticket \(ticket) is in state \"\(state)\", which the board does not decide"
        case .emptyCorrection: "a correction needs its text"
        case .resolutionTaken(let number): "the resolution number \"\(number)\" is empty or already taken"
        case .notAMember(let name): "\"\(name)\" is not on the board's register"
        case .noDeputy(let name): "\(name) has no deputy on the register"
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
        case .wrongStage(_, let status, _):
            switch status {
            case .draft: "publish the agenda first: `gapflow agenda publish --meeting ID`"
            case .published: "the minutes are not approved yet: `gapflow minutes approve --meeting ID`"
            case .approved: "approved minutes change only by a correction: `gapflow minutes correct --meeting ID --text …`"
            case .cancelled: "a cancelled meeting's record stays as it is; add a new meeting"
            }
        case .notYetHeld: "enter the decisions on or after the meeting's day"
        case .alreadyOnAgenda: nil
        case .notForTheBoard: "only tickets in a state with a \"meeting\" section go on an agenda"
        case .emptyCorrection: "give --text with what is corrected"
        case .resolutionTaken: "give the next free number of the decisions in writing, or use `gapflow decisions apply`, which numbers them"
        case .notAMember, .noDeputy: "see `gapflow meeting members`; add one with `gapflow meeting member-add`"
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
            if let existing = try tx.meetings(workflow: workflow).first(where: { $0.date == date && $0.status != .cancelled }) {
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
            guard let next = meetings.first(where: { $0.date >= today && $0.status != .cancelled }) else {
                throw MeetingError.noUpcomingMeeting(workflow: workflow)
            }
            return next
        }
        guard let id = Int(reference), let meeting = meetings.first(where: { $0.id == id }) else {
            throw MeetingError.unknownMeeting(reference)
        }
        return meeting
    }

    /// The agenda of a meeting. Once published, it holds the items recorded then and with its supplements (the
    /// tickets as they are now); before, every ticket in a meeting state whose first meeting after entering it is
    /// this one.
    ///
    /// A ticket belongs to the first meeting whose submission deadline is on or after the day it entered its state;
    /// staying in the state by a decision (a deferral) counts as entering again, and a deferral recorded for a
    /// meeting moves the item to the meeting after that one, whenever the decision was entered.
    public func agenda(for meeting: Meeting) throws -> Agenda {
        try store.read { tx in try agenda(for: meeting, in: tx) }
    }

    func agenda(for meeting: Meeting, in tx: any StoreTransaction) throws -> Agenda {
        let definition = try definition(meeting.workflowID, version: nil, in: tx)
        guard let rules = definition.meetings else { throw MeetingError.noMeetings(workflow: meeting.workflowID) }
        let meetings = try tx.meetings(workflow: meeting.workflowID).filter { $0.status != .cancelled || $0.id == meeting.id }
        let meetingStates = definition.states.filter { $0.meetingSection != nil }.map(\.id)
        let zone = definition.calendar.timeZone
        func item(_ ticket: Ticket, section: MeetingRules.Section, number: String) throws -> Agenda.Item {
            let anchor = try tx.agendaAnchor(ticket: ticket.id, state: ticket.state, meetingStates: meetingStates)
            let entered = anchor.entered ?? ticket.updatedAt
            return Agenda.Item(
                ticket: ticket, section: section, entered: entered,
                waitingDays: meeting.date.daysSinceEpoch - LocalDate(entered, in: zone).daysSinceEpoch, deferrals: anchor.stays,
                number: number)
        }
        var status: [Ticket] = []
        for state in rules.statusItem?.states ?? [] {
            status += try tx.tickets(TicketFilter(workflow: meeting.workflowID, states: [state])).sorted { $0.id < $1.id }
        }
        if meeting.status != .draft {
            var items: [Agenda.Item] = []
            for entry in try tx.agendaEntries(meeting: meeting.id) {
                guard let ticket = try tx.ticket(entry.ticketID), let section = Self.section(of: entry.number, rules) else { continue }
                items.append(try item(ticket, section: section, number: entry.number))
            }
            return Agenda(meeting: meeting, definition: definition, rules: rules, items: items, status: status)
        }
        var found: [(ticket: Ticket, section: MeetingRules.Section)] = []
        for ticket in try tx.tickets(TicketFilter(workflow: meeting.workflowID, states: meetingStates)) {
            guard let sectionID = definition.state(ticket.state)?.meetingSection,
                let section = rules.sections.first(where: { $0.id == sectionID })
            else { continue }
            let anchor = try tx.agendaAnchor(ticket: ticket.id, state: ticket.state, meetingStates: meetingStates)
            let enteredDay = LocalDate(anchor.entered ?? ticket.updatedAt, in: zone)
            // Deferred at a meeting: the next meeting after it. Otherwise: the first deadline on or after entering.
            let decidedAt = anchor.decidedAt.flatMap { id in meetings.first { $0.id == id } }
            let due =
                decidedAt.map { deferredAt in meetings.first { $0.date > deferredAt.date } }
                ?? meetings.first { $0.submissionDeadline >= enteredDay }
            guard due?.id == meeting.id else { continue }
            found.append((ticket, section))
        }
        var items = try found.map { try item($0.ticket, section: $0.section, number: "") }
        let order = Dictionary(uniqueKeysWithValues: rules.sections.enumerated().map { ($1.id, $0) })
        items.sort { (order[$0.section.id] ?? 0, $0.entered, $0.ticket.id) < (order[$1.section.id] ?? 0, $1.entered, $1.ticket.id) }
        var counts: [String: Int] = [:]
        items = items.map { item in
            counts[item.section.id, default: 0] += 1
            let point = rules.pointNumber(ofSection: item.section.id) ?? 0
            return Agenda.Item(
                ticket: item.ticket, section: item.section, entered: item.entered, waitingDays: item.waitingDays,
                deferrals: item.deferrals, number: "\(point).\(counts[item.section.id] ?? 0)")
        }
        return Agenda(meeting: meeting, definition: definition, rules: rules, items: items, status: status)
    }

    /// The section an item number such as `4.2` belongs to, by its point.
    static func section(of number: String, _ rules: MeetingRules) -> MeetingRules.Section? {
        guard let point = number.split(separator: ".").first.flatMap({ Int($0) }) else { return nil }
        return rules.sections.first { rules.pointNumber(ofSection: $0.id) == point }
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
