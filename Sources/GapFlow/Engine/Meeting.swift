import Foundation

/// A meeting of the board that decides items, e.g. a session of the steering group.
public struct Meeting: Sendable, Equatable {
    public let id: Int
    public let workflowID: String
    public var date: LocalDate
    /// `HH:MM`, local time, if set.
    public var time: String?
    public var title: String
    public var place: String?
    /// Items must have entered their state by this date to be on the agenda (*Antragsfrist*).
    public var submissionDeadline: LocalDate
    /// Where the meeting's record stands in its life cycle.
    public var status: MeetingStatus
    /// How often the meeting was changed after it was added (edited, moved, cancelled): the iCalendar `SEQUENCE`.
    public var sequence: Int
    /// Who attended, once recorded.
    public var attendance: Attendance?
    /// When the meeting was added and last changed, as the store has them (nil for a meeting not read from a store).
    public var createdAt: Date?
    public var modifiedAt: Date?

    public init(
        id: Int, workflowID: String, date: LocalDate, time: String? = nil, title: String, place: String? = nil,
        submissionDeadline: LocalDate, status: MeetingStatus = .draft, sequence: Int = 0, attendance: Attendance? = nil
    ) {
        self.id = id
        self.workflowID = workflowID
        self.date = date
        self.time = time
        self.title = title
        self.place = place
        self.submissionDeadline = submissionDeadline
        self.status = status
        self.sequence = sequence
        self.attendance = attendance
    }
}

/// The life cycle of a meeting's record: draft → agenda published (frozen as sent) → minutes approved (frozen);
/// or cancelled. A published meeting is *held* from its date on: only then may its decisions be entered.
public enum MeetingStatus: String, Sendable, Equatable, CaseIterable {
    /// The agenda is still computed from the tickets as they are.
    case draft
    /// The agenda was sent and is frozen; later items come only as a numbered supplement or an urgent item.
    case published
    /// The minutes were approved and are frozen; a change is only a recorded, dated correction.
    case approved
    /// The meeting does not take place.
    case cancelled
}

/// Where a decision was taken, recorded with it in the history.
public struct DecisionRecord: Sendable, Equatable {
    /// The meeting, or nil for a decision in writing between meetings (*Umlaufverfahren*).
    public let meeting: Int?
    /// The resolution number, e.g. `3/2027-2`.
    public let resolution: String

    public init(meeting: Int? = nil, resolution: String) {
        self.meeting = meeting
        self.resolution = resolution
    }
}

/// A frozen document of a meeting's record, kept as the bytes that were sent or approved: every later export of it
/// gives the same bytes, whatever happens to the tickets afterwards.
public struct MeetingDocument: Sendable, Equatable {
    /// Which document of the record it is.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The agenda as it was published (issue 0).
        case agenda
        /// A numbered supplement to the agenda (*Nachtrag*), issue 1, 2, …
        case supplement
        /// An urgent item added at short notice (*Tischvorlage*); numbered with the supplements.
        case urgent
        /// The approved minutes (issue 1), and each issue after a correction (2, 3, …).
        case minutes
        /// A correction of approved minutes, as recorded (format `text`), numbered 1, 2, …
        case correction
    }

    public let meetingID: Int
    public let kind: Kind
    public let issue: Int
    /// The format the content is in (`md`, `html`, `csv`, `json`), or `text` for a correction.
    public let format: String
    public let createdAt: Date
    public let content: String

    public init(meetingID: Int, kind: Kind, issue: Int, format: String, createdAt: Date, content: String) {
        self.meetingID = meetingID
        self.kind = kind
        self.issue = issue
        self.format = format
        self.createdAt = createdAt
        self.content = content
    }
}

/// One item of a published agenda: its number (e.g. `4.3`), its ticket, and whether it came with the agenda
/// (issue 0) or with a supplement or urgent item (its issue).
public struct AgendaEntry: Sendable, Equatable {
    public let meetingID: Int
    public let number: String
    public let ticketID: String
    public let issue: Int

    public init(meetingID: Int, number: String, ticketID: String, issue: Int) {
        self.meetingID = meetingID
        self.number = number
        self.ticketID = ticketID
        self.issue = issue
    }
}
