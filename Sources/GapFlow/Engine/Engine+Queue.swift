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
    /// What the actor's roles own now: overdue first, then by the next deadline, then longest waiting first
    /// (``QueuePosition``); at most `limit` entries (all when nil), after the ticket `after` when given.
    ///
    /// An actor restricted to municipalities or areas sees only their tickets; `municipality` and `area` (a group of
    /// the scope field's values, e.g. `linksrheinisch`) narrow the queue further. The store reads each page from
    /// indexes in queue order, so a page costs the same however many tickets wait.
    ///
    /// A deputy's queue also holds the queues of the actors they stand in for today, each entry marked with whom for.
    public func queue(
        for actor: Actor, municipality: String? = nil, area: String? = nil, limit: Int? = nil, after: String? = nil
    ) throws -> [QueueEntry] {
        let now = now()
        let wanted = max(0, limit ?? .max)
        return try store.read { tx in
            let cursor = try after.map { id in try tx.queuePosition(of: try ticket(id, in: tx), now: now) }
            let page = QueuePage(municipality: municipality, area: area, after: cursor, wanted: wanted, now: now)
            var entries = try queue(for: actor, page, in: tx)
            for absent in try absentees(for: actor.name, now: now, in: tx) {
                for var item in try queue(for: absent, page, in: tx)
                where !entries.contains(where: { $0.entry.ticket.id == item.entry.ticket.id }) {
                    item.entry.deputyFor = absent.name
                    entries.append(item)
                }
            }
            return entries.sorted { $0.position < $1.position }.prefix(wanted).map(\.entry)
        }
    }

    /// How many tickets the actor's queue holds (without `municipality` or `area`), and how many are overdue: counted
    /// by the store (per state, and from an index of the overdue) without reading the tickets, unless the actor's scope
    /// is more than one value of the scope field or they stand in for someone — then from the queue itself.
    public func queueSize(for actor: Actor) throws -> (count: Int, overdue: Int) {
        let now = now()
        let counted = try store.read { tx -> (count: Int, overdue: Int)? in
            guard try absentees(for: actor.name, now: now, in: tx).isEmpty else { return nil }
            var total = (count: 0, overdue: 0)
            for workflow in Set(try tx.definitionRecords().map(\.workflowID)).sorted() {
                let latest = try definition(workflow, version: nil, in: tx)
                let owned = latest.states.filter { !$0.isFinal && $0.owner.map(actor.roles.contains) == true }.map(\.id)
                guard !owned.isEmpty else { continue }
                var filter = TicketFilter(workflow: workflow, states: owned)
                if let scope = latest.scopeField, !actor.scope.isEmpty {
                    guard let only = storeScope(of: actor, in: latest) else { return nil }
                    filter.fields[scope] = .choice(only)
                }
                for standing in try tx.stateStandings(filter, now: now).values {
                    total.count += standing.open
                    total.overdue += standing.overdue
                }
            }
            return total
        }
        if let counted { return counted }
        let entries = try queue(for: actor)
        return (entries.count, entries.count { $0.overdue })
    }

    /// Where a queue starts and how much of it is wanted.
    private struct QueuePage {
        let municipality: String?
        let area: String?
        let after: QueuePosition?
        let wanted: Int
        let now: Date
    }

    /// The one value of the scope field the store may filter by for the actor, when their scope is exactly that.
    private func storeScope(of actor: Actor, in definition: Definition) -> String? {
        guard actor.scope.count == 1, definition.scopeMembers(actor.scope) == actor.scope else { return nil }
        return actor.scope[0]
    }

    /// One page of the queue of one actor alone, with each entry's position.
    private func queue(for actor: Actor, _ page: QueuePage, in tx: any StoreTransaction) throws
        -> [(position: QueuePosition, entry: QueueEntry)]
    {
        var entries: [(position: QueuePosition, entry: QueueEntry)] = []
        for workflow in Set(try tx.definitionRecords().map(\.workflowID)).sorted() {
            let latest = try definition(workflow, version: nil, in: tx)
            let owned = latest.states.filter { !$0.isFinal && $0.owner.map(actor.roles.contains) == true }.map(\.id)
            guard !owned.isEmpty else { continue }
            // An actor restricted to one municipality: only its tickets are read (the store filters, not Swift).
            var filter = TicketFilter(workflow: workflow, states: owned)
            let only = storeScope(of: actor, in: latest)
            if let scope = latest.scopeField, let only { filter.fields[scope] = .choice(only) }
            let filteredHere =
                page.municipality != nil || page.area != nil || (latest.scopeField != nil && !actor.scope.isEmpty && only == nil)
            var position = page.after
            var taken = 0
            // Pages until `wanted` entries passed the filters below (a scope, --municipality or --area skips some).
            while taken < page.wanted {
                let batch = filteredHere ? max(page.wanted, 100) : page.wanted
                let tickets = try tx.queuePage(filter, now: page.now, after: position, limit: batch)
                for ticket in tickets where taken < page.wanted {
                    let definition =
                        ticket.version == latest.version ? latest : try self.definition(workflow, version: ticket.version, in: tx)
                    let stay = try tx.stay(of: ticket, now: page.now)
                    let here = QueuePosition(
                        overdue: stay.overdue, nextDeadline: stay.nextDeadline, entered: stay.entered, ticket: ticket.id)
                    position = here
                    if let scope = definition.scopeField {
                        let value = ticket.fields[scope]?.plainText
                        if !definition.covers(actor.scope, ticket.fields) { continue }
                        if let municipality = page.municipality, value?.lowercased() != municipality.lowercased() { continue }
                        if let area = page.area {
                            let group = value.flatMap { definition.field(scope)?.type.choices?.value($0)?.group }
                            if group?.lowercased() != area.lowercased() { continue }
                        }
                    }
                    let groups = try register(for: definition, in: tx)
                    let events = Step.options(definition, ticket: ticket, actor: actor, now: page.now, groups: groups).map(
                        \.transition.event)
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
        return entries
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
