import Foundation

/// Looks for text that seems to be personal data in free-text fields: gap tickets describe structures, not persons
/// (§ 35 SGB I, §§ 67 ff. SGB X). It finds likely cases, not all; a finding is a warning, or a refusal in strict mode.
public enum PersonalDataGuard {
    /// One thing in one field that looks like personal data.
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public let field: String
        /// What it looks like, e.g. "an e-mail address".
        public let pattern: String
        /// The matched text, shortened.
        public let excerpt: String

        public var description: String { "field \"\(field)\" seems to contain \(pattern) (\"\(excerpt)\")" }
    }

    /// (what it looks like, regular expression). Ordered from the most specific.
    static let patterns: [(String, String)] = [
        // Two or more capitalised words (not starting with an article: German capitalises every noun) before a birth date.
        (
            "a name with a date of birth",
            #"\b(?!(?:Der|Die|Das|Dem|Den|Des|Ein|Eine|Einem|Einen|Einer|Eines)\b)\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+)+,?\s*\(?\s*(?:geb\.|geboren(?: am)?|\*)\s*\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}"#
        ),
        (
            "a date of birth",
            #"(?i:\bgeb\.|\bgeboren(?: am)?|\bgeburtsdatum:?|\bgeb\.-datum:?)\s*\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\*\s?\d{1,2}\.\d{1,2}\.\d{4}"#
        ),
        ("an e-mail address", #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#),
        ("an IBAN", #"\b[A-Z]{2}\d{2}(?:\s?[0-9A-Z]{4}){4,7}(?:\s?[0-9A-Z]{1,3})?\b"#),
        ("a social insurance number", #"\b\d{2}\s?\d{6}\s?[A-Z]\s?\d{3}\b"#),
        (
            "a file number",
            #"(?i:\b(?:az|aktenzeichen|gz|geschäftszeichen|bg-nr|bg-nummer|kundennummer|kd-nr)\b\.?:?\s*)[A-Za-z0-9][A-Za-z0-9./-]*\d|\b\d{3}\s?[A-Z]{2}\s?\d{6,7}\b|\b\d{5}BG\d{7}\b"#
        ),
        (
            "a tax identification number",
            #"(?i:\bsteuer-?id(?:entifikationsnummer)?\b|\bidnr\b)\.?:?\s*\d{2}\s?\d{3}\s?\d{3}\s?\d{3}|\b\d{11}\b"#
        ),
        ("a phone number", #"(?:\+49|\b0049|\(0\d{2,5}\)|\b0\d{2,5})[\s/-]?\d[\d\s/-]{4,}\d"#),
    ]

    static let expressions: [(String, NSRegularExpression)] = patterns.compactMap { name, pattern in
        (try? NSRegularExpression(pattern: pattern)).map { (name, $0) }
    }

    /// What in `text` looks like personal data; each stretch of text is reported once, by its most specific pattern.
    public static func scan(_ text: String, field: String) -> [Finding] {
        let whole = NSRange(text.startIndex..., in: text)
        var taken: [NSRange] = []
        var findings: [Finding] = []
        for (name, expression) in expressions {
            for match in expression.matches(in: text, range: whole)
            where !taken.contains(where: { NSIntersectionRange($0, match.range).length > 0 }) {
                taken.append(match.range)
                guard let range = Range(match.range, in: text) else { continue }
                let excerpt = String(text[range])
                findings.append(
                    Finding(field: field, pattern: name, excerpt: excerpt.count > 40 ? String(excerpt.prefix(39)) + "…" : excerpt))
            }
        }
        return findings
    }

    /// The findings in a command's text values (one-line and long text fields only).
    static func scan(_ values: [String: FieldValue], definition: Definition) -> [Finding] {
        values.keys.sorted().flatMap { name -> [Finding] in
            guard let field = definition.field(name), case .text(let text)? = values[name] else { return [] }
            switch field.type {
            case .text, .longText: return scan(text, field: name)
            default: return []
            }
        }
    }
}
