import Foundation

/// A value for a field as a user gave it, before it is checked against the field's type.
public enum FieldInput: Sendable, Equatable {
    /// Text from the command line (`--set field=value`); sets are comma-separated.
    case text(String)
    /// A JSON value from a file (`--fields FILE`, a decisions file).
    case json(JSONNode)
    /// An explicit "no value": clears an optional field.
    case clear
}

extension FieldType {
    /// Converts user input into a value of this type, or says why it cannot.
    ///
    /// Enum and set values are matched by id, or by id or title ignoring case, and stored by id.
    public func value(from input: FieldInput) -> Result<FieldValue?, FieldValueError> {
        switch input {
        case .clear:
            return .success(nil)
        case .text(let text):
            return parse(text).map { Optional($0) }
        case .json(let node):
            if case .null = node.value { return .success(nil) }
            switch self {
            case .integer:
                guard let number = node.integer else { return .failure(.wrongKind(expected: "a whole number", found: node.kindName)) }
                return check(.integer(number)).map { Optional($0) }
            case .choiceSet(let choices):
                let items: [String]
                if let elements = node.elements {
                    var strings: [String] = []
                    for element in elements {
                        guard let text = element.string else {
                            return .failure(.wrongKind(expected: "an array of strings", found: "array of \(element.kindName)"))
                        }
                        strings.append(text)
                    }
                    items = strings
                } else if let text = node.string {
                    items = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                } else {
                    return .failure(.wrongKind(expected: "an array of strings", found: node.kindName))
                }
                return matchSet(items, choices).map { Optional($0) }
            default:
                guard let text = node.string else { return .failure(.wrongKind(expected: "a string", found: node.kindName)) }
                return parse(text).map { Optional($0) }
            }
        }
    }

    private func parse(_ text: String) -> Result<FieldValue, FieldValueError> {
        switch self {
        case .text:
            if text.contains(where: { $0.isNewline }) { return .failure(.lineBreakInText) }
            return check(.text(text))
        case .longText:
            return check(.text(text))
        case .integer:
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)) else { return .failure(.notAnInteger(text)) }
            return check(.integer(number))
        case .date:
            guard let date = LocalDate(parsing: text) else { return .failure(.notADate(text)) }
            return .success(.date(date))
        case .choice(let choices):
            guard let value = choices.match(text) else { return .failure(.notAllowed(text, allowed: choices.values.map(\.id))) }
            return .success(.choice(value.id))
        case .choiceSet(let choices):
            let items = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return matchSet(items, choices)
        case .ticket:
            let id = text.trimmingCharacters(in: .whitespaces).uppercased()
            guard !id.isEmpty else { return .failure(.notATicketID(text)) }
            return .success(.ticket(id))
        }
    }

    private func matchSet(_ items: [String], _ choices: Choices) -> Result<FieldValue, FieldValueError> {
        var ids: [String] = []
        // "a,,b", "a," or ",,," is a slip, not a set: refused rather than stored with the gaps dropped, or as an empty set.
        if items.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            return .failure(.emptyElement(items.joined(separator: ",")))
        }
        for item in items {
            guard let value = choices.match(item) else { return .failure(.notAllowed(item, allowed: choices.values.map(\.id))) }
            if !ids.contains(value.id) { ids.append(value.id) }
        }
        return .success(.choices(ids.sorted { choices.order($0) < choices.order($1) }))
    }

    /// Checks length and range limits of a converted value.
    private func check(_ value: FieldValue) -> Result<FieldValue, FieldValueError> {
        switch (self, value) {
        case (.text(let maxLength?), .text(let text)), (.longText(let maxLength?), .text(let text)):
            return text.count > maxLength ? .failure(.tooLong(maximum: maxLength, actual: text.count)) : .success(value)
        case (.integer(let minimum, let maximum), .integer(let number)):
            if let minimum, number < minimum { return .failure(.outOfRange(number, minimum: minimum, maximum: maximum)) }
            if let maximum, number > maximum { return .failure(.outOfRange(number, minimum: minimum, maximum: maximum)) }
            return .success(value)
        default:
            return .success(value)
        }
    }
}

/// Why an input is not a valid value for a field.
public enum FieldValueError: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongKind(expected: String, found: String)
    case notAnInteger(String)
    case notADate(String)
    case notATicketID(String)
    case notAllowed(String, allowed: [String])
    case tooLong(maximum: Int, actual: Int)
    case outOfRange(Int, minimum: Int?, maximum: Int?)
    case lineBreakInText
    case emptyElement(String)

    public var description: String {
        switch self {
        case .wrongKind(let expected, let found): "expected \(expected), found \(found)"
        case .notAnInteger(let text): "\"\(text)\" is not a whole number"
        case .notADate(let text): "\"\(text)\" is not a date (write 2026-12-24 or 24.12.2026)"
        case .notATicketID(let text): "\"\(text)\" is not a ticket id"
        case .notAllowed(let text, let allowed):
            "\"\(text)\" is not an allowed value; allowed: \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))"
        case .tooLong(let maximum, let actual): "text has \(actual) characters, at most \(maximum) allowed"
        case .outOfRange(let number, let minimum, let maximum):
            switch (minimum, maximum) {
            case (let low?, let high?): "\(number) is outside \(low)…\(high)"
            case (let low?, nil): "\(number) is less than \(low)"
            case (nil, let high?): "\(number) is greater than \(high)"
            case (nil, nil): "\(number) is out of range"
            }
        case .lineBreakInText: "a one-line text field cannot hold line breaks"
        case .emptyElement(let text): "\"\(text)\" has an empty element; separate the values by single commas"
        }
    }
}
