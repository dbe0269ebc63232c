import CSQLite
import Foundation
import GapFlow

/// SQLite's result codes that callers care about, as named constants (the raw codes stay internal).
struct ResultCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The primary code (the low byte of an extended code).
    public var primary: ResultCode { ResultCode(rawValue: rawValue & 0xFF) }

    public static let busy = ResultCode(rawValue: SQLITE_BUSY)
    public static let locked = ResultCode(rawValue: SQLITE_LOCKED)
    public static let readOnly = ResultCode(rawValue: SQLITE_READONLY)
    public static let cantOpen = ResultCode(rawValue: SQLITE_CANTOPEN)
    public static let notADatabase = ResultCode(rawValue: SQLITE_NOTADB)
    public static let corrupt = ResultCode(rawValue: SQLITE_CORRUPT)
    public static let constraint = ResultCode(rawValue: SQLITE_CONSTRAINT)
    public static let full = ResultCode(rawValue: SQLITE_FULL)
    public static let ioError = ResultCode(rawValue: SQLITE_IOERR)

    public var description: String { String(cString: sqlite3_errstr(rawValue)) }
}

private let transientDestructor = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// A value bound to or read from an SQL statement.
enum SQLValue {
    case text(String)
    case integer(Int)
    case null
}

/// One SQLite connection. Not thread-safe: ``Store`` serialises access to it.
final class Connection {
    let path: String
    private let handle: OpaquePointer
    private var statements: [String: Statement] = [:]
    /// Whether the current transaction opened a purge (see `SQLiteTransaction.beginPurge`).
    var purgeOpen = false

    init(path: String, readOnly: Bool, create: Bool, busyTimeout: Int32 = 5000) throws(StoreError) {
        self.path = path
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        flags |= readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if create && !readOnly { flags |= SQLITE_OPEN_CREATE }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw StoreError.sqlite(code: rc, message: message, sql: nil, path: path)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        // Set before anything that may touch a WAL another process is writing (see notes: BUSY_RECOVERY).
        sqlite3_busy_timeout(db, busyTimeout)
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// The raw handle, for the backup API only.
    var handleForBackup: OpaquePointer { handle }

    /// Whether a transaction is open (SQLite rolls one back by itself after some errors, e.g. a full disk).
    var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Whether the connection can only read (file or directory not writable, or opened so).
    var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    /// Runs one or more statements without results (schema, pragmas, transaction control).
    func execute(_ sql: String) throws(StoreError) {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw StoreError.sqlite(code: rc, message: message, sql: sql, path: path)
        }
    }

    /// Runs a prepared (and cached) statement and returns its rows.
    @discardableResult
    func query(_ sql: String, _ arguments: [SQLValue] = []) throws(StoreError) -> [[SQLValue]] {
        let statement = try prepared(sql)
        return try statement.run(arguments)
    }

    /// Runs a prepared (and cached) statement and hands its rows to `visit` one at a time, as they are read.
    func forEachRow(_ sql: String, _ arguments: [SQLValue] = [], _ visit: ([SQLValue]) throws -> Void) throws {
        try prepared(sql).run(arguments, visit)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    private func prepared(_ sql: String) throws(StoreError) -> Statement {
        if let cached = statements[sql] { return cached }
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else {
            throw StoreError.sqlite(code: rc, message: lastMessage, sql: sql, path: path)
        }
        let statement = Statement(raw, sql: sql, connection: self)
        statements[sql] = statement
        return statement
    }

    final class Statement {
        private let raw: OpaquePointer
        let sql: String
        unowned let connection: Connection

        init(_ raw: OpaquePointer, sql: String, connection: Connection) {
            self.raw = raw
            self.sql = sql
            self.connection = connection
        }

        deinit { sqlite3_finalize(raw) }

        func run(_ arguments: [SQLValue]) throws(StoreError) -> [[SQLValue]] {
            var rows: [[SQLValue]] = []
            do {
                try run(arguments) { rows.append($0) }
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError.failed(path: connection.path, message: "\(error)")  // collecting rows throws nothing else
            }
            return rows
        }

        /// Steps through the result, handing each row to `visit` as it is read (a cursor: nothing is collected).
        /// Errors are the statement's ``StoreError``s and whatever `visit` throws, as it threw them.
        func run(_ arguments: [SQLValue], _ visit: ([SQLValue]) throws -> Void) throws {
            defer {
                sqlite3_reset(raw)
                sqlite3_clear_bindings(raw)
            }
            for (offset, argument) in arguments.enumerated() {
                let index = Int32(offset + 1)
                let rc: Int32
                switch argument {
                case .text(let text):
                    // Bound with its byte length, so a NUL inside the text is stored too instead of ending it.
                    var text = text
                    rc = text.withUTF8 { bytes in
                        guard let base = bytes.baseAddress else { return sqlite3_bind_text(raw, index, "", 0, transientDestructor) }
                        return UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                            sqlite3_bind_text(raw, index, $0, Int32(clamping: bytes.count), transientDestructor)
                        }
                    }
                case .integer(let number): rc = sqlite3_bind_int64(raw, index, Int64(number))
                case .null: rc = sqlite3_bind_null(raw, index)
                }
                guard rc == SQLITE_OK else {
                    throw StoreError.sqlite(code: rc, message: connection.lastMessage, sql: sql, path: connection.path)
                }
            }
            let columns = sqlite3_column_count(raw)
            while true {
                let rc = sqlite3_step(raw)
                if rc == SQLITE_DONE { return }
                guard rc == SQLITE_ROW else {
                    throw StoreError.sqlite(code: rc, message: connection.lastMessage, sql: sql, path: connection.path)
                }
                var row: [SQLValue] = []
                row.reserveCapacity(Int(columns))
                for column in 0..<columns {
                    switch sqlite3_column_type(raw, column) {
                    case SQLITE_NULL: row.append(.null)
                    case SQLITE_INTEGER: row.append(.integer(Int(sqlite3_column_int64(raw, column))))
                    default:
                        // Read with its byte length: a NUL inside the text is part of it.
                        let count = Int(sqlite3_column_bytes(raw, column))
                        let text = sqlite3_column_text(raw, column).map {
                            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
                        }
                        row.append(.text(text ?? ""))
                    }
                }
                try visit(row)
            }
        }
    }
}

extension SQLValue {
    var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    var integer: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }
}

extension Connection {
    /// Copies the whole database to `target` with SQLite's online backup, page by page, while others may write:
    /// the copy is one consistent snapshot (the backup restarts if the source changes underneath it).
    func backup(to target: String) throws(StoreError) {
        var raw: OpaquePointer?
        guard sqlite3_open_v2(target, &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let destination = raw else {
            sqlite3_close_v2(raw)
            throw StoreError.sqlite(code: SQLITE_CANTOPEN, message: "cannot create \(target)", sql: nil, path: target)
        }
        defer { sqlite3_close_v2(destination) }
        guard let backup = sqlite3_backup_init(destination, "main", handleForBackup, "main") else {
            throw StoreError.sqlite(
                code: sqlite3_errcode(destination), message: String(cString: sqlite3_errmsg(destination)), sql: nil, path: target)
        }
        var rc: Int32
        repeat {
            rc = sqlite3_backup_step(backup, 256)
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { sqlite3_sleep(5) }
        } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
        sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE else {
            throw StoreError.sqlite(code: rc, message: String(cString: sqlite3_errmsg(destination)), sql: nil, path: target)
        }
    }
}

extension StoreError {
    /// The store's error for an SQLite result code: busy, read-only and foreign files by name, anything else as SQLite worded it.
    static func sqlite(code: Int32, message: String, sql: String?, path: String) -> StoreError {
        let result = ResultCode(rawValue: code)
        switch result.primary {
        case .busy, .locked: return .busy(path: path)
        case .readOnly: return .readOnly(path: path)
        case .notADatabase: return .notADatabase(path: path)
        default: return .failed(path: path, message: "SQLite error \(result.rawValue) (\(result)): \(message)")
        }
    }
}
