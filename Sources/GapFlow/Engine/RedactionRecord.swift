/// What a redaction (*Schwärzung*) records in the ticket's history: which field (or comment) it touched, in which
/// entries, and the digest of each changed entry's content afterwards, never the removed text.
///
/// The audit checks every redacted entry against the record of the last redaction that changed it, so a value
/// replaced later by anything but a redaction is still found.
public struct RedactionRecord: Sendable, Equatable {
    /// One history entry whose content the redaction changed.
    public struct Change: Sendable, Equatable {
        public let revision: Int
        /// The entry's content digest afterwards, over each value as it now stands (``HistoryChain/contentDigest(of:replacing:)``).
        public let digest: String

        public init(revision: Int, digest: String) {
            self.revision = revision
            self.digest = digest
        }
    }

    /// The field whose values were redacted; nil when it was a comment.
    public let field: String?
    /// Whether a passage was replaced (rather than whole values).
    public let passage: Bool
    /// The entries whose content changed, oldest first.
    public let entries: [Change]
    /// Whether the ticket's current value changed.
    public let ticket: Bool
    /// How many notices in the outbox changed.
    public let notices: Int

    public init(field: String?, passage: Bool, entries: [Change], ticket: Bool, notices: Int) {
        self.field = field
        self.passage = passage
        self.entries = entries
        self.ticket = ticket
        self.notices = notices
    }

    /// The record as stored (and covered by the redaction entry's content digest): compact JSON, keys in fixed order.
    public var json: String {
        JSONValue.object([
            ("field", field.map(JSONValue.string) ?? .null), ("passage", .bool(passage)),
            (
                "entries",
                .array(entries.map { .object([("revision", .integer($0.revision)), ("digest", .string($0.digest))]) })
            ),
            ("ticket", .bool(ticket)), ("notices", .integer(notices)),
        ]).compact
    }

    /// The record from its stored form; nil for text that is not one.
    public init?(json text: String) {
        guard let node = try? JSONParser.parse(text), let elements = node["entries"]?.elements,
            case .bool(let passage)? = node["passage"]?.value, case .bool(let ticket)? = node["ticket"]?.value,
            let notices = node["notices"]?.integer
        else { return nil }
        var entries: [Change] = []
        for element in elements {
            guard let revision = element["revision"]?.integer, let digest = element["digest"]?.string else { return nil }
            entries.append(Change(revision: revision, digest: digest))
        }
        self.init(field: node["field"]?.string, passage: passage, entries: entries, ticket: ticket, notices: notices)
    }
}
