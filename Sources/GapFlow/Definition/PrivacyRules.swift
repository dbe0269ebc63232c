/// Who may remove personal data from open tickets (*Schwärzung*), and what stands where it was (`"redaction"`).
public struct RedactionRules: Sendable, Equatable {
    /// The roles that may redact.
    public let roles: [String]
    /// The text that replaces what was removed, e.g. `[geschwärzt]`.
    public let marker: String
}

/// How small numbers are kept out of documents that leave the coordination (`"smallNumbers"`): counts below a
/// threshold are shown as a fixed text (e.g. "<5"), unless a role that may see internal figures asks for them.
public struct SmallNumbers: Sendable, Equatable {
    /// Counts from 1 up to below this are masked.
    public let below: Int
    /// What stands for a masked count.
    public let shownAs: String
    /// The integer fields that count cases (by default every integer field).
    public let fields: [String]
    /// The roles that may see internal figures, unmasked (`--internal`); none by default.
    public let internalRoles: [String]

    public init(below: Int = 5, shownAs: String? = nil, fields: [String], internalRoles: [String] = []) {
        self.below = below
        self.shownAs = shownAs ?? "<\(below)"
        self.fields = fields
        self.internalRoles = internalRoles
    }

    /// Whether a count would point too closely to persons (zero does not).
    public func isSmall(_ count: Int) -> Bool { count > 0 && count < below }

    /// A count as a document shows it: masked when small, unless the document is internal.
    public func text(_ count: Int, internal isInternal: Bool) -> String {
        !isInternal && isSmall(count) ? shownAs : String(count)
    }
}
