import Foundation

/// Random bytes from the operating system's CSPRNG, and comparisons that take the same time whatever they find.
public enum SecureRandom {
    /// `count` random bytes (`getrandom` through the system generator).
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// 32 random bytes as 64 lowercase hex digits: a session id, a CSRF token, an API token.
    public static func token() -> String { hex(bytes(32)) }

    /// `count` random bytes as lowercase hexadecimal (a database's identity).
    static func hex(bytes count: Int) -> String? { hex(bytes(count)) }

    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }

    /// The SHA-256 of a token, as stored: the database never holds a live session id or API token.
    public static func digest(of token: String) -> String { SHA256.hex(Array(token.utf8)) }
}
