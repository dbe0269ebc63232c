/// The value of one field of a ticket.
public enum FieldValue: Sendable, Hashable {
    case text(String)
    case integer(Int)
    case date(LocalDate)
    /// The id of one allowed value.
    case choice(String)
    /// Ids of allowed values, in the order the definition lists them.
    case choices([String])
    /// The id of another ticket.
    case ticket(String)

    /// The value as plain text, the way a user typed it (`SGB II,SGB VIII` for sets).
    public var plainText: String {
        switch self {
        case .text(let text), .choice(let text), .ticket(let text): text
        case .integer(let number): String(number)
        case .date(let date): date.iso8601
        case .choices(let ids): ids.joined(separator: ",")
        }
    }

    /// The value as JSON: strings, numbers, ISO 8601 dates and arrays for sets.
    public var json: JSONValue {
        switch self {
        case .text(let text), .choice(let text), .ticket(let text): .string(text)
        case .integer(let number): .integer(number)
        case .date(let date): .string(date.iso8601)
        case .choices(let ids): .array(ids.map { .string($0) })
        }
    }

    /// Whether the value counts as empty for a required field (blank text, empty set).
    public var isEmpty: Bool {
        switch self {
        case .text(let text): text.allSatisfy(\.isWhitespace)
        case .choices(let ids): ids.isEmpty
        default: false
        }
    }
}
