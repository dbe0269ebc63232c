import Foundation

/// Where a ticket stands in a work queue: overdue first, then by the next deadline (none last), then longest
/// waiting (entered its state first), then by id. The cursor of a queue's next page.
public struct QueuePosition: Sendable, Equatable, Comparable {
    public let overdue: Bool
    public let nextDeadline: Date?
    public let entered: Date
    public let ticket: String

    public init(overdue: Bool, nextDeadline: Date?, entered: Date, ticket: String) {
        self.overdue = overdue
        self.nextDeadline = nextDeadline
        self.entered = entered
        self.ticket = ticket
    }

    public static func < (a: QueuePosition, b: QueuePosition) -> Bool {
        if a.overdue != b.overdue { return a.overdue }
        switch (a.nextDeadline, b.nextDeadline) {
        case (let x?, let y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return (a.entered, a.ticket) < (b.entered, b.ticket)
        }
    }
}

/// How many tickets stand in one state, and how many of them are overdue.
public struct StateStanding: Sendable, Equatable {
    public var open: Int
    public var overdue: Int

    public init(open: Int, overdue: Int) {
        self.open = open
        self.overdue = overdue
    }
}

/// What the report reads of one ticket (``StoreTransaction/forEachReportTicket(workflow:openedFrom:openedBefore:fields:_:)``).
public struct ReportTicket: Sendable, Equatable {
    /// One history entry as the report sees it.
    public struct Move: Sendable, Equatable {
        public let at: Date
        public let from: String?
        public let to: String
        public let event: String
        /// A redaction entry (``HistoryEntry/redaction``): no move.
        public let redacted: Bool

        public init(at: Date, from: String?, to: String, event: String, redacted: Bool) {
            self.at = at
            self.from = from
            self.to = to
            self.event = event
            self.redacted = redacted
        }
    }

    public let id: String
    public let openedAt: Date
    /// The values of the fields asked for that the ticket has.
    public let fields: [String: FieldValue]
    /// Every history entry, in revision order.
    public let moves: [Move]

    public init(id: String, openedAt: Date, fields: [String: FieldValue], moves: [Move]) {
        self.id = id
        self.openedAt = openedAt
        self.fields = fields
        self.moves = moves
    }
}

/// A ticket's current stay: when it entered its state, the next deadline of the stay, and whether it is overdue.
public struct Stay: Sendable, Equatable {
    public let entered: Date
    public let nextDeadline: Date?
    public let overdue: Bool
}

extension StoreTransaction {
    /// The one rule for a ticket's stay, used by the queue, the report and the diagram: it entered its state with its
    /// last history entry into that state (redactions are no moves); a timer armed in this stay (a reminder, a
    /// deadline or an escalation) that fell due and is still pending or has fired makes it overdue.
    public func stay(of ticket: Ticket, now: Date) throws -> Stay {
        let entered = try agendaAnchor(ticket: ticket.id, state: ticket.state, meetingStates: []).entered ?? ticket.updatedAt
        let timers = try timers(of: ticket.id).filter { $0.state == ticket.state && $0.armedAt >= entered }
        let next = timers.filter { $0.status == .pending }.map(\.dueAt).min()
        let overdue = timers.contains { ($0.status == .pending || $0.status == .fired) && $0.dueAt <= now }
        return Stay(entered: entered, nextDeadline: next, overdue: overdue)
    }

    /// The ticket's place in queue order at `now`.
    public func queuePosition(of ticket: Ticket, now: Date) throws -> QueuePosition {
        let stay = try stay(of: ticket, now: now)
        return QueuePosition(overdue: stay.overdue, nextDeadline: stay.nextDeadline, entered: stay.entered, ticket: ticket.id)
    }

    // The defaults below read every matching ticket: right in every store, fast in none. A store with indexes
    // (SQLite) answers them itself.

    public func forEachTicket(_ filter: TicketFilter, after: String, _ visit: (Ticket) throws -> Void) throws {
        guard let cursor = try ticket(after) else { return }
        var unlimited = filter
        unlimited.limit = nil
        var remaining = filter.limit ?? .max
        guard remaining > 0 else { return }
        try forEachTicket(unlimited) { ticket in
            guard remaining > 0, (ticket.openedAt, ticket.id) > (cursor.openedAt, cursor.id) else { return }
            remaining -= 1
            try visit(ticket)
        }
    }

    public func queuePage(_ filter: TicketFilter, now: Date, after: QueuePosition?, limit: Int) throws -> [Ticket] {
        var unlimited = filter
        unlimited.limit = nil
        var ranked: [(QueuePosition, Ticket)] = []
        try forEachTicket(unlimited) { ticket in
            let position = try queuePosition(of: ticket, now: now)
            if after.map({ $0 < position }) ?? true { ranked.append((position, ticket)) }
        }
        return ranked.sorted { $0.0 < $1.0 }.prefix(max(0, limit)).map(\.1)
    }

    public func stateStandings(_ filter: TicketFilter, now: Date) throws -> [String: StateStanding] {
        var unlimited = filter
        unlimited.limit = nil
        var standings: [String: StateStanding] = [:]
        try forEachTicket(unlimited) { ticket in
            let overdue = try stay(of: ticket, now: now).overdue
            standings[ticket.state, default: StateStanding(open: 0, overdue: 0)].open += 1
            if overdue { standings[ticket.state]?.overdue += 1 }
        }
        return standings
    }

    public func forEachReportTicket(
        workflow: String, openedFrom: Date?, openedBefore: Date?, fields: Set<String>, _ visit: (ReportTicket) throws -> Void
    ) throws {
        try forEachReportTicketReadingEach(
            workflow: workflow, openedFrom: openedFrom, openedBefore: openedBefore, fields: fields, visit)
    }

    /// The default of ``forEachReportTicket(workflow:openedFrom:openedBefore:fields:_:)``, from whole tickets and their
    /// histories: what a store's own answer must equal (the conformance suite compares them).
    public func forEachReportTicketReadingEach(
        workflow: String, openedFrom: Date?, openedBefore: Date?, fields: Set<String>, _ visit: (ReportTicket) throws -> Void
    ) throws {
        try forEachTicket(TicketFilter(workflow: workflow)) { ticket in
            guard openedFrom.map({ ticket.openedAt >= $0 }) ?? true, openedBefore.map({ ticket.openedAt < $0 }) ?? true else { return }
            let moves = try history(of: ticket.id).map { entry in
                ReportTicket.Move(at: entry.at, from: entry.from, to: entry.to, event: entry.event, redacted: entry.redaction != nil)
            }
            try visit(
                ReportTicket(
                    id: ticket.id, openedAt: ticket.openedAt, fields: ticket.fields.filter { fields.contains($0.key) }, moves: moves))
        }
    }

    public func similarCandidates(to ticket: Ticket, words: [String], filter: TicketFilter, limit: Int) throws -> [Ticket] {
        var unlimited = filter
        unlimited.limit = nil
        return try tickets(unlimited).filter { $0.id != ticket.id }
    }
}
