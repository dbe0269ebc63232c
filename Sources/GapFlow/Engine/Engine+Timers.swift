import Foundation

/// What happened to one due timer.
public struct TimerFiring: Sendable, Equatable {
    public let timer: TimerRecord
    /// What it did; `.cancelled` when its ticket had left the state or the timer is gone from the definition.
    public let status: TimerRecord.Status
    public let lateBy: TimeInterval
    /// A line for logs: what fired, what it did, why it did not.
    public let summary: String
}

/// How due timers are fired together: at most `size` in one transaction, and no new one after a batch held the
/// write lock for `time` (so that other writers wait little).
public struct TimerBatch: Sendable {
    public var size: Int
    public var time: Duration

    public init(size: Int = 256, time: Duration = .milliseconds(50)) {
        self.size = size
        self.time = time
    }
}

extension Engine {
    /// Writes one change: its history entry, timer changes and outbox notices (the ticket row is written by the caller).
    func record(_ outcome: Outcome, definition: Definition, tx: any StoreTransaction, now: Date) throws {
        try appendHistory(outcome.entry, ticket: outcome.ticket.id, in: tx)
        try tx.applyTimerChanges(outcome.timers, ticket: outcome.ticket.id, revision: outcome.ticket.revision, at: now)
        try enqueue(
            outcome.notices, idPrefix: "\(outcome.ticket.id)/r\(outcome.ticket.revision)", ticket: outcome.ticket, definition: definition,
            tx: tx, now: now)
    }

    /// Puts notices in the outbox with stable ids and the actors who should receive them.
    func enqueue(_ notices: [Notice], idPrefix: String, ticket: Ticket, definition: Definition, tx: any StoreTransaction, now: Date) throws
    {
        guard !notices.isEmpty else { return }
        let actors = try tx.actors()
        let unscoped = definition.scopeValues(ticket.fields).isEmpty
        for (index, notice) in notices.enumerated() {
            let recipients: [String]
            switch notice.audience {
            case .scope:
                recipients = actors.filter { actor in
                    actor.roles.contains(notice.role) && (unscoped || definition.covers(actor.scope, ticket.fields))
                }.map(\.name)
            case .everyone:
                recipients = actors.filter { $0.roles.contains(notice.role) }.map(\.name)
            case .reporters:
                recipients = try reporters(of: ticket, definition: definition, in: tx).filter { name in actors.contains { $0.name == name }
                }
            }
            // Deputies standing in today receive what the absent would.
            var deputies: [JSONValue] = []
            var delivered = recipients
            for absent in recipients {
                for deputy in try self.deputies(of: absent, now: now, in: tx) {
                    deputies.append(.object([("deputy", .string(deputy)), ("for", .string(absent))]))
                    if !delivered.contains(deputy) { delivered.append(deputy) }
                }
            }
            let id = "\(idPrefix)/\(index + 1)"
            let payload = JSONValue.object(
                [
                    ("id", .string(id)), ("kind", .string(notice.kind.rawValue)), ("createdAt", .string(Timestamp.iso8601(now))),
                    ("ticket", .string(ticket.id)), ("workflow", .string(ticket.workflowID)),
                    ("title", ticket.fields["title"].map { .string($0.plainText) } ?? .null),
                    ("state", .string(notice.state)), ("stateTitle", .string(definition.stateTitle(notice.state))),
                    ("role", .string(notice.role)), ("roleTitle", .string(definition.role(notice.role)?.title ?? notice.role)),
                    ("recipients", .array(delivered.map(JSONValue.string))), ("message", .string(notice.message)),
                    ("timer", notice.timer.map(JSONValue.string) ?? .null),
                ] + (notice.audience == .scope ? [] : [("audience", .string(notice.audience.rawValue))])
                    + (deputies.isEmpty ? [] : [("deputies", .array(deputies))]))
            try tx.insertNotice(id: id, ticket: ticket.id, kind: notice.kind.rawValue, role: notice.role, payload: payload.compact, at: now)
        }
    }

    /// Whoever opened the ticket, then whoever opened a ticket that refers to it (merged into it), in that order.
    func reporters(of ticket: Ticket, definition: Definition, in tx: any StoreTransaction) throws -> [String] {
        var names = [ticket.openedBy]
        for field in definition.fields {
            guard case .ticket = field.type else { continue }
            for other in try tx.tickets(TicketFilter(workflow: ticket.workflowID, fields: [field.id: .ticket(ticket.id)]))
            where !names.contains(other.openedBy) {
                names.append(other.openedBy)
            }
        }
        return names
    }

    // MARK: - Firing

    /// Fires every timer due now, oldest first, in batches (``TimerBatch``); returns what each did.
    ///
    /// Safe to run in several processes at once: a timer is marked done in the transaction that does its
    /// work, and only if it is still pending, so none fires twice.
    @discardableResult
    public func fireDueTimers(limit: Int = .max) throws -> [TimerFiring] {
        var firings: [TimerFiring] = []
        _ = try fireDueTimers(limit: limit) { firings.append($0) }
        return firings
    }

    /// Fires due timers like ``fireDueTimers(limit:)`` but hands each result to `each` instead of keeping
    /// them, so catching up on any number of timers takes constant memory. Returns how many were handled.
    ///
    /// Due timers are fired in batches: one transaction (one commit, one `fsync`) for up to ``TimerBatch/size``
    /// timers, oldest first, closed early after ``TimerBatch/time``. `each` hears of a timer only after the commit
    /// that holds its effects. A timer's effects are all-or-nothing: if one timer's work fails, the batch is rolled
    /// back as a whole and its timers are fired again one transaction each, so the timers before the failing one
    /// are kept and the failure is thrown as before.
    public func fireDueTimers(limit: Int = .max, each: (TimerFiring) -> Void) throws -> Int {
        var handled = 0
        while handled < limit {
            let batchLimit = min(max(1, timerBatch.size), limit - handled)
            var firings: [TimerFiring]
            do {
                firings = try fireBatch(limit: batchLimit)
            } catch {
                // One transaction per timer, up to the one that fails (which throws).
                let now = now()
                var progressed = false
                for id in try store.read({ tx in try tx.dueTimerIDs(at: now, limit: batchLimit) }) {
                    guard let firing = try fireTimer(id) else { continue }
                    handled += 1
                    progressed = true
                    each(firing)
                }
                if progressed { continue }
                break
            }
            // Nothing left that this process may fire (others took them, or the clock went back): done for now.
            if firings.isEmpty { break }
            for firing in firings {
                handled += 1
                each(firing)
            }
        }
        return handled
    }

    /// Fires up to `limit` due timers, oldest first, in one transaction; what each did, in order.
    func fireBatch(limit: Int) throws -> [TimerFiring] {
        var armed: Date?
        let started = ContinuousClock.now
        let firings = try store.write { tx -> [TimerFiring] in
            var firings: [TimerFiring] = []
            for id in try tx.dueTimerIDs(at: now(), limit: limit) {
                if !firings.isEmpty && ContinuousClock.now - started > timerBatch.time { break }
                guard let (firing, next) = try fire(id, in: tx) else { continue }
                firings.append(firing)
                if let next { armed = min(armed ?? next, next) }
            }
            return firings
        }
        notifyArmed(armed)
        return firings
    }

    /// Fires one timer if it is still pending and due; nil if another scheduler already did.
    public func fireTimer(_ id: Int) throws -> TimerFiring? {
        let fired = try store.write { tx in try fire(id, in: tx) }
        notifyArmed(fired?.armed)
        return fired?.firing
    }

    /// Fires one timer inside the transaction `tx` if it is still pending and due: what it did, and the earliest due
    /// time of the timers it armed.
    private func fire(_ id: Int, in tx: any StoreTransaction) throws -> (firing: TimerFiring, armed: Date?)? {
        let now = self.now()  // inside the transaction, so history times follow the order of commits
        guard let timer = try tx.claimDueTimer(id), timer.status == .pending, timer.dueAt <= now else { return nil }
        let lateBy = max(0, now.timeIntervalSince(timer.dueAt))
        func finish(_ status: TimerRecord.Status, _ note: String) throws -> TimerFiring {
            // The timer was read as pending inside this same write transaction, so the update cannot miss.
            _ = try tx.finishTimer(id, status: status, at: now, lateBy: lateBy, note: note)
            return TimerFiring(
                timer: timer, status: status, lateBy: lateBy, summary: "\(timer.ticketID) \(timer.state)/\(timer.timer): \(note)")
        }
        guard let ticket = try tx.ticket(timer.ticketID) else { return (try finish(.cancelled, "its ticket no longer exists"), nil) }
        guard ticket.state == timer.state else { return (try finish(.cancelled, "the ticket left \(timer.state)"), nil) }
        let definition = try definition(ticket.workflowID, version: ticket.version, in: tx)
        guard let spec = definition.state(ticket.state)?.timer(timer.timer) else {
            return (try finish(.cancelled, "version \(ticket.version) of \(ticket.workflowID) has no such timer"), nil)
        }
        let late = lateBy > TimerResult.grace ? " (late by \(TimerResult.describe(lateBy)))" : ""
        switch Step.fireTimer(definition, ticket: ticket, timer: spec, dueAt: timer.dueAt, now: now) {
        case .skipped:
            return (try finish(.skipped, "skipped: overdue by \(TimerResult.describe(lateBy)) and its policy is skip"), nil)
        case .refused(let rejection, _):
            return (try finish(.refused, "refused: " + rejection.blockers.map(\.message).joined(separator: "; ")), nil)
        case .notified(let notices, _):
            let firing = try finish(.fired, "notified \(notices.map(\.role).joined(separator: ", "))\(late)")
            try enqueue(notices, idPrefix: "\(ticket.id)/t\(id)", ticket: ticket, definition: definition, tx: tx, now: now)
            return (firing, nil)
        case .fired(let outcome, _):
            // A history whose head is gone was changed outside GapFlow: nothing is added to it (see appendHistory),
            // and the timer is refused rather than holding up every other due timer.
            if ticket.revision > 0, try tx.historyHead(of: ticket.id) == nil {
                return (try finish(.refused, "refused: \(EngineError.chainHeadMissing(ticket: ticket.id))"), nil)
            }
            // Marked done first: leaving the state cancels the state's pending timers, this one included.
            let firing = try finish(.fired, "fired \(spec.fire ?? "") → \(outcome.ticket.state)\(late)")
            try tx.updateTicket(outcome.ticket, expectedRevision: ticket.revision)
            try record(outcome, definition: definition, tx: tx, now: now)
            return (firing, outcome.timers.arm.map(\.dueAt).min())
        }
    }

    /// The earliest due time of any pending timer.
    public func earliestDue() throws -> Date? {
        try store.read { tx in try tx.earliestDue() }
    }

    /// Pending timers, soonest first; `dueBy` limits them to those due by then.
    public func pendingTimers(dueBy: Date? = nil, ticket: String? = nil, limit: Int = 1000) throws -> [TimerRecord] {
        try store.read { tx in try tx.pendingTimers(dueBy: dueBy, ticket: ticket?.uppercased(), limit: limit) }
    }

    /// Every timer a ticket ever had.
    public func timers(of ticket: String) throws -> [TimerRecord] {
        try store.read { tx in try tx.timers(of: ticket.uppercased()) }
    }

    // MARK: - Outbox

    public func outbox(limit: Int = 1000) throws -> [OutboxNotice] {
        try store.read { tx in try tx.notices(limit: limit) }
    }

    /// Undelivered notices whose next attempt is due now.
    public func noticesToDeliver(limit: Int = 1000) throws -> [OutboxNotice] {
        let now = now()
        return try store.read { tx in try tx.undeliveredNotices(readyBy: now, limit: limit) }
    }

    /// Undelivered notices whose next attempt is due now, taken for delivery by this process for `lease` seconds:
    /// on a shared store no other node delivers them meanwhile (see ``StoreTransaction/claimNotices(readyBy:limit:leaseUntil:)``).
    public func claimNoticesToDeliver(limit: Int = 1000, lease: TimeInterval) throws -> [OutboxNotice] {
        let now = now()
        return try store.write { tx in try tx.claimNotices(readyBy: now, limit: limit, leaseUntil: now.addingTimeInterval(lease)) }
    }

    public func markDelivered(_ id: String) throws {
        let now = now()
        try store.write { tx in try tx.markDelivered(id, at: now) }
    }

    /// Records a failed attempt and schedules the next one after `retryAfter`.
    public func markFailed(_ id: String, error: String, retryAfter: TimeInterval) throws {
        let retryAt = now().addingTimeInterval(retryAfter)
        try store.write { tx in try tx.markFailed(id, error: error, retryAt: retryAt) }
    }
}
