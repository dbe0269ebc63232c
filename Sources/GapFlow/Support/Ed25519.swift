import CCrypto
import Foundation

/// An Ed25519 public key (OpenSSL's `libcrypto`): what a checkpoint's signature is verified against.
public struct PublicKey: Sendable, Equatable {
    /// The 32 raw bytes.
    public let bytes: [UInt8]

    /// A key from its 32 raw bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Reads a PEM public key (`-----BEGIN PUBLIC KEY-----`, as `openssl pkey -pubout` writes it); nil if the text
    /// holds no Ed25519 public key.
    public init?(pem: String) {
        var raw = [UInt8](repeating: 0, count: 32)
        let bytes = Array(pem.utf8).map { CChar(bitPattern: $0) }
        guard bytes.count < Int(Int32.max),
            gapflow_ed25519_public_from_pem(bytes, Int32(bytes.count), &raw) == 1
        else { return nil }
        self.bytes = raw
    }

    /// `SHA256:` and the hexadecimal SHA-256 of the raw key: how messages and the admin log name a key.
    public var fingerprint: String { "SHA256:" + SHA256.hex(bytes) }

    /// Whether `signature` is this key's Ed25519 signature of `message`.
    public func verifies(_ signature: [UInt8], of message: [UInt8]) -> Bool {
        guard signature.count == 64 else { return false }
        return gapflow_ed25519_verify(bytes, message, message.count, signature) == 1
    }
}

/// An Ed25519 private key, kept as its 32-byte seed (a value, so it can be handed between threads).
public struct SigningKey: Sendable {
    private let seed: [UInt8]
    public let publicKey: PublicKey

    private init?(seed: [UInt8]) {
        var raw = [UInt8](repeating: 0, count: 32)
        guard seed.count == 32, gapflow_ed25519_public_of(seed, &raw) == 1, let publicKey = PublicKey(bytes: raw) else { return nil }
        self.seed = seed
        self.publicKey = publicKey
    }

    /// A new random key; nil only if OpenSSL cannot make one.
    public static func generate() -> SigningKey? {
        var seed = [UInt8](repeating: 0, count: 32)
        guard gapflow_ed25519_generate(&seed) == 1 else { return nil }
        return SigningKey(seed: seed)
    }

    /// Reads an unencrypted PEM private key (PKCS #8, as `openssl genpkey -algorithm ed25519` writes it); nil if
    /// the text holds no such Ed25519 key (also when it is protected by a passphrase: nothing prompts for one).
    public init?(pem: String) {
        var seed = [UInt8](repeating: 0, count: 32)
        let bytes = Array(pem.utf8).map { CChar(bitPattern: $0) }
        guard bytes.count < Int(Int32.max), gapflow_ed25519_private_from_pem(bytes, Int32(bytes.count), &seed) == 1 else { return nil }
        self.init(seed: seed)
    }

    /// The key as PEM (PKCS #8, unencrypted), to keep in a file only its owner can read.
    public var pem: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let written = gapflow_ed25519_private_to_pem(seed, &buffer, Int32(buffer.count))
        return String(decoding: buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The public key as PEM, to hand to whoever verifies checkpoints.
    public var publicPEM: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let written = gapflow_ed25519_public_to_pem(seed, &buffer, Int32(buffer.count))
        return String(decoding: buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The Ed25519 signature (64 bytes) of `message`; nil only if OpenSSL fails.
    public func sign(_ message: [UInt8]) -> [UInt8]? {
        var signature = [UInt8](repeating: 0, count: 64)
        guard gapflow_ed25519_sign(seed, message, message.count, &signature) == 1 else { return nil }
        return signature
    }
}
