import Foundation
import GapFlow

extension PostgresTransaction {
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
                .integer(entry.sequence), .text(Timestamp.iso8601(entry.at)), .text(entry.kind), entry.actor.map(PGValue.text) ?? .null,
                entry.account.map(PGValue.text) ?? .null, entry.subject.map(PGValue.text) ?? .null, .text(entry.details),
                .text(entry.hash),
            ])
    }

    private static let adminLogColumns = "sequence, at, kind, actor, account, subject, details, hash"

    private func adminLogEntry(_ row: [PGValue]) throws(StoreError) -> AdminLogEntry {
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
        try appendOnlyProblems(
            table: "admin_log", name: "the admin log", function: "admin_log_is_append_only",
            triggers: [
                ("admin_log_is_append_only_update", "BEFORE UPDATE"), ("admin_log_is_append_only_delete", "BEFORE DELETE"),
                ("admin_log_is_never_truncated", "BEFORE TRUNCATE"),
            ],
            expectedBody: "BEGIN RAISE EXCEPTION 'the admin log is append-only'; END")
    }

    /// What is wrong with the triggers that keep `table` append-only: each must exist as the migrations made it,
    /// be enabled, and call `function`, whose body must still be `expectedBody` (whitespace aside).
    func appendOnlyProblems(
        table: String, name: String, function: String, triggers: [(name: String, timing: String)], expectedBody: String
    ) throws(StoreError) -> [String] {
        let rows = try connection.query(
            """
            SELECT t.tgname::text, t.tgenabled::text, pg_get_triggerdef(t.oid), p.proname::text
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE n.nspname = current_schema() AND c.relname = ? AND NOT t.tgisinternal
            """, [.text(table)])
        var problems: [String] = []
        for trigger in triggers {
            guard let row = rows.first(where: { $0[0].text == trigger.name }) else {
                problems.append("the trigger \(trigger.name) that keeps \(name) append-only was removed")
                continue
            }
            let definition = row[2].text ?? ""
            if row[1].text == "D" {
                problems.append("the trigger \(trigger.name) that keeps \(name) append-only is disabled")
            } else if !definition.contains("\(trigger.timing) ON ") || row[3].text != function || definition.contains(" WHEN ") {
                problems.append("the trigger \(trigger.name) was changed: \(definition)")
            }
        }
        let body = try connection.query(
            """
            SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = current_schema() AND p.proname = ?
            """, [.text(function)]
        ).first?.first?.text
        let words = { (text: String) in text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        if let body, words(body) != words(expectedBody) {
            problems.append("the function \(function) that keeps \(name) append-only was changed: \(words(body))")
        } else if body == nil {
            problems.append("the function \(function) that keeps \(name) append-only was removed")
        }
        return problems
    }
}
