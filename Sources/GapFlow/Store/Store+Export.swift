import Foundation

/// Why an import file was refused; nothing was imported.
public struct ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let message: String

    public var description: String { line > 0 ? "line \(line): \(message)" : message }
}

extension Transaction {
    /// The tables of a database in the order they can be filled (referenced rows first).
    static let exportTables = [
        "definitions", "actors", "actor_roles", "ticket_sequences", "meetings", "tickets", "history", "timers", "outbox",
    ]

    func columns(of table: String) throws(StoreError) -> [String] {
        try connection.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(table)]).compactMap { $0[0].text }
    }

    /// Every row of every table as one JSON line, after a header line naming the schema version.
    func exportLines() throws(StoreError) -> [String] {
        var lines = [JSONValue.object([("type", .string("gapflow-export")), ("schema", .integer(Migrator.latest))]).compact]
        for table in Self.exportTables {
            let columns = try columns(of: table)
            let order = table == "history" ? "ticket_id, revision" : "rowid"
            for row in try connection.query("SELECT \(columns.joined(separator: ", ")) FROM \(table) ORDER BY \(order)") {
                let values = zip(columns, row).map { column, value -> (String, JSONValue) in
                    switch value {
                    case .integer(let number): (column, .integer(number))
                    case .text(let text): (column, .string(text))
                    case .null: (column, .null)
                    }
                }
                lines.append(JSONValue.object([("table", .string(table)), ("row", .object(values))]).compact)
            }
        }
        return lines
    }

    /// Fills an empty database from export lines; any problem refuses the whole file (the caller's transaction rolls back).
    func importLines(_ lines: [String]) throws {
        let existing = try connection.query("SELECT (SELECT count(*) FROM definitions) + (SELECT count(*) FROM tickets)").first?.first?
            .integer
        guard existing == 0 else { throw ImportError(line: 0, message: "the database is not empty; import into a new database") }
        var knownColumns: [String: [String]] = [:]
        for table in Self.exportTables { knownColumns[table] = try columns(of: table) }
        guard let header = lines.first.flatMap({ try? JSONParser.parse($0) }), header["type"]?.string == "gapflow-export",
            let schema = header["schema"]?.integer
        else { throw ImportError(line: 1, message: "not a gapflow export (the first line must name it)") }
        guard schema == Migrator.latest else {
            throw ImportError(line: 1, message: "exported with schema \(schema), this gapflow has \(Migrator.latest)")
        }
        try beginPurge()  // the history's chain columns are written as they were exported
        for (index, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let number = index + 1
            let node: JSONNode
            do {
                node = try JSONParser.parse(line)
            } catch {
                throw ImportError(line: number, message: "\(error.message) (column \(error.position.column)); the file may be cut off")
            }
            guard let table = node["table"]?.string, let columns = knownColumns[table], let members = node["row"]?.members else {
                throw ImportError(line: number, message: "expected {\"table\": …, \"row\": {…}} of a known table")
            }
            var names: [String] = []
            var values: [SQLValue] = []
            for member in members {
                guard columns.contains(member.key) else {
                    throw ImportError(line: number, message: "table \(table) has no column \"\(member.key)\"")
                }
                names.append(member.key)
                switch member.value.value {
                case .string(let text): values.append(.text(text))
                case .number(_, let literal):
                    guard let integer = Int(literal) else {
                        throw ImportError(line: number, message: "column \"\(member.key)\": not a whole number")
                    }
                    values.append(.integer(integer))
                case .null: values.append(.null)
                default: throw ImportError(line: number, message: "column \"\(member.key)\": expected a string, a number or null")
                }
            }
            do {
                try connection.query(
                    "INSERT INTO \(table)(\(names.joined(separator: ", "))) VALUES(\(names.map { _ in "?" }.joined(separator: ", ")))",
                    values)
            } catch {
                throw ImportError(line: number, message: "\(table): \(error)")
            }
        }
        try endPurge()
    }
}

extension Engine {
    /// Every ticket, history entry, timer, meeting, notice, actor and definition version, one JSON object per line.
    public func exportLines() throws -> [String] {
        try store.read { tx in try tx.exportLines() }
    }

    /// Fills this (empty) database from `exportLines()` output, all or nothing.
    public func importLines(_ lines: [String]) throws {
        try store.write { tx in try tx.importLines(lines) }
    }
}
