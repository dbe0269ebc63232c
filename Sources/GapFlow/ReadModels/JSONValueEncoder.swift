import Foundation

/// Encodes an `Encodable` read model as a ``JSONValue``: keys in the order the type encodes them, dates as
/// ISO 8601 (UTC, milliseconds), and absent optionals as `null`, so every documented field is always there.
///
/// The CLI's `--json` output and the web front's JSON API both go through here, so they cannot differ.
public enum JSONValueEncoder {
    /// The JSON tree of `value`.
    public static func encode<Value: Encodable>(_ value: Value) throws -> JSONValue {
        let box = Box()
        try box.store(value, codingPath: [])
        return box.resolved
    }

    /// Indented JSON text of `value`, as the CLI prints it.
    public static func pretty<Value: Encodable>(_ value: Value) throws -> String {
        try encode(value).pretty
    }
}

/// A value under construction; containers fill it in place.
private final class Box {
    enum Content {
        case empty
        case value(JSONValue)
        case object([(String, Box)])
        case array([Box])
    }

    var content: Content = .empty

    var resolved: JSONValue {
        switch content {
        case .empty: .null
        case .value(let value): value
        case .object(let members): .object(members.map { ($0.0, $0.1.resolved) })
        case .array(let elements): .array(elements.map(\.resolved))
        }
    }

    /// Encodes `value` into this box, with the types JSON knows written directly.
    func store<Value: Encodable>(_ value: Value, codingPath: [any CodingKey]) throws {
        switch value {
        case let json as JSONValue: content = .value(json)
        case let date as Date: content = .value(.string(Timestamp.iso8601(date)))
        case let text as String: content = .value(.string(text))
        case let flag as Bool: content = .value(.bool(flag))
        case let number as Int: content = .value(.integer(number))
        default: try value.encode(to: BoxEncoder(box: self, codingPath: codingPath))
        }
    }

    func set(_ key: String, _ child: Box) {
        guard case .object(var members) = content else {
            content = .object([(key, child)])
            return
        }
        if let index = members.firstIndex(where: { $0.0 == key }) {
            members[index].1 = child
        } else {
            members.append((key, child))
        }
        content = .object(members)
    }

    func append(_ child: Box) {
        guard case .array(var elements) = content else {
            content = .array([child])
            return
        }
        elements.append(child)
        content = .array(elements)
    }
}

private struct BoxEncoder: Encoder {
    let box: Box
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = box.content {} else { box.content = .object([]) }
        return KeyedEncodingContainer(KeyedBox<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = box.content {} else { box.content = .array([]) }
        return UnkeyedBox(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleBox(box: box, codingPath: codingPath)
    }
}

private struct KeyedBox<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: Box
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws {
        let child = Box()
        child.content = .value(.null)
        box.set(key.stringValue, child)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let child = Box()
        box.set(key.stringValue, child)
        try child.store(value, codingPath: codingPath + [key])
    }

    // An absent optional is written as null: read models keep every documented field.
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = Box()
        child.content = .object([])
        box.set(key.stringValue, child)
        return KeyedEncodingContainer(KeyedBox<NestedKey>(box: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = Box()
        child.content = .array([])
        box.set(key.stringValue, child)
        return UnkeyedBox(box: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { BoxEncoder(box: box, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = Box()
        box.set(key.stringValue, child)
        return BoxEncoder(box: child, codingPath: codingPath + [key])
    }
}

private struct UnkeyedBox: UnkeyedEncodingContainer {
    let box: Box
    let codingPath: [any CodingKey]
    var count: Int {
        if case .array(let elements) = box.content { return elements.count }
        return 0
    }

    private struct Index: CodingKey {
        let intValue: Int?
        var stringValue: String { String(intValue ?? 0) }
        init(_ index: Int) { intValue = index }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    mutating func encodeNil() throws {
        let child = Box()
        child.content = .value(.null)
        box.append(child)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let child = Box()
        let path = codingPath + [Index(count)]
        box.append(child)
        try child.store(value, codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = Box()
        child.content = .object([])
        let path = codingPath + [Index(count)]
        box.append(child)
        return KeyedEncodingContainer(KeyedBox<NestedKey>(box: child, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = Box()
        child.content = .array([])
        let path = codingPath + [Index(count)]
        box.append(child)
        return UnkeyedBox(box: child, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let child = Box()
        let path = codingPath + [Index(count)]
        box.append(child)
        return BoxEncoder(box: child, codingPath: path)
    }
}

private struct SingleBox: SingleValueEncodingContainer {
    let box: Box
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { box.content = .value(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try box.store(value, codingPath: codingPath) }
}

extension JSONValue: Encodable {
    /// Encodes the tree as it is (through ``JSONValueEncoder`` it is taken over unchanged).
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .object(let members):
            var container = encoder.container(keyedBy: AnyKey.self)
            for (key, value) in members { try container.encode(value, forKey: AnyKey(key)) }
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .integer(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        }
    }
}

/// A coding key made from any string (for maps whose keys are data, such as field values by field id).
public struct AnyKey: CodingKey, Sendable {
    public let stringValue: String
    public var intValue: Int? { nil }
    public init(_ string: String) { stringValue = string }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}
