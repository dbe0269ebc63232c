/// A place in a source text: 1-based line and column (columns count Unicode scalars).
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// A parsed JSON value that remembers where it stood in its file, so diagnostics can point at it.
public struct JSONNode: Sendable, Equatable {
    /// One member of an object, with the position of its key.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var keyPosition: SourcePosition
        public var value: JSONNode
    }

    /// The kinds of JSON value.
    public enum Value: Sendable, Equatable {
        case object([Member])
        case array([JSONNode])
        case string(String)
        /// A number with its literal text, so integers stay exact.
        case number(Double, literal: String)
        case bool(Bool)
        case null
    }

    public var value: Value
    public var position: SourcePosition

    public init(_ value: Value, at position: SourcePosition) {
        self.value = value
        self.position = position
    }

    /// The name of this value's kind, as used in messages ("object", "array", "string", …).
    public var kindName: String {
        switch value {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .number: "number"
        case .bool: "boolean"
        case .null: "null"
        }
    }

    /// The members of an object, or nil for any other kind.
    public var members: [Member]? {
        if case .object(let members) = value { return members }
        return nil
    }

    /// The value of an object's member (the first, if the key repeats), or nil.
    public subscript(key: String) -> JSONNode? { members?.first { $0.key == key }?.value }

    /// The elements of an array, or nil for any other kind.
    public var elements: [JSONNode]? {
        if case .array(let elements) = value { return elements }
        return nil
    }

    /// The text of a string, or nil for any other kind.
    public var string: String? {
        if case .string(let text) = value { return text }
        return nil
    }

    /// The value of a number that is a whole number within `Int`'s range, or nil.
    public var integer: Int? {
        guard case .number(let number, let literal) = value else { return nil }
        if let exact = Int(literal) { return exact }
        guard number.rounded() == number, abs(number) < 9.0e15 else { return nil }
        return Int(number)
    }

    /// The value of a boolean, or nil.
    public var bool: Bool? {
        if case .bool(let flag) = value { return flag }
        return nil
    }
}
