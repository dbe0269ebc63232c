import CCrypto
import Foundation

/// A password stored as scrypt (memory-hard, from libcrypto) with a per-account salt and its parameters, so that
/// stronger parameters later apply to new passwords while old hashes still verify.
///
/// Encoded as `scrypt$<log2 N>$<r>$<p>$<salt, base64>$<key, base64>`.
public struct PasswordHash: Sendable, Equatable, CustomStringConvertible {
    /// scrypt's cost parameters.
    public struct Parameters: Sendable, Equatable {
        public let logN: Int
        public let r: Int
        public let p: Int

        public init(logN: Int, r: Int, p: Int) {
            self.logN = logN
            self.r = r
            self.p = p
        }

        /// OWASP's recommendation for scrypt: N = 2^17, r = 8, p = 1 (128 MiB per hash).
        public static let standard = Parameters(logN: 17, r: 8, p: 1)

        /// The memory one hash takes, in bytes (128 · N · r, plus a little).
        var memory: UInt64 { 128 * (UInt64(1) << UInt64(logN)) * UInt64(r) * UInt64(p + 1) + (1 << 20) }
        var isSane: Bool { (10...22).contains(logN) && (1...32).contains(r) && (1...16).contains(p) }
    }

    public let parameters: Parameters
    let salt: [UInt8]
    let key: [UInt8]

    /// Hashes `password` with a new random salt.
    public static func make(password: String, parameters: Parameters = .standard) throws(AccountError) -> PasswordHash {
        let salt = SecureRandom.bytes(16)
        return PasswordHash(parameters: parameters, salt: salt, key: try derive(password, salt: salt, parameters))
    }

    /// Reads an encoded hash; nil if it is not one.
    public init?(encoded: String) {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let logN = Int(parts[1]), let r = Int(parts[2]), let p = Int(parts[3]),
            let salt = Data(base64Encoded: parts[4]), let key = Data(base64Encoded: parts[5]), !salt.isEmpty, key.count == 32
        else { return nil }
        let parameters = Parameters(logN: logN, r: r, p: p)
        guard parameters.isSane else { return nil }
        self.init(parameters: parameters, salt: Array(salt), key: Array(key))
    }

    init(parameters: Parameters, salt: [UInt8], key: [UInt8]) {
        self.parameters = parameters
        self.salt = salt
        self.key = key
    }

    public var description: String {
        [
            "scrypt", "\(parameters.logN)", "\(parameters.r)", "\(parameters.p)", Data(salt).base64EncodedString(),
            Data(key).base64EncodedString(),
        ]
        .joined(separator: "$")
    }

    /// Whether `password` is the one hashed, compared in constant time.
    public func verifies(_ password: String) -> Bool {
        guard let derived = try? Self.derive(password, salt: salt, parameters) else { return false }
        return SecureRandom.constantTimeEqual(derived, key)
    }

    static func derive(_ password: String, salt: [UInt8], _ parameters: Parameters) throws(AccountError) -> [UInt8] {
        guard parameters.isSane else { throw .weakParameters }
        var key = [UInt8](repeating: 0, count: 32)
        let utf8 = Array(password.utf8)
        let status = utf8.withUnsafeBufferPointer { secret in
            salt.withUnsafeBufferPointer { salt in
                key.withUnsafeMutableBufferPointer { output in
                    EVP_PBE_scrypt(
                        secret.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, secret.count,
                        salt.baseAddress, salt.count, UInt64(1) << UInt64(parameters.logN), UInt64(parameters.r),
                        UInt64(parameters.p), parameters.memory, output.baseAddress, output.count)
                }
            }
        }
        guard status == 1 else { throw .hashingFailed }
        return key
    }
}

/// Why an account operation failed.
public enum AccountError: ExplainedError, Equatable {
    case hashingFailed
    case weakParameters
    case unknownActor(String)
    case emptyPassword
    case shortPassword(minimum: Int)

    public var summary: String {
        switch self {
        case .hashingFailed: "the password could not be hashed (scrypt failed; is there enough memory?)"
        case .weakParameters: "the scrypt parameters are out of range"
        case .unknownActor(let name): "no actor named \"\(name)\""
        case .emptyPassword: "the password is empty"
        case .shortPassword(let minimum): "the password is shorter than \(minimum) characters"
        }
    }

    public var hint: String? {
        switch self {
        case .unknownActor: "register it first: gapflow actor add NAME --role ROLE"
        case .emptyPassword, .shortPassword: "give the password on standard input, e.g. from a password manager"
        default: nil
        }
    }

    public var kind: ErrorKind {
        if case .unknownActor = self { return .notFound }
        return .refused
    }
}

/// A login's server-side session: the database keeps the digest of its id, never the id.
public struct WebSession: Sendable, Equatable {
    public let digest: String
    public let actor: String
    /// The token every form of this session carries (synchroniser token pattern).
    public let csrfToken: String
    public let createdAt: Date
    public var lastSeenAt: Date

    public init(digest: String, actor: String, csrfToken: String, createdAt: Date, lastSeenAt: Date) {
        self.digest = digest
        self.actor = actor
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
    }
}
