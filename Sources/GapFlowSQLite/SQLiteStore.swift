import Foundation
import GapFlow
import Synchronization

/// The embedded store: one SQLite file, one serialised connection, one transaction per command.
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

    /// Opens (and if needed creates and migrates) the database at `path`.
    ///
    /// `busyTimeout` is how long a command waits for another process's write lock before it fails as busy.
    public init(path: String, mode: StoreMode = .readWrite, busyTimeout: Duration = .seconds(5)) throws(StoreError) {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && mode != .create { throw StoreError.missing(path: path) }
        let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        let connection = try Connection(
            path: path, readOnly: mode == .readOnly, create: mode == .create, busyTimeout: Int32(clamping: milliseconds))
        try Self.checkOwnership(connection)
        if mode != .readOnly {
            if connection.isReadOnly { throw StoreError.readOnly(path: path) }
            try connection.execute("PRAGMA journal_mode=WAL")
            try connection.execute("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA journal_size_limit=67108864")
            try Migrator.migrate(connection)
        } else {
            try Migrator.check(connection)
        }
        self.connection = connection
    }

    /// Runs `body` in a read transaction: a consistent snapshot, even while others write.
    public func read<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        try lock.withLock { _ in
            // A read transaction cannot write: the port promises a snapshot, not a side door.
            try connection.execute("PRAGMA query_only=ON; BEGIN DEFERRED")
            defer { try? connection.execute("COMMIT; PRAGMA query_only=OFF") }
            return try body(SQLiteTransaction(connection: connection))
        }
    }

    /// Runs `body` in a write transaction (`BEGIN IMMEDIATE`); committed if it returns (unless `rollback`), rolled back if it throws.
    public func write<T>(rollback: Bool, _ body: (any StoreTransaction) throws -> T) throws -> T {
        try lock.withLock { _ in
            try connection.execute("BEGIN IMMEDIATE")
            do {
                let result = try body(SQLiteTransaction(connection: connection))
                // A purge lives only inside its transaction: its marker is never committed, even if the caller forgot to end it.
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
    }

    /// Writes a consistent copy of the database to `path` (which must not exist), while others may go on writing.
    public func backup(to path: String) throws {
        if FileManager.default.fileExists(atPath: path) {
            throw StoreError.failed(path: path, message: "\(path) already exists; a backup never overwrites a file")
        }
        try lock.withLock { _ in try connection.backup(to: path) }
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
