import Foundation

/// One stored row as it travels in an export: its table and its columns in order.
///
/// The tables and columns are the same for every store, so an export from one store imports into any other.
public struct ExportRow: Sendable, Equatable {
    /// A column's value: export files know only text, whole numbers and null.
    public enum Value: Sendable, Equatable {
        case text(String)
        case integer(Int)
        case null
    }

    public let table: String
    public let columns: [(name: String, value: Value)]

    public init(table: String, columns: [(name: String, value: Value)]) {
        self.table = table
        self.columns = columns
    }

    public static func == (lhs: ExportRow, rhs: ExportRow) -> Bool {
        lhs.table == rhs.table && lhs.columns.map(\.name) == rhs.columns.map(\.name) && lhs.columns.map(\.value) == rhs.columns.map(\.value)
    }

    /// The value of a column, if the row has it.
    public subscript(column: String) -> Value? { columns.first { $0.name == column }?.value }
}

/// Why an import file was refused; nothing was imported.
public struct ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "line \(line): \(message)" : message }
}

/// The export file: a header line naming the format, then one JSON object per stored row (`{"table": …, "row": {…}}`).
public enum ExportFormat {
    /// The format's version; it names the schema whose tables and columns the rows carry.
    public static let version = 13
    /// The oldest format an import still reads (later formats only added columns, which then stay empty).
    public static let oldestReadable = 6

    /// The tables in the order they can be filled (referenced rows first).
    public static let tables = [
        "store_identity", "definitions", "actors", "actor_roles", "credentials", "ticket_sequences", "meetings", "tickets", "history",
        "timers", "outbox", "admin_log", "meeting_documents", "agenda_entries", "board_members", "decision_votes",
    ]

    /// The first line of every export.
    public static var header: String {
        JSONValue.object([("type", .string("gapflow-export")), ("schema", .integer(version))]).compact
    }

    /// One row as one line.
    public static func line(for row: ExportRow) -> String {
        let values = row.columns.map { column -> (String, JSONValue) in
            switch column.value {
            case .integer(let number): (column.name, .integer(number))
            case .text(let text): (column.name, .string(text))
            case .null: (column.name, .null)
            }
        }
        return JSONValue.object([("table", .string(row.table)), ("row", .object(values))]).compact
    }

    /// Checks the header line (line 1).
    public static func checkHeader(_ line: String?) throws(ImportError) {
        guard let header = line.flatMap({ try? JSONParser.parse($0) }), header["type"]?.string == "gapflow-export",
            let schema = header["schema"]?.integer
        else { throw ImportError(line: 1, message: "not a gapflow export (the first line must name it)") }
        guard (oldestReadable...version).contains(schema) else {
            throw ImportError(line: 1, message: "exported with schema \(schema), this gapflow has \(version)")
        }
    }

    /// Reads one row line; `number` is its line number, for the message.
    public static func row(from line: String, number: Int) throws(ImportError) -> ExportRow {
        let node: JSONNode
        do {
            node = try JSONParser.parse(line)
        } catch {
            throw ImportError(line: number, message: "\(error.message) (column \(error.position.column)); the file may be cut off")
        }
        guard let table = node["table"]?.string, tables.contains(table), let members = node["row"]?.members else {
            throw ImportError(line: number, message: "expected {\"table\": …, \"row\": {…}} of a known table")
        }
        var columns: [(name: String, value: ExportRow.Value)] = []
        for member in members {
            switch member.value.value {
            case .string(let text): columns.append((member.key, .text(text)))
            case .number(_, let literal):
                guard let integer = Int(literal) else {
                    throw ImportError(line: number, message: "column \"\(member.key)\": not a whole number")
                }
                columns.append((member.key, .integer(integer)))
            case .null: columns.append((member.key, .null))
            default: throw ImportError(line: number, message: "column \"\(member.key)\": expected a string, a number or null")
            }
        }
        return ExportRow(table: table, columns: columns)
    }
}

extension Engine {
    /// The database's identity, every definition version, actor, meeting, ticket, history entry, timer, notice and
    /// admin log entry, one JSON line each after the header, handed to `write` as they are read: memory stays flat
    /// however large the store.
    public func export(_ write: (String) throws -> Void) throws {
        try store.read { tx in
            try write(ExportFormat.header)
            try tx.exportRows { row in try write(ExportFormat.line(for: row)) }
        }
    }

    /// Every line of ``export(_:)`` as one array (for small stores and tests).
    public func exportLines() throws -> [String] {
        var lines: [String] = []
        try export { lines.append($0) }
        return lines
    }

    /// Fills this (empty) store from export lines, all or nothing: any problem refuses the whole file.
    ///
    /// What was read must verify before it is kept: every chain and the admin log, and, when a checkpoint is given,
    /// every head it signed (so an export whose chains were recomputed by hand after editing is refused too).
    public func importLines<Lines: Sequence<String>>(_ lines: Lines, checkpoint: TrustedCheckpoint? = nil) throws {
        try store.write { tx in
            guard try tx.isEmpty() else {
                throw ImportError(line: 0, message: "the database is not empty; import into a new database")
            }
            var iterator = lines.makeIterator()
            try ExportFormat.checkHeader(iterator.next())
            var number = 1
            try tx.beginPurge()  // the history's chain columns are written as they were exported
            while let line = iterator.next() {
                number += 1
                if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
                let row = try ExportFormat.row(from: line, number: number)
                if row.table == "store_identity", case .text(let id)? = row["id"], !StoreIdentity.isWellFormed(id) {
                    throw ImportError(line: number, message: "store_identity: \"\(id)\" is not a database identity (hexadecimal digits)")
                }
                do {
                    try tx.importRow(row)
                } catch {
                    throw ImportError(line: number, message: "\(row.table): \(error)")
                }
            }
            try tx.endPurge()
            // What was read must verify before it is kept: a tampered or inconsistent export imports nothing.
            let audit = try verifyHistory(ticket: nil, in: tx)
            if let finding = audit.findings.first {
                throw ImportError(
                    line: 0,
                    message: "the history of \(finding.ticket) does not verify at revision \(finding.revision): \(finding.problem)"
                        + (audit.findings.count > 1 ? " (and \(audit.findings.count - 1) more tickets)" : ""))
            }
            if let finding = audit.adminLogFinding {
                throw ImportError(line: 0, message: "the admin log does not verify at entry \(finding.sequence): \(finding.problem)")
            }
            if let checkpoint {
                let report = try verify(against: checkpoint.checkpoint, trustedKey: checkpoint.key, file: checkpoint.file, in: tx)
                let problems =
                    report.findings.map { "\($0.ticket) at revision \($0.revision): \($0.problem)" }
                    + (report.adminLogFinding.map { ["admin log at entry \($0.sequence): \($0.problem)"] } ?? [])
                if let first = problems.first {
                    throw ImportError(
                        line: 0,
                        message: "the export does not extend the checkpoint \(checkpoint.file): \(first)"
                            + (problems.count > 1 ? " (and \(problems.count - 1) more)" : ""))
                }
            }
        }
    }
}

/// A checkpoint file read and the key it is to be verified with.
public struct TrustedCheckpoint: Sendable {
    public let checkpoint: Checkpoint
    public let key: PublicKey
    /// How messages name the file.
    public let file: String

    public init(checkpoint: Checkpoint, key: PublicKey, file: String) {
        self.checkpoint = checkpoint
        self.key = key
        self.file = file
    }
}

extension ImportError: ExplainedError {
    public var summary: String { description }
    public var hint: String? { "nothing was imported" }
}
