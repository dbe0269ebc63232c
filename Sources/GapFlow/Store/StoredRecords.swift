import Foundation

/// A definition version as registered in the store.
public struct DefinitionRecord: Sendable, Equatable {
    public let workflowID: String
    public let version: Int
    public let title: String
    public let contentHash: String
    public let file: String
    public let registeredAt: Date
    /// Tickets of this version that are not yet in a final state (filled in by the engine).
    public var openTickets: Int

    public init(workflowID: String, version: Int, title: String, contentHash: String, file: String, registeredAt: Date, openTickets: Int) {
        self.workflowID = workflowID
        self.version = version
        self.title = title
        self.contentHash = contentHash
        self.file = file
        self.registeredAt = registeredAt
        self.openTickets = openTickets
    }
}

/// Which tickets `list` shows; every part is optional and they combine with AND.
public struct TicketFilter: Sendable, Equatable {
    public var workflow: String?
    public var states: [String]?
    /// Field values the tickets must have; for set fields, the set must contain the value.
    public var fields: [String: FieldValue]
    public var limit: Int?

    public init(workflow: String? = nil, states: [String]? = nil, fields: [String: FieldValue] = [:], limit: Int? = nil) {
        self.workflow = workflow
        self.states = states
        self.fields = fields
        self.limit = limit
    }
}

/// A timer row: armed by a state, pending until it fires, is skipped or cancelled.
public struct TimerRecord: Sendable, Equatable {
    public enum Status: String, Sendable {
        case pending, fired, skipped, cancelled, refused
    }

    public let id: Int
    public let ticketID: String
    public let state: String
    public let timer: String
    public let armedAt: Date
    public let armedRevision: Int
    public let dueAt: Date
    public let status: Status
    public let doneAt: Date?
    /// How late it fired (or was skipped), in milliseconds.
    public let lateMilliseconds: Int?
    public let note: String?

    public init(
        id: Int, ticketID: String, state: String, timer: String, armedAt: Date, armedRevision: Int, dueAt: Date, status: Status,
        doneAt: Date? = nil, lateMilliseconds: Int? = nil, note: String? = nil
    ) {
        self.id = id
        self.ticketID = ticketID
        self.state = state
        self.timer = timer
        self.armedAt = armedAt
        self.armedRevision = armedRevision
        self.dueAt = dueAt
        self.status = status
        self.doneAt = doneAt
        self.lateMilliseconds = lateMilliseconds
        self.note = note
    }
}

/// A notice waiting in (or delivered from) the outbox.
public struct OutboxNotice: Sendable, Equatable {
    /// Stable across retries, so receivers can drop duplicates.
    public let id: String
    public let createdAt: Date
    public let ticketID: String
    public let kind: String
    public let role: String
    /// The notice as JSON, exactly as handed to the delivery command.
    public let payload: String
    public let attempts: Int
    public let nextAttemptAt: Date
    public let deliveredAt: Date?
    public let lastError: String?

    public init(
        id: String, createdAt: Date, ticketID: String, kind: String, role: String, payload: String, attempts: Int, nextAttemptAt: Date,
        deliveredAt: Date? = nil, lastError: String? = nil
    ) {
        self.id = id
        self.createdAt = createdAt
        self.ticketID = ticketID
        self.kind = kind
        self.role = role
        self.payload = payload
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
        self.lastError = lastError
    }
}

/// A definition version's source as registered, with the hash that pins it.
public struct StoredDefinitionSource: Sendable, Equatable {
    public let source: String
    public let hash: String

    public init(source: String, hash: String) {
        self.source = source
        self.hash = hash
    }
}

/// How many tickets of one workflow version are in one state.
public struct TicketCount: Sendable, Equatable {
    public let workflow: String
    public let version: Int
    public let state: String
    public let count: Int

    public init(workflow: String, version: Int, state: String, count: Int) {
        self.workflow = workflow
        self.version = version
        self.state = state
        self.count = count
    }
}

/// Where a ticket stands on the way to an agenda: since when it waits in a state, and how often it was deferred.
public struct AgendaAnchor: Sendable, Equatable {
    /// When the ticket last entered the state (a stay in it, such as a deferral, counts as entering again).
    public let entered: Date?
    /// How often the ticket stayed in a meeting state, e.g. was deferred.
    public let stays: Int
    /// The meeting whose decision put the ticket in the state, if any.
    public let decidedAt: Int?

    public init(entered: Date?, stays: Int, decidedAt: Int?) {
        self.entered = entered
        self.stays = stays
        self.decidedAt = decidedAt
    }
}

/// A history entry recorded for a meeting, with its ticket.
public struct RecordedDecision: Sendable, Equatable {
    public let ticket: String
    public let entry: HistoryEntry

    public init(ticket: String, entry: HistoryEntry) {
        self.ticket = ticket
        self.entry = entry
    }
}
