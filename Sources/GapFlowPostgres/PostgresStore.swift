import Dispatch
import Foundation
import GapFlow
import Synchronization

/// The shared store: one PostgreSQL database (or one schema in it) that any number of GapFlow processes on any
/// number of machines use at once, through libpq.
///
/// Every write transaction runs at `SERIALIZABLE`: its outcome is the same as if the transactions had run one after
/// the other, as they do in the SQLite store. When PostgreSQL aborts one because another got in the way
/// (serialization failure, deadlock), nothing of it was kept, and the store runs its body again on a fresh
/// snapshot, up to ``retries`` times. Read transactions are `REPEATABLE READ READ ONLY`: one snapshot, never a side
/// door. Due timers are claimed with `FOR UPDATE SKIP LOCKED` (see ``StoreTransaction/claimDueTimer(_:)``), so
/// several timer services share the work and none fires a timer twice, and a command that arms a timer sends
/// `NOTIFY gapflow_timers` so that sleeping schedulers elsewhere wake for it.
public final class PostgresStore: TicketStore {
    /// The connection string as given (it may carry no password: see ``init(connectionString:mode:maxConnections:)``).
    let connectionString: String
    /// The connection string without a password, for messages.
    public let location: String
    private let idle = Mutex<[PGConnection]>([])
    private let permits: DispatchSemaphore
    /// How often a write transaction is tried when other transactions keep getting in its way.
    public let retries = 40

    /// Whether `text` names a PostgreSQL database (a `postgresql://` or `postgres://` URI) rather than a file.
    public static func isConnectionURI(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// Connects to the database the URI names and, with ``StoreMode/create``, creates or migrates GapFlow's schema.
    ///
    /// A password in the URI is refused: the command line is visible to every user of the machine; libpq reads it
    /// from `~/.pgpass` or `PGPASSWORD` instead. A schema of a newer GapFlow, or tables of another application in
    /// the schema, are refused and left as they are.
    public init(connectionString: String, mode: StoreMode = .readWrite, maxConnections: Int = 8) throws(StoreError) {
        self.connectionString = connectionString
        location = Self.withoutPassword(connectionString)
        if Self.carriesPassword(connectionString) {
            throw StoreError.failed(
                path: location,
                message: "the connection string carries a password; put it in ~/.pgpass or PGPASSWORD instead, "
                    + "where other users of this machine cannot read it")
        }
        permits = DispatchSemaphore(value: max(2, maxConnections))
        let connection = try PGConnection(conninfo: connectionString, location: location)
        switch mode {
        case .create: try PostgresMigrator.migrate(connection)
        case .readWrite:
            try PostgresMigrator.check(connection, allowMissing: false)
            // A schema of an older GapFlow is brought forward, as the SQLite store does on opening.
            if try PostgresMigrator.appliedVersions(connection, version: 1).count < PostgresMigrator.steps.count {
                try PostgresMigrator.migrate(connection)
            }
        case .readOnly: try PostgresMigrator.check(connection, allowMissing: false)
        }
        if mode == .readOnly { try connection.execute("SET default_transaction_read_only = on") }
        self.readOnly = mode == .readOnly
        listener = PostgresListener(connectionString: connectionString, location: location)
        idle.withLock { $0.append(connection) }
    }

    private let readOnly: Bool
    private let listener: PostgresListener

    deinit { listener.stop() }

    /// The channel on which a committed command that armed a timer tells the schedulers of every node.
    static let timerChannel = "gapflow_timers"

    /// Wakes `observer` when another process commits a command that armed a timer (`LISTEN gapflow_timers` on a
    /// connection of its own).
    public func observeTimersArmedElsewhere(_ observer: @escaping @Sendable (Date) -> Void) {
        listener.add(observer)
    }

    /// A connection for the duration of `body`: an idle one, or a new one while fewer than the maximum are in use.
    /// A connection that broke is dropped, so the next call connects again (after a failover, to the new primary).
    private func withConnection<T>(_ body: (PGConnection) throws -> T) throws -> T {
        permits.wait()
        defer { permits.signal() }
        let connection: PGConnection
        if let reused = idle.withLock({ $0.popLast() }) {
            connection = reused
        } else {
            connection = try PGConnection(conninfo: connectionString, location: location)
            if readOnly { try connection.execute("SET default_transaction_read_only = on") }
        }
        defer {
            if !connection.isBroken { idle.withLock { $0.append(connection) } }
        }
        return try body(connection)
    }

    /// Runs `body` in a read transaction: one snapshot of the last commit, read-only.
    public func read<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        try withConnection { connection in
            connection.sawConnectionLoss = false
            try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let result = try body(PostgresTransaction(connection: connection, writable: false))
                try connection.execute("COMMIT")
                return result
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// A transaction that another one got in the way of; nothing of it was kept.
    private struct TryAgain: Error {
        let underlying: any Error
    }

    /// Runs `body` in a `SERIALIZABLE` write transaction, committed if it returns (unless `rollback`), rolled back if
    /// it throws; run again when PostgreSQL aborted it for another transaction.
    public func write<T>(rollback: Bool, _ body: (any StoreTransaction) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try withConnection { connection in try writeOnce(connection, rollback: rollback, body) }
            } catch let again as TryAgain {
                guard attempt < retries else { throw again.underlying }
                // A little randomised wait, longer each time, so that the transactions that collided do not again.
                let ceiling = min(200_000, 500 << min(attempt, 9))
                usleep(UInt32.random(in: 100...UInt32(ceiling)))
            }
        }
    }

    private func writeOnce<T>(_ connection: PGConnection, rollback: Bool, _ body: (any StoreTransaction) throws -> T) throws -> T {
        connection.sawRetryableFailure = false
        connection.sawConnectionLoss = false
        try connection.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
        connection.statementSavepoints = true
        defer { connection.statementSavepoints = false }
        var committing = false
        do {
            let result = try body(PostgresTransaction(connection: connection, writable: true))
            // A purge lives only inside its transaction: its marker is never committed, even if the caller forgot to end it.
            if connection.purgeOpen { try connection.query("DELETE FROM purge_session") }
            connection.purgeOpen = false
            committing = !rollback
            connection.statementSavepoints = false
            let status = try connection.status(rollback ? "ROLLBACK" : "COMMIT")
            // PostgreSQL answers COMMIT of a transaction it had aborted with ROLLBACK, not with an error.
            if !rollback && status != "COMMIT" {
                throw StoreError.failed(path: location, message: "PostgreSQL rolled the transaction back instead of committing it")
            }
            return result
        } catch {
            connection.purgeOpen = false
            if !connection.isBroken { try? connection.execute("ROLLBACK") }
            if connection.sawRetryableFailure { throw TryAgain(underlying: error) }
            if connection.sawConnectionLoss || connection.isBroken {
                throw StoreError.failed(
                    path: location,
                    message: committing
                        ? "the connection to PostgreSQL was lost while committing: whether the change was kept is not known; "
                            + "look (gapflow show, gapflow audit) before repeating it"
                        : "the connection to PostgreSQL was lost during the transaction; nothing of it was kept")
            }
            throw error
        }
    }

    /// Writes the whole store, from one snapshot, as an export file (the format of `gapflow export`) at `path`,
    /// while others go on writing. PostgreSQL's own backups (`pg_dump`, base backups with WAL archiving) are the
    /// provider's business; this copy is one file that `gapflow import` reads into either store.
    public func backup(to path: String) throws {
        var entry = stat()
        if lstat(path, &entry) == 0 {
            throw StoreError.failed(path: path, message: "\(path) already exists; a backup never overwrites a file")
        }
        let temporary = path + ".\(UUID().uuidString).part"
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: temporary)
        else { throw StoreError.failed(path: path, message: "cannot write a backup at \(path)") }
        do {
            var buffer = ExportFormat.header + "\n"
            try read { tx in
                try tx.exportRows { row in
                    buffer += ExportFormat.line(for: row) + "\n"
                    if buffer.utf8.count > 1 << 20 {
                        try handle.write(contentsOf: Data(buffer.utf8))
                        buffer = ""
                    }
                }
            }
            try handle.write(contentsOf: Data(buffer.utf8))
            try handle.synchronize()
            try handle.close()
            guard link(temporary, path) == 0 else {
                throw StoreError.failed(path: path, message: "\(path) appeared during the backup; a backup never overwrites a file")
            }
            unlink(temporary)
        } catch {
            try? handle.close()
            unlink(temporary)
            throw error
        }
    }

    /// Rewrites the tables that hold free text (`VACUUM FULL`), so that no dead row version in their files keeps a
    /// redacted or purged text. What PostgreSQL's write-ahead log, its archive and base backups hold ages out with
    /// the provider's retention of them; that is outside what a client can erase.
    public func eraseRemovedContent() throws {
        _ = try withConnection { connection in
            try connection.execute("VACUUM FULL history, tickets, outbox")
        }
    }

    // MARK: Connection strings

    /// Whether a connection string names a password (`user:password@` in a URI, or a `password` parameter).
    static func carriesPassword(_ text: String) -> Bool {
        withoutPassword(text) != text
    }

    /// The connection string without its password, for messages and logs.
    static func withoutPassword(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else {
            // key=value form
            return text.split(separator: " ").filter { !$0.lowercased().hasPrefix("password=") }.joined(separator: " ")
        }
        var result = text
        let rest = result[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
            result.removeSubrange(colon..<at)
        }
        if let query = result.firstIndex(of: "?") {
            let base = result[..<query]
            let parameters = result[result.index(after: query)...].split(separator: "&").filter {
                !$0.lowercased().hasPrefix("password=")
            }
            result = String(base) + (parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&"))
        }
        return result
    }
}

/// Access to the database inside one transaction; the operations of the port live in `PostgresTransaction+*.swift`.
struct PostgresTransaction: StoreTransaction {
    let connection: PGConnection
    let writable: Bool

    var path: String { connection.location }
}
