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

/// What an audit against a signed checkpoint found, beside the audit of the chains themselves.
public struct CheckpointReport: Sendable, Equatable, Encodable {
    public let takenAt: Date
    public let root: String
    /// The fingerprint of the trusted key the signature was verified with.
    public let key: String
    /// Tickets the checkpoint signed.
    public let signedTickets: Int
    /// Tickets opened since (not in the checkpoint; their chains are verified from their first entry).
    public let newTickets: Int
    /// Signed tickets that are gone, or whose chain no longer extends its signed head.
    public let findings: [AuditReport.Finding]
    /// The admin log no longer extends its signed head.
    public let adminLogFinding: AuditReport.AdminLogFinding?
    /// The audit of every chain as it is now.
    public let audit: AuditReport

    /// Whether everything verifies: the chains, the store's guards, and every signed head still in its chain.
    public var verifies: Bool { findings.isEmpty && adminLogFinding == nil && audit.verifies }
}

/// A checkpoint as the admin log recorded it.
public struct RecordedCheckpoint: Sendable, Equatable {
    public let at: Date
    public let root: String
    /// The fingerprint of the key that signed it.
    public let key: String
    /// The admin log entry that records it.
    public let sequence: Int
}

extension Engine {
    /// Recomputes every ticket's hash chain (or one ticket's) and the admin log's, and reports the first broken link
    /// of each: an edited, deleted, inserted or reordered entry is found every time.
    public func verifyHistory(ticket: String? = nil) throws -> AuditReport {
        try store.read { tx in try verifyHistory(ticket: ticket, in: tx) }
    }

    /// The audit inside a transaction the caller holds (an import checks what it wrote before it commits).
    func verifyHistory(ticket: String?, in tx: any StoreTransaction) throws -> AuditReport {
        try audit(ticket: ticket, against: nil, in: tx).report
    }

    /// Everything one pass over the chains finds: the report, the verified heads, and what a checkpoint says otherwise.
    struct AuditPass {
        var report: AuditReport
        var heads: [ChainHead]
        var adminLogHead: ChainHead
        var checkpointFindings: [AuditReport.Finding]
        var checkpointAdminLogFinding: AuditReport.AdminLogFinding?
        var newTickets: Int
    }

    /// One pass over every chain (or one ticket's); with a checkpoint, each signed head is looked for in its chain.
    func audit(ticket: String?, against checkpoint: Checkpoint?, in tx: any StoreTransaction) throws -> AuditPass {
        let ids = try ticket.map { [try self.ticket($0, in: tx).id] } ?? tx.ticketIDs()
        var signed: [String: ChainHead] = [:]
        for head in checkpoint?.tickets ?? [] { signed[head.id] = head }
        var entries = 0
        var backfilled = 0
        var findings: [AuditReport.Finding] = []
        var checkpointFindings: [AuditReport.Finding] = []
        var heads: [ChainHead] = []
        var newTickets = 0
        for id in ids {
            let chain = try tx.chainedHistory(of: id)
            entries += chain.count
            backfilled += chain.filter(\.backfilled).count
            if let finding = try check(chain, of: id, in: tx) { findings.append(finding) }
            heads.append(ChainHead(id: id, entries: chain.count, head: chain.last?.chainHash ?? HistoryChain.genesis))
            guard checkpoint != nil else { continue }
            guard let head = signed.removeValue(forKey: id) else {
                newTickets += 1
                continue
            }
            if chain.count < head.entries {
                checkpointFindings.append(
                    .init(
                        ticket: id, revision: chain.count,
                        problem: "the checkpoint signed \(head.entries) entries, the history has \(chain.count): entries were removed"))
            } else if chain[head.entries - 1].chainHash != head.head || chain[head.entries - 1].entry.revision != head.entries {
                checkpointFindings.append(
                    .init(
                        ticket: id, revision: head.entries,
                        problem: "the entry is not the one the checkpoint signed: the history up to it was changed"))
            }
        }
        // Signed tickets that are not there any more (when one ticket is audited, only it is looked for).
        if ticket == nil {
            for head in signed.values.sorted(by: { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }) {
                checkpointFindings.append(
                    .init(
                        ticket: head.id, revision: head.entries,
                        problem: "the ticket is missing: the checkpoint signed it with \(head.entries) entries"))
            }
        }
        var adminLogEntries = 0
        var adminLogFinding: AuditReport.AdminLogFinding?
        var adminLogHead = ChainHead(id: Checkpoint.adminLogID, entries: 0, head: AdminLogChain.genesis)
        var checkpointAdminLogFinding: AuditReport.AdminLogFinding?
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
                if let signedLog = checkpoint?.adminLog, signedLog.entries == entry.sequence, signedLog.head != entry.hash {
                    checkpointAdminLogFinding = .init(
                        sequence: entry.sequence,
                        problem: "the entry is not the one the checkpoint signed: the admin log up to it was changed")
                }
                previous = entry.hash
            }
            adminLogHead = ChainHead(id: Checkpoint.adminLogID, entries: adminLogEntries, head: previous)
            if let signedLog = checkpoint?.adminLog, adminLogEntries < signedLog.entries {
                checkpointAdminLogFinding = .init(
                    sequence: adminLogEntries,
                    problem:
                        "the checkpoint signed \(signedLog.entries) entries, the admin log has \(adminLogEntries): entries were removed")
            }
        }
        let report = AuditReport(
            tickets: ids.count, entries: entries, backfilled: backfilled, findings: findings, storeProblems: try tx.historyGuardProblems(),
            adminLogEntries: adminLogEntries, adminLogFinding: adminLogFinding)
        return AuditPass(
            report: report, heads: heads, adminLogHead: adminLogHead, checkpointFindings: checkpointFindings,
            checkpointAdminLogFinding: checkpointAdminLogFinding, newTickets: newTickets)
    }

    /// What is wrong with an entry's content, if anything, checked as its format says.
    ///
    /// A redacted entry must hold what the last redaction that changed it recorded (`redactedTo`, a later entry);
    /// one of format 2 must also match its own digest with the original digests standing in for the values replaced,
    /// so every value the redaction left alone is still checked against the entry as it was written. Format 1 hashed
    /// the content as one text, so for a redacted entry of that format the redaction's record is the only check.
    static func contentProblem(
        _ chained: ChainedEntry, digest: String, redactedTo: (digest: String, at: Int)?, index: Int
    ) -> String? {
        if let redactedTo {
            if redactedTo.at <= index { return "entry names itself as redacted" }
            if HistoryChain.contentDigest(of: chained.entry) != redactedTo.digest {
                return "the entry's content was changed after its redaction"
            }
        } else if !chained.redactedDigests.isEmpty {
            return "entry has redacted values, but no redaction entry follows it"
        }
        switch chained.format {
        case HistoryChain.wholeContent:
            if redactedTo == nil, HistoryChain.contentDigest(changes: chained.changesJSON, comment: chained.entry.comment) != digest {
                return "the entry's content was changed"
            }
        case HistoryChain.perValue:
            if HistoryChain.contentDigest(of: chained.entry, replacing: chained.redactedDigests) != digest {
                return "the entry's content was changed"
            }
        default:
            return "entry has an unknown chain format \(chained.format)"
        }
        return nil
    }

    /// The first broken link of one ticket's chain, or a ticket row that is not what its history makes of it.
    private func check(_ chain: [ChainedEntry], of id: String, in tx: any StoreTransaction) throws -> AuditReport.Finding? {
        let purgedAt = chain.firstIndex { $0.entry.event == Self.purgeEvent }
        // What each redacted entry must hold now: the digest the last redaction that changed it recorded.
        var redactedTo: [Int: (digest: String, at: Int)] = [:]
        for (index, chained) in chain.enumerated() {
            for change in chained.entry.redaction?.entries ?? [] { redactedTo[change.revision] = (change.digest, index) }
        }
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
            } else if let problem = Self.contentProblem(chained, digest: digest, redactedTo: redactedTo[revision], index: index) {
                fail(problem)
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

    // MARK: - Signed checkpoints

    /// Signs the head of every ticket's chain and of the admin log with `key`, after verifying the whole database
    /// (a database that does not verify is not signed), hands the checkpoint to `keep` (which writes its file), and
    /// then records it in the admin log (time, root, key fingerprint) by `actor`.
    ///
    /// The chains are read and verified in one read transaction, so other commands go on meanwhile; the record is
    /// one short write afterwards. If `keep` throws, nothing is recorded.
    @discardableResult
    public func takeCheckpoint(key: SigningKey, actor: String?, keep: (Checkpoint) throws -> Void) throws -> Checkpoint {
        let checkpoint = try store.read { tx -> Checkpoint in
            let pass = try audit(ticket: nil, against: nil, in: tx)
            guard pass.report.verifies else { throw CheckpointError.databaseDoesNotVerify(problems: pass.report.problems) }
            guard
                let signed = Checkpoint.sign(
                    database: try tx.storeIdentity(), takenAt: now(), adminLog: pass.adminLogHead, tickets: pass.heads, key: key)
            else { throw CheckpointError.signingFailed }
            return signed
        }
        try keep(checkpoint)
        _ = try store.write { tx in
            try appendAdminLog(
                kind: AdminLogKind.checkpointTaken, actor: actor, subject: nil,
                details: .object([
                    ("root", .string(checkpoint.root)), ("key", .string(checkpoint.signer.fingerprint)),
                    ("takenAt", .string(Timestamp.iso8601(checkpoint.takenAt))), ("tickets", .integer(checkpoint.tickets.count)),
                    ("adminLogEntries", .integer(checkpoint.adminLog.entries)),
                ]), in: tx, now: self.now())
        }
        return checkpoint
    }

    /// Verifies the database against a checkpoint signed by `trustedKey`: the signature (with the trusted key, never
    /// only the one the file names), the database's identity, every chain from its first entry, and every signed head
    /// still in its chain, so that no signed entry was changed, no ticket removed and no chain recomputed.
    public func verify(against checkpoint: Checkpoint, trustedKey: PublicKey, file: String) throws -> CheckpointReport {
        try checkpoint.checkSignature(trustedKey: trustedKey, file: file)
        return try store.read { tx in try verify(against: checkpoint, trustedKey: trustedKey, file: file, in: tx) }
    }

    /// The same inside a transaction the caller holds (an import checks what it wrote before it commits).
    func verify(against checkpoint: Checkpoint, trustedKey: PublicKey, file: String, in tx: any StoreTransaction) throws -> CheckpointReport
    {
        try checkpoint.checkSignature(trustedKey: trustedKey, file: file)
        let identity = try tx.storeIdentity()
        guard identity == checkpoint.database else {
            throw CheckpointError.otherDatabase(file: file, checkpoint: checkpoint.database, database: identity)
        }
        let pass = try audit(ticket: nil, against: checkpoint, in: tx)
        return CheckpointReport(
            takenAt: checkpoint.takenAt, root: checkpoint.root, key: trustedKey.fingerprint, signedTickets: checkpoint.tickets.count,
            newTickets: pass.newTickets, findings: pass.checkpointFindings, adminLogFinding: pass.checkpointAdminLogFinding,
            audit: pass.report)
    }

    /// The newest checkpoint the admin log records at or before `date` (now, when nil).
    public func latestCheckpoint(atOrBefore date: Date? = nil) throws -> RecordedCheckpoint? {
        let limit = date ?? now()
        return try store.read { tx in
            guard let entry = try tx.latestAdminLogEntry(kind: AdminLogKind.checkpointTaken, atOrBefore: limit) else { return nil }
            let details = entry.detailsValue
            guard case .object(let members) = details, case .string(let root)? = members.first(where: { $0.0 == "root" })?.1,
                case .string(let key)? = members.first(where: { $0.0 == "key" })?.1
            else { return nil }
            return RecordedCheckpoint(at: entry.at, root: root, key: key, sequence: entry.sequence)
        }
    }

    /// The database's identity, which checkpoints name.
    public func storeIdentity() throws -> String { try store.read { tx in try tx.storeIdentity() } }
}
