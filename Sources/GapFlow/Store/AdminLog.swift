import Foundation

/// One entry of the admin log: an administrative act (an account added, changed or removed, a checkpoint taken;
/// later the web front's logins, failed logins and password changes), who did it and what changed.
///
/// The log is append-only and hash-chained like a ticket's history (``AdminLogChain``): every entry stores the link
/// over the previous entry's link and its own columns, so an edited, removed or inserted entry breaks the chain, and
/// a signed checkpoint anchors its head.
public struct AdminLogEntry: Sendable, Equatable {
    /// 1, 2, 3, … without gaps, in the order the acts were recorded.
    public let sequence: Int
    public let at: Date
    /// What happened, as lowercase words joined by dots: ``AdminLogKind``, or a kind a later door adds.
    public let kind: String
    /// The actor who did it as the door was told (`--as`, the web login), or nil when nobody was named.
    public let actor: String?
    /// The operating-system account that ran the door, when there is one (the CLI).
    public let account: String?
    /// Whom or what the act concerns (an actor's name), if anyone.
    public let subject: String?
    /// What changed, as one compact JSON object (the exact text the chain covers).
    public let details: String
    /// The chain link: ``AdminLogChain/link(previous:entry:)`` over the previous entry's link.
    public let hash: String

    public init(
        sequence: Int, at: Date, kind: String, actor: String?, account: String?, subject: String?, details: String, hash: String
    ) {
        self.sequence = sequence
        self.at = at
        self.kind = kind
        self.actor = actor
        self.account = account
        self.subject = subject
        self.details = details
        self.hash = hash
    }

    /// The details as a JSON value (an empty object if the stored text is not JSON).
    public var detailsValue: JSONValue {
        (try? JSONParser.parse(details)).map(JSONValue.init) ?? .object([])
    }
}

/// The kinds of admin log entries GapFlow itself writes; a door may add its own (`login.failed`, `password.changed`).
public enum AdminLogKind {
    public static let actorAdded = "actor.added"
    public static let actorChanged = "actor.changed"
    public static let actorRemoved = "actor.removed"
    public static let checkpointTaken = "checkpoint.taken"

    /// Whether `kind` is well-formed: lowercase ASCII letters, digits, `.` and `_`, starting with a letter, at most 64.
    public static func isValid(_ kind: String) -> Bool {
        guard let first = kind.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first), kind.utf8.count <= 64 else {
            return false
        }
        return kind.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
        }
    }
}

/// The hash chain of the admin log: the same construction as ``HistoryChain``, over the log's own columns.
public enum AdminLogChain {
    /// The "previous link" of the first entry.
    public static let genesis = HistoryChain.genesis

    /// The link of `entry` after `previous` (its own `hash` is not part of it).
    public static func link(previous: String, entry: AdminLogEntry) -> String {
        let absent = "\u{0}"
        let parts = [
            "admin-log", previous, String(entry.sequence), Timestamp.iso8601(entry.at), entry.kind, entry.actor ?? absent,
            entry.account ?? absent, entry.subject ?? absent, entry.details,
        ]
        return SHA256.hex(Array(parts.joined(separator: "\u{1F}").utf8))
    }

    /// The entry that follows `last` (nil for the first), with its sequence number and chain link.
    public static func linking(
        after last: AdminLogEntry?, at: Date, kind: String, actor: String?, account: String?, subject: String?, details: JSONValue
    ) -> AdminLogEntry {
        let unlinked = AdminLogEntry(
            sequence: (last?.sequence ?? 0) + 1, at: at, kind: kind, actor: actor, account: account, subject: subject,
            details: details.compact, hash: "")
        let hash = link(previous: last?.hash ?? genesis, entry: unlinked)
        return AdminLogEntry(
            sequence: unlinked.sequence, at: at, kind: kind, actor: actor, account: account, subject: subject, details: unlinked.details,
            hash: hash)
    }
}

/// The admin log as `gapflow actor log --json` shows it (and the web API will).
public struct AdminLogView: Sendable, Encodable {
    public let sequence: Int
    public let at: Date
    public let kind: String
    public let actor: String?
    public let account: String?
    public let subject: String?
    public let details: JSONValue
    public let hash: String

    public init(_ entry: AdminLogEntry) {
        sequence = entry.sequence
        at = entry.at
        kind = entry.kind
        actor = entry.actor
        account = entry.account
        subject = entry.subject
        details = entry.detailsValue
        hash = entry.hash
    }
}
