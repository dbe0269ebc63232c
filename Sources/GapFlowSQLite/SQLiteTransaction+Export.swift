import Foundation
import GapFlow

extension SQLiteTransaction {
    func columns(of table: String) throws(StoreError) -> [String] {
        try connection.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(table)]).compactMap { $0[0].text }
    }

    func exportRows(_ visit: (ExportRow) throws -> Void) throws {
        for table in ExportFormat.tables {
            // Columns derived from other rows (``BoundedReadSchema``) are made again by the importing store.
            let columns = try columns(of: table).filter { !BoundedReadSchema.derivedColumns.contains("\(table).\($0)") }
            // In rowid order, the history too: an import then keeps the order decisions were taken in.
            try connection.forEachRow("SELECT \(columns.joined(separator: ", ")) FROM \(table) ORDER BY rowid") { row in
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
        let values = row.columns.map { column -> SQLValue in
            switch column.value {
            case .text(let text): .text(text)
            case .integer(let number): .integer(number)
            case .null: .null
            }
        }
        // The import continues the exported database: its identity replaces the one this store was created with.
        if row.table == "store_identity" { try connection.query("DELETE FROM store_identity") }
        let names = row.columns.map(\.name)
        try connection.query(
            "INSERT INTO \(row.table)(\(names.joined(separator: ", "))) VALUES(\(names.map { _ in "?" }.joined(separator: ", ")))", values)
    }
}
