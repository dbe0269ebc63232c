/// Looks for text that seems to be personal data in free text and comments: gap tickets describe structures, not
/// persons (§ 35 SGB I, §§ 67 ff. SGB X, Art. 9 GDPR). It finds likely cases, not all; a finding is a warning, or a
/// refusal when the workflow or the command says so.
///
/// Its scanner reads a text once and looks at a bounded window around each trigger, so a
/// value costs time in proportion to its length whatever it holds. The words a user reads come from the workflow file
/// (``PersonalDataPolicy``); the code knows only the stable category keys.
public enum PersonalDataGuard {
    /// What a stretch of text looks like; the raw value is the key used in workflow files.
    ///
    /// The order is the order of precedence when two stretches overlap: the more specific one is reported.
    public enum Category: String, CaseIterable, Sendable, Codable {
        /// A name with a date of birth: "Ayşe Yılmaz, geb. 12.03.1985".
        case nameWithDateOfBirth
        /// A date of birth: "geb. am 3.4.1987", "geb. 3. April 1987", "* 03.04.1987", "Jahrgang 1979".
        case dateOfBirth
        /// An e-mail address of a person (an office's mailbox such as info@… is not one).
        case email
        /// An IBAN.
        case iban
        /// A social or pension insurance number (Rentenversicherungsnummer): "12 030585 M 123".
        case socialInsuranceNumber
        /// A tax identification number: "Steuer-ID 12 345 678 901".
        case taxID
        /// A number of the Central Register of Foreigners (Ausländerzentralregister, AZR).
        case azrNumber
        /// The number of an identity card, passport or residence permit (eAT).
        case identityDocument
        /// A file, customer or BG number: "Az. 51.2-123/2026", "BG-Nummer 12345BG0012345".
        case fileNumber
        /// A phone number (a toll-free or service number of an office is not one).
        case phone
        /// A postal address: a street with a house number, a postcode and town next to a street.
        case address
        /// Health data about one person (Art. 9 GDPR): "HIV-positiv", "Dialysepatient", "GdB 50".
        case healthData
        /// The age of one person with origin or description: "ein 37-jähriger Syrer", "37 Jahre, syrisch".
        case ageAndOrigin
        /// A person named by a title or by first name and surname: "Frau Karimi", "Familie Yilmaz", "Ahmad Karimi".
        case namedPerson

        /// The position in the order of precedence.
        var rank: Int { Self.allCases.firstIndex(of: self) ?? Self.allCases.count }
    }

    /// One stretch of a text that looks like personal data.
    public struct Match: Sendable, Equatable {
        public let category: Category
        /// Where it is, in UTF-8 bytes of the text.
        public internal(set) var range: Range<Int>

        public init(category: Category, range: Range<Int>) {
            self.category = category
            self.range = range
        }

        /// The matched text, shortened to 40 Unicode scalars.
        public func excerpt(of text: String) -> String {
            var copy = text
            return copy.withUTF8 { excerpt(in: $0) }
        }

        /// The matched text in the UTF-8 bytes of the text it was found in, shortened to 40 Unicode scalars.
        func excerpt(in bytes: UnsafeBufferPointer<UInt8>) -> String {
            let lower = min(range.lowerBound, bytes.count)
            let upper = min(range.upperBound, bytes.count)
            var end = lower
            var scalars = 0
            while end < upper {
                if bytes[end] & 0xC0 != 0x80 {
                    if scalars == 39 { break }
                    scalars += 1
                }
                end += 1
            }
            let found = String(decoding: UnsafeBufferPointer(rebasing: bytes[lower..<end]), as: UTF8.self)
            return end < upper ? found + "…" : found
        }
    }

    /// One thing in one field (or the comment) that looks like personal data, with the message the workflow gives it.
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        /// The field's id; nil for the command's comment.
        public let field: String?
        public let category: Category
        /// The matched text, shortened.
        public let excerpt: String
        /// The message in the workflow's words, naming the field and what was found.
        public let message: String

        public var description: String { message }
    }

    /// What in `text` looks like personal data, in text order.
    public static func matches(in text: String) -> [Match] { PersonalDataScanner.matches(in: text) }

    /// The findings in one text: `field` is its id (nil for a comment) and `title` the name shown to users.
    public static func scan(_ text: String, field: String?, title: String, policy: PersonalDataPolicy = PersonalDataPolicy()) -> [Finding] {
        let found = matches(in: text)
        guard !found.isEmpty else { return [] }
        let message = policy.compiled(field: title)
        var copy = text
        return copy.withUTF8 { bytes in
            found.map { match in
                let excerpt = match.excerpt(in: bytes)
                return Finding(field: field, category: match.category, excerpt: excerpt, message: message(match.category, excerpt))
            }
        }
    }

    /// The findings in a command's free text: text and long-text fields, the free text of ticket references, and the
    /// comment.
    public static func scan(_ values: [String: FieldValue], comment: String?, definition: Definition) -> [Finding] {
        let policy = definition.personalData
        var findings = values.keys.sorted().flatMap { name -> [Finding] in
            guard let field = definition.field(name), let text = freeText(values[name], of: field.type) else { return [] }
            return scan(text, field: name, title: field.title, policy: policy)
        }
        if let comment { findings += scan(comment, field: nil, title: policy.commentTitle, policy: policy) }
        return findings
    }

    /// The text a user typed into a field, for the field types that take free text.
    private static func freeText(_ value: FieldValue?, of type: FieldType) -> String? {
        switch (type, value) {
        case (.text, .text(let text)?), (.longText, .text(let text)?), (.ticket, .ticket(let text)?): text
        default: nil
        }
    }
}
