/// What a workflow does with text that looks like personal data, and the words it uses to say so
/// (`"personalData"` in the definition file).
public struct PersonalDataPolicy: Sendable, Equatable {
    /// Warn and accept, or refuse.
    public enum Mode: String, Sendable, CaseIterable {
        case warn, refuse
    }

    /// The placeholders a message may use: the field's title, the category's label, the matched text.
    public static let placeholders = ["field", "found", "excerpt"]
    /// The message when the file gives none: neutral, with no words of any language.
    public static let neutralMessage = "{field}: {found} (\"{excerpt}\")"

    public var mode: Mode
    /// The phrase for each category, e.g. `dateOfBirth` → "ein Geburtsdatum"; a category without one shows its key.
    public var labels: [PersonalDataGuard.Category: String]
    /// The message template, naming `{field}` and `{found}` and optionally `{excerpt}`.
    public var template: String
    /// What the command's comment is called in messages, e.g. "Kommentar"; `comment` when the file does not say.
    public var commentTitle: String

    public init(
        mode: Mode = .warn, labels: [PersonalDataGuard.Category: String] = [:], template: String = Self.neutralMessage,
        commentTitle: String = "comment"
    ) {
        self.mode = mode
        self.labels = labels
        self.template = template
        self.commentTitle = commentTitle
    }

    /// The label of a category: the file's phrase, or the category key.
    public func label(_ category: PersonalDataGuard.Category) -> String { labels[category] ?? category.rawValue }

    /// The message for one finding: the template with its placeholders filled in (unknown ones stay as written).
    public func message(field: String, category: PersonalDataGuard.Category, excerpt: String) -> String {
        compiled(field: field)(category, excerpt)
    }

    /// The message maker for one field: the template is read once, then each finding costs a few appends (a value
    /// of a megabyte may have tens of thousands of findings).
    func compiled(field: String) -> (PersonalDataGuard.Category, String) -> String {
        enum Part {
            case text(String)
            case found
            case excerpt
        }
        var parts: [Part] = []
        var literal = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            literal += rest[..<open]
            switch rest[rest.index(after: open)..<close] {
            case "field": literal += field
            case "found":
                parts.append(.text(literal))
                parts.append(.found)
                literal = ""
            case "excerpt":
                parts.append(.text(literal))
                parts.append(.excerpt)
                literal = ""
            default: literal += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        parts.append(.text(literal + rest))
        let labels = PersonalDataGuard.Category.allCases.map { label($0) }
        let fixedLength = parts.reduce(0) { length, part in
            if case .text(let text) = part { return length + text.utf8.count }
            return length
        }
        return { category, excerpt in
            var message = ""
            message.reserveCapacity(fixedLength + 64 + excerpt.utf8.count)
            for part in parts {
                switch part {
                case .text(let text): message += text
                case .found: message += labels[category.rank]
                case .excerpt: message += excerpt
                }
            }
            return message
        }
    }

    /// The names in braces of a template, in order, e.g. ["field", "found"].
    static func placeholders(in template: String) -> [String] {
        var names: [String] = []
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
