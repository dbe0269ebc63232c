import Foundation

/// A syntax error in a JSON or JSON5 text, with the place where reading stopped.
public struct JSONSyntaxError: Error, Sendable, Equatable {
    public var message: String
    public var position: SourcePosition
    /// When the text is not UTF-8: the offset of the first byte that is not, counted from the start of the input.
    public var invalidByteOffset: Int? = nil
}

/// A JSON5 reader that keeps the source position of every value.
///
/// Foundation's decoder reports syntax errors without a line or column and silently keeps
/// the first of two duplicate keys; definitions need both, so they are read with this parser.
/// It accepts strict JSON and JSON5 (comments, trailing commas, unquoted keys, single quotes,
/// hexadecimal numbers, `Infinity`/`NaN`). Duplicate keys are kept in order for the caller to report.
public struct JSONParser {
    /// How deeply arrays and objects may nest before the text is refused (protects the stack).
    public static let maximumDepth = 256

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0
    private var columnMarkIndex = 0
    private var columnMark = 1

    /// Parses a whole text; anything but white space and comments after the value is an error.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONNode {
        try parse(Array(text.utf8))
    }

    /// Parses UTF-8 bytes; a byte sequence that is not UTF-8 is refused with its byte offset, line and column (never
    /// replaced by U+FFFD).
    public static func parse(_ data: [UInt8]) throws(JSONSyntaxError) -> JSONNode {
        var parser = JSONParser(bytes: data)
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            parser.index = 3
            parser.lineStart = 3
        }
        try parser.checkEncoding()
        try parser.skipInsignificant()
        let node = try parser.parseValue()
        try parser.skipInsignificant()
        if parser.index < parser.bytes.count {
            throw parser.error("unexpected \(parser.describeCurrent()) after the end of the document")
        }
        return node
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: - Positions and errors

    /// The current position; columns are counted from a mark on the current line, so long lines stay linear.
    private var position: SourcePosition {
        mutating get {
            if columnMarkIndex < lineStart || columnMarkIndex > index {
                columnMarkIndex = lineStart
                columnMark = 1
            }
            var i = columnMarkIndex
            while i < index {
                if bytes[i] & 0xC0 != 0x80 { columnMark += 1 }
                i += 1
            }
            columnMarkIndex = index
            return SourcePosition(line: line, column: columnMark)
        }
    }

    private mutating func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(message: message, position: position)
    }

    private func describeCurrent() -> String {
        guard index < bytes.count else { return "end of file" }
        let byte = bytes[index]
        if byte >= 0x21 && byte < 0x7F { return "character '\(Character(UnicodeScalar(byte)))'" }
        if byte == 0x0A || byte == 0x0D { return "line break" }
        if byte < 0x20 { return "control character 0x\(String(byte, radix: 16, uppercase: true))" }
        var end = index + 1
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "character '\(String(decoding: bytes[index..<end], as: UTF8.self))'"
    }

    private mutating func checkEncoding() throws(JSONSyntaxError) {
        // Fast path: ASCII, or valid UTF-8 as the standard library checks it; the slow scan below only finds the position.
        if bytes[index...].allSatisfy({ $0 < 0x80 }) || String(validating: bytes[index...], as: UTF8.self) != nil { return }
        var iterator = bytes[index...].makeIterator()
        var decoder = UTF8()
        var offset = index
        var scanLine = 1
        var scanLineStart = index
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                let width = String(scalar).utf8.count
                if scalar == "\n" {
                    scanLine += 1
                    scanLineStart = offset + width
                }
                offset += width
            case .emptyInput:
                return
            case .error:
                line = scanLine
                lineStart = scanLineStart
                index = offset
                let byte = offset < bytes.count ? " 0x\(String(bytes[offset], radix: 16, uppercase: true))" : ""
                throw JSONSyntaxError(
                    message: "not valid UTF-8: no character can be read from byte\(byte) at byte offset \(offset) "
                        + "(save the file as UTF-8)",
                    position: position, invalidByteOffset: offset)
            }
        }
    }

    // MARK: - Lexical helpers

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func advance() {
        if bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        index += 1
    }

    private mutating func skipInsignificant() throws(JSONSyntaxError) {
        while let byte = current {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C:
                advance()
            case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0xA0:
                index += 2
            case 0xEF where bytes[index...].starts(with: [0xEF, 0xBB, 0xBF]):
                index += 3
            case UInt8(ascii: "/"):
                let start = position
                guard index + 1 < bytes.count else { throw error("unexpected '/' at the end of the file") }
                if bytes[index + 1] == UInt8(ascii: "/") {
                    while let next = current, next != 0x0A { advance() }
                } else if bytes[index + 1] == UInt8(ascii: "*") {
                    advance()
                    advance()
                    var closed = false
                    while let next = current {
                        if next == UInt8(ascii: "*"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                            advance()
                            advance()
                            closed = true
                            break
                        }
                        advance()
                    }
                    if !closed {
                        throw JSONSyntaxError(message: "comment opened here is never closed with '*/'", position: start)
                    }
                } else {
                    throw error("unexpected '/' (comments start with // or /*)")
                }
            default:
                return
            }
        }
    }

    // MARK: - Values

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONNode {
        let start = position
        guard let byte = current else { throw error("unexpected end of file, expected a value") }
        switch byte {
        case UInt8(ascii: "{"):
            return try parseObject(start)
        case UInt8(ascii: "["):
            return try parseArray(start)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return JSONNode(.string(try parseString()), at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber(start)
        default:
            let word = parseIdentifier()
            switch word {
            case "true": return JSONNode(.bool(true), at: start)
            case "false": return JSONNode(.bool(false), at: start)
            case "null": return JSONNode(.null, at: start)
            case "Infinity": return JSONNode(.number(.infinity, literal: word), at: start)
            case "NaN": return JSONNode(.number(.nan, literal: word), at: start)
            case "":
                throw error("unexpected \(describeCurrent()), expected a value")
            default:
                throw JSONSyntaxError(
                    message: "unexpected word '\(word)', expected a value (strings need quotes)", position: start)
            }
        }
    }

    private mutating func enterNesting() throws(JSONSyntaxError) {
        depth += 1
        if depth > Self.maximumDepth {
            throw error("nesting deeper than \(Self.maximumDepth) levels")
        }
    }

    private mutating func parseObject(_ start: SourcePosition) throws(JSONSyntaxError) -> JSONNode {
        try enterNesting()
        advance()
        var members: [JSONNode.Member] = []
        while true {
            try skipInsignificant()
            guard let byte = current else {
                throw JSONSyntaxError(message: "object opened here is never closed with '}'", position: start)
            }
            if byte == UInt8(ascii: "}") {
                advance()
                depth -= 1
                return JSONNode(.object(members), at: start)
            }
            let keyPosition = position
            let key: String
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                key = try parseString()
            } else {
                key = parseIdentifier()
                if key.isEmpty { throw error("unexpected \(describeCurrent()), expected a key or '}'") }
            }
            try skipInsignificant()
            guard current == UInt8(ascii: ":") else {
                throw error("unexpected \(describeCurrent()) after key \"\(key)\", expected ':'")
            }
            advance()
            try skipInsignificant()
            let value = try parseValue()
            members.append(JSONNode.Member(key: key, keyPosition: keyPosition, value: value))
            try skipInsignificant()
            switch current {
            case UInt8(ascii: ","):
                advance()
            case UInt8(ascii: "}"):
                continue
            case nil:
                throw JSONSyntaxError(message: "object opened here is never closed with '}'", position: start)
            default:
                throw error("unexpected \(describeCurrent()) after a value in an object, expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray(_ start: SourcePosition) throws(JSONSyntaxError) -> JSONNode {
        try enterNesting()
        advance()
        var elements: [JSONNode] = []
        while true {
            try skipInsignificant()
            guard let byte = current else {
                throw JSONSyntaxError(message: "array opened here is never closed with ']'", position: start)
            }
            if byte == UInt8(ascii: "]") {
                advance()
                depth -= 1
                return JSONNode(.array(elements), at: start)
            }
            elements.append(try parseValue())
            try skipInsignificant()
            switch current {
            case UInt8(ascii: ","):
                advance()
            case UInt8(ascii: "]"):
                continue
            case nil:
                throw JSONSyntaxError(message: "array opened here is never closed with ']'", position: start)
            default:
                throw error("unexpected \(describeCurrent()) after a value in an array, expected ',' or ']'")
            }
        }
    }

    private mutating func parseIdentifier() -> String {
        let start = index
        while let byte = current {
            let isWordByte =
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
            guard isWordByte, !(index == start && byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) else {
                break
            }
            if byte >= 0x80, byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0xA0 { break }
            advance()
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = position
        let quote = bytes[index]
        advance()
        var buffer: [UInt8] = []
        while true {
            guard let byte = current else {
                throw JSONSyntaxError(message: "string starting here is never closed", position: start)
            }
            if byte == quote {
                advance()
                return String(decoding: buffer, as: UTF8.self)
            }
            if byte == 0x0A || byte == 0x0D {
                throw JSONSyntaxError(
                    message: "string starting here is not closed before the end of its line (a line break inside is written \\n)",
                    position: start)
            }
            if byte < 0x20 && byte != 0x09 {
                throw error("control character inside a string")
            }
            if byte != UInt8(ascii: "\\") {
                buffer.append(byte)
                advance()
                continue
            }
            advance()
            guard let escaped = current else {
                throw JSONSyntaxError(message: "string starting here is never closed", position: start)
            }
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                buffer.append(escaped)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "v"): buffer.append(0x0B)
            case UInt8(ascii: "0"): buffer.append(0x00)
            case 0x0A:
                break  // JSON5 line continuation
            case UInt8(ascii: "u"):
                advance()
                let scalar = try parseUnicodeEscape()
                buffer.append(contentsOf: Array(String(scalar).utf8))
                continue
            default:
                throw error("unknown escape sequence '\\\(describeCurrent())' in a string")
            }
            advance()
        }
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexDigit(byte) else {
                throw error("\\u must be followed by four hexadecimal digits")
            }
            value = value * 16 + UInt32(digit)
            advance()
        }
        return value
    }

    private mutating func parseUnicodeEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
        let high = try parseHex4()
        if (0xD800..<0xDC00).contains(high) {
            guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("a \\u surrogate must be followed by its low half")
            }
            advance()
            advance()
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low),
                let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            else { throw error("invalid \\u surrogate pair") }
            return scalar
        }
        guard let scalar = Unicode.Scalar(high) else { throw error("invalid \\u escape") }
        return scalar
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private mutating func parseNumber(_ start: SourcePosition) throws(JSONSyntaxError) -> JSONNode {
        let startIndex = index
        var negative = false
        if current == UInt8(ascii: "-") || current == UInt8(ascii: "+") {
            negative = current == UInt8(ascii: "-")
            advance()
        }
        if let byte = current, byte == UInt8(ascii: "I") || byte == UInt8(ascii: "N") {
            let word = parseIdentifier()
            switch word {
            case "Infinity": return JSONNode(.number(negative ? -.infinity : .infinity, literal: word), at: start)
            case "NaN": return JSONNode(.number(.nan, literal: word), at: start)
            default: throw JSONSyntaxError(message: "invalid number '\(word)'", position: start)
            }
        }
        if current == UInt8(ascii: "0"), index + 1 < bytes.count,
            bytes[index + 1] == UInt8(ascii: "x") || bytes[index + 1] == UInt8(ascii: "X")
        {
            advance()
            advance()
            var value: UInt64 = 0
            var digits = 0
            while let byte = current, let digit = Self.hexDigit(byte) {
                let (product, overflow) = value.multipliedReportingOverflow(by: 16)
                guard !overflow else { throw JSONSyntaxError(message: "hexadecimal number too large", position: start) }
                value = product + UInt64(digit)
                digits += 1
                advance()
            }
            guard digits > 0 else { throw JSONSyntaxError(message: "'0x' without hexadecimal digits", position: start) }
            let literal = negative ? "-\(value)" : "\(value)"
            return JSONNode(.number(Double(literal) ?? 0, literal: literal), at: start)
        }
        var sawDigit = false
        func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false }
        while isDigit(current) {
            sawDigit = true
            advance()
        }
        if current == UInt8(ascii: ".") {
            advance()
            while isDigit(current) {
                sawDigit = true
                advance()
            }
        }
        guard sawDigit else { throw JSONSyntaxError(message: "invalid number", position: start) }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            advance()
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { advance() }
            guard isDigit(current) else { throw error("exponent without digits in a number") }
            while isDigit(current) { advance() }
        }
        var literal = String(decoding: bytes[startIndex..<index], as: UTF8.self)
        if literal.hasPrefix("+") { literal.removeFirst() }
        guard let number = Double(literal.hasSuffix(".") ? literal + "0" : literal) else {
            throw JSONSyntaxError(message: "invalid number '\(literal)'", position: start)
        }
        return JSONNode(.number(number, literal: literal), at: start)
    }
}
