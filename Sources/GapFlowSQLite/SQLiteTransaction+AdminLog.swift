import Foundation
import GapFlow

extension SQLiteTransaction {
    func storeIdentity() throws(StoreError) -> String {
        guard let id = try connection.query("SELECT id FROM store_identity ORDER BY rowid LIMIT 1").first?.first?.text else {
            throw StoreError.damaged(path: path, what: "the database's identity (table store_identity)")
        }
        return id
    }

    /// Appends one entry; the table's triggers refuse updates and deletes, so the log only grows.
    func appendAdminLog(_ entry: AdminLogEntry) throws(StoreError) {
        try connection.query(
            "INSERT INTO admin_log(sequence, at, kind, actor, account, subject, details, hash) VALUES(?,?,?,?,?,?,?,?)",
            [
                .integer(entry.sequence), .text(Timestamp.iso8601(entry.at)), .text(entry.kind), entry.actor.map(SQLValue.text) ?? .null,
                entry.account.map(SQLValue.text) ?? .null, entry.subject.map(SQLValue.text) ?? .null, .text(entry.details),
                .text(entry.hash),
            ])
    }

    private static let adminLogColumns = "sequence, at, kind, actor, account, subject, details, hash"

    private func adminLogEntry(_ row: [SQLValue]) throws(StoreError) -> AdminLogEntry {
        guard let sequence = row[0].integer, let at = row[1].text.flatMap(Timestamp.parse), let kind = row[2].text,
            let details = row[6].text, let hash = row[7].text
        else { throw StoreError.damaged(path: path, what: "admin log entry \(row[0].integer.map(String.init) ?? "?")") }
        return AdminLogEntry(
            sequence: sequence, at: at, kind: kind, actor: row[3].text, account: row[4].text, subject: row[5].text, details: details,
            hash: hash)
    }

    func lastAdminLogEntry() throws(StoreError) -> AdminLogEntry? {
        try connection.query("SELECT \(Self.adminLogColumns) FROM admin_log ORDER BY sequence DESC LIMIT 1").first.map(adminLogEntry)
    }

    func forEachAdminLogEntry(from first: Int, _ visit: (AdminLogEntry) throws -> Void) throws {
        try connection.forEachRow(
            "SELECT \(Self.adminLogColumns) FROM admin_log WHERE sequence >= ? ORDER BY sequence", [.integer(first)]
        ) { row in try visit(try adminLogEntry(row)) }
    }

    func latestAdminLogEntry(kind: String, atOrBefore date: Date) throws(StoreError) -> AdminLogEntry? {
        // Instants are stored as ISO 8601 text of one fixed width, so text order is time order.
        try connection.query(
            "SELECT \(Self.adminLogColumns) FROM admin_log WHERE kind = ? AND at <= ? ORDER BY sequence DESC LIMIT 1",
            [.text(kind), .text(Timestamp.iso8601(date))]
        ).first.map(adminLogEntry)
    }

    /// The admin log's append-only triggers, checked like the history's.
    func adminLogGuardProblems() throws(StoreError) -> [String] {
        let triggers = try connection.query("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'admin_log'")
        let found = Dictionary(triggers.compactMap { row in row[0].text.map { ($0, row[1].text ?? "") } }, uniquingKeysWith: { a, _ in a })
        var problems: [String] = []
        for (name, operation) in [("admin_log_is_append_only_update", "UPDATE"), ("admin_log_is_append_only_delete", "DELETE")] {
            guard let sql = found[name] else {
                problems.append("the trigger \(name) that keeps the admin log append-only was removed")
                continue
            }
            if !sql.contains("BEFORE \(operation) ON admin_log") || !sql.contains("RAISE(ABORT, 'the admin log is append-only')")
                || sql.contains("WHEN")
            {
                problems.append("the trigger \(name) was changed: \(sql)")
            }
        }
        return problems
    }
}
