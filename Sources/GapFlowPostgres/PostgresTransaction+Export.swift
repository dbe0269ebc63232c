import Foundation
import GapFlow

extension PostgresTransaction {
    func columns(of table: String) throws(StoreError) -> [String] {
        // `rowid` is this store's own: it orders rows as SQLite's rowid does and never travels in an export.
        try connection.query(
            """
            SELECT column_name::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = ? AND column_name <> 'rowid' ORDER BY ordinal_position
            """, [.text(table)]
        ).compactMap { $0[0].text }
    }

    /// The column that orders a table's rows as they were written.
    static func writeOrder(of table: String) -> String {
        switch table {
        case "timers", "meetings": "id"
        case "admin_log": "sequence"
        default: "rowid"
        }
    }

    func exportRows(_ visit: (ExportRow) throws -> Void) throws {
        for table in ExportFormat.tables {
            let columns = try columns(of: table)
            // In rowid order, the history too: an import then keeps the order decisions were taken in.
            try connection.forEachRow("SELECT \(columns.joined(separator: ", ")) FROM \(table) ORDER BY \(Self.writeOrder(of: table))") {
                row in
                let values = zip(columns, row).map { column, value -> (name: String, value: ExportRow.Value) in
                    switch value {
                    case .integer(let number): (column, .integer(number))
                    case .text(let text): (column, .text(text))
                    case .null: (column, .null)
                    }
                }
                try visit(ExportRow(table: table, columns: values))
            }
        }
    }

    func isEmpty() throws -> Bool {
        try connection.query(
            "SELECT (SELECT count(*) FROM definitions) + (SELECT count(*) FROM tickets) + (SELECT count(*) FROM admin_log)"
        ).first?.first?.integer == 0
    }

    func importRow(_ row: ExportRow) throws {
        let known = try columns(of: row.table)
        for column in row.columns where !known.contains(column.name) {
            throw ImportError(line: 0, message: "no column \"\(column.name)\"")
        }
        let values = row.columns.map { column -> PGValue in
            switch column.value {
            case .text(let text): .text(text)
            case .integer(let number): .integer(number)
            case .null: .null
            }
        }
        // The import continues the exported database: its identity replaces the one this store was created with.
        if row.table == "store_identity" { try connection.query("DELETE FROM store_identity") }
        guard ExportFormat.tables.contains(row.table) else { throw ImportError(line: 0, message: "no table \"\(row.table)\"") }
        let names = row.columns.map(\.name)
        try connection.query(
            "INSERT INTO \(row.table)(\(names.joined(separator: ", "))) VALUES(\(names.map { _ in "?" }.joined(separator: ", ")))", values)
        // Ids given by the export: the identity goes on after the highest, so the next timer or meeting does not collide.
        if row.table == "timers" || row.table == "meetings" {
            try connection.query(
                "SELECT setval(pg_get_serial_sequence(?, 'id'), (SELECT max(id) FROM \(row.table)))", [.text(row.table)])
        }
    }
}
