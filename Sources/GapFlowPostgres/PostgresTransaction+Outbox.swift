import Foundation
import GapFlow

extension PostgresTransaction {
    func insertNotice(id: String, ticket: String, kind: String, role: String, payload: String, at now: Date) throws(StoreError) {
        try connection.query(
            "INSERT INTO outbox(id, created_at, ticket_id, kind, role, payload, next_attempt_ms) VALUES(?, ?, ?, ?, ?, ?, ?)",
            [
                .text(id), .text(Timestamp.iso8601(now)), .text(ticket), .text(kind), .text(role), .text(payload),
                .integer(Self.milliseconds(now)),
            ])
    }

    private static let noticeColumns =
        "id, created_at, ticket_id, kind, role, payload, attempts, next_attempt_ms, delivered_at, last_error"

    /// Notices not yet delivered; with `readyBy`, only those whose next attempt is due.
    func undeliveredNotices(readyBy: Date?, limit: Int) throws(StoreError) -> [OutboxNotice] {
        var sql = "SELECT \(Self.noticeColumns) FROM outbox WHERE delivered_at IS NULL"
        var arguments: [PGValue] = []
        if let readyBy {
            sql += " AND next_attempt_ms <= ?"
            arguments.append(.integer(Self.milliseconds(readyBy)))
        }
        sql += " ORDER BY next_attempt_ms, rowid LIMIT ?"
        arguments.append(.integer(limit))
        return try connection.query(sql, arguments).map(decodeNotice)
    }

    /// Locks the due notices no other transaction holds (`FOR UPDATE SKIP LOCKED`) and moves their next attempt to
    /// the end of the lease, so that other nodes leave them alone until then.
    func claimNotices(readyBy: Date, limit: Int, leaseUntil: Date) throws(StoreError) -> [OutboxNotice] {
        guard writable else { return try undeliveredNotices(readyBy: readyBy, limit: limit) }
        let claimed = try connection.query(
            """
            SELECT \(Self.noticeColumns) FROM outbox WHERE delivered_at IS NULL AND next_attempt_ms <= ?
            ORDER BY next_attempt_ms, rowid LIMIT ? FOR UPDATE SKIP LOCKED
            """, [.integer(Self.milliseconds(readyBy)), .integer(limit)]
        ).map(decodeNotice)
        for notice in claimed {
            try connection.query(
                "UPDATE outbox SET next_attempt_ms = ? WHERE id = ?", [.integer(Self.milliseconds(leaseUntil)), .text(notice.id)])
        }
        return claimed
    }

    func notices(limit: Int) throws(StoreError) -> [OutboxNotice] {
        try connection.query("SELECT \(Self.noticeColumns) FROM outbox ORDER BY rowid LIMIT ?", [.integer(limit)]).map(decodeNotice)
    }

    func notices(ofTicket ticket: String) throws(StoreError) -> [OutboxNotice] {
        try connection.query("SELECT \(Self.noticeColumns) FROM outbox WHERE ticket_id = ? ORDER BY rowid", [.text(ticket)])
            .map(decodeNotice)
    }

    func rewriteNotice(_ id: String, payload: String, lastError: String?) throws(StoreError) {
        try connection.query(
            "UPDATE outbox SET payload = ?, last_error = ? WHERE id = ?",
            [.text(payload), lastError.map(PGValue.text) ?? .null, .text(id)])
    }

    func markDelivered(_ id: String, at now: Date) throws(StoreError) {
        try connection.query(
            "UPDATE outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ? AND delivered_at IS NULL",
            [.text(Timestamp.iso8601(now)), .text(id)])
    }

    func markFailed(_ id: String, error: String, retryAt: Date) throws(StoreError) {
        try connection.query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_ms = ? WHERE id = ? AND delivered_at IS NULL",
            [.text(error), .integer(Self.milliseconds(retryAt)), .text(id)])
    }

    private func decodeNotice(_ row: [PGValue]) throws(StoreError) -> OutboxNotice {
        guard let id = row[0].text, let created = row[1].text.flatMap(Timestamp.parse), let ticket = row[2].text, let kind = row[3].text,
            let role = row[4].text, let payload = row[5].text, let attempts = row[6].integer, let next = row[7].integer
        else { throw StoreError.damaged(path: path, what: "outbox row") }
        return OutboxNotice(
            id: id, createdAt: created, ticketID: ticket, kind: kind, role: role, payload: payload, attempts: attempts,
            nextAttemptAt: Date(timeIntervalSince1970: Double(next) / 1000), deliveredAt: row[8].text.flatMap(Timestamp.parse),
            lastError: row[9].text)
    }
}
