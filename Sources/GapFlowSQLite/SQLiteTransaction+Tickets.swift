import Foundation
import GapFlow

extension SQLiteTransaction {
    /// The next number for `prefix` in `year`, counted in the same transaction as the ticket it names.
    func nextTicketNumber(prefix: String, year: Int) throws(StoreError) -> Int {
        let rows = try connection.query(
            """
            INSERT INTO ticket_sequences(prefix, year, last) VALUES(?, ?, 1)
            ON CONFLICT(prefix, year) DO UPDATE SET last = last + 1 RETURNING last
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
        try connection.query(
            "UPDATE tickets SET version = ?, state = ?, revision = ?, fields = ?, updated_at = ? WHERE id = ? AND revision = ?",
            [
                .integer(ticket.version), .text(ticket.state), .integer(ticket.revision), .text(StoredJSON.encode(ticket.fields)),
                .text(Timestamp.iso8601(ticket.updatedAt)), .text(ticket.id), .integer(expectedRevision),
            ])
        if connection.changes != 1 {
            let actual = try connection.query("SELECT revision FROM tickets WHERE id = ?", [.text(ticket.id)]).first?.first?.integer
            throw StoreError.conflict(ticket: ticket.id, expected: expectedRevision, actual: actual ?? 0)
        }
    }

    static let ticketColumns = "id, workflow_id, version, state, revision, fields, opened_at, opened_by, updated_at"

    func ticket(_ id: String) throws(StoreError) -> Ticket? {
        let rows = try connection.query("SELECT \(Self.ticketColumns) FROM tickets WHERE id = ?", [.text(id)])
        return try rows.first.map(decodeTicket)
    }

    /// Tickets matching the filter, oldest first, read through a cursor.
    func forEachTicket(_ filter: TicketFilter, _ visit: (Ticket) throws -> Void) throws {
        var (clauses, arguments) = Self.conditions(filter)
        if clauses.isEmpty { clauses = ["1"] }
        var sql = "SELECT \(Self.ticketColumns) FROM tickets WHERE " + clauses.joined(separator: " AND ")
        sql += " ORDER BY opened_at, id"
        if let limit = filter.limit { sql += " LIMIT \(max(0, limit))" }
        try connection.forEachRow(sql, arguments) { row in try visit(try decodeTicket(row)) }
    }

    /// The filter's workflow, states and field values as SQL conditions on `tickets` (its limit is the caller's).
    static func conditions(_ filter: TicketFilter) -> (clauses: [String], arguments: [SQLValue]) {
        var clauses: [String] = []
        var arguments: [SQLValue] = []
        if let workflow = filter.workflow {
            clauses.append("workflow_id = ?")
            arguments.append(.text(workflow))
        }
        if let states = filter.states {
            clauses.append("state IN (\(states.map { _ in "?" }.joined(separator: ",")))")
            arguments += states.map(SQLValue.text)
            if states.isEmpty { clauses[clauses.count - 1] = "0" }
        }
        for name in filter.fields.keys.sorted() {
            guard let value = filter.fields[name] else { continue }
            let path = "$.\"\(name.replacingOccurrences(of: "\"", with: ""))\""
            switch value {
            case .choices(let ids):
                for id in ids {
                    clauses.append("EXISTS (SELECT 1 FROM json_each(fields, ?) WHERE value = ?)")
                    arguments += [.text(path + ".choices"), .text(id)]
                }
            case .integer(let number):
                clauses.append("json_extract(fields, ?) = ?")
                arguments += [.text(path + ".integer"), .integer(number)]
            default:
                clauses.append("json_extract(fields, ?) = ?")
                arguments += [.text(path + "." + StoredJSON.tag(of: value)), .text(value.plainText)]
            }
        }
        return (clauses, arguments)
    }

    func decodeTicket(_ row: [SQLValue]) throws(StoreError) -> Ticket {
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
