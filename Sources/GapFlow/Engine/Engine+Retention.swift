import Foundation

/// What the retention rule did (or would do) to one ticket.
public struct PurgeResult: Sendable, Equatable {
    public let ticket: String
    /// When the ticket reached its final state.
    public let finishedAt: Date
    /// The free-text fields removed from the ticket and its history.
    public let removedFields: [String]
}

extension Engine {
    /// Anonymises tickets that have been in a final state for longer than their workflow's retention period
    /// (the deletion concept, *Löschkonzept*): free text goes from the ticket, its history and its notices;
    /// states, dates, choices and counts stay for the statistics. Each purge is recorded as a `purge` entry.
    /// With `check`, reports what would happen and changes nothing.
    public func purge(actor: Actor, check: Bool) throws -> [PurgeResult] {
        return try store.write(rollback: check) { tx -> [PurgeResult] in
            let now = self.now()  // inside the transaction, so history times follow the order of commits
            var results: [PurgeResult] = []
            for workflow in Set(try tx.definitionRecords().map(\.workflowID)).sorted() {
                let latest = try definition(workflow, version: nil, in: tx)
                guard let retention = latest.retention else { continue }
                let finals = latest.states.filter(\.isFinal).map(\.id)
                for ticket in try tx.tickets(TicketFilter(workflow: workflow, states: finals)) {
                    let history = try tx.history(of: ticket.id)
                    guard let last = history.last, last.event != Self.purgeEvent,
                        Delay.duration(retention).apply(to: last.at, calendar: latest.calendar) <= now
                    else { continue }
                    let pinned = try definition(workflow, version: ticket.version, in: tx)
                    let freeText = Set(
                        pinned.fields.filter { field in
                            switch field.type {
                            case .text, .longText: true
                            default: false
                            }
                        }.map(\.id))
                    let removed = ticket.fields.keys.filter(freeText.contains).sorted()
                    results.append(PurgeResult(ticket: ticket.id, finishedAt: last.at, removedFields: removed))
                    try tx.beginPurge()
                    for entry in history {
                        try tx.rewriteHistory(
                            ticket: ticket.id, revision: entry.revision, changes: entry.changes.filter { !freeText.contains($0.field) },
                            comment: nil)
                    }
                    try tx.deleteNotices(ticket: ticket.id)
                    try tx.endPurge()
                    var anonymised = ticket
                    anonymised.fields = ticket.fields.filter { !freeText.contains($0.key) }
                    anonymised.revision = ticket.revision + 1
                    anonymised.updatedAt = now
                    try tx.updateTicket(anonymised, expectedRevision: ticket.revision)
                    try appendHistory(
                        HistoryEntry(
                            revision: anonymised.revision, at: now, actor: actor.name, role: actor.roles.first ?? "admin",
                            event: Self.purgeEvent, from: ticket.state, to: ticket.state, changes: [],
                            comment:
                                "free text removed after the retention period (\(retention.text)): \(removed.joined(separator: ", "))"),
                        ticket: ticket.id, in: tx)
                }
            }
            return results
        }
    }

    /// The history event that records an anonymisation.
    public static let purgeEvent = "purge"
}
