import CLibPQ
import Foundation
import GapFlow

/// A value bound to or read from an SQL statement: PostgreSQL's `bigint` columns come back as integers, everything
/// else as text (the schema uses no other types).
enum PGValue: Equatable {
    case text(String)
    case integer(Int)
    case null

    var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    var integer: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }
}

/// A failure reported by the server or by libpq, with the SQLSTATE code when the server sent one.
struct PGFailure: Error, CustomStringConvertible {
    let state: String?
    let message: String
    let sql: String?
    /// Whether the connection is gone (the server went away, the network broke).
    let connectionLost: Bool

    var description: String { message }

    /// Another transaction got in the way (serialization failure, deadlock): the whole transaction may be tried again.
    var isRetryable: Bool { state == "40001" || state == "40P01" }
}

/// One libpq connection.
///
/// `@unchecked Sendable`: libpq's connection is not thread-safe, and what makes sharing it safe is that
/// ``PostgresStore`` keeps idle connections in a `Mutex` and hands each to one thread at a time, which alone uses it
/// until it gives it back (the listener's connection never leaves its thread).
final class PGConnection: @unchecked Sendable {
    let location: String
    private let handle: OpaquePointer
    /// Prepared statements by their SQL (after `?` became `$n`), each with its server-side name.
    private var statements: [String: String] = [:]
    /// How many cursors are open, so that nested ones get their own names and the names (and their cached FETCH
    /// statements) repeat.
    private var cursorDepth = 0
    /// Whether the current transaction opened a purge (see `PostgresTransaction.beginPurge`).
    var purgeOpen = false
    /// Set when a statement failed because another transaction got in the way; the store then runs the body again.
    var sawRetryableFailure = false
    /// Set when a statement failed because the connection broke.
    var sawConnectionLoss = false
    /// In a write transaction: each statement that changes rows runs under a savepoint, so that a failed one (a
    /// constraint, a trigger) is undone alone and the transaction goes on, as SQLite does it, instead of PostgreSQL
    /// aborting the whole transaction.
    var statementSavepoints = false

    /// Connects with libpq's connection string (`postgresql://…` URI or `key=value` pairs); a password comes from
    /// `~/.pgpass` or `PGPASSWORD`, as libpq reads them.
    init(conninfo: String, location: String) throws(StoreError) {
        self.location = location
        // Earlier keywords are defaults: the connection string (expanded from `dbname`) overrides them.
        let keywords = ["connect_timeout", "application_name", "dbname"]
        let values = ["10", "gapflow", conninfo]
        let connection: OpaquePointer? = withCStrings(keywords) { keys in
            withCStrings(values) { vals in PQconnectdbParams(keys, vals, 1) }
        }
        guard let connection else { throw StoreError.failed(path: location, message: "libpq could not allocate a connection") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.firstLine(String(cString: PQerrorMessage(connection)))
            PQfinish(connection)
            throw StoreError.failed(path: location, message: "cannot connect to PostgreSQL: \(message)")
        }
        handle = connection
        // Server notices (e.g. "… already exists, skipping") are not for the user; libpq would print them to stderr.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    var isBroken: Bool { PQstatus(handle) != CONNECTION_OK }

    /// The socket, for waiting on notifications.
    var socket: Int32 { PQsocket(handle) }

    static func firstLine(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? trimmed
    }

    /// Runs statements without parameters or results (schema, transaction control).
    func execute(_ sql: String) throws(StoreError) {
        _ = try status(sql)
    }

    /// Runs statements without parameters and returns the last one's command status (e.g. `COMMIT` or `ROLLBACK`).
    func status(_ sql: String) throws(StoreError) -> String {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, sql: sql)
        return result.map { String(cString: PQcmdStatus($0)) } ?? ""
    }

    /// Runs a prepared (and cached) statement and returns its rows. `?` placeholders become `$1`, `$2`, …; `?3`
    /// becomes `$3`.
    @discardableResult
    func query(_ sql: String, _ arguments: [PGValue] = []) throws(StoreError) -> [[PGValue]] {
        let (rows, _) = try run(sql, arguments)
        return rows
    }

    /// Runs a statement that changes rows and returns how many it changed.
    func change(_ sql: String, _ arguments: [PGValue] = []) throws(StoreError) -> Int {
        let (_, changed) = try run(sql, arguments)
        return changed
    }

    /// Hands the rows of a query to `visit` a batch at a time through a server-side cursor, so that memory stays flat
    /// however many rows there are and `visit` may run other statements meanwhile.
    func forEachRow(_ sql: String, _ arguments: [PGValue] = [], _ visit: ([PGValue]) throws -> Void) throws {
        cursorDepth += 1
        defer { cursorDepth -= 1 }
        let cursor = "gapflow_cursor_\(cursorDepth)"
        _ = try run("DECLARE \(cursor) NO SCROLL CURSOR FOR " + sql, arguments, prepare: false)
        defer { try? execute("CLOSE \(cursor)") }
        while true {
            let batch = try query("FETCH 500 FROM \(cursor)")
            for row in batch { try visit(row) }
            if batch.count < 500 { return }
        }
    }

    private func run(_ sql: String, _ arguments: [PGValue], prepare: Bool = true) throws(StoreError) -> ([[PGValue]], Int) {
        guard statementSavepoints, sql.hasPrefix("INSERT") || sql.hasPrefix("UPDATE") || sql.hasPrefix("DELETE") else {
            return try runStatement(sql, arguments, prepare: prepare)
        }
        try execute("SAVEPOINT gapflow_statement")
        do {
            let result = try runStatement(sql, arguments, prepare: prepare)
            try execute("RELEASE SAVEPOINT gapflow_statement")
            return result
        } catch {
            if !isBroken { try? execute("ROLLBACK TO SAVEPOINT gapflow_statement; RELEASE SAVEPOINT gapflow_statement") }
            throw error
        }
    }

    private func runStatement(_ sql: String, _ arguments: [PGValue], prepare: Bool) throws(StoreError) -> ([[PGValue]], Int) {
        let converted = Self.numbered(sql)
        var texts: [String?] = []
        texts.reserveCapacity(arguments.count)
        for argument in arguments {
            switch argument {
            case .text(let text):
                // libpq passes text parameters as C strings: a NUL would silently cut the value off, and PostgreSQL's
                // text cannot hold one anyway. Refused, so that nothing is stored shortened.
                if text.utf8.contains(0) {
                    throw StoreError.failed(
                        path: location, message: "PostgreSQL cannot store text with a NUL character (U+0000); nothing was written")
                }
                texts.append(text)
            case .integer(let number): texts.append(String(number))
            case .null: texts.append(nil)
            }
        }
        let result: OpaquePointer? = try withOptionalCStrings(texts) { values throws(StoreError) -> OpaquePointer? in
            if !prepare {
                return PQexecParams(handle, converted, Int32(texts.count), nil, values, nil, nil, 0)
            }
            let name = try statementName(converted, parameters: texts.count)
            return PQexecPrepared(handle, name, Int32(texts.count), values, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check(result, sql: converted)
        guard let result else { return ([], 0) }
        let changed = Int(String(cString: PQcmdTuples(result))) ?? 0
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        guard rowCount > 0 else { return ([], changed) }
        let integerColumns = (0..<columnCount).map { column in
            let type = PQftype(result, column)
            return type == 20 || type == 23 || type == 21  // int8, int4, int2
        }
        var rows: [[PGValue]] = []
        rows.reserveCapacity(Int(rowCount))
        for index in 0..<rowCount {
            var row: [PGValue] = []
            row.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                if PQgetisnull(result, index, column) == 1 {
                    row.append(.null)
                    continue
                }
                let length = Int(PQgetlength(result, index, column))
                let text = PQgetvalue(result, index, column).map { pointer in
                    pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
                        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
                    }
                }
                if integerColumns[Int(column)], let number = text.flatMap({ Int($0) }) {
                    row.append(.integer(number))
                } else {
                    row.append(.text(text ?? ""))
                }
            }
            rows.append(row)
        }
        return (rows, changed)
    }

    private func statementName(_ sql: String, parameters: Int) throws(StoreError) -> String {
        if let name = statements[sql] { return name }
        let name = "gapflow_\(statements.count + 1)"
        let result = PQprepare(handle, name, sql, Int32(parameters), nil)
        defer { PQclear(result) }
        try check(result, sql: sql)
        statements[sql] = name
        return name
    }

    private func check(_ result: OpaquePointer?, sql: String) throws(StoreError) {
        let status = result.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY { return }
        let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
        let primary = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "M"))) }.map { String(cString: $0) }
        let message = primary ?? Self.firstLine(String(cString: PQerrorMessage(handle)))
        let failure = PGFailure(state: state, message: message, sql: sql, connectionLost: isBroken)
        if failure.isRetryable { sawRetryableFailure = true }
        if failure.connectionLost { sawConnectionLoss = true }
        throw StoreError.postgres(failure, location: location)
    }

    /// `?` placeholders as PostgreSQL's `$n` (numbered in order, or `?n` as `$n`), outside quoted text.
    static func numbered(_ sql: String) -> String {
        guard sql.contains("?") else { return sql }
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var next = 1
        var quoted = false
        var characters = sql.makeIterator()
        var pending: Character? = characters.next()
        while let character = pending {
            pending = characters.next()
            if character == "'" { quoted.toggle() }
            guard character == "?", !quoted else {
                result.append(character)
                continue
            }
            var digits = ""
            while let digit = pending, digit.isASCII, digit.isNumber {
                digits.append(digit)
                pending = characters.next()
            }
            if digits.isEmpty {
                result += "$\(next)"
                next += 1
            } else {
                result += "$" + digits
            }
        }
        return result
    }

    // MARK: Notifications

    /// Reads what the server sent and returns the notifications' payloads (empty when none came).
    func notifications() -> [String]? {
        guard PQconsumeInput(handle) == 1 else { return nil }
        var payloads: [String] = []
        while let notice = PQnotifies(handle) {
            payloads.append(String(cString: notice.pointee.extra))
            PQfreemem(notice)
        }
        return payloads
    }
}

extension StoreError {
    /// The store's error for a PostgreSQL failure: conflicts with other transactions as busy, anything else as the
    /// server worded it.
    static func postgres(_ failure: PGFailure, location: String) -> StoreError {
        if failure.connectionLost {
            return .failed(path: location, message: "the connection to PostgreSQL was lost (\(failure.message))")
        }
        switch failure.state {
        case "40001", "40P01", "55P03": return .busy(path: location)
        case "25006": return .readOnly(path: location)
        case "23503": return .failed(path: location, message: "FOREIGN KEY constraint failed: \(failure.message)")
        case "23505": return .failed(path: location, message: "UNIQUE constraint failed: \(failure.message)")
        case "42501": return .failed(path: location, message: "PostgreSQL refused it: \(failure.message) (check the role's privileges)")
        default:
            let code = failure.state.map { " \($0)" } ?? ""
            return .failed(path: location, message: "PostgreSQL error\(code): \(failure.message)")
        }
    }
}

/// Calls `body` with the strings as an array of C strings that lives as long as the call.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws -> R) rethrows -> R {
    let duplicated = strings.map { strdup($0) }
    defer { duplicated.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = duplicated.map { $0.map { UnsafePointer($0) } } + [nil]
    return try pointers.withUnsafeBufferPointer { buffer in try body(buffer.baseAddress) }
}

/// Like `withCStrings`, with nil for SQL NULL.
private func withOptionalCStrings<R>(
    _ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws(StoreError) -> R
) throws(StoreError) -> R {
    let duplicated = strings.map { $0.flatMap { strdup($0) } }
    defer { duplicated.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = duplicated.map { $0.map { UnsafePointer($0) } }
    if pointers.isEmpty { return try body(nil) }
    var result: Result<R, StoreError>?
    pointers.withUnsafeBufferPointer { buffer in
        do throws(StoreError) {
            result = .success(try body(buffer.baseAddress))
        } catch {
            result = .failure(error)
        }
    }
    guard let result else { throw StoreError.failed(path: "", message: "no result") }
    return try result.get()
}
