import Foundation

/// The hash chain that makes each ticket's history tamper-evident (DSGVO Art. 5 and 32).
///
/// Every entry stores the SHA-256 of its content (changes and comment) and a link: the SHA-256 over the previous
/// link and the entry's fields and content digest. The ticket row keeps the last link, so a removed last entry shows
/// too. A purge may remove free text later; it keeps the content digest, so the chain still verifies.
public enum HistoryChain {
    /// The "previous link" of a ticket's first entry.
    public static let genesis = String(repeating: "0", count: 64)

    public static func contentDigest(changes: String, comment: String?) -> String {
        SHA256.hex(Array("\(changes)\u{1F}\(comment ?? "\u{0}")".utf8))
    }

    public static func link(previous: String, ticket: String, entry: HistoryEntry, contentDigest: String) -> String {
        let parts = [
            previous, ticket, String(entry.revision), Timestamp.iso8601(entry.at), entry.actor, entry.role, entry.event, entry.from ?? "",
            entry.to, entry.decision?.meeting.map(String.init) ?? "", entry.decision?.resolution ?? "", contentDigest,
        ]
        // The account joined the chain later: entries without one keep the links they always had.
        let all = entry.account.map { parts + [$0] } ?? parts
        return SHA256.hex(Array(all.joined(separator: "\u{1F}").utf8))
    }
}

/// One history entry with its chain columns: what a store writes and what the audit reads back.
public struct ChainedEntry: Sendable, Equatable {
    public let entry: HistoryEntry
    /// The entry's field changes in the canonical encoding the content digest covers (``StoredJSON``).
    public let changesJSON: String
    public let contentDigest: String?
    public let chainHash: String?
    /// The chain was computed when the database was migrated, not when the entry was written.
    public let backfilled: Bool
    /// Free text was removed by a purge after the entry was written.
    public let purged: Bool

    public init(
        entry: HistoryEntry, changesJSON: String, contentDigest: String?, chainHash: String?, backfilled: Bool = false,
        purged: Bool = false
    ) {
        self.entry = entry
        self.changesJSON = changesJSON
        self.contentDigest = contentDigest
        self.chainHash = chainHash
        self.backfilled = backfilled
        self.purged = purged
    }

    /// Links `entry` to the chain after `previous` (the ticket's head, or ``HistoryChain/genesis`` for its first entry).
    public static func linking(_ entry: HistoryEntry, ticket: String, after previous: String?) -> ChainedEntry {
        let changes = StoredJSON.encode(entry.changes)
        let digest = HistoryChain.contentDigest(changes: changes, comment: entry.comment)
        let link = HistoryChain.link(previous: previous ?? HistoryChain.genesis, ticket: ticket, entry: entry, contentDigest: digest)
        return ChainedEntry(entry: entry, changesJSON: changes, contentDigest: digest, chainHash: link)
    }
}
