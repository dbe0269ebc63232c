/// The words of exports that are not titles from the workflow file: headings, labels and notes of agendas, papers,
/// minutes, the feedback and monitoring reports.
///
/// A workflow file gives them under `"words"` (``Definition/words``), in its own language — no district's wording
/// lives in code. A word the file leaves out falls back to a neutral English one (the validator warns).
public struct Vocabulary: Sendable, Equatable {
    /// Every word a workflow file may give, by its key in `"words"`.
    public enum Word: String, CaseIterable, Sendable {
        case agenda, item, meetingOn, oClock, place, deadline, ticket, title, section, entered, waitingDays, deferrals, noItems, none
        case minutes, resolutions, number, decision, responsible, dueDate, inWriting, paper, subject, facts, proposal, feedback
        case reportedOn, outcome, reportedBy, mergedIn, area
        case report, period, all, openPerStage, stage, count, months, month, opened, finished, stageTimes, stays, median
        case percentile90, overdue, breakdowns, value, chartNote, flow
        /// The note under masked figures, e.g. "Werte unter 5 werden als „<5“ angegeben."
        case smallNumbersNote
        /// What stands for a median or percentile of a group too small to show.
        case withheld
        /// The row that gathers free-text values given for too few tickets to show each.
        case otherValues
        /// The note on an internal document that shows small numbers as they are.
        case internalNote
        /// Diagram annotations: open and overdue tickets per state.
        case openTickets, overdueTickets
        /// The meeting record: a numbered supplement to the agenda (*Nachtrag*), an urgent item (*Tischvorlage*), the
        /// words of the minutes (draft mark, corrections, decisions in writing, previous minutes, signatures).
        case supplement, urgent, draft, corrections, correctionOn, inWritingSince, previousMinutes, approved, notApproved
        case chair, minuteTaker, comment, eventTitle, cancelled
        /// Attendance, quorum and votes in the minutes.
        case start, end, member, body, presence, present, absent, representedBy, quorum, quorate, notQuorate
        case membersAttending, vote, unanimous, votesFor, votesAgainst, abstentions
        /// The decision paper's structure (*Beschlussvorlage*).
        case paperNumber, date, leadOffice, consultationOrder, finance, involved, earlierConsultations, comparison, attachments
    }

    private let words: [Word: String]

    /// The neutral English words, with `overrides` (from the workflow file) in their place.
    public init(language: String, overrides: [Word: String] = [:]) {
        words = Self.english.merging(overrides) { _, given in given }
    }

    /// The neutral English words (a workflow file gives its own language's).
    public static func forLanguage(_ language: String) -> Vocabulary { Vocabulary(language: language) }

    public subscript(_ word: Word) -> String { words[word] ?? word.rawValue }

    public var agenda: String { self[.agenda] }
    public var item: String { self[.item] }
    public var meetingOn: String { self[.meetingOn] }
    public var oClock: String { self[.oClock] }
    public var place: String { self[.place] }
    public var deadline: String { self[.deadline] }
    public var ticket: String { self[.ticket] }
    public var title: String { self[.title] }
    public var section: String { self[.section] }
    public var entered: String { self[.entered] }
    public var waitingDays: String { self[.waitingDays] }
    public var deferrals: String { self[.deferrals] }
    public var noItems: String { self[.noItems] }
    public var none: String { self[.none] }
    public var minutes: String { self[.minutes] }
    public var resolutions: String { self[.resolutions] }
    public var number: String { self[.number] }
    public var decision: String { self[.decision] }
    public var responsible: String { self[.responsible] }
    public var dueDate: String { self[.dueDate] }
    public var inWriting: String { self[.inWriting] }
    public var paper: String { self[.paper] }
    public var subject: String { self[.subject] }
    public var facts: String { self[.facts] }
    public var proposal: String { self[.proposal] }
    public var feedback: String { self[.feedback] }
    public var reportedOn: String { self[.reportedOn] }
    public var outcome: String { self[.outcome] }
    public var reportedBy: String { self[.reportedBy] }
    public var mergedIn: String { self[.mergedIn] }
    public var area: String { self[.area] }

    static let english: [Word: String] = [
        .agenda: "Agenda", .item: "Item", .meetingOn: "Meeting on", .oClock: "", .place: "Place", .deadline: "Submission deadline",
        .ticket: "Ticket", .title: "Title", .section: "Section", .entered: "Entered", .waitingDays: "Waiting (days)",
        .deferrals: "Deferrals", .noItems: "No items.", .none: "–", .minutes: "Minutes", .resolutions: "Resolutions",
        .number: "No.", .decision: "Decision", .responsible: "Responsible", .dueDate: "Due", .inWriting: "In writing",
        .paper: "Decision paper", .subject: "Subject", .facts: "Facts", .proposal: "Proposed resolution",
        .feedback: "Feedback to case managers", .reportedOn: "reported on", .outcome: "Outcome", .reportedBy: "Reported by",
        .mergedIn: "Merged reports", .area: "area",
        .report: "Report", .period: "Period", .all: "all", .openPerStage: "Open tickets per stage", .stage: "Stage", .count: "Count",
        .months: "Opened and finished per month", .month: "Month", .opened: "opened", .finished: "finished",
        .stageTimes: "Time per stage (business days)", .stays: "Stays", .median: "Median", .percentile90: "90th percentile",
        .overdue: "Overdue tickets", .breakdowns: "Breakdown of tickets opened in the period", .value: "Value",
        .chartNote: "The numbers are in the table beside the chart.", .flow: "Tickets per stage at the end of each month",
        .smallNumbersNote:
            "Counts below 5 are shown as \"<5\", medians and percentiles of fewer than 5 stays as \"n/a\", free text given for fewer than 5 tickets under \"other values\".",
        .withheld: "n/a", .otherValues: "other values",
        .internalNote: "For internal use only: small numbers are not masked.", .openTickets: "open", .overdueTickets: "overdue",
        .supplement: "Supplement", .urgent: "Urgent item", .draft: "Draft", .corrections: "Corrections", .correctionOn: "Correction of",
        .inWritingSince: "Decisions in writing since the last meeting", .previousMinutes: "Minutes of the meeting on",
        .approved: "approved", .notApproved: "not yet approved", .chair: "Chair", .minuteTaker: "Minutes taken by",
        .comment: "Note", .eventTitle: "Decided", .cancelled: "cancelled",
        .start: "Start", .end: "End", .member: "Member", .body: "Body", .presence: "Attendance", .present: "present",
        .absent: "absent", .representedBy: "represented by", .quorum: "Quorum", .quorate: "quorate", .notQuorate: "not quorate",
        .membersAttending: "members present or represented", .vote: "Vote", .unanimous: "unanimous", .votesFor: "for",
        .votesAgainst: "against", .abstentions: "abstentions",
        .paperNumber: "Paper no.", .date: "Date", .leadOffice: "Lead office", .consultationOrder: "Consultation",
        .finance: "Financial effects", .involved: "Offices involved", .earlierConsultations: "Earlier consultations",
        .comparison: "Mandate and solution", .attachments: "Attachments",
    ]
}
