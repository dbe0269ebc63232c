import Foundation
import GapFlow
import GapFlowPostgres
import GapFlowSQLite

/// The one place where a `--db` value becomes a store: every command opens its store here.
enum StoreFactory {
    /// Opens the store that `location` names: a `postgresql://` or `postgres://` URI is a PostgreSQL database (libpq's
    /// connection string; the password comes from `~/.pgpass` or `PGPASSWORD`, never from the URI), anything else a
    /// file path of an embedded SQLite database.
    ///
    /// Only ``StoreMode/create`` (`init`, `import`, `demo`) makes a database of a missing or empty file; any other
    /// command refuses one and leaves it as it is. With a `group` (`--group`), the database is readable by that
    /// group too (0640), and so are its `-wal` and `-shm` files.
    static func open(_ location: String, mode: StoreMode, group: FileGroup? = nil) throws -> any TicketStore {
        if isPostgres(location) {
            if group != nil {
                throw UsageError("--group is for a database file; a PostgreSQL database's access is its roles' privileges", hint: nil)
            }
            return try PostgresStore(connectionString: location, mode: mode)
        }
        let store: SQLiteStore
        do {
            store = try SQLiteStore(path: location, mode: mode, group: group)
        } catch {
            guard case .missing = error, isEmptyFile(location) else { throw error }
            throw CommandFailure(
                "\(location) is an empty file, not a GapFlow database; it was left as it is",
                hint: "create the database with `gapflow init` (or `gapflow import`), or point --db / GAPFLOW_DB at an existing one")
        }
        return store
    }

    /// Whether a `--db` value names a PostgreSQL database rather than a file.
    static func isPostgres(_ location: String) -> Bool { PostgresStore.isConnectionURI(location) }

    /// Whether `path` is an existing file of 0 bytes (following a symbolic link).
    static func isEmptyFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && info.st_size == 0
    }

    /// Whether anything, even a dangling symbolic link, is at `path`.
    static func entryExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
