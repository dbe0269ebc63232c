/// The fields of an `application/x-www-form-urlencoded` body or a query string, decoded strictly: a malformed
/// percent escape or bytes that are not UTF-8 make the whole input malformed, never a guessed value.
public struct FormData: Sendable, Equatable {
    public private(set) var pairs: [(name: String, value: String)]

    public init(pairs: [(name: String, value: String)] = []) { self.pairs = pairs }

    public static func == (lhs: FormData, rhs: FormData) -> Bool {
        lhs.pairs.map(\.name) == rhs.pairs.map(\.name) && lhs.pairs.map(\.value) == rhs.pairs.map(\.value)
    }

    /// Why an encoded form could not be read.
    public enum Malformed: Error, Equatable {
        case badEscape(offset: Int)
        case notUTF8
        case tooManyFields
    }

    /// The most fields one form may have.
    static let maximumFields = 1000

    public init(decoding bytes: some Collection<UInt8>) throws(Malformed) {
        var pairs: [(String, String)] = []
        for part in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if pairs.count == Self.maximumFields { throw .tooManyFields }
            let name: [UInt8]
            let value: [UInt8]
            if let equals = part.firstIndex(of: UInt8(ascii: "=")) {
                name = try Self.unescape(part[part.startIndex..<equals])
                value = try Self.unescape(part[part.index(after: equals)...])
            } else {
                name = try Self.unescape(part)
                value = []
            }
            guard let nameText = String(validating: name, as: UTF8.self), let valueText = String(validating: value, as: UTF8.self)
            else { throw .notUTF8 }
            // Browsers send line breaks as CR LF; the engine keeps LF.
            pairs.append((nameText, valueText.replacingCRLF()))
        }
        self.pairs = pairs
    }

    public init(query: String) throws(Malformed) { try self.init(decoding: Array(query.utf8)) }

    /// The first value of a field.
    public subscript(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Every value of a field (checkboxes).
    public func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    public func has(_ name: String) -> Bool { pairs.contains { $0.name == name } }

    private static func unescape(_ bytes: some Collection<UInt8>) throws(Malformed) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var iterator = Array(bytes).enumerated().makeIterator()
        while let (offset, byte) = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): out.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap({ hexValue($0.element) }),
                    let low = iterator.next().flatMap({ hexValue($0.element) })
                else { throw .badEscape(offset: offset) }
                out.append(high << 4 | low)
            default: out.append(byte)
            }
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    fileprivate func replacingCRLF() -> String {
        guard utf8.contains(13) else { return self }
        return replacing("\r\n", with: "\n").replacing("\r", with: "\n")
    }

    /// Percent-encodes everything but unreserved characters (RFC 3986), for URLs the pages build.
    var urlEncoded: String {
        var out = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF")
                out += "%\(digits[Int(byte >> 4)])\(digits[Int(byte & 0x0F)])"
            }
        }
        return out
    }
}
