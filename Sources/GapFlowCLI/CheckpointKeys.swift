import Foundation
import GapFlow

/// Where checkpoint keys come from: `--key FILE`, or the user's own key in the configuration directory
/// (`$XDG_CONFIG_HOME/gapflow/checkpoint-key.pem`, else `~/.config/gapflow/checkpoint-key.pem`), made on first use.
///
/// A private key must be readable by its owner only: a key file that group or others can read (or write) is refused,
/// because whoever can read it can sign checkpoints for a database they changed.
enum CheckpointKeys {
    static let fileName = "checkpoint-key.pem"
    /// Key files are small; anything larger is not one.
    static let largestFile = 64 * 1024

    /// `$XDG_CONFIG_HOME/gapflow` (an absolute path, as the XDG specification requires), else `$HOME/.config/gapflow`.
    static func defaultDirectory(_ environment: Environment) -> URL? {
        if let base = environment.variables["XDG_CONFIG_HOME"], base.hasPrefix("/") {
            return URL(fileURLWithPath: base).appendingPathComponent("gapflow")
        }
        if let home = environment.variables["HOME"], home.hasPrefix("/") {
            return URL(fileURLWithPath: home).appendingPathComponent(".config").appendingPathComponent("gapflow")
        }
        return nil
    }

    /// The key to sign with: `--key FILE` (which must hold an Ed25519 private key), else the user's own key, made on
    /// first use (the directory 0700, the file 0600); `created` says it was made now.
    static func signingKey(_ given: String?, _ environment: Environment) throws -> (key: SigningKey, path: String, created: Bool) {
        let path: String
        if let given {
            path = environment.url(given).path
        } else {
            guard let directory = defaultDirectory(environment) else { throw KeyFileError.noConfigurationDirectory }
            path = directory.appendingPathComponent(fileName).path
            if !StoreFactory.entryExists(path) {
                if let created = try create(at: path, in: directory) { return (created, path, true) }
            }
        }
        let (text, mode) = try read(path)
        guard let key = SigningKey(pem: text) else {
            throw PublicKey(pem: text) == nil ? KeyFileError.notAKey(path: path) : KeyFileError.publicKeyOnly(path: path)
        }
        if mode & 0o077 != 0 { throw KeyFileError.tooOpen(path: path, mode: mode) }
        return (key, path, false)
    }

    /// The key to verify with: the public key of `--key FILE` (a private key, or a public key such as
    /// `openssl pkey -pubout` writes), else of the user's own key, which is never made here.
    static func trustedKey(_ given: String?, _ environment: Environment) throws -> PublicKey {
        let path: String
        if let given {
            path = environment.url(given).path
        } else {
            guard let directory = defaultDirectory(environment) else { throw KeyFileError.noConfigurationDirectory }
            path = directory.appendingPathComponent(fileName).path
            if !StoreFactory.entryExists(path) { throw KeyFileError.noOwnKey(path: path) }
        }
        let (text, mode) = try read(path)
        if let key = SigningKey(pem: text) {
            if mode & 0o077 != 0 { throw KeyFileError.tooOpen(path: path, mode: mode) }
            return key.publicKey
        }
        guard let key = PublicKey(pem: text) else { throw KeyFileError.notAKey(path: path) }
        return key
    }

    /// Reads a key file through one descriptor (so the permissions checked are those of the file read): its text and mode.
    private static func read(_ path: String) throws -> (String, mode_t) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw KeyFileError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw KeyFileError.unreadable(path: path, reason: "not a plain file")
        }
        guard info.st_size <= largestFile else { throw KeyFileError.notAKey(path: path) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeMutableBytes { raw in
                Foundation.read(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            guard count > 0 else { break }
            offset += count
        }
        return (String(decoding: bytes.prefix(offset), as: UTF8.self), info.st_mode & 0o777)
    }

    /// Makes a new key at `path`: the missing directories 0700, the file 0600, never through a link or over a file.
    /// Nil if another process made one there first (then that one is read).
    private static func create(at path: String, in directory: URL) throws -> SigningKey? {
        var missing: [String] = []
        var folder = directory
        while !StoreFactory.entryExists(folder.path) && folder.path != "/" {
            missing.append(folder.path)
            folder = folder.deletingLastPathComponent()
        }
        for folder in missing.reversed() where mkdir(folder, 0o700) != 0 && errno != EEXIST {
            throw KeyFileError.cannotCreate(path: folder, reason: String(cString: strerror(errno)))
        }
        guard let key = SigningKey.generate() else { throw KeyFileError.cannotCreate(path: path, reason: "OpenSSL could not make a key") }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return nil }
            throw KeyFileError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        let bytes = Array(key.pem.utf8)
        let written = bytes.withUnsafeBytes { raw in write(descriptor, raw.baseAddress, raw.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw KeyFileError.cannotCreate(path: path, reason: reason)
        }
        return key
    }
}

/// Why a checkpoint key could not be used; nothing was signed or changed.
enum KeyFileError: ExplainedError {
    case noConfigurationDirectory
    case noOwnKey(path: String)
    case unreadable(path: String, reason: String)
    case notAKey(path: String)
    case publicKeyOnly(path: String)
    case tooOpen(path: String, mode: mode_t)
    case cannotCreate(path: String, reason: String)

    var summary: String {
        switch self {
        case .noConfigurationDirectory:
            "there is no configuration directory for your checkpoint key: neither $XDG_CONFIG_HOME nor $HOME is set"
        case .noOwnKey(let path): "there is no checkpoint key at \(path)"
        case .unreadable(let path, let reason): "cannot read the key file \(path): \(reason)"
        case .notAKey(let path): "\(path) holds no Ed25519 key (PEM, without a passphrase)"
        case .publicKeyOnly(let path): "\(path) holds only a public key; signing needs the private key"
        case .tooOpen(let path, let mode):
            "the key file \(path) can be read or written by others than its owner (mode 0\(String(mode, radix: 8))); it is not used"
        case .cannotCreate(let path, let reason): "cannot create \(path): \(reason)"
        }
    }

    var hint: String? {
        switch self {
        case .noConfigurationDirectory: "give the key with --key FILE"
        case .noOwnKey: "give the key (or public key) the checkpoint was signed with: --key FILE"
        case .unreadable: "check the path given with --key"
        case .notAKey, .publicKeyOnly: "make a key with `openssl genpkey -algorithm ed25519 -out FILE`, or leave out --key to use your own"
        case .tooOpen(let path, _): "chmod 600 \(path), and consider the key known to whoever could read it: make a new one"
        case .cannotCreate: "give a key with --key FILE"
        }
    }
}
