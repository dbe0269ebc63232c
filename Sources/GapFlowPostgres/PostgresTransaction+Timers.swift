import Foundation
import GapFlow

extension PostgresTransaction {
    static func milliseconds(_ date: Date) -> Int { Int((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Arms timers and cancels others, as one change of a ticket dictates.
    func applyTimerChanges(_ changes: TimerChanges, ticket: String, revision: Int, at now: Date) throws(StoreError) {
        if let state = changes.cancelState {
            if let only = changes.cancelOnly {
                for timer in only {
                    try connection.query(
                        """
                        UPDATE timers SET status = 'cancelled', done_at = ?, note = 'armed anew'
                        WHERE ticket_id = ? AND state = ? AND timer = ? AND status = 'pending'
                        """, [.text(Timestamp.iso8601(now)), .text(ticket), .text(state), .text(timer)])
                }
            } else {
                try connection.query(
                    """
                    UPDATE timers SET status = 'cancelled', done_at = ?, note = 'ticket left the state'
                    WHERE ticket_id = ? AND state = ? AND status = 'pending'
                    """, [.text(Timestamp.iso8601(now)), .text(ticket), .text(state)])
            }
        }
        // Schedulers of other processes sleep until their earliest timer: tell them of an earlier one. Sent when (and
        // only if) this transaction commits; the payload names the schema, as districts may share one database.
        if let earliest = changes.arm.map(\.dueAt).min() {
            try connection.query(
                "SELECT pg_notify(?, current_schema() || ' ' || ?::text)",
                [.text(PostgresStore.timerChannel), .integer(Self.milliseconds(earliest))])
        }
        for plan in changes.arm {
            try connection.query(
                "INSERT INTO timers(ticket_id, state, timer, armed_at, armed_revision, due_ms) VALUES(?, ?, ?, ?, ?, ?)",
                [
                    .text(plan.ticketID), .text(plan.state), .text(plan.timer), .text(Timestamp.iso8601(now)), .integer(revision),
                    .integer(Self.milliseconds(plan.dueAt)),
                ])
        }
    }

    /// Pending timers due at or before `now`, oldest first.
    func dueTimerIDs(at now: Date, limit: Int) throws(StoreError) -> [Int] {
        try connection.query(
            "SELECT id FROM timers WHERE status = 'pending' AND due_ms <= ? ORDER BY due_ms, id LIMIT ?",
            [.integer(Self.milliseconds(now)), .integer(limit)]
        ).compactMap { $0[0].integer }
    }

    /// The earliest due time of any pending timer: all a scheduler needs to keep armed.
    func earliestDue() throws(StoreError) -> Date? {
        try connection.query("SELECT min(due_ms) FROM timers WHERE status = 'pending'").first?.first?.integer.map {
            Date(timeIntervalSince1970: Double($0) / 1000)
        }
    }

    /// Reads a pending timer and locks its row for this transaction; nil when another transaction holds it (another
    /// node fires it: `SKIP LOCKED` lets this one go on with the next) or it is not pending any more.
    func claimDueTimer(_ id: Int) throws(StoreError) -> TimerRecord? {
        guard writable else { return try timer(id) }
        return try connection.query(
            "SELECT \(Self.timerColumns) FROM timers WHERE id = ? AND status = 'pending' FOR UPDATE SKIP LOCKED", [.integer(id)]
        ).first.map(decodeTimer)
    }

    private static let timerColumns = "id, ticket_id, state, timer, armed_at, armed_revision, due_ms, status, done_at, late_ms, note"

    func timer(_ id: Int) throws(StoreError) -> TimerRecord? {
        try connection.query("SELECT \(Self.timerColumns) FROM timers WHERE id = ?", [.integer(id)]).first.map(decodeTimer)
    }

    /// Pending timers (only those due by `dueBy`, when given), soonest first.
    func pendingTimers(dueBy: Date?, ticket: String?, limit: Int) throws(StoreError) -> [TimerRecord] {
        var sql = "SELECT \(Self.timerColumns) FROM timers WHERE status = 'pending'"
        var arguments: [PGValue] = []
        if let dueBy {
            sql += " AND due_ms <= ?"
            arguments.append(.integer(Self.milliseconds(dueBy)))
        }
        if let ticket {
            sql += " AND ticket_id = ?"
            arguments.append(.text(ticket))
        }
        sql += " ORDER BY due_ms, id LIMIT ?"
        arguments.append(.integer(limit))
        return try connection.query(sql, arguments).map(decodeTimer)
    }

    /// Every timer of a ticket, in the order they were armed.
    func timers(of ticket: String) throws(StoreError) -> [TimerRecord] {
        try connection.query("SELECT \(Self.timerColumns) FROM timers WHERE ticket_id = ? ORDER BY id", [.text(ticket)]).map(decodeTimer)
    }

    /// Marks a pending timer done; false if it was not pending any more (another scheduler got there first).
    func finishTimer(_ id: Int, status: TimerRecord.Status, at now: Date, lateBy: TimeInterval?, note: String?) throws(StoreError) -> Bool {
        try connection.change(
            "UPDATE timers SET status = ?, done_at = ?, late_ms = ?, note = ? WHERE id = ? AND status = 'pending'",
            [
                .text(status.rawValue), .text(Timestamp.iso8601(now)), lateBy.map { .integer(Int($0 * 1000)) } ?? .null,
                note.map(PGValue.text) ?? .null, .integer(id),
            ]) == 1
    }

    private func decodeTimer(_ row: [PGValue]) throws(StoreError) -> TimerRecord {
        guard let id = row[0].integer, let ticket = row[1].text, let state = row[2].text, let timer = row[3].text,
            let armedAt = row[4].text.flatMap(Timestamp.parse), let revision = row[5].integer, let due = row[6].integer,
            let status = row[7].text.flatMap(TimerRecord.Status.init(rawValue:))
        else { throw StoreError.damaged(path: path, what: "timer row") }
        return TimerRecord(
            id: id, ticketID: ticket, state: state, timer: timer, armedAt: armedAt, armedRevision: revision,
            dueAt: Date(timeIntervalSince1970: Double(due) / 1000), status: status, doneAt: row[8].text.flatMap(Timestamp.parse),
            lateMilliseconds: row[9].integer, note: row[10].text)
    }
}
