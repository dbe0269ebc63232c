import Foundation
import GapFlow

extension PostgresTransaction {
    /// The next number for `prefix` in `year`, counted in the same transaction as the ticket it names.
    func nextTicketNumber(prefix: String, year: Int) throws(StoreError) -> Int {
        let rows = try connection.query(
            """
            INSERT INTO ticket_sequences(prefix, year, last) VALUES(?, ?, 1)
            ON CONFLICT(prefix, year) DO UPDATE SET last = ticket_sequences.last + 1 RETURNING last
            """, [.text(prefix), .integer(year)])
        guard let number = rows.first?.first?.integer else { throw StoreError.damaged(path: path, what: "ticket sequence") }
        return number
    }

    func insertTicket(_ ticket: Ticket) throws(StoreError) {
        try connection.query(
            """
            INSERT INTO tickets(id, workflow_id, version, state, revision, fields, opened_at, opened_by, updated_at)
            VALUES(?,?,?,?,?,?,?,?,?)
            """,
            [
                .text(ticket.id), .text(ticket.workflowID), .integer(ticket.version), .text(ticket.state),
                .integer(ticket.revision), .text(StoredJSON.encode(ticket.fields)), .text(Timestamp.iso8601(ticket.openedAt)),
                .text(ticket.openedBy), .text(Timestamp.iso8601(ticket.updatedAt)),
            ])
    }

    /// Writes the ticket's new state if it is still at `expectedRevision`; otherwise a conflict.
    func updateTicket(_ ticket: Ticket, expectedRevision: Int) throws(StoreError) {
        let changed = try connection.change(
            "UPDATE tickets SET version = ?, state = ?, revision = ?, fields = ?, updated_at = ? WHERE id = ? AND revision = ?",
            [
                .integer(ticket.version), .text(ticket.state), .integer(ticket.revision), .text(StoredJSON.encode(ticket.fields)),
                .text(Timestamp.iso8601(ticket.updatedAt)), .text(ticket.id), .integer(expectedRevision),
            ])
        if changed != 1 {
            let actual = try connection.query("SELECT revision FROM tickets WHERE id = ?", [.text(ticket.id)]).first?.first?.integer
            throw StoreError.conflict(ticket: ticket.id, expected: expectedRevision, actual: actual ?? 0)
        }
    }

    private static let ticketColumns = "id, workflow_id, version, state, revision, fields, opened_at, opened_by, updated_at"

    func ticket(_ id: String) throws(StoreError) -> Ticket? {
        let rows = try connection.query("SELECT \(Self.ticketColumns) FROM tickets WHERE id = ?", [.text(id)])
        return try rows.first.map(decodeTicket)
    }

    /// Tickets matching the filter, oldest first, read through a cursor.
    func forEachTicket(_ filter: TicketFilter, _ visit: (Ticket) throws -> Void) throws {
        var clauses: [String] = []
        var arguments: [PGValue] = []
        if let workflow = filter.workflow {
            clauses.append("workflow_id = ?")
            arguments.append(.text(workflow))
        }
        if let states = filter.states {
            clauses.append("state IN (\(states.map { _ in "?" }.joined(separator: ",")))")
            arguments += states.map(PGValue.text)
            if states.isEmpty { clauses[clauses.count - 1] = "FALSE" }
        }
        for name in filter.fields.keys.sorted() {
            guard let value = filter.fields[name] else { continue }
            // Fields are stored as the same JSON text as in SQLite; jsonb reads it for the filter.
            switch value {
            case .choices(let ids):
                for id in ids {
                    clauses.append("(fields::jsonb -> ?::text -> 'choices') @> jsonb_build_array(?::text)")
                    arguments += [.text(name), .text(id)]
                }
            case .integer(let number):
                clauses.append("(fields::jsonb -> ?::text -> 'integer') = to_jsonb(?::bigint)")
                arguments += [.text(name), .integer(number)]
            default:
                clauses.append("(fields::jsonb -> ?::text -> ?::text) = to_jsonb(?::text)")
                arguments += [.text(name), .text(StoredJSON.tag(of: value)), .text(value.plainText)]
            }
        }
        var sql = "SELECT \(Self.ticketColumns) FROM tickets"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY opened_at, id"
        if let limit = filter.limit { sql += " LIMIT \(max(0, limit))" }
        try connection.forEachRow(sql, arguments) { row in try visit(try decodeTicket(row)) }
    }

    private func decodeTicket(_ row: [PGValue]) throws(StoreError) -> Ticket {
        guard let id = row[0].text, let workflow = row[1].text, let version = row[2].integer, let state = row[3].text,
            let revision = row[4].integer, let fields = row[5].text.flatMap(StoredJSON.decodeFields),
            let openedAt = row[6].text.flatMap(Timestamp.parse), let openedBy = row[7].text,
            let updatedAt = row[8].text.flatMap(Timestamp.parse)
        else { throw StoreError.damaged(path: path, what: "ticket row \(row.first?.text ?? "?")") }
        return Ticket(
            id: id, workflowID: workflow, version: version, state: state, revision: revision, fields: fields, openedAt: openedAt,
            openedBy: openedBy, updatedAt: updatedAt)
    }
}
