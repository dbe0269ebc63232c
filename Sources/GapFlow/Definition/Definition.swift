/// A validated workflow definition: states, transitions, fields and roles read from one file.
///
/// Only ``DefinitionLoader`` makes one, and only when the validator found no error, so every
/// state, field and role a part refers to exists and the engine never checks for dangling names.
public struct Definition: Sendable {
    /// The workflow's id, e.g. `systemic-gap-escalation`.
    public let id: String
    /// The version number; a changed file must raise it.
    public let version: Int
    /// The title shown to users, in the workflow's language.
    public let title: String
    /// The language of titles and exports (BCP 47, e.g. `de`).
    public let language: String
    /// The prefix of ticket ids, e.g. `GAP` for `GAP-2026-0042`.
    public let ticketPrefix: String
    public let roles: [Role]
    public let fields: [Field]
    public let opening: Opening
    public let states: [State]
    public let transitions: [Transition]
    public let pathRules: [PathRule]
    /// The field an actor's municipality restricts, if the workflow scopes actors by municipality.
    public let scopeField: String?
    /// Working days and time zone for timers.
    public let calendar: BusinessCalendar
    /// How tickets come before meetings, if the workflow has meetings.
    public let meetings: MeetingRules?
    /// The fields reports break their counts down by (`"reportBreakdowns"`); by default every enum and set field.
    public let reportBreakdowns: [String]
    /// How long tickets are kept after they reach a final state before their free text is removed, if the workflow says.
    public let retention: ISODuration?
    /// What to do with text that looks like personal data, and the words for it (`"personalData"`).
    public let personalData: PersonalDataPolicy
    /// Whether text that looks like personal data is refused (`"personalData": "refuse"`) rather than warned about.
    public var refusesPersonalData: Bool { personalData.mode == .refuse }
    /// Who may read which tickets (`"readers"`); nil: every actor holding one of the workflow's roles reads all.
    public internal(set) var readers: [ReadRule]?
    /// Who may redact personal data from open tickets, if anyone (`"redaction"`).
    public let redaction: RedactionRules?
    /// How documents that leave the coordination mask small numbers (`"smallNumbers"`).
    public let smallNumbers: SmallNumbers
    /// The words of exports (`"words"`), in the workflow's language.
    public let words: Vocabulary

    private let stateIndex: [String: Int]
    private let fieldIndex: [String: Int]
    private let roleIndex: [String: Int]

    init(
        id: String, version: Int, title: String, language: String, ticketPrefix: String,
        roles: [Role], fields: [Field], opening: Opening, states: [State], transitions: [Transition],
        pathRules: [PathRule], scopeField: String?, calendar: BusinessCalendar, meetings: MeetingRules?,
        personalData: PersonalDataPolicy,
        retention: ISODuration?, reportBreakdowns: [String]?, redaction: RedactionRules? = nil, smallNumbers: SmallNumbers? = nil,
        words: [Vocabulary.Word: String] = [:]
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.language = language
        self.ticketPrefix = ticketPrefix
        self.roles = roles
        self.fields = fields
        self.opening = opening
        self.states = states
        self.transitions = transitions
        self.pathRules = pathRules
        self.scopeField = scopeField
        self.calendar = calendar
        self.meetings = meetings
        self.personalData = personalData
        self.retention = retention
        self.redaction = redaction
        self.smallNumbers =
            smallNumbers
            ?? SmallNumbers(
                fields: fields.filter { field in
                    if case .integer = field.type { true } else { false }
                }.map(\.id))
        self.words = Vocabulary(language: language, overrides: words)
        self.reportBreakdowns =
            reportBreakdowns
            ?? fields.filter { field in
                switch field.type {
                case .choice, .choiceSet: true
                default: false
                }
            }.map(\.id)
        stateIndex = Dictionary(states.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        fieldIndex = Dictionary(fields.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        roleIndex = Dictionary(roles.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The state with this id, if the workflow has one.
    public func state(_ id: String) -> State? { stateIndex[id].map { states[$0] } }

    /// The field with this id, if the workflow has one.
    public func field(_ id: String) -> Field? { fieldIndex[id].map { fields[$0] } }

    /// The role with this id, if the workflow has one.
    public func role(_ id: String) -> Role? { roleIndex[id].map { roles[$0] } }

    /// The position of a role in the file, used to pick an actor's role deterministically.
    func roleOrder(_ id: String) -> Int { roleIndex[id] ?? Int.max }

    /// Whether any transition of the workflow is named `event`.
    public func hasEvent(_ event: String) -> Bool { transitions.contains { $0.event == event } }

    /// The transitions that leave `state`, in file order.
    public func transitions(from state: String) -> [Transition] {
        transitions.filter { $0.from.contains(state) }
    }

    /// The role timers act in; transitions that list it may be fired by timers.
    public static let systemRole = "system"

    /// The title of a state, falling back to its id.
    public func stateTitle(_ id: String) -> String { state(id)?.title ?? id }
}

/// A role that actors hold, e.g. `ki_lead` (KI-Leitung).
public struct Role: Sendable, Equatable {
    public let id: String
    public let title: String
}

/// A stage of the process.
public struct State: Sendable, Equatable {
    public let id: String
    public let title: String
    /// The role that owns tickets standing here; nil only for final states.
    public let owner: String?
    public let isFinal: Bool
    public let description: String?
    /// Timers armed when a ticket enters the state.
    public let timers: [TimerSpec]
    /// Notices sent whenever a ticket enters the state.
    public let onEnter: [EntryNotice]
    /// The agenda section under which tickets in this state come before meetings, if they do.
    public let meetingSection: String?

    /// The timer with this id.
    public func timer(_ id: String) -> TimerSpec? { timers.first { $0.id == id } }
}

/// How tickets are opened: in which state, by which roles, with which fields.
public struct Opening: Sendable, Equatable {
    public let state: String
    public let roles: [String]
    /// Fields that must be given when a ticket is opened.
    public let requires: [String]
    /// Fields that may be given when a ticket is opened, besides the required ones.
    public let sets: [String]
}

/// An event that moves a ticket from one of its source states to a target state.
public struct Transition: Sendable, Equatable {
    public let event: String
    public let title: String
    public let from: [String]
    /// The target state; nil means the ticket stays where it is (e.g. a deferral).
    public let to: String?
    public let roles: [String]
    /// Fields that must hold a value after the event: already set, or given with the command.
    public let requires: [String]
    /// Fields that must be given with the command itself: a value left from an earlier event does not count
    /// (e.g. each steering decision needs its own decision note).
    public let requiresNew: [String]
    /// Fields the event may set, besides the required ones.
    public let sets: [String]
    public let condition: Condition?
    /// Only members of the registered group named in this field may fire the event (`"membersOf"`).
    public internal(set) var membersOf: String? = nil
    /// Notices sent when the event is fired (`"notices"`).
    public internal(set) var notices: [EntryNotice] = []
    /// What the event does to the ticket another field refers to (`"merge"`).
    public internal(set) var merge: MergeRule? = nil
    /// The outcome in words for the feedback to reporters (`"outcome"`, e.g. "the steering group rejected the gap");
    /// nil shows the event's title.
    public internal(set) var outcome: String? = nil

    /// Where the event leads from `state`.
    public func target(from state: String) -> String { to ?? state }

    /// Whether the command may give a value for `field`.
    public func mayWrite(_ field: String) -> Bool { requires.contains(field) || requiresNew.contains(field) || sets.contains(field) }

    /// Every field the event needs, whether it may already be set or must be given anew.
    public var needs: [String] { requires + requiresNew.filter { !requires.contains($0) } }
}

/// What a merge does to the ticket it merges into: counts are added up, values are collected into a set field.
public struct MergeRule: Sendable, Equatable {
    /// The ticket field naming the ticket merged into.
    public let into: String
    /// Integer fields added to the target's.
    public let sums: [String]
    /// Pairs (source field, target set field): the source's values, and the target's own, join the target's set.
    public let collects: [(from: String, into: String)]

    public static func == (lhs: MergeRule, rhs: MergeRule) -> Bool {
        lhs.into == rhs.into && lhs.sums == rhs.sums && lhs.collects.map(\.from) == rhs.collects.map(\.from)
            && lhs.collects.map(\.into) == rhs.collects.map(\.into)
    }
}

/// A declared property of every path through the graph, proven by the validator.
public struct PathRule: Sendable, Equatable {
    /// Every path from the initial state into `into` passes through `through`.
    public let into: String
    public let through: String
    public let description: String?
}

/// One rule of a workflow's `"readers"`: actors with one of `roles` may read the tickets it names.
public struct ReadRule: Sendable, Equatable {
    /// Which tickets.
    public enum Tickets: String, Sendable {
        /// Every ticket.
        case all
        /// Tickets whose scope field is the actor's municipality.
        case scope
        /// Tickets the actor reported.
        case own
    }

    public let roles: [String]
    public let tickets: Tickets
    /// Only tickets in these states; nil: in any state.
    public let states: [String]?
}

extension Definition {
    /// Whether `actor` may read `ticket`: a page or API call for a ticket the actor may not read answers as if it did
    /// not exist. Actors holding none of the workflow's roles read nothing.
    public func mayRead(_ ticket: Ticket, actor: Actor) -> Bool {
        guard let readers else { return actor.roles.contains { role($0) != nil } }
        return readers.contains { rule in
            guard rule.roles.contains(where: actor.roles.contains), rule.states.map({ $0.contains(ticket.state) }) ?? true else {
                return false
            }
            switch rule.tickets {
            case .all: return true
            case .own: return ticket.openedBy.lowercased() == actor.name.lowercased()
            case .scope:
                return !actor.scope.isEmpty && covers(actor.scope, ticket.fields)
            }
        }
    }

    /// The values of the scope field a ticket holds (one, or several for a set field).
    public func scopeValues(_ fields: [String: FieldValue]) -> [String] {
        guard let scopeField else { return [] }
        switch fields[scopeField] {
        case .choice(let value)?: return [value]
        case .choices(let values)?: return values
        case .text(let value)?: return [value]
        default: return []
        }
    }

    /// Whether a scope (values of the scope field and groups of them) covers tickets with these fields: an empty scope,
    /// or a workflow without a scope field, covers everything; otherwise one of the ticket's values must be named, or
    /// lie in a named group. A ticket without a value is covered only by an empty scope.
    public func covers(_ scope: [String], _ fields: [String: FieldValue]) -> Bool {
        guard !scope.isEmpty, scopeField != nil else { return true }
        let choices = scopeField.flatMap { field($0)?.type.choices }
        return scopeValues(fields).contains { value in
            scope.contains(value) || choices?.value(value)?.group.map(scope.contains) == true
        }
    }

    /// The values of the scope field a scope names, areas spelled out: what a new ticket of the actor may be filled in with.
    public func scopeMembers(_ scope: [String]) -> [String] {
        guard let choices = scopeField.flatMap({ field($0)?.type.choices }) else { return scope }
        return choices.values.filter { value in scope.contains(value.id) || value.group.map(scope.contains) == true }.map(\.id)
    }
}
