import Foundation

/// The hash chain that makes each ticket's history tamper-evident (DSGVO Art. 5 and 32).
///
/// Every entry stores the SHA-256 of its content (changes and comment) and a link: the SHA-256 over the previous
/// link and the entry's fields and content digest. The ticket row keeps the last link, so a removed last entry shows
/// too. A purge may remove free text later; it keeps the content digest, so the chain still verifies.
///
/// How the content digest is formed is versioned per entry (``ChainedEntry/format``), so that entries keep verifying
/// as they were written: format 1 hashes the changes and comment as one text; format 2 hashes a digest of each value
/// (each field's old and new value, the comment, a redaction's record). A redaction (*Schwärzung*) replaces a value
/// and keeps the digest of what it was, so the link still verifies and every other value is still checked.
public enum HistoryChain {
    /// The "previous link" of a ticket's first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// Format 1: the entry's changes (canonical JSON) and comment as one text.
    public static let wholeContent = 1
    /// Format 2: a digest over the digest of each value (``valueDigests(of:)``); what new entries are written with.
    public static let perValue = 2

    /// The content digest of format 1.
    public static func contentDigest(changes: String, comment: String?) -> String {
        SHA256.hex(Array("\(changes)\u{1F}\(comment ?? "\u{0}")".utf8))
    }

    /// The digest of one stored value (its canonical ``StoredJSON`` form); `-` for no value.
    public static func valueDigest(_ value: FieldValue?) -> String {
        value.map { SHA256.hex(Array(StoredJSON.encode($0).compact.utf8)) } ?? "-"
    }

    /// The digest of a text (a comment, a redaction's record); `-` for none.
    public static func textDigest(_ text: String?) -> String {
        text.map { SHA256.hex(Array($0.utf8)) } ?? "-"
    }

    /// The digest of each value of an entry's content, by its place (``ValuePlace``).
    public static func valueDigests(of entry: HistoryEntry) -> [ValuePlace: String] {
        var digests: [ValuePlace: String] = [.comment: textDigest(entry.comment), .redaction: textDigest(entry.redaction?.json)]
        for (index, change) in entry.changes.enumerated() {
            digests[.field(index)] = textDigest(change.field)
            digests[.old(index)] = valueDigest(change.old)
            digests[.new(index)] = valueDigest(change.new)
        }
        return digests
    }

    /// The content digest of format 2: over the digest of every value in a fixed order, with `replaced` standing
    /// in for the values it names (the digests of what redacted values were).
    public static func contentDigest(of entry: HistoryEntry, replacing replaced: [ValuePlace: String] = [:]) -> String {
        let digests = valueDigests(of: entry).merging(replaced) { _, original in original }
        var places: [ValuePlace] = [.comment, .redaction]
        for index in entry.changes.indices { places += [.field(index), .old(index), .new(index)] }
        let parts = ["gapflow-content/2", String(entry.changes.count)] + places.map { digests[$0] ?? "-" }
        return SHA256.hex(Array(parts.joined(separator: "\u{1F}").utf8))
    }

    public static func link(previous: String, ticket: String, entry: HistoryEntry, contentDigest: String) -> String {
        let parts = [
            previous, ticket, String(entry.revision), Timestamp.iso8601(entry.at), entry.actor, entry.role, entry.event, entry.from ?? "",
            entry.to, entry.decision?.meeting.map(String.init) ?? "", entry.decision?.resolution ?? "", contentDigest,
        ]
        // The account joined the chain later: entries without one keep the links they always had.
        var all = entry.account.map { parts + [$0] } ?? parts
        // So did the deputy's principal: entries without one keep their links.
        if let absent = entry.deputyFor { all += ["deputy-for", absent] }
        return SHA256.hex(Array(all.joined(separator: "\u{1F}").utf8))
    }
}

/// Where a value stands in a history entry: a change's field name, old or new value (by the change's position), the
/// comment, or a redaction's record.
public enum ValuePlace: Hashable, Sendable, CustomStringConvertible {
    case field(Int)
    case old(Int)
    case new(Int)
    case comment
    case redaction

    /// The place as stored, e.g. `changes.0.new`.
    public var description: String {
        switch self {
        case .field(let index): "changes.\(index).field"
        case .old(let index): "changes.\(index).old"
        case .new(let index): "changes.\(index).new"
        case .comment: "comment"
        case .redaction: "redaction"
        }
    }

    /// The place a stored name stands for.
    public init?(_ text: String) {
        switch text {
        case "comment": self = .comment
        case "redaction": self = .redaction
        default:
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "changes", let index = Int(parts[1]), index >= 0 else { return nil }
            switch parts[2] {
            case "field": self = .field(index)
            case "old": self = .old(index)
            case "new": self = .new(index)
            default: return nil
            }
        }
    }

    /// Digests by place as stored: a JSON object of place names and digests, keys sorted.
    public static func encode(_ digests: [ValuePlace: String]) -> String? {
        guard !digests.isEmpty else { return nil }
        return JSONValue.object(digests.map { ($0.key.description, JSONValue.string($0.value)) }.sorted { $0.0 < $1.0 }).compact
    }

    /// Digests by place from their stored form; nil for text that is not such an object.
    public static func decode(_ text: String?) -> [ValuePlace: String]? {
        guard let text else { return [:] }
        guard let members = (try? JSONParser.parse(text))?.members else { return nil }
        var digests: [ValuePlace: String] = [:]
        for member in members {
            guard let place = ValuePlace(member.key), let digest = member.value.string else { return nil }
            digests[place] = digest
        }
        return digests
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
    /// How the content digest is formed: ``HistoryChain/wholeContent`` or ``HistoryChain/perValue``.
    public let format: Int
    /// What redacted values were: the digest of each value a redaction replaced, by its place (format 2 only).
    public let redactedDigests: [ValuePlace: String]

    public init(
        entry: HistoryEntry, changesJSON: String, contentDigest: String?, chainHash: String?, backfilled: Bool = false,
        purged: Bool = false, format: Int = HistoryChain.wholeContent, redactedDigests: [ValuePlace: String] = [:]
    ) {
        self.entry = entry
        self.changesJSON = changesJSON
        self.contentDigest = contentDigest
        self.chainHash = chainHash
        self.backfilled = backfilled
        self.purged = purged
        self.format = format
        self.redactedDigests = redactedDigests
    }

    /// Links `entry` to the chain after `previous` (the ticket's head, or ``HistoryChain/genesis`` for its first
    /// entry), with a content digest over each value (format 2).
    public static func linking(_ entry: HistoryEntry, ticket: String, after previous: String?) -> ChainedEntry {
        let digest = HistoryChain.contentDigest(of: entry)
        let link = HistoryChain.link(previous: previous ?? HistoryChain.genesis, ticket: ticket, entry: entry, contentDigest: digest)
        return ChainedEntry(
            entry: entry, changesJSON: StoredJSON.encode(entry.changes), contentDigest: digest, chainHash: link,
            format: HistoryChain.perValue)
    }
}
