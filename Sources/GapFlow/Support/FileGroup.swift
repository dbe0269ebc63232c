import Foundation

/// A group that may read the files GapFlow creates (database, WAL, backups, exports) beside their owner:
/// `--group NAME` makes them mode 0640 and gives them to this group. Without it they are the owner's alone (0600).
public struct FileGroup: Sendable, Equatable {
    public let name: String
    public let id: gid_t

    /// The group called `name` (or with that number).
    public init(named name: String) throws(FileGroupError) {
        if let number = UInt32(name) {
            self.init(name: name, id: gid_t(number))
            return
        }
        var size = 1024
        while size <= 1 << 20 {
            var entry = group()
            var found: UnsafeMutablePointer<group>?
            var buffer = [CChar](repeating: 0, count: size)
            let status = buffer.withUnsafeMutableBufferPointer { bytes -> Int32 in
                guard let base = bytes.baseAddress else { return EINVAL }
                return getgrnam_r(name, &entry, base, bytes.count, &found)
            }
            if status == ERANGE {
                size *= 4
                continue
            }
            guard status == 0, found != nil else { throw .unknown(name) }
            self.init(name: name, id: entry.gr_gid)
            return
        }
        throw .unknown(name)
    }

    private init(name: String, id: gid_t) {
        self.name = name
        self.id = id
    }

    /// The group of the process (its primary group), as the tests use it.
    public static var primary: FileGroup? {
        let id = getgid()
        var size = 1024
        while size <= 1 << 20 {
            var entry = group()
            var found: UnsafeMutablePointer<group>?
            var buffer = [CChar](repeating: 0, count: size)
            let (status, name): (Int32, String?) = buffer.withUnsafeMutableBufferPointer { bytes in
                guard let base = bytes.baseAddress else { return (EINVAL, nil) }
                let status = getgrgid_r(id, &entry, base, bytes.count, &found)
                return (status, found == nil ? nil : entry.gr_name.map { String(cString: $0) })
            }
            if status == ERANGE {
                size *= 4
                continue
            }
            return FileGroup(name: name ?? String(id), id: id)
        }
        return nil
    }

    /// Gives the file at `path` (a plain file, never through a symbolic link) to this group, readable by it: 0640.
    public func share(_ path: String) throws(FileGroupError) {
        var entry = stat()
        guard lstat(path, &entry) == 0 else { throw .failed(path: path, reason: String(cString: strerror(errno))) }
        guard entry.st_mode & S_IFMT == S_IFREG else { throw .failed(path: path, reason: "not a plain file") }
        if entry.st_gid != id && lchown(path, uid_t.max, id) != 0 {
            let reason = errno
            if reason == EPERM { throw .notAMember(group: name, path: path) }
            throw .failed(path: path, reason: String(cString: strerror(reason)))
        }
        guard chmod(path, 0o640) == 0 else { throw .failed(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Gives SQLite's `-wal` and `-shm` files of a database that is shared with a group to that group as well.
    ///
    /// SQLite creates them with the database file's mode, but with the group of the process that happens to create
    /// them; so whoever opens a group-readable database passes the group on. Files of others are left alone.
    public static func shareSidecars(of database: String) {
        var file = stat()
        guard stat(database, &file) == 0, file.st_mode & 0o070 != 0 else { return }
        for suffix in ["-wal", "-shm"] {
            var sidecar = stat()
            let path = database + suffix
            guard lstat(path, &sidecar) == 0, sidecar.st_mode & S_IFMT == S_IFREG, sidecar.st_uid == geteuid(),
                sidecar.st_gid != file.st_gid
            else { continue }
            _ = lchown(path, uid_t.max, file.st_gid)
        }
    }
}

/// Why a file could not be shared with a group.
public enum FileGroupError: Error, Sendable, Equatable {
    case unknown(String)
    case notAMember(group: String, path: String)
    case failed(path: String, reason: String)
}

extension FileGroupError: ExplainedError {
    public var summary: String {
        switch self {
        case .unknown(let name): "there is no group \"\(name)\""
        case .notAMember(let group, let path): "cannot give \(path) to the group \"\(group)\": you are not a member of it"
        case .failed(let path, let reason): "cannot give \(path) to the group: \(reason)"
        }
    }

    public var hint: String? {
        switch self {
        case .unknown: "name an existing group (see `getent group`)"
        case .notAMember: "name a group you belong to (see `id`)"
        case .failed: nil
        }
    }
}
