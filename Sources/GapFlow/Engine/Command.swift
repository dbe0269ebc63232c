/// What an actor asks the engine to do.
public struct Command: Sendable {
    /// Open a new ticket, or fire an event on an existing one.
    public enum Action: Sendable, Equatable {
        case open
        case fire(event: String)
    }

    public let action: Action
    public let actor: Actor
    /// The role the actor acts in; nil lets the engine pick the first of the actor's roles that is allowed.
    public let role: String?
    public let values: [String: FieldInput]
    public let comment: String?
    /// The revision the caller last read; a different current revision is a conflict.
    public let expectedRevision: Int?
    /// Set when the command records a decision of a meeting or in writing.
    public var decision: DecisionRecord?
    /// Refuse text that looks like personal data instead of accepting it with a warning.
    public var strict = false

    public init(
        _ action: Action, actor: Actor, role: String? = nil, values: [String: FieldInput] = [:], comment: String? = nil,
        expectedRevision: Int? = nil
    ) {
        self.action = action
        self.actor = actor
        self.role = role
        self.values = values
        self.comment = comment
        self.expectedRevision = expectedRevision
        self.decision = nil
    }

    /// The event name recorded in the history.
    public var event: String {
        switch action {
        case .open: HistoryEntry.openEvent
        case .fire(let event): event
        }
    }
}

/// What the engine knows about a ticket another ticket's field refers to.
public struct ReferencedTicket: Sendable, Equatable {
    public let workflowID: String
    public let state: String
    public let isFinal: Bool

    public init(workflowID: String, state: String, isFinal: Bool) {
        self.workflowID = workflowID
        self.state = state
        self.isFinal = isFinal
    }
}
