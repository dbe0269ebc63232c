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

    /// (what it looks like, regular expression). Ordered from the most specific. Each is linear in the length of the
    /// text: a match can start only where the run it belongs to starts (look-behind) and never backtracks into it
    /// (possessive quantifiers); a name is looked for only just before a date of birth (``nameBeforeBirthDate``).
    static let patterns: [(String, String)] = [
        (
            "a date of birth",
            #"(?i:\bgeb\.|\bgeboren(?: am)?|\bgeburtsdatum:?|\bgeb\.-datum:?)\s*\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\*\s?\d{1,2}\.\d{1,2}\.\d{4}"#
        ),
        ("an e-mail address", #"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++@[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)*+(?<=\.[A-Za-z]{2,63})"#),
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

    /// Two or more capitalised words (not starting with an article: German capitalises every noun) that end right
    /// before a date of birth: looked for only in the few characters before each date of birth, so a long text of
    /// capitalised nouns costs no more than any other.
    static let nameBeforeBirthDate = try? NSRegularExpression(
        pattern:
            #"\b(?!(?:Der|Die|Das|Dem|Den|Des|Ein|Eine|Einem|Einen|Einer|Eines)\b)\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+)+,?\s*\(?\s*$"#)
    static let birthMarker = try? NSRegularExpression(
        pattern: #"(?:\bgeb\.|\bgeboren(?: am)?|\*)\s*\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}"#)

    /// The stretches of `text` that are a name followed by a date of birth.
    static func namesWithBirthDates(in text: String) -> [NSRange] {
        guard let marker = birthMarker, let name = nameBeforeBirthDate else { return [] }
        let units = Array(text.utf16)
        return marker.matches(in: text, range: NSRange(location: 0, length: units.count)).compactMap { date in
            // The 80 UTF-16 units before the date, as a string of their own: matching in a range of the whole text
            // would hand all of it to ICU again for every date.
            let start = max(0, date.range.location - 80)
            let window = String(decoding: units[start..<date.range.location], as: UTF16.self)
            guard let found = name.firstMatch(in: window, range: NSRange(location: 0, length: window.utf16.count)) else { return nil }
            let location = start + found.range.location
            return NSRange(location: location, length: NSMaxRange(date.range) - location)
        }
    }

    /// What in `text` looks like personal data; each stretch of text is reported once, by its most specific pattern.
    public static func scan(_ text: String, field: String) -> [Finding] {
        let whole = NSRange(text.startIndex..., in: text)
        // The stretches already reported, as an index set: checking a new match costs log n, not n.
        var taken = IndexSet()
        var findings: [Finding] = []
        let found: [(String, [NSRange])] =
            [("a name with a date of birth", namesWithBirthDates(in: text))]
            + expressions.map { name, expression in (name, expression.matches(in: text, range: whole).map(\.range)) }
        for (name, ranges) in found {
            for range in ranges where range.length > 0 && !taken.intersects(integersIn: range.location..<NSMaxRange(range)) {
                taken.insert(integersIn: range.location..<NSMaxRange(range))
                guard let bounds = Range(range, in: text) else { continue }
                let excerpt = String(text[bounds])
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
