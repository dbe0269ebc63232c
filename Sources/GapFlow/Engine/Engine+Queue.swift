import Foundation

/// One ticket in an actor's work queue.
public struct QueueEntry: Sendable {
    public let ticket: Ticket
    public let definition: Definition
    /// The earliest pending deadline (reminder, escalation, due date), if any.
    public let nextDeadline: Date?
    /// Whether a deadline of its current stay has passed (a reminder already went out, or one is due).
    public let overdue: Bool
    /// When the ticket entered its state.
    public let entered: Date
    /// The events the actor may fire on it now (some may still need fields).
    public let events: [String]
    /// Set when the ticket is in the queue because the actor stands in for this absent actor (*Vertretung*).
    public internal(set) var deputyFor: String? = nil
}

extension Engine {
    /// What the actor's roles own now: overdue first, then by the next deadline, then longest waiting first.
    ///
    /// An actor restricted to municipalities or areas sees only their tickets; `municipality` and `area` (a group of the
    /// scope field's values, e.g. `linksrheinisch`) narrow the queue further.
    ///
    /// A deputy's queue also holds the queues of the actors they stand in for today, each entry marked with whom for.
    public func queue(for actor: Actor, municipality: String? = nil, area: String? = nil) throws -> [QueueEntry] {
        let now = now()
        return try store.read { tx in
            var entries = try queue(for: actor, municipality: municipality, area: area, now: now, in: tx)
            for absent in try absentees(for: actor.name, now: now, in: tx) {
                for var entry in try queue(for: absent, municipality: municipality, area: area, now: now, in: tx)
                where !entries.contains(where: { $0.ticket.id == entry.ticket.id }) {
                    entry.deputyFor = absent.name
                    entries.append(entry)
                }
            }
            return entries.sorted { a, b in
                if a.overdue != b.overdue { return a.overdue }
                switch (a.nextDeadline, b.nextDeadline) {
                case (let x?, let y?) where x != y: return x < y
                case (.some, nil): return true
                case (nil, .some): return false
                default: return (a.entered, a.ticket.id) < (b.entered, b.ticket.id)
                }
            }
        }
    }

    /// The queue of one actor alone.
    private func queue(for actor: Actor, municipality: String?, area: String?, now: Date, in tx: any StoreTransaction) throws
        -> [QueueEntry]
    {
        var entries: [QueueEntry] = []
        for workflow in Set(try tx.definitionRecords().map(\.workflowID)).sorted() {
            let latest = try definition(workflow, version: nil, in: tx)
            let owned = latest.states.filter { !$0.isFinal && $0.owner.map(actor.roles.contains) == true }.map(\.id)
            guard !owned.isEmpty else { continue }
            // An actor restricted to a municipality: only its tickets are read (the store filters, not Swift).
            var filter = TicketFilter(workflow: workflow, states: owned)
            if let scope = latest.scopeField, actor.scope.count == 1, latest.scopeMembers(actor.scope) == actor.scope {
                filter.fields[scope] = .choice(actor.scope[0])
            }
            for ticket in try tx.tickets(filter) {
                let definition =
                    ticket.version == latest.version ? latest : try self.definition(workflow, version: ticket.version, in: tx)
                if let scope = definition.scopeField {
                    let value = ticket.fields[scope]?.plainText
                    if !definition.covers(actor.scope, ticket.fields) { continue }
                    if let municipality, value?.lowercased() != municipality.lowercased() { continue }
                    if let area {
                        let group = value.flatMap { definition.field(scope)?.type.choices?.value($0)?.group }
                        if group?.lowercased() != area.lowercased() { continue }
                    }
                }
                let (entered, deadline, overdue) = try deadlines(of: ticket, now: now, in: tx)
                let events = Step.options(definition, ticket: ticket, actor: actor, now: now, groups: try register(for: definition, in: tx))
                    .map(\.transition.event)
                entries.append(
                    QueueEntry(
                        ticket: ticket, definition: definition, nextDeadline: deadline, overdue: overdue,
                        entered: entered, events: events))
            }
        }
        return entries
    }
}

extension Engine {
    /// When the ticket entered its state, the next deadline of this stay, and whether the stay is overdue.
    ///
    /// The one rule for "overdue", used by the queue, the report and the diagram: a timer armed in this stay (a
    /// reminder, a deadline or an escalation) fell due and is still pending or has fired.
    func deadlines(of ticket: Ticket, now: Date, in tx: any StoreTransaction) throws -> (entered: Date, next: Date?, overdue: Bool) {
        let entered = try tx.agendaAnchor(ticket: ticket.id, state: ticket.state, meetingStates: []).entered ?? ticket.updatedAt
        let stay = try tx.timers(of: ticket.id).filter { $0.state == ticket.state && $0.armedAt >= entered }
        let next = stay.filter { $0.status == .pending }.map(\.dueAt).min()
        let overdue = stay.contains { ($0.status == .pending || $0.status == .fired) && $0.dueAt <= now }
        return (entered, next, overdue)
    }

    /// Open and overdue tickets per state of a workflow (for `diagram --counts`), by the same rule as the queue.
    public func stateCounts(workflow: String) throws -> [String: (open: Int, overdue: Int)] {
        let now = now()
        return try store.read { tx in
            let latest = try definition(workflow, version: nil, in: tx)
            let open = latest.states.filter { !$0.isFinal }.map(\.id)
            var counts: [String: (open: Int, overdue: Int)] = [:]
            try tx.forEachTicket(TicketFilter(workflow: workflow, states: open)) { ticket in
                let overdue = try deadlines(of: ticket, now: now, in: tx).overdue
                let current = counts[ticket.state] ?? (0, 0)
                counts[ticket.state] = (current.open + 1, current.overdue + (overdue ? 1 : 0))
            }
            return counts
        }
    }
}

extension Engine {
    /// When the ticket entered its state, its next deadline there, and whether a deadline of this stay fell due.
    public func standing(of ticketID: String) throws -> (entered: Date, nextDeadline: Date?, overdue: Bool) {
        let now = now()
        let standing = try store.read { tx in try deadlines(of: try ticket(ticketID, in: tx), now: now, in: tx) }
        return (standing.entered, standing.next, standing.overdue)
    }
}
