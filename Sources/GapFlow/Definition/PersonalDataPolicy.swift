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
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { return result + rest[open...] }
            let name = rest[rest.index(after: open)..<close]
            switch name {
            case "field": result += field
            case "found": result += label(category)
            case "excerpt": result += excerpt
            default: result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
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
