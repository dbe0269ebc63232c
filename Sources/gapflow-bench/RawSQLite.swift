import CSQLite
import Foundation

/// Plain SQLite for the benchmark's baselines and bulk loading: no GapFlow code between the caller and the library.
final class RawSQLite {
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(path: String) throws {
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            throw Failure(description: "cannot open \(path)")
        }
        sqlite3_busy_timeout(db, 5000)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(db)
    }

    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(db, sql, nil, nil, &error) != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "unknown"
            sqlite3_free(error)
            throw Failure(description: "\(message) in \(sql)")
        }
    }

    /// Runs a cached prepared statement with text and integer arguments.
    func run(_ sql: String, _ arguments: [Any]) throws {
        let statement: OpaquePointer
        if let cached = statements[sql] {
            statement = cached
        } else {
            var prepared: OpaquePointer?
            guard sqlite3_prepare_v2(db, sql, -1, &prepared, nil) == SQLITE_OK, let prepared else {
                throw Failure(description: String(cString: sqlite3_errmsg(db)))
            }
            statements[sql] = prepared
            statement = prepared
        }
        for (offset, argument) in arguments.enumerated() {
            let index = Int32(offset + 1)
            if let number = argument as? Int {
                sqlite3_bind_int64(statement, index, Int64(number))
            } else {
                sqlite3_bind_text(statement, index, "\(argument)", -1, Self.transient)
            }
        }
        let rc = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw Failure(description: String(cString: sqlite3_errmsg(db))) }
    }

    /// Steps through every row of a query and returns how many there were (reading each row's columns).
    func count(_ sql: String) throws -> Int {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw Failure(description: String(cString: sqlite3_errmsg(db)))
        }
        defer { sqlite3_finalize(statement) }
        var rows = 0
        var bytes = 0
        while sqlite3_step(statement) == SQLITE_ROW {
            rows += 1
            bytes += Int(sqlite3_column_bytes(statement, 0)) + Int(sqlite3_column_bytes(statement, 1))
            _ = sqlite3_column_text(statement, 0)
        }
        return bytes >= 0 ? rows : 0
    }
}
