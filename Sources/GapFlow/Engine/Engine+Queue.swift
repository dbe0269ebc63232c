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
}

extension Engine {
    /// What the actor's roles own now: overdue first, then by the next deadline, then longest waiting first
    /// (``QueuePosition``); at most `limit` entries (all when nil), after the ticket `after` when given.
    ///
    /// An actor restricted to a municipality sees only its tickets; `municipality` and `area` (a group of the
    /// scope field's values, e.g. `linksrheinisch`) narrow the queue further. The store reads each page from indexes
    /// in queue order, so a page costs the same however many tickets wait.
    public func queue(
        for actor: Actor, municipality: String? = nil, area: String? = nil, limit: Int? = nil, after: String? = nil
    ) throws -> [QueueEntry] {
        let now = now()
        let wanted = max(0, limit ?? .max)
        return try store.read { tx in
            let cursor = try after.map { id in try tx.queuePosition(of: try ticket(id, in: tx), now: now) }
            var entries: [(position: QueuePosition, entry: QueueEntry)] = []
            for workflow in Set(try tx.definitionRecords().map(\.workflowID)).sorted() {
                let latest = try definition(workflow, version: nil, in: tx)
                let owned = latest.states.filter { !$0.isFinal && $0.owner.map(actor.roles.contains) == true }.map(\.id)
                guard !owned.isEmpty else { continue }
                // An actor restricted to a municipality: only its tickets are read (the store filters, not Swift).
                var filter = TicketFilter(workflow: workflow, states: owned)
                if let scope = latest.scopeField, let own = actor.municipality { filter.fields[scope] = .choice(own) }
                var position = cursor
                var taken = 0
                // Pages until `wanted` entries passed the filters below (a --municipality or --area skips some).
                while taken < wanted {
                    let batch = municipality == nil && area == nil ? wanted : max(wanted, 100)
                    let tickets = try tx.queuePage(filter, now: now, after: position, limit: batch)
                    for ticket in tickets where taken < wanted {
                        let definition =
                            ticket.version == latest.version ? latest : try self.definition(workflow, version: ticket.version, in: tx)
                        let stay = try tx.stay(of: ticket, now: now)
                        let here = QueuePosition(
                            overdue: stay.overdue, nextDeadline: stay.nextDeadline, entered: stay.entered, ticket: ticket.id)
                        position = here
                        if let scope = definition.scopeField {
                            let value = ticket.fields[scope]?.plainText
                            if let own = actor.municipality, value != own { continue }
                            if let municipality, value?.lowercased() != municipality.lowercased() { continue }
                            if let area {
                                let group = value.flatMap { definition.field(scope)?.type.choices?.value($0)?.group }
                                if group?.lowercased() != area.lowercased() { continue }
                            }
                        }
                        let events = Step.options(definition, ticket: ticket, actor: actor, now: now).map(\.transition.event)
                        taken += 1
                        entries.append(
                            (
                                here,
                                QueueEntry(
                                    ticket: ticket, definition: definition, nextDeadline: stay.nextDeadline, overdue: stay.overdue,
                                    entered: stay.entered, events: events)
                            ))
                    }
                    if tickets.count < batch { break }
                }
            }
            return entries.sorted { $0.position < $1.position }.prefix(wanted).map(\.entry)
        }
    }
}

extension Engine {
    /// How many tickets the actor's queue holds (without `municipality` or `area`), and how many are overdue, counted
    /// by the store (per state, and from an index of the overdue) without reading the tickets.
    public func queueSize(for actor: Actor) throws -> (count: Int, overdue: Int) {
        let now = now()
        return try store.read { tx in
            var total = (count: 0, overdue: 0)
            for workflow in Set(try tx.definitionRecords().map(\.workflowID)).sorted() {
                let latest = try definition(workflow, version: nil, in: tx)
                let owned = latest.states.filter { !$0.isFinal && $0.owner.map(actor.roles.contains) == true }.map(\.id)
                guard !owned.isEmpty else { continue }
                var filter = TicketFilter(workflow: workflow, states: owned)
                if let scope = latest.scopeField, let own = actor.municipality { filter.fields[scope] = .choice(own) }
                for standing in try tx.stateStandings(filter, now: now).values {
                    total.count += standing.open
                    total.overdue += standing.overdue
                }
            }
            return total
        }
    }

    /// When the ticket entered its state, the next deadline of this stay, and whether the stay is overdue
    /// (the one rule: ``StoreTransaction/stay(of:now:)``).
    func deadlines(of ticket: Ticket, now: Date, in tx: any StoreTransaction) throws -> (entered: Date, next: Date?, overdue: Bool) {
        let stay = try tx.stay(of: ticket, now: now)
        return (stay.entered, stay.nextDeadline, stay.overdue)
    }

    /// Open and overdue tickets per state of a workflow (for `diagram --counts`), by the same rule as the queue,
    /// counted by the store (kept per state, and from an index of the overdue).
    public func stateCounts(workflow: String) throws -> [String: (open: Int, overdue: Int)] {
        let now = now()
        return try store.read { tx in
            let latest = try definition(workflow, version: nil, in: tx)
            let open = latest.states.filter { !$0.isFinal }.map(\.id)
            return try tx.stateStandings(TicketFilter(workflow: workflow, states: open), now: now).mapValues { ($0.open, $0.overdue) }
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
