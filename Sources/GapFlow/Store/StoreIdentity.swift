import Foundation

/// The database's identity: a random id made when the store is created, named by every checkpoint.
public enum StoreIdentity {
    /// 128 random bits as 32 hexadecimal digits; nil only if OpenSSL's generator fails.
    public static func random() -> String? { SecureRandom.hex(bytes: 16) }

    /// Whether `text` can be an identity: 1 to 64 lowercase hexadecimal digits or dashes.
    static func isWellFormed(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64 && text.utf8.allSatisfy { isHexDigit($0) || $0 == UInt8(ascii: "-") }
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
