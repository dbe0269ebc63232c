import Foundation

/// The result of checking the history's hash chains and the admin log's.
public struct AuditReport: Sendable, Equatable, Encodable {
    /// The first broken link of one ticket's history.
    public struct Finding: Sendable, Equatable, Encodable {
        public let ticket: String
        public let revision: Int
        public let problem: String
    }

    /// The first broken link of the admin log.
    public struct AdminLogFinding: Sendable, Equatable, Encodable {
        public let sequence: Int
        public let problem: String
    }

    public let tickets: Int
    public let entries: Int
    /// Entries whose chain was computed when the database was migrated, not when they were written.
    public let backfilled: Int
    public let findings: [Finding]
    /// What is wrong with the store's own guards of the history (e.g. the append-only triggers were removed).
    public let storeProblems: [String]
    /// Entries of the admin log checked (none when one ticket was audited).
    public let adminLogEntries: Int
    public let adminLogFinding: AdminLogFinding?

    /// Whether every chain verifies, every ticket equals its history, and the store's guards are in force.
    public var verifies: Bool { findings.isEmpty && storeProblems.isEmpty && adminLogFinding == nil }

    /// Every problem as one line, for messages.
    public var problems: [String] {
        findings.map { "\($0.ticket) at revision \($0.revision): \($0.problem)" }
            + (adminLogFinding.map { ["admin log at entry \($0.sequence): \($0.problem)"] } ?? []) + storeProblems.map { "store: \($0)" }
    }
}

extension Engine {
    /// Recomputes every ticket's hash chain (or one ticket's) and the admin log's, and reports the first broken link
    /// of each: an edited, deleted, inserted or reordered entry is found every time.
    public func verifyHistory(ticket: String? = nil) throws -> AuditReport {
        try store.read { tx in try verifyHistory(ticket: ticket, in: tx) }
    }

    /// The audit inside a transaction the caller holds (an import checks what it wrote before it commits).
    func verifyHistory(ticket: String?, in tx: any StoreTransaction) throws -> AuditReport {
        try audit(ticket: ticket, in: tx)
    }

    /// One pass over every chain (or one ticket's), and the admin log's when every ticket is audited.
    func audit(ticket: String?, in tx: any StoreTransaction) throws -> AuditReport {
        let ids = try ticket.map { [try self.ticket($0, in: tx).id] } ?? tx.ticketIDs()
        var entries = 0
        var backfilled = 0
        var findings: [AuditReport.Finding] = []
        for id in ids {
            let chain = try tx.chainedHistory(of: id)
            entries += chain.count
            backfilled += chain.filter(\.backfilled).count
            if let finding = try check(chain, of: id, in: tx) { findings.append(finding) }
        }
        var adminLogEntries = 0
        var adminLogFinding: AuditReport.AdminLogFinding?
        if ticket == nil {
            var previous = AdminLogChain.genesis
            try tx.forEachAdminLogEntry(from: 1) { entry in
                adminLogEntries += 1
                guard adminLogFinding == nil else { return }
                if entry.sequence != adminLogEntries {
                    adminLogFinding = .init(
                        sequence: adminLogEntries,
                        problem:
                            "entry \(adminLogEntries) is missing, or entries were reordered (found entry \(entry.sequence) in its place)")
                } else if AdminLogChain.link(previous: previous, entry: entry) != entry.hash {
                    adminLogFinding = .init(
                        sequence: entry.sequence,
                        problem: "the chain is broken: the entry, or one before it, was changed, inserted or removed")
                }
                previous = entry.hash
            }
        }
        return AuditReport(
            tickets: ids.count, entries: entries, backfilled: backfilled, findings: findings, storeProblems: try tx.historyGuardProblems(),
            adminLogEntries: adminLogEntries, adminLogFinding: adminLogFinding)
    }

    /// The first broken link of one ticket's chain, or a ticket row that is not what its history makes of it.
    private func check(_ chain: [ChainedEntry], of id: String, in tx: any StoreTransaction) throws -> AuditReport.Finding? {
        let purgedAt = chain.firstIndex { $0.entry.event == Self.purgeEvent }
        var previous = HistoryChain.genesis
        var finding: AuditReport.Finding?
        for (index, chained) in chain.enumerated() {
            let revision = chained.entry.revision
            func fail(_ problem: String) { finding = finding ?? .init(ticket: id, revision: revision, problem: problem) }
            if revision != index + 1 {
                fail("entry \(index + 1) is missing, or entries were reordered (found revision \(revision) in its place)")
                break
            }
            guard let digest = chained.contentDigest, let hash = chained.chainHash else {
                fail("entry has no hash")
                break
            }
            if chained.purged {
                // Free text removed by a purge: the content cannot be recomputed, but a purge must have happened later.
                if purgedAt.map({ $0 <= index }) ?? true { fail("entry is marked as purged, but no purge follows it") }
            } else if HistoryChain.contentDigest(changes: chained.changesJSON, comment: chained.entry.comment) != digest {
                fail("the entry's content was changed")
            }
            if HistoryChain.link(previous: previous, ticket: id, entry: chained.entry, contentDigest: digest) != hash {
                fail("the chain is broken: the entry, or one before it, was changed, inserted or removed")
            }
            if finding != nil { break }
            previous = hash
        }
        if finding == nil, let head = try tx.historyHead(of: id), head != previous {
            finding = .init(ticket: id, revision: chain.count, problem: "entries after revision \(chain.count) were removed")
        }
        if finding == nil, try tx.historyHead(of: id) == nil, !chain.isEmpty {
            finding = .init(ticket: id, revision: chain.count, problem: "the ticket has lost its chain head")
        }
        if finding == nil, let ticket = try tx.ticket(id), ticket.revision != chain.count {
            finding = .init(
                ticket: id, revision: chain.count,
                problem: "the ticket is at revision \(ticket.revision), but its history has \(chain.count) entries")
        }
        // The ticket row must be what its history makes of it: the state and every field value.
        if finding == nil, let ticket = try tx.ticket(id) {
            if let replayed = Step.replay(chain.map(\.entry)) {
                if replayed.state != ticket.state {
                    finding = .init(
                        ticket: id, revision: chain.count,
                        problem: "the ticket is in state \"\(ticket.state)\", but its history leads to \"\(replayed.state)\"")
                } else if replayed.fields != ticket.fields {
                    let differing = Set(replayed.fields.keys).union(ticket.fields.keys)
                        .filter { replayed.fields[$0] != ticket.fields[$0] }.sorted()
                    finding = .init(
                        ticket: id, revision: chain.count,
                        problem: "the ticket's fields differ from its history: \(differing.joined(separator: ", "))")
                }
            } else {
                finding = .init(ticket: id, revision: chain.count, problem: "the history does not replay from its first entry")
            }
        }
        return finding
    }

    /// The database's identity: a random id made when it was created.
    public func storeIdentity() throws -> String { try store.read { tx in try tx.storeIdentity() } }
}
