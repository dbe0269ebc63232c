import Foundation
import GapFlow

extension PostgresTransaction {
    /// The stored source and hash of a definition version.
    func definitionSource(workflow: String, version: Int) throws(StoreError) -> StoredDefinitionSource? {
        let rows = try connection.query(
            "SELECT source, content_hash FROM definitions WHERE workflow_id = ? AND version = ?",
            [.text(workflow), .integer(version)])
        guard let row = rows.first, let source = row[0].text, let hash = row[1].text else { return nil }
        return StoredDefinitionSource(source: source, hash: hash)
    }

    /// The newest registered version of a workflow.
    func latestVersion(of workflow: String) throws(StoreError) -> Int? {
        try connection.query("SELECT max(version) FROM definitions WHERE workflow_id = ?", [.text(workflow)]).first?.first?.integer
    }

    func insertDefinition(_ definition: Definition, hash: String, source: String, file: String, at: Date) throws(StoreError) {
        try connection.query(
            "INSERT INTO definitions(workflow_id, version, title, content_hash, source, file, registered_at) VALUES(?,?,?,?,?,?,?)",
            [
                .text(definition.id), .integer(definition.version), .text(definition.title), .text(hash), .text(source),
                .text(file), .text(Timestamp.iso8601(at)),
            ])
    }

    /// Every registered version, newest first within each workflow.
    func definitionRecords() throws(StoreError) -> [DefinitionRecord] {
        let rows = try connection.query(
            "SELECT workflow_id, version, title, content_hash, file, registered_at FROM definitions ORDER BY workflow_id, version DESC")
        var records: [DefinitionRecord] = []
        for row in rows {
            guard let id = row[0].text, let version = row[1].integer, let title = row[2].text, let hash = row[3].text,
                let file = row[4].text, let at = row[5].text.flatMap(Timestamp.parse)
            else { throw StoreError.damaged(path: path, what: "definition row") }
            records.append(
                DefinitionRecord(
                    workflowID: id, version: version, title: title, contentHash: hash, file: file, registeredAt: at, openTickets: 0))
        }
        return records
    }

    /// Number of tickets per (workflow, version, state).
    func ticketCounts() throws(StoreError) -> [TicketCount] {
        try connection.query("SELECT workflow_id, version, state, count(*) FROM tickets GROUP BY 1, 2, 3").compactMap { row in
            guard let workflow = row[0].text, let version = row[1].integer, let state = row[2].text, let count = row[3].integer
            else { return nil }
            return TicketCount(workflow: workflow, version: version, state: state, count: count)
        }
    }
}
