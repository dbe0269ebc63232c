import Foundation
import GapFlow

extension SQLiteTransaction {
    /// Appends one entry; the table refuses updates and deletes, so history only grows.
    func appendHistory(_ chained: ChainedEntry, ticket: String) throws(StoreError) {
        let entry = chained.entry
        try connection.query(
            """
            INSERT INTO history(ticket_id, revision, at, actor, role, event, from_state, to_state, changes, comment, meeting_id, resolution,
                                content_digest, chain_hash, account, chain_format, redacted_digests, redaction, deputy_for)
            VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """,
            [
                .text(ticket), .integer(entry.revision), .text(Timestamp.iso8601(entry.at)), .text(entry.actor), .text(entry.role),
                .text(entry.event), entry.from.map(SQLValue.text) ?? .null, .text(entry.to), .text(chained.changesJSON),
                entry.comment.map(SQLValue.text) ?? .null, entry.decision?.meeting.map(SQLValue.integer) ?? .null,
                entry.decision.map { .text($0.resolution) } ?? .null, chained.contentDigest.map(SQLValue.text) ?? .null,
                chained.chainHash.map(SQLValue.text) ?? .null, entry.account.map(SQLValue.text) ?? .null, .integer(chained.format),
                ValuePlace.encode(chained.redactedDigests).map(SQLValue.text) ?? .null,
                entry.redaction.map { .text($0.json) } ?? .null, entry.deputyFor.map(SQLValue.text) ?? .null,
            ])
        try connection.query(
            "UPDATE tickets SET history_head = ? WHERE id = ?", [chained.chainHash.map(SQLValue.text) ?? .null, .text(ticket)])
    }

    /// A ticket's history, oldest first.
    func history(of ticket: String) throws(StoreError) -> [HistoryEntry] {
        let rows = try connection.query(
            """
            SELECT revision, at, actor, role, event, from_state, to_state, changes, comment, meeting_id, resolution, account, redaction,
                   deputy_for
            FROM history WHERE ticket_id = ? ORDER BY revision
            """, [.text(ticket)])
        var entries: [HistoryEntry] = []
        for row in rows {
            guard let revision = row[0].integer, let at = row[1].text.flatMap(Timestamp.parse), let actor = row[2].text,
                let role = row[3].text, let event = row[4].text, let to = row[6].text,
                let changes = row[7].text.flatMap(StoredJSON.decodeChanges)
            else { throw StoreError.damaged(path: path, what: "history entry of \(ticket)") }
            var entry = HistoryEntry(
                revision: revision, at: at, actor: actor, role: role, event: event, from: row[5].text, to: to, changes: changes,
                comment: row[8].text)
            entry.decision = row[10].text.map { DecisionRecord(meeting: row[9].integer, resolution: $0) }
            entry.account = row[11].text
            entry.deputyFor = row[13].text
            if let text = row[12].text {
                guard let record = RedactionRecord(json: text) else { throw StoreError.damaged(path: path, what: "redaction of \(ticket)") }
                entry.redaction = record
            }
            entries.append(entry)
        }
        return entries
    }

    /// Opens a purge inside the current transaction: only now may history rows be rewritten (to remove free text).
    /// The marker row is never committed, so no other connection ever sees the history unguarded.
    func beginPurge() throws(StoreError) {
        try connection.query("INSERT INTO purge_session(id) VALUES(1)")
        connection.purgeOpen = true
    }

    func endPurge() throws(StoreError) {
        try connection.query("DELETE FROM purge_session")
        connection.purgeOpen = false
    }

    /// Replaces an entry's changes and comment (during a purge only; the trigger refuses it otherwise).
    func rewriteHistory(ticket: String, revision: Int, changes: [FieldChange], comment: String?) throws(StoreError) {
        try connection.query(
            "UPDATE history SET changes = ?, comment = ?, purged = 1 WHERE ticket_id = ? AND revision = ?",
            [.text(StoredJSON.encode(changes)), comment.map(SQLValue.text) ?? .null, .text(ticket), .integer(revision)])
    }

    /// Replaces an entry's changes and comment with their redacted form and stores the digests of what the replaced
    /// values were; the chain columns stay (during a purge only; the trigger refuses it otherwise).
    func redactHistory(
        ticket: String, revision: Int, changes: [FieldChange], comment: String?, redactedDigests: [ValuePlace: String]
    ) throws(StoreError) {
        try connection.query(
            "UPDATE history SET changes = ?, comment = ?, redacted_digests = ? WHERE ticket_id = ? AND revision = ?",
            [
                .text(StoredJSON.encode(changes)), comment.map(SQLValue.text) ?? .null,
                ValuePlace.encode(redactedDigests).map(SQLValue.text) ?? .null, .text(ticket), .integer(revision),
            ])
    }

    /// The append-only triggers must exist as the migrations made them, and no purge may be open outside a purge.
    func historyGuardProblems() throws -> [String] {
        var problems: [String] = []
        let triggers = try connection.query("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'history'")
        let found = Dictionary(triggers.compactMap { row in row[0].text.map { ($0, row[1].text ?? "") } }, uniquingKeysWith: { a, _ in a })
        for (name, operation) in [("history_is_append_only_update", "UPDATE"), ("history_is_append_only_delete", "DELETE")] {
            guard let sql = found[name] else {
                problems.append("the trigger \(name) that keeps the history append-only was removed")
                continue
            }
            let expected = operation == "UPDATE" ? "WHEN NOT EXISTS (SELECT 1 FROM purge_session)" : ""
            if !sql.contains("BEFORE \(operation) ON history") || !sql.contains("RAISE(ABORT, 'history is append-only')")
                || (!expected.isEmpty && !sql.contains(expected)) || (expected.isEmpty && sql.contains("WHEN"))
            {
                problems.append("the trigger \(name) was changed: \(sql)")
            }
        }
        if !connection.purgeOpen, let open = try connection.query("SELECT count(*) FROM purge_session").first?.first?.integer, open > 0 {
            problems.append("a purge marker is stored in purge_session, which switches the append-only guard off")
        }
        return problems + (try adminLogGuardProblems())
    }

    /// Removes a ticket's notices from the outbox (they carry its title).
    func deleteNotices(ticket: String) throws(StoreError) {
        try connection.query("DELETE FROM outbox WHERE ticket_id = ?", [.text(ticket)])
    }
}
