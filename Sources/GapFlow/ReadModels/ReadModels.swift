import Foundation

// The JSON shapes of what GapFlow shows: `--json` output of the CLI and bodies of the web front's API.
// Field names are stable; dates are ISO 8601 in UTC; absent values are `null`. Encode with ``JSONValueEncoder``.

/// A ticket as shown: its state with title and owner, its revision and its fields in the definition's order.
public struct TicketView: Encodable, Sendable {
    public let ticket: Ticket
    /// The definition version the ticket is pinned to (titles, owner and field order come from it), if known.
    public let definition: Definition?
    /// Pending timers, when the view shows them (`show`).
    public let pendingTimers: [TimerRecord]?

    public init(_ ticket: Ticket, _ definition: Definition?, pendingTimers: [TimerRecord]? = nil) {
        self.ticket = ticket
        self.definition = definition
        self.pendingTimers = pendingTimers
    }

    private enum Keys: String, CodingKey {
        case id, workflow, version, state, stateTitle, owner, final, revision, openedAt, openedBy, updatedAt, fields, pendingTimers
    }

    private struct PendingTimer: Encodable {
        let timer: String
        let dueAt: Date
    }

    public func encode(to encoder: any Encoder) throws {
        let state = definition?.state(ticket.state)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(ticket.id, forKey: .id)
        try container.encode(ticket.workflowID, forKey: .workflow)
        try container.encode(ticket.version, forKey: .version)
        try container.encode(ticket.state, forKey: .state)
        try container.encode(state?.title ?? ticket.state, forKey: .stateTitle)
        try container.encodeIfPresent(state?.owner, forKey: .owner)
        try container.encode(state?.isFinal ?? false, forKey: .final)
        try container.encode(ticket.revision, forKey: .revision)
        try container.encode(ticket.openedAt, forKey: .openedAt)
        try container.encode(ticket.openedBy, forKey: .openedBy)
        try container.encode(ticket.updatedAt, forKey: .updatedAt)
        let order = definition?.fields.map(\.id) ?? []
        let names = ticket.fields.keys.sorted { (order.firstIndex(of: $0) ?? .max, $0) < (order.firstIndex(of: $1) ?? .max, $1) }
        var fields = container.nestedContainer(keyedBy: AnyKey.self, forKey: .fields)
        for name in names {
            if let value = ticket.fields[name] { try fields.encode(value, forKey: AnyKey(name)) }
        }
        if let pendingTimers {
            try container.encode(pendingTimers.map { PendingTimer(timer: $0.timer, dueAt: $0.dueAt) }, forKey: .pendingTimers)
        }
    }
}

extension FieldValue: Encodable {
    /// A value as JSON: text, a whole number, an ISO 8601 date, or an array of choice ids.
    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}

extension LocalDate: Encodable {
    /// A date as ISO 8601 (`2027-03-11`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }
}

extension FieldChange: Encodable {
    private enum Keys: String, CodingKey { case field, old, new }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(field, forKey: .field)
        try container.encodeIfPresent(old, forKey: .old)
        try container.encodeIfPresent(new, forKey: .new)
    }
}

extension DecisionRecord: Encodable {
    private enum Keys: String, CodingKey { case meeting, resolution }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encodeIfPresent(meeting, forKey: .meeting)
        try container.encode(resolution, forKey: .resolution)
    }
}

extension HistoryEntry: Encodable {
    private enum Keys: String, CodingKey {
        case revision, at, actor, account, role, event, from, to, changes, comment, decision, redaction, deputyFor
    }

    /// Who did what and when; `decision` names the meeting and resolution when the entry was decided at one.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(revision, forKey: .revision)
        try container.encode(at, forKey: .at)
        try container.encode(actor, forKey: .actor)
        try container.encodeIfPresent(deputyFor, forKey: .deputyFor)
        try container.encodeIfPresent(account, forKey: .account)
        try container.encode(role, forKey: .role)
        try container.encode(event, forKey: .event)
        try container.encodeIfPresent(from, forKey: .from)
        try container.encode(to, forKey: .to)
        try container.encode(changes, forKey: .changes)
        try container.encodeIfPresent(comment, forKey: .comment)
        try container.encodeIfPresent(decision, forKey: .decision)
        try container.encodeIfPresent(redaction, forKey: .redaction)
    }
}

extension RedactionRecord: Encodable {
    private enum Keys: String, CodingKey { case field, passage, entries, ticket, notices }
    private enum ChangeKeys: String, CodingKey { case revision, digest }

    /// Which field (or, without one, comment) a redaction touched, in which entries (with each entry's digest
    /// afterwards), whether the ticket and how many notices changed; never the removed text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encodeIfPresent(field, forKey: .field)
        try container.encode(passage, forKey: .passage)
        var list = container.nestedUnkeyedContainer(forKey: .entries)
        for change in entries {
            var item = list.nestedContainer(keyedBy: ChangeKeys.self)
            try item.encode(change.revision, forKey: .revision)
            try item.encode(change.digest, forKey: .digest)
        }
        try container.encode(ticket, forKey: .ticket)
        try container.encode(notices, forKey: .notices)
    }
}

/// An event the actor may fire (or not yet) on a ticket, with what still blocks it.
public struct EventOptionView: Encodable, Sendable {
    public let event: String
    public let title: String
    public let to: String
    /// True when nothing blocks it.
    public let ready: Bool
    /// The fields it still needs.
    public let needs: [String]
    public let blockers: [String]

    public init(_ option: EventOption, from state: String) {
        event = option.transition.event
        title = option.transition.title
        to = option.transition.target(from: state)
        ready = option.blockers.isEmpty
        needs = option.blockers.filter { $0.code == .missingField }.compactMap(\.subject)
        blockers = option.blockers.map(\.message)
    }
}

extension DefinitionRecord: Encodable {
    private enum Keys: String, CodingKey { case workflow, version, title, openTickets, contentHash, file, registeredAt }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(workflowID, forKey: .workflow)
        try container.encode(version, forKey: .version)
        try container.encode(title, forKey: .title)
        try container.encode(openTickets, forKey: .openTickets)
        try container.encode(contentHash, forKey: .contentHash)
        try container.encode(file, forKey: .file)
        try container.encode(registeredAt, forKey: .registeredAt)
    }
}

/// A pending timer with what it will do (from its definition).
public struct TimerView: Encodable, Sendable {
    public let id: Int
    public let ticket: String
    public let state: String
    public let timer: String
    public let dueAt: Date
    public let armedAt: Date
    /// The role it reminds, if it is a reminder.
    public let notify: String?
    /// The event it fires, if it escalates.
    public let fire: String?

    public init(_ record: TimerRecord, _ spec: TimerSpec?) {
        id = record.id
        ticket = record.ticketID
        state = record.state
        timer = record.timer
        dueAt = record.dueAt
        armedAt = record.armedAt
        notify = spec?.notify
        fire = spec?.fire
    }
}

extension TimerFiring: Encodable {
    private enum Keys: String, CodingKey { case timer, ticket, status, lateSeconds, summary }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(timer.id, forKey: .timer)
        try container.encode(timer.ticketID, forKey: .ticket)
        try container.encode(status.rawValue, forKey: .status)
        try container.encode(Int(lateBy), forKey: .lateSeconds)
        try container.encode(summary, forKey: .summary)
    }
}

extension OutboxNotice: Encodable {
    private enum Keys: String, CodingKey { case id, createdAt, ticket, kind, role, attempts, deliveredAt, lastError, notice }

    /// The notice with its delivery state; `notice` is the payload handed to the delivery command, as JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(id, forKey: .id)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(ticketID, forKey: .ticket)
        try container.encode(kind, forKey: .kind)
        try container.encode(role, forKey: .role)
        try container.encode(attempts, forKey: .attempts)
        try container.encodeIfPresent(deliveredAt, forKey: .deliveredAt)
        try container.encodeIfPresent(lastError, forKey: .lastError)
        if let node = try? JSONParser.parse(payload) {
            try container.encode(JSONValue(node), forKey: .notice)
        } else {
            try container.encode(payload, forKey: .notice)
        }
    }
}

extension QueueEntry: Encodable {
    private enum Keys: String, CodingKey { case ticket, overdue, nextDeadline, entered, events }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(TicketView(ticket, definition), forKey: .ticket)
        try container.encode(overdue, forKey: .overdue)
        try container.encodeIfPresent(nextDeadline, forKey: .nextDeadline)
        try container.encode(entered, forKey: .entered)
        try container.encode(events, forKey: .events)
    }
}

extension SimilarTicket: Encodable {
    private enum Keys: String, CodingKey { case ticket, score, reasons }

    /// The score in percent (0–100).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(ticket.id, forKey: .ticket)
        try container.encode(Int((score * 100).rounded()), forKey: .score)
        try container.encode(reasons, forKey: .reasons)
    }
}

extension Actor: Encodable {
    private enum Keys: String, CodingKey { case name, roles, municipality, scope }

    /// `scope` lists municipalities and areas; `municipality` stays for a scope of one entry.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(name, forKey: .name)
        try container.encode(roles, forKey: .roles)
        if scope.count == 1 { try container.encode(scope[0], forKey: .municipality) }
        if !scope.isEmpty { try container.encode(scope, forKey: .scope) }
    }
}

extension Meeting: Encodable {
    private enum Keys: String, CodingKey { case id, workflow, date, time, title, place, submissionDeadline }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(id, forKey: .id)
        try container.encode(workflowID, forKey: .workflow)
        try container.encode(date, forKey: .date)
        try container.encodeIfPresent(time, forKey: .time)
        try container.encode(title, forKey: .title)
        try container.encodeIfPresent(place, forKey: .place)
        try container.encode(submissionDeadline, forKey: .submissionDeadline)
    }
}

/// What applying (or checking) a decisions file did.
public struct DecisionsView: Encodable, Sendable {
    /// True for a check: nothing was changed.
    public let checked: Bool
    /// Entries of the file that were left empty.
    public let skipped: [Int]
    public let decisions: [AppliedDecision]

    public init(checked: Bool, skipped: [Int], decisions: [AppliedDecision]) {
        self.checked = checked
        self.skipped = skipped
        self.decisions = decisions
    }
}

extension Diagnostic: Encodable {
    private enum Keys: String, CodingKey { case severity, code, message, path, line, column, hint }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(severity.rawValue, forKey: .severity)
        try container.encode(code.rawValue, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encode(path, forKey: .path)
        try container.encodeIfPresent(position?.line, forKey: .line)
        try container.encodeIfPresent(position?.column, forKey: .column)
        try container.encodeIfPresent(hint, forKey: .hint)
    }
}
