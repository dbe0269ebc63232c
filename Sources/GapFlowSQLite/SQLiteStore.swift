import Dispatch
import Foundation
import GapFlow
import Synchronization

/// The embedded store: one SQLite file, one writer connection (transactions one at a time) and a few reader
/// connections beside it, one transaction per command.
///
/// Callers reach the database only through ``read(_:)`` and ``write(rollback:_:)``; a closure that throws
/// rolls its transaction back, so a refused command leaves every stored ticket as it was.
public final class SQLiteStore: TicketStore {
    /// Marks the file as GapFlow's ("GAPF"), so another program's database is never touched.
    static let applicationID: Int = 0x4741_5046

    public let path: String
    public var location: String { path }
    private let lock = Mutex(())
    /// Safe to share: it is touched only inside `lock.withLock`, so one thread at a time uses it.
    nonisolated(unsafe) private let connection: Connection
    /// Connections for read transactions, beside the writer's: in WAL mode readers see the last commit without
    /// waiting for a writer or for each other, so a server answers pages on every core.
    private let readers: [Reader]
    /// The readers not in use, and as many permits as there are.
    private let idleReaders: Mutex<[Int]>
    private let readerPermits: DispatchSemaphore

    /// Opens (and if needed creates and migrates) the database at `path`.
    ///
    /// `busyTimeout` is how long a command waits for another process's write lock before it fails as busy. With a
    /// `group`, the database file (and so its `-wal` and `-shm` files) is readable by that group too (0640); a database
    /// that is group-readable passes its group on to the `-wal` and `-shm` files whoever creates them.
    public init(
        path: String, mode: StoreMode = .readWrite, busyTimeout: Duration = .seconds(5), group: FileGroup? = nil,
        groupCommitWindow: Duration = .milliseconds(20)
    ) throws(StoreError) {
        self.path = path
        self.groupCommitWindow = groupCommitWindow
        try Self.prepareFile(path, mode: mode)
        if let group, mode != .readOnly {
            do {
                try group.share(path)
            } catch {
                throw StoreError.failed(path: path, message: error.summary)
            }
        }
        let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        // The file exists now (``prepareFile(_:mode:)`` created it if asked to), so SQLite is never asked to create one.
        let connection = try Connection(
            path: path, readOnly: mode == .readOnly, create: false, busyTimeout: Int32(clamping: milliseconds))
        try Self.checkOwnership(connection)
        // A page cache of up to 64 MiB and the file mapped for reading: a server answering many pages reads the
        // same pages again and again, and each read through the kernel copies them.
        try connection.execute("PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456")
        if mode != .readOnly {
            if connection.isReadOnly { throw StoreError.readOnly(path: path) }
            try connection.execute("PRAGMA journal_mode=WAL")
            // secure_delete: what a transaction deletes or overwrites (a redacted or purged text, an old field value)
            // is overwritten with zeros in the file, not left in free space.
            try connection.execute(
                "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA journal_size_limit=67108864; PRAGMA secure_delete=ON")
            try Migrator.migrate(connection)
            FileGroup.shareSidecars(of: path)
        } else {
            try Migrator.check(connection)
        }
        self.connection = connection
        let count = min(4, max(2, ProcessInfo.processInfo.activeProcessorCount))
        readers = try (0..<count).map { _ throws(StoreError) in
            try Reader(path: path, readOnly: mode == .readOnly, busyTimeout: Int32(clamping: milliseconds))
        }
        idleReaders = Mutex(Array(0..<count))
        readerPermits = DispatchSemaphore(value: count)
    }

    /// One reader connection, opened with the store (so that the file it reads is the one the store opened),
    /// query-only: a read transaction is a snapshot, never a side door.
    final class Reader: Sendable {
        /// Safe to share: a reader is used by the one thread that took its index from `idleReaders` until it gives it back.
        nonisolated(unsafe) let connection: Connection

        init(path: String, readOnly: Bool, busyTimeout: Int32) throws(StoreError) {
            connection = try Connection(path: path, readOnly: readOnly, create: false, busyTimeout: busyTimeout)
            try connection.execute("PRAGMA query_only=ON; PRAGMA cache_size=-32768; PRAGMA mmap_size=268435456")
        }
    }

    /// Runs `body` in a read transaction on a reader connection: a consistent snapshot of the last commit, even while
    /// another thread or process writes. A free reader is taken if there is one; otherwise the call waits for one.
    public func read<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        readerPermits.wait()
        let index = idleReaders.withLock { $0.removeLast() }
        defer {
            idleReaders.withLock { $0.append(index) }
            readerPermits.signal()
        }
        let connection = readers[index].connection
        try connection.execute("BEGIN DEFERRED")
        defer { try? connection.execute("COMMIT") }
        return try body(SQLiteTransaction(connection: connection))
    }

    /// Runs `body` in a write transaction; committed if it returns (unless `rollback`), rolled back if it throws.
    ///
    /// Group commit: writes that arrive together share one transaction and one commit (one `fsync`). Each runs in a
    /// savepoint of its own, so each is still all-or-nothing for itself, and each returns only after the shared
    /// commit. A write that finds no other write waiting commits at once, so a single writer waits no longer than
    /// before; a group commits after at most ``maximumGroup`` writes or `groupCommitWindow` (20 ms unless the
    /// initialiser is told otherwise).
    public func write<T>(rollback: Bool, _ body: (any StoreTransaction) throws -> T) throws -> T {
        waiting.add(1, ordering: .relaxed)
        // The result, and whether it waits for the shared commit. Safe to share: written by this thread inside the
        // lock, read by the same thread after it.
        nonisolated(unsafe) var outcome: Result<T, any Error>?
        nonisolated(unsafe) var member: GroupMember?
        lock.withLock { _ in
            waiting.subtract(1, ordering: .relaxed)
            // A dry run never shares a transaction: the group before it commits first.
            if rollback {
                do {
                    try commitGroup()
                    outcome = .success(try runAlone(rollback: true, body))
                    return
                } catch {
                    outcome = .failure(error)
                    return
                }
            }
            do {
                if group == nil {
                    try connection.execute("BEGIN IMMEDIATE")
                    group = Group()
                }
            } catch {
                outcome = .failure(error)
                return
            }
            let result = runInSavepoint(body)
            guard connection.inTransaction else {
                // SQLite rolled the whole transaction back (a full disk, an I/O error): every write of the group failed.
                failGroup(StoreError.failed(path: path, message: "the shared transaction was rolled back: \(String(describing: result))"))
                outcome = result
                return
            }
            group?.writes += 1
            let worthWaiting =
                waiting.load(ordering: .relaxed) > 0 && (group?.writes ?? 0) < Self.maximumGroup
                && ContinuousClock.now - (group?.began ?? ContinuousClock.now) < groupCommitWindow
            if worthWaiting {
                if case .failure = result {
                    outcome = result
                    return
                }  // nothing of it to commit
                let waiter = GroupMember()
                group?.members.append(waiter)
                outcome = result
                member = waiter
                return
            }
            do {
                try commitGroup()
            } catch {
                outcome = .failure(error)
                return
            }
            outcome = result
            return
        }
        if let member {
            member.signal.wait()
            if let failure = member.failure { throw failure }
        }
        guard let outcome else { throw StoreError.failed(path: path, message: "a write ended without a result") }
        return try outcome.get()
    }

    /// At most this many writes share a transaction …
    static let maximumGroup = 64
    /// … and a transaction stays open for more writes no longer than this after it began.
    let groupCommitWindow: Duration

    /// The open shared transaction: when it began, how many writes ran in it, and those waiting for its commit.
    private struct Group {
        var began = ContinuousClock.now
        var writes = 0
        var members: [GroupMember] = []
    }

    /// A write waiting for the shared commit, told how it went.
    final class GroupMember: @unchecked Sendable {
        // Written once by the committing thread before `signal`, read by the waiting one after it.
        var failure: (any Error)?
        let signal = DispatchSemaphore(value: 0)
    }

    /// Safe to share: touched only inside `lock.withLock`.
    nonisolated(unsafe) private var group: Group?
    /// Writes waiting for `lock`: while there are any, an open transaction waits for them.
    let waiting = Atomic<Int>(0)
    /// How many transactions this store committed (for tests of group commit).
    let commits = Atomic<Int>(0)

    /// Commits the open shared transaction, if any, and tells its waiting writes (inside `lock`).
    private func commitGroup() throws {
        guard let open = group else { return }
        group = nil
        do {
            try connection.execute("COMMIT")
            commits.add(1, ordering: .relaxed)
        } catch {
            try? connection.execute("ROLLBACK")
            for member in open.members {
                member.failure = error
                member.signal.signal()
            }
            throw error
        }
        for member in open.members { member.signal.signal() }
    }

    /// Tells every waiting write of the open group that it failed, and forgets the group (inside `lock`).
    private func failGroup(_ error: any Error) {
        guard let open = group else { return }
        group = nil
        if connection.inTransaction { try? connection.execute("ROLLBACK") }
        for member in open.members {
            member.failure = error
            member.signal.signal()
        }
    }

    /// Runs `body` in a savepoint of the open transaction: kept if it returns, undone if it throws.
    private func runInSavepoint<T>(_ body: (any StoreTransaction) throws -> T) -> Result<T, any Error> {
        do {
            try connection.execute("SAVEPOINT write")
        } catch {
            return .failure(error)
        }
        do {
            let value = try body(SQLiteTransaction(connection: connection))
            // A purge lives only inside its write: its marker is never committed, even if the caller forgot to end it.
            if connection.purgeOpen { try connection.execute("DELETE FROM purge_session") }
            connection.purgeOpen = false
            try connection.execute("RELEASE write")
            return .success(value)
        } catch {
            connection.purgeOpen = false
            if connection.inTransaction { try? connection.execute("ROLLBACK TO write; RELEASE write") }
            return .failure(error)
        }
    }

    /// One transaction of its own (inside `lock`, no group open): `BEGIN IMMEDIATE`, then commit or roll back.
    private func runAlone<T>(rollback: Bool, _ body: (any StoreTransaction) throws -> T) throws -> T {
        try connection.execute("BEGIN IMMEDIATE")
        do {
            let result = try body(SQLiteTransaction(connection: connection))
            if connection.purgeOpen { try connection.execute("DELETE FROM purge_session") }
            connection.purgeOpen = false
            try connection.execute(rollback ? "ROLLBACK" : "COMMIT")
            return result
        } catch {
            connection.purgeOpen = false
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Rewrites the database without free space (`VACUUM`: also what was freed before `secure_delete` was on, or by
    /// a database written by an older GapFlow), then copies the write-ahead log into it and empties the log
    /// (`wal_checkpoint(TRUNCATE)`), so that no old page holds removed text.
    ///
    /// Fails, changing nothing that was committed, when another process keeps reading the database longer than the
    /// busy timeout: its snapshot may still need the old pages.
    public func eraseRemovedContent() throws {
        try lock.withLock { _ in
            try commitGroup()
            try connection.execute("VACUUM")
            // VACUUM may renumber the tickets' rowids, by which the word index finds them; built anew, it also holds
            // no word of a removed text.
            try connection.execute("BEGIN IMMEDIATE")
            do {
                try connection.execute(BoundedReadSchema.rebuildWords + "COMMIT")
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
            // busy, frames in the log, frames copied into the database
            let result = try connection.query("PRAGMA wal_checkpoint(TRUNCATE)").first ?? []
            if result.first?.integer != 0 {
                throw StoreError.failed(
                    path: path,
                    message: "another process is reading \(path), so old pages in its write-ahead log could not be erased yet")
            }
        }
    }

    /// Checks the file before SQLite opens it, and creates it when `mode` is ``StoreMode/create``.
    ///
    /// Only creating may make a database of a file: opened otherwise, a missing or empty (0-byte) file is
    /// ``StoreError/missing(path:)`` and stays as it is. A new file is created as a plain file, never through a
    /// symbolic link (`O_EXCL | O_NOFOLLOW`); a link is followed only to a database that is already there.
    static func prepareFile(_ path: String, mode: StoreMode) throws(StoreError) {
        var entry = stat()
        guard lstat(path, &entry) == 0 else {
            guard errno == ENOENT else { throw .failed(path: path, message: "cannot open \(path): \(String(cString: strerror(errno)))") }
            guard mode == .create else { throw .missing(path: path) }
            if let reason = createFile(path) {
                if reason == EACCES || reason == EROFS { throw .readOnly(path: path) }
                throw .failed(path: path, message: "cannot create \(path): \(String(cString: strerror(reason)))")
            }
            return
        }
        var file = stat()
        let isLink = entry.st_mode & S_IFMT == S_IFLNK
        let target = stat(path, &file) == 0 ? file : nil
        if mode == .create, isLink, (target?.st_size ?? 0) == 0 {
            throw .failed(
                path: path,
                message: "\(path) is a symbolic link to \(target == nil ? "a file that does not exist" : "an empty file"); "
                    + "a new database is created only as a plain file, never through a link")
        }
        if mode != .create, (target?.st_size ?? 0) == 0 { throw .missing(path: path) }
    }

    /// Creates an empty file at `path`, failing if anything (also a dangling symbolic link) is there; the `errno` if it fails.
    ///
    /// Readable and writable by its owner only (0600): a database holds gap reports, and SQLite gives its `-wal` and
    /// `-shm` files the database file's permissions.
    private static func createFile(_ path: String) -> Int32? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return errno }
        close(descriptor)
        return nil
    }

    /// Writes a consistent copy of the database to `path` (which must not exist, not even as a dangling link), while
    /// others may go on writing.
    ///
    /// The copy is written to a temporary file beside `path`, checked (`PRAGMA quick_check`), made self-contained
    /// (rollback journal, so no `-wal` file belongs to it) and only then linked into place; a backup that fails,
    /// e.g. on a full disk, removes its temporary file and leaves nothing at `path` that would block the next one.
    public func backup(to path: String) throws {
        var entry = stat()
        if lstat(path, &entry) == 0 {
            let kind = entry.st_mode & S_IFMT == S_IFLNK ? " as a symbolic link" : ""
            throw StoreError.failed(path: path, message: "\(path) already exists\(kind); a backup never overwrites a file")
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).part").path
        if let reason = Self.createFile(temporary) {
            throw StoreError.failed(path: path, message: "cannot write a backup there: \(String(cString: strerror(reason)))")
        }
        do {
            try lock.withLock { _ in
                try commitGroup()
                try connection.backup(to: temporary)
            }
            try Self.checkCopy(temporary)
            try Self.place(temporary, at: path)
        } catch {
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temporary + suffix) }
            var reason = "\(error)"
            if case .failed(_, let message) = error as? StoreError { reason = message }
            throw StoreError.failed(path: path, message: "the backup failed and was removed again: \(reason)")
        }
    }

    /// Checks a finished backup copy and switches it to a rollback journal, so that it is one file on its own.
    private static func checkCopy(_ path: String) throws(StoreError) {
        let copy = try Connection(path: path, readOnly: false, create: false)
        let check = try copy.query("PRAGMA quick_check").first?.first
        guard case .text("ok") = check else {
            throw StoreError.failed(path: path, message: "the backup copy does not pass SQLite's check: \(String(describing: check))")
        }
        try checkOwnership(copy)
        try copy.execute("PRAGMA journal_mode=DELETE")
    }

    /// Moves the finished copy to `path` without overwriting anything that appeared there meanwhile: a hard link
    /// fails if `path` exists; where the file system has no hard links, a rename after one more look.
    private static func place(_ temporary: String, at path: String) throws(StoreError) {
        if link(temporary, path) == 0 {
            unlink(temporary)
            return
        }
        let reason = errno
        var entry = stat()
        if reason == EEXIST || lstat(path, &entry) == 0 {
            throw StoreError.failed(path: path, message: "\(path) appeared during the backup; a backup never overwrites a file")
        }
        guard rename(temporary, path) == 0 else {
            throw StoreError.failed(path: path, message: "cannot move the backup into place: \(String(cString: strerror(errno)))")
        }
    }

    private static func checkOwnership(_ connection: Connection) throws(StoreError) {
        let applicationID = try connection.query("PRAGMA application_id").first?.first?.integer ?? 0
        if applicationID == SQLiteStore.applicationID { return }
        let tables = try connection.query("SELECT count(*) FROM sqlite_schema").first?.first?.integer ?? 0
        if applicationID != 0 || tables > 0 { throw StoreError.notADatabase(path: connection.path) }
    }
}

/// Access to the database inside one transaction; the operations of the port live in `SQLiteTransaction+*.swift`.
struct SQLiteTransaction: StoreTransaction {
    let connection: Connection

    var path: String { connection.path }
}
