import Foundation

/// A typed field of a ticket, e.g. `municipality` (Kommune).
public struct Field: Sendable, Equatable {
    public let id: String
    public let title: String
    public let type: FieldType
    public let description: String?
    /// The value must name a group of the project-group register (`"fromGroupRegister": true`, text fields only).
    public internal(set) var fromGroupRegister = false
}

/// The kinds of value a field holds, with their constraints.
public enum FieldType: Sendable, Equatable {
    /// One line of text.
    case text(maxLength: Int?)
    /// Free text over several lines.
    case longText(maxLength: Int?)
    case integer(minimum: Int?, maximum: Int?)
    /// A calendar date (no time of day).
    case date
    /// One value out of a list.
    case choice(Choices)
    /// A set of values out of a list.
    case choiceSet(Choices)
    /// The id of another ticket; `mustBeOpen` refuses references to tickets in a final state.
    case ticket(mustBeOpen: Bool)

    /// The name used in definition files.
    public var name: String {
        switch self {
        case .text: "text"
        case .longText: "longText"
        case .integer: "integer"
        case .date: "date"
        case .choice: "enum"
        case .choiceSet: "set"
        case .ticket: "ticket"
        }
    }

    /// The allowed values of an enum or set field.
    public var choices: Choices? {
        switch self {
        case .choice(let choices), .choiceSet(let choices): choices
        default: nil
        }
    }
}

/// The allowed values of an enum or set field, optionally grouped (e.g. municipalities by area).
public struct Choices: Sendable, Equatable {
    /// One allowed value.
    public struct Value: Sendable, Equatable {
        public let id: String
        public let title: String
        public let group: String?
    }

    /// A group of values, e.g. `linksrheinisch`.
    public struct Group: Sendable, Equatable {
        public let id: String
        public let title: String
    }

    public let values: [Value]
    public let groups: [Group]

    /// The value a user meant: its id exactly, else its id or title ignoring case.
    public func match(_ input: String) -> Value? {
        let trimmed = input.trimmingCharacters(in: .whitespaces)
        if let exact = values.first(where: { $0.id == trimmed }) { return exact }
        let folded = trimmed.lowercased()
        return values.first { $0.id.lowercased() == folded || $0.title.lowercased() == folded }
    }

    /// The value with this id.
    public func value(_ id: String) -> Value? { values.first { $0.id == id } }

    /// The position of a value in the list, for sorting sets in the file's order.
    func order(_ id: String) -> Int { values.firstIndex { $0.id == id } ?? Int.max }
}
