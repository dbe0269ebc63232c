import Foundation

/// A JSON value to be written: the CLI's `--json` output, stored field values, history changes.
public enum JSONValue: Sendable, Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case integer(Int)
    case bool(Bool)
    case null

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.array(let a), .array(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    /// Compact JSON on one line, keys in the order given.
    public var compact: String {
        var out = ""
        write(to: &out, indent: nil, level: 0)
        return out
    }

    /// Indented JSON for people, keys in the order given.
    public var pretty: String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out
    }

    private func write(to out: inout String, indent: String?, level: Int) {
        let newline = indent == nil ? "" : "\n"
        let pad = { (depth: Int) in indent.map { String(repeating: $0, count: depth) } ?? "" }
        switch self {
        case .object(let members):
            if members.isEmpty { return out += "{}" }
            out += "{" + newline
            for (offset, member) in members.enumerated() {
                out += pad(level + 1)
                Self.writeString(member.0, to: &out)
                out += indent == nil ? ":" : ": "
                member.1.write(to: &out, indent: indent, level: level + 1)
                out += (offset < members.count - 1 ? "," : "") + newline
            }
            out += pad(level) + "}"
        case .array(let elements):
            if elements.isEmpty { return out += "[]" }
            out += "[" + newline
            for (offset, element) in elements.enumerated() {
                out += pad(level + 1)
                element.write(to: &out, indent: indent, level: level + 1)
                out += (offset < elements.count - 1 ? "," : "") + newline
            }
            out += pad(level) + "]"
        case .string(let text):
            Self.writeString(text, to: &out)
        case .integer(let number):
            out += String(number)
        case .bool(let flag):
            out += flag ? "true" : "false"
        case .null:
            out += "null"
        }
    }

    private static func writeString(_ text: String, to out: inout String) {
        // Most strings need no escaping; they are copied whole (the per-scalar path is slow on every write).
        let plain = text.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") && $0 != 0xE2 }
        if plain {
            out += "\""
            out += text
            out += "\""
            return
        }
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}":
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension JSONValue {
    /// A parsed tree as a value to write again (a number that is not whole keeps its literal text, as a string).
    public init(_ node: JSONNode) {
        switch node.value {
        case .object(let members): self = .object(members.map { ($0.key, JSONValue($0.value)) })
        case .array(let elements): self = .array(elements.map(JSONValue.init))
        case .string(let text): self = .string(text)
        case .number(_, let literal): self = Int(literal).map(JSONValue.integer) ?? .string(literal)
        case .bool(let flag): self = .bool(flag)
        case .null: self = .null
        }
    }
}
