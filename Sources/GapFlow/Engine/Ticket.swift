import Foundation

/// A gap ticket: one running instance of a workflow, pinned to the definition version it started with.
public struct Ticket: Sendable, Equatable {
    /// A readable id, e.g. `GAP-2026-0042`.
    public let id: String
    public let workflowID: String
    public internal(set) var version: Int
    public internal(set) var state: String
    /// Counts the history entries; a command may demand the revision it read to avoid lost updates.
    public internal(set) var revision: Int
    public internal(set) var fields: [String: FieldValue]
    public let openedAt: Date
    public let openedBy: String
    public internal(set) var updatedAt: Date

    public init(
        id: String, workflowID: String, version: Int, state: String, revision: Int, fields: [String: FieldValue],
        openedAt: Date, openedBy: String, updatedAt: Date
    ) {
        self.id = id
        self.workflowID = workflowID
        self.version = version
        self.state = state
        self.revision = revision
        self.fields = fields
        self.openedAt = openedAt
        self.openedBy = openedBy
        self.updatedAt = updatedAt
    }
}

/// A person (or the timer service) acting on tickets, with the roles they hold.
public struct Actor: Sendable, Equatable {
    public let name: String
    public let roles: [String]
    /// Where the actor works, for workflows that scope actors by a field (the municipality, in the KIM file): values of
    /// that field and groups of its values (areas, e.g. `linksrheinisch`). Empty means unrestricted.
    public let scope: [String]

    public init(name: String, roles: [String], scope: [String]) {
        self.name = name
        self.roles = roles
        var unique: [String] = []
        for entry in scope where !unique.contains(entry) { unique.append(entry) }
        self.scope = unique
    }

    /// An actor restricted to one municipality (or area), or unrestricted when `municipality` is nil.
    public init(name: String, roles: [String], municipality: String? = nil) {
        self.init(name: name, roles: roles, scope: municipality.map { [$0] } ?? [])
    }

    /// The actor timers act as.
    public static let system = Actor(name: "system", roles: [Definition.systemRole])

    /// The scope as stores keep it in one text column: entries one a line (names of values never hold a line break).
    public static func storedScope(_ scope: [String]) -> String? { scope.isEmpty ? nil : scope.joined(separator: "\n") }

    /// The scope read back from ``storedScope(_:)``.
    public static func scope(stored: String?) -> [String] {
        stored.map { $0.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) } ?? []
    }
}

/// One change of one field, as recorded in the history.
public struct FieldChange: Sendable, Equatable {
    public let field: String
    public let old: FieldValue?
    public let new: FieldValue?

    public init(field: String, old: FieldValue? = nil, new: FieldValue? = nil) {
        self.field = field
        self.old = old
        self.new = new
    }
}

/// One append-only record of what happened to a ticket: who, when, what and why.
public struct HistoryEntry: Sendable, Equatable {
    /// The ticket's revision after this entry (1 for the opening).
    public let revision: Int
    public let at: Date
    public let actor: String
    public let role: String
    /// The event fired; `open` for the opening entry.
    public let event: String
    /// The state before; nil for the opening entry.
    public let from: String?
    public let to: String
    public let changes: [FieldChange]
    public let comment: String?
    /// Set when the change is a decision of a meeting or in writing (*Umlaufverfahren*).
    public var decision: DecisionRecord?
    /// The operating-system account that ran the command, beside the actor it acted for (set by the CLI; the web
    /// front's actors are their own logins). Covered by the hash chain.
    public var account: String?
    /// Set on a redaction's entry (*Schwärzung*): which values it replaced, never the removed text.
    public var redaction: RedactionRecord?
    /// Set when `actor` acted as deputy (*Vertretung*) for this actor. Covered by the hash chain.
    public var deputyFor: String?

    public init(
        revision: Int, at: Date, actor: String, role: String, event: String, from: String?, to: String, changes: [FieldChange],
        comment: String?, decision: DecisionRecord? = nil
    ) {
        self.revision = revision
        self.at = at
        self.actor = actor
        self.role = role
        self.event = event
        self.from = from
        self.to = to
        self.changes = changes
        self.comment = comment
        self.decision = decision
    }

    /// The name of the opening event in every history.
    public static let openEvent = "open"
}
