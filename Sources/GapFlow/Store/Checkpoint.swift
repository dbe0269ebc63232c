import Foundation

/// The end of one hash chain as a checkpoint signs it: whose chain, how many entries it had, and the last link.
public struct ChainHead: Sendable, Equatable, Encodable {
    /// The ticket's id (for the admin log: `admin-log`).
    public let id: String
    public let entries: Int
    /// The last entry's chain link (``HistoryChain/genesis`` for an empty chain).
    public let head: String

    public init(id: String, entries: Int, head: String) {
        self.id = id
        self.entries = entries
        self.head = head
    }
}

/// A signed checkpoint: the head of every ticket's hash chain and of the admin log at one moment, one root over all
/// of them, the database's identity, and an Ed25519 signature by a key kept away from the database.
///
/// Whoever can write the database can recompute a chain; nobody without the key can make a checkpoint for it. A later
/// database verifies against a checkpoint when every chain it signed still extends its signed head. The file format
/// is described in <doc:CheckpointFormat>.
public struct Checkpoint: Sendable, Equatable {
    /// The version of the file format this GapFlow writes and reads.
    public static let formatVersion = 1
    /// The `type` every checkpoint file names.
    public static let fileType = "gapflow-checkpoint"
    /// The `id` the admin log's head carries.
    public static let adminLogID = "admin-log"

    public let database: String
    public let takenAt: Date
    public let adminLog: ChainHead
    /// By id, each once.
    public let tickets: [ChainHead]
    /// ``root(adminLog:tickets:)``.
    public let root: String
    /// The key that signed it, as the file says (for messages: only a trusted key verifies a checkpoint).
    public let signer: PublicKey
    public let signature: [UInt8]

    /// One SHA-256 over the admin log's head and every ticket's head, in id order, each part with its length, so
    /// that no two lists hash alike.
    public static func root(adminLog: ChainHead, tickets: [ChainHead]) -> String? {
        let hasher = SHA256.Hasher()
        hasher.update("gapflow-checkpoint-root\u{1F}\(formatVersion)\n")
        for head in [adminLog] + tickets {
            hasher.update("\(head.id.utf8.count):\(head.id)\u{1F}\(head.entries)\u{1F}\(head.head)\n")
        }
        return hasher.finish()
    }

    /// What the signature covers: the format, the database, the time and the root (which covers every head).
    public static func signedMessage(database: String, takenAt: Date, root: String) -> [UInt8] {
        Array("\(fileType)\n\(formatVersion)\n\(database)\n\(Timestamp.iso8601(takenAt))\n\(root)\n".utf8)
    }

    /// Builds and signs a checkpoint; nil if OpenSSL fails.
    public static func sign(database: String, takenAt: Date, adminLog: ChainHead, tickets: [ChainHead], key: SigningKey) -> Checkpoint? {
        let sorted = tickets.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        let takenAt = Timestamp.truncated(takenAt)
        guard let root = root(adminLog: adminLog, tickets: sorted),
            let signature = key.sign(signedMessage(database: database, takenAt: takenAt, root: root))
        else { return nil }
        return Checkpoint(
            database: database, takenAt: takenAt, adminLog: adminLog, tickets: sorted, root: root, signer: key.publicKey,
            signature: signature)
    }

    /// Checks the file against a trusted key: the signature must be that key's, and the listed heads must hash to the
    /// signed root. The key the file names is never trusted on its own: anyone can sign with a key of their own.
    public func checkSignature(trustedKey: PublicKey, file: String) throws(CheckpointError) {
        guard signer == trustedKey else {
            throw .signedByAnotherKey(file: file, signer: signer.fingerprint, trusted: trustedKey.fingerprint)
        }
        guard trustedKey.verifies(signature, of: Self.signedMessage(database: database, takenAt: takenAt, root: root)) else {
            throw .forged(file: file, trusted: trustedKey.fingerprint)
        }
        guard Self.root(adminLog: adminLog, tickets: tickets) == root else { throw .listChanged(file: file) }
    }

    // MARK: The file

    /// The checkpoint as its file holds it: indented JSON, the heads last.
    public var json: String {
        func head(_ head: ChainHead) -> JSONValue {
            .object([("id", .string(head.id)), ("entries", .integer(head.entries)), ("head", .string(head.head))])
        }
        return JSONValue.object([
            ("type", .string(Self.fileType)), ("version", .integer(Self.formatVersion)), ("database", .string(database)),
            ("takenAt", .string(Timestamp.iso8601(takenAt))), ("key", .string(signer.fingerprint)),
            ("publicKey", .string(Data(signer.bytes).base64EncodedString())), ("root", .string(root)),
            ("signature", .string(Data(signature).base64EncodedString())),
            ("adminLog", .object([("entries", .integer(adminLog.entries)), ("head", .string(adminLog.head))])),
            ("tickets", .array(tickets.map(head))),
        ]).pretty + "\n"
    }

    /// Reads a checkpoint file strictly: every key known and given once, every value of its form, tickets in id
    /// order and each once. `file` names it in messages. The signature is not checked here (see
    /// ``checkSignature(trustedKey:file:)``).
    public static func parse(_ bytes: [UInt8], file: String) throws(CheckpointError) -> Checkpoint {
        let root: JSONNode
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw .notACheckpoint(file: file, reason: "\(error.message) at line \(error.position.line), column \(error.position.column)")
        }
        guard let members = root.members, root["type"]?.string == fileType else {
            throw .notACheckpoint(file: file, reason: "it does not say \"type\": \"\(fileType)\"")
        }
        guard let version = root["version"]?.integer else { throw .invalid(file: file, reason: "\"version\" must be a whole number") }
        guard version == formatVersion else { throw .unsupportedVersion(file: file, version: version) }
        let known = ["type", "version", "database", "takenAt", "key", "publicKey", "root", "signature", "adminLog", "tickets"]
        var seen: Set<String> = []
        for member in members {
            guard known.contains(member.key) else {
                throw .invalid(file: file, reason: "unknown key \"\(member.key)\" at line \(member.keyPosition.line)")
            }
            guard seen.insert(member.key).inserted else {
                throw .invalid(file: file, reason: "\"\(member.key)\" is given twice (line \(member.keyPosition.line))")
            }
        }
        func text(_ key: String, _ node: JSONNode?, _ valid: (String) -> Bool, _ form: String) throws(CheckpointError) -> String {
            guard let value = node?.string, valid(value) else {
                throw .invalid(
                    file: file, reason: "\"\(key)\" must be \(form)\(node.map { " (line \($0.position.line))" } ?? ", and is missing")")
            }
            return value
        }
        func head(_ node: JSONNode?, at path: String, id: String?) throws(CheckpointError) -> ChainHead {
            guard let node, let fields = node.members else {
                throw .invalid(file: file, reason: "\"\(path)\" must be an object with \"entries\" and \"head\"")
            }
            let allowed = id == nil ? ["id", "entries", "head"] : ["entries", "head"]
            if let extra = fields.first(where: { !allowed.contains($0.key) }) {
                throw .invalid(file: file, reason: "unknown key \"\(extra.key)\" in \(path) at line \(extra.keyPosition.line)")
            }
            if fields.count != Set(fields.map(\.key)).count {
                throw .invalid(file: file, reason: "a key is given twice in \(path) (line \(node.position.line))")
            }
            var name = id ?? ""
            if id == nil { name = try text("\(path).id", node["id"], { !$0.isEmpty && $0.utf8.count <= 200 }, "a ticket id") }
            guard let entries = node["entries"]?.integer, entries >= (id == nil ? 1 : 0) else {
                throw .invalid(file: file, reason: "\"\(path).entries\" must be a count of entries (line \(node.position.line))")
            }
            let hash = try text("\(path).head", node["head"], isHash, "64 lowercase hexadecimal digits")
            return ChainHead(id: name, entries: entries, head: hash)
        }
        let database = try text("database", root["database"], StoreIdentity.isWellFormed, "a database identity")
        guard let takenAt = root["takenAt"]?.string.flatMap(Timestamp.parse) else {
            throw .invalid(file: file, reason: "\"takenAt\" must be an instant such as 2026-11-25T08:00:00.000Z")
        }
        let rootHash = try text("root", root["root"], isHash, "64 lowercase hexadecimal digits")
        guard let keyBytes = root["publicKey"]?.string.flatMap({ Data(base64Encoded: $0) }), let signer = PublicKey(bytes: Array(keyBytes))
        else { throw .invalid(file: file, reason: "\"publicKey\" must be an Ed25519 public key (32 bytes, base64)") }
        guard root["key"]?.string == signer.fingerprint else {
            throw .invalid(file: file, reason: "\"key\" must be the fingerprint of \"publicKey\" (\(signer.fingerprint))")
        }
        guard let signatureBytes = root["signature"]?.string.flatMap({ Data(base64Encoded: $0) }), signatureBytes.count == 64 else {
            throw .invalid(file: file, reason: "\"signature\" must be an Ed25519 signature (64 bytes, base64)")
        }
        let adminLog = try head(root["adminLog"], at: "adminLog", id: adminLogID)
        guard let list = root["tickets"]?.elements else { throw .invalid(file: file, reason: "\"tickets\" must be an array") }
        var tickets: [ChainHead] = []
        tickets.reserveCapacity(list.count)
        for (index, node) in list.enumerated() {
            let ticket = try head(node, at: "tickets[\(index)]", id: nil)
            if let previous = tickets.last, !previous.id.utf8.lexicographicallyPrecedes(ticket.id.utf8) {
                throw .invalid(
                    file: file, reason: "tickets must be listed in id order, each once (\(ticket.id) at line \(node.position.line))")
            }
            tickets.append(ticket)
        }
        return Checkpoint(
            database: database, takenAt: takenAt, adminLog: adminLog, tickets: tickets, root: rootHash, signer: signer,
            signature: Array(signatureBytes))
    }

    static func isHash(_ text: String) -> Bool { text.utf8.count == 64 && text.utf8.allSatisfy(StoreIdentity.isHexDigit) }
}

/// Why a checkpoint could not be taken, read or trusted.
public enum CheckpointError: Error, Sendable, Equatable {
    /// Not JSON, cut off, or another kind of file.
    case notACheckpoint(file: String, reason: String)
    case unsupportedVersion(file: String, version: Int)
    /// A checkpoint file with a missing or malformed part.
    case invalid(file: String, reason: String)
    /// Signed by a key other than the trusted one.
    case signedByAnotherKey(file: String, signer: String, trusted: String)
    /// The signature does not verify with the trusted key: the signed part of the file was changed.
    case forged(file: String, trusted: String)
    /// The signed root does not match the heads the file lists: the list was changed.
    case listChanged(file: String)
    /// A checkpoint of another database.
    case otherDatabase(file: String, checkpoint: String, database: String)
    /// The database does not verify now, so it is not signed.
    case databaseDoesNotVerify(problems: [String])
    /// OpenSSL could not sign.
    case signingFailed
}

extension CheckpointError: ExplainedError {
    public var summary: String {
        switch self {
        case .notACheckpoint(let file, let reason): "\(file) is not a GapFlow checkpoint: \(reason)"
        case .unsupportedVersion(let file, let version):
            "\(file) is a checkpoint of format version \(version); this gapflow reads version \(Checkpoint.formatVersion)"
        case .invalid(let file, let reason): "\(file) is not a valid checkpoint: \(reason)"
        case .signedByAnotherKey(let file, let signer, let trusted):
            "\(file) was signed by the key \(signer), not by the trusted key \(trusted)"
        case .forged(let file, let trusted):
            "the signature of \(file) does not verify with the trusted key \(trusted): the checkpoint was changed after it was signed"
        case .listChanged(let file):
            "the chain heads listed in \(file) do not match its signed root: the list was changed after it was signed"
        case .otherDatabase(let file, let checkpoint, let database):
            "\(file) is a checkpoint of another database (\(checkpoint)); this database is \(database)"
        case .databaseDoesNotVerify(let problems):
            "the database does not verify (\(problems.count) problem\(problems.count == 1 ? "" : "s")); no checkpoint was taken"
        case .signingFailed: "OpenSSL could not sign the checkpoint"
        }
    }

    public var details: [String] {
        if case .databaseDoesNotVerify(let problems) = self { return problems }
        return []
    }

    public var hint: String? {
        switch self {
        case .notACheckpoint, .invalid, .unsupportedVersion: "give a file written by `gapflow audit checkpoint`; nothing was changed"
        case .signedByAnotherKey: "verify with the key that signed it (--key), if you trust that key; nothing was changed"
        case .forged, .listChanged: "do not trust this file; verify against another copy of the checkpoint; nothing was changed"
        case .otherDatabase: "point --db at the database the checkpoint was taken of; nothing was changed"
        case .databaseDoesNotVerify: "run `gapflow audit verify` to see where, and restore the database from a backup"
        case .signingFailed: nil
        }
    }
}
