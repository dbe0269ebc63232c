/// How a workflow's items come before a board's meetings (the KIM steering group's *Lenkungsgruppe*).
///
/// States that are decided at meetings name an agenda section; a ticket standing in such a state appears on
/// the agenda of the first meeting whose submission deadline (*Antragsfrist*) it entered the state by. An event
/// that keeps the ticket in its state (a deferral, *Vertagung*) counts as entering it again, so the item moves
/// to the next meeting. How a definition file declares them: <doc:DefinitionFormat#Meetings>.
public struct MeetingRules: Sendable, Equatable {
    /// A group of agenda items, e.g. new gaps, then solutions to deliberate.
    public struct Section: Sendable, Equatable {
        public let id: String
        public let title: String
    }

    /// A fixed item listing what the board decided and is not finished yet (*Beschlusskontrolle*): the tickets in
    /// its states, e.g. open mandates of project groups and reports awaiting an answer, with the fields that say who
    /// is responsible and by when.
    public struct StatusItem: Sendable, Equatable {
        public let title: String
        /// The states whose tickets it lists (`"state"`: one state or a list), in this order.
        public let states: [String]
        public let fields: [String]
        /// A date field (`"overdue"`): a ticket whose date lies before the meeting's day is marked overdue.
        public var overdueField: String?

        public init(title: String, states: [String], fields: [String], overdueField: String? = nil) {
            self.title = title
            self.states = states
            self.fields = fields
            self.overdueField = overdueField
        }
    }

    /// Calendar days between the submission deadline and the meeting.
    public let submissionDays: Int
    /// Fixed items before the substantive ones (opening, approval of the last minutes).
    public let openingItems: [String]
    public let statusItem: StatusItem?
    public let sections: [Section]
    /// Fixed items after the substantive ones (any other business).
    public let closingItems: [String]
    /// The fields shown for each item, in this order.
    public let itemFields: [String]
    /// The decision paper (*Beschlussvorlage*): facts and proposed resolution, as fields.
    public let paper: Paper?
    /// The feedback to case managers: which state it is given in, and which fields tell the outcome.
    public let feedback: Feedback?
    /// The points of the agenda that are public (OParl's `public`): `openingItems`, `statusItem`, `closingItems`, and
    /// section ids. None is public unless the workflow says so.
    public let publicPoints: Set<String>

    /// The names `"public"` gives the fixed points by.
    public static let fixedPointNames = ["openingItems", "statusItem", "closingItems"]
    /// The events that are decisions of the board (e.g. mandate, reject, defer): they are fired only through a
    /// meeting's decisions or a decision in writing (*Umlaufverfahren*), each with its resolution number.
    public var decisionEvents: Set<String> = []
    /// The letterhead of the board's printed documents (agenda, minutes, decision paper), line by line: e.g. the
    /// district, the programme, the office. Empty: no letterhead.
    public var letterhead: [String] = []

    /// The number of a section's point on the agenda: after the opening items and the status item.
    public func pointNumber(ofSection id: String) -> Int? {
        sections.firstIndex { $0.id == id }.map { openingItems.count + (statusItem == nil ? 0 : 1) + $0 + 1 }
    }

    /// The words before the root of the latest signed checkpoint, which the minutes print so that the signed paper
    /// anchors the history (e.g. "Prüfsumme der Vorgangshistorie"); without it the minutes print no root.
    public let checkpointTitle: String?

    /// What a decision paper shows: its facts (*Sachverhalt*) and its proposed resolution (*Beschlussvorschlag*).
    public struct Paper: Sendable, Equatable {
        public let facts: [String]
        /// Tried in order; the first field with a value is the proposal (e.g. the solution once there is one).
        public let proposal: [String]
        /// The fields that state the financial effects (*Finanzielle Auswirkungen*); none: the paper says so.
        public var finance: [String] = []
        /// The fields that name the offices involved (*Beteiligte Stellen*).
        public var involved: [String] = []
        /// Fields shown side by side when all have values, e.g. the original mandate beside the group's solution.
        public var compare: [String] = []
    }

    /// The feedback report for case managers (*Rückmeldung an CMs*).
    public struct Feedback: Sendable, Equatable {
        public let state: String
        /// The fields that say what came of the gap, in this order (e.g. decision note, solution, reason).
        public let outcome: [String]
    }
}
