import Foundation
import GapFlow

/// The reads that stay fast at a million tickets, from the indexes and derived columns of ``BoundedReadSchema``.
extension SQLiteTransaction {
    /// Tickets after `after` in list order, from the index in that order (`tickets_in_list_order`, or
    /// `tickets_by_state` for one state).
    func forEachTicket(_ filter: TicketFilter, after: String, _ visit: (Ticket) throws -> Void) throws {
        var (clauses, arguments) = Self.conditions(filter)
        clauses.append("(opened_at, id) > (SELECT opened_at, id FROM tickets WHERE id = ?)")
        arguments.append(.text(after))
        var sql = "SELECT \(Self.ticketColumns) FROM tickets WHERE " + clauses.joined(separator: " AND ")
        sql += " ORDER BY opened_at, id"
        if let limit = filter.limit { sql += " LIMIT \(max(0, limit))" }
        try connection.forEachRow(sql, arguments) { row in try visit(try decodeTicket(row)) }
    }

    /// The queue's four stretches, in queue order: overdue with a deadline already passed, other overdue, not overdue
    /// with a next deadline, and not overdue without one; each read in its order from an index, one state at a time.
    private enum Stretch: Int, CaseIterable {
        case overduePassed, overdueOther, waitingWithDeadline, waitingWithout

        /// The condition (with `?1` = now in milliseconds) and the order within the stretch.
        var condition: String {
            switch self {
            case .overduePassed: "next_due <= ?1"
            case .overdueOther: "stay_due <= ?1 AND (next_due IS NULL OR next_due > ?1)"
            case .waitingWithDeadline: "next_due > ?1 AND stay_due > ?1"
            case .waitingWithout: "next_due IS NULL AND (stay_due IS NULL OR stay_due > ?1)"
            }
        }

        var order: String {
            switch self {
            case .overduePassed, .waitingWithDeadline: "next_due, entered_at, id"
            case .overdueOther: "next_due IS NULL, next_due, entered_at, id"
            case .waitingWithout: "entered_at, id"
            }
        }

        /// The stretch a position falls in.
        init(_ position: QueuePosition, now: Int) {
            let next = position.nextDeadline.map(SQLiteTransaction.milliseconds)
            switch (position.overdue, next) {
            case (true, let next?) where next <= now: self = .overduePassed
            case (true, _): self = .overdueOther
            case (false, .some): self = .waitingWithDeadline
            case (false, nil): self = .waitingWithout
            }
        }
    }

    func queuePage(_ filter: TicketFilter, now: Date, after: QueuePosition?, limit: Int) throws -> [Ticket] {
        guard limit > 0 else { return [] }
        let nowMs = Self.milliseconds(now)
        let states: [String?] = filter.states.map { $0.map(Optional.some) } ?? [nil]
        var page: [(key: QueuePosition, ticket: Ticket)] = []
        // One state at a time, so each stretch comes in index order; the states are merged afterwards.
        for state in states {
            var single = filter
            single.states = state.map { [$0] }
            single.limit = nil
            // ?1 is now (the stretch's condition comes first), then the cursor's values, then the filter's.
            let (base, baseArguments) = Self.conditions(single)
            var found = 0
            for stretch in Stretch.allCases where found < limit {
                var clauses = [stretch.condition]
                var arguments: [SQLValue] = [.integer(nowMs)]
                if let after {
                    let from = Stretch(after, now: nowMs)
                    if stretch.rawValue < from.rawValue { continue }
                    if stretch == from {
                        let next = after.nextDeadline.map { SQLValue.integer(Self.milliseconds($0)) } ?? .null
                        let entered = SQLValue.text(Timestamp.iso8601(after.entered))
                        switch stretch {
                        case .waitingWithout:
                            clauses.append("(entered_at, id) > (?, ?)")
                            arguments += [entered, .text(after.ticket)]
                        case .overdueOther where after.nextDeadline == nil:
                            clauses.append("next_due IS NULL AND (entered_at, id) > (?, ?)")
                            arguments += [entered, .text(after.ticket)]
                        case .overdueOther:
                            clauses.append("(next_due IS NULL OR (next_due, entered_at, id) > (?, ?, ?))")
                            arguments += [next, entered, .text(after.ticket)]
                        default:
                            clauses.append("(next_due, entered_at, id) > (?, ?, ?)")
                            arguments += [next, entered, .text(after.ticket)]
                        }
                    }
                }
                let sql =
                    "SELECT \(Self.ticketColumns), next_due, stay_due, entered_at FROM tickets WHERE "
                    + (clauses + base).joined(separator: " AND ") + " ORDER BY \(stretch.order) LIMIT \(limit - found)"
                try connection.forEachRow(sql, arguments + baseArguments) { row in
                    let ticket = try decodeTicket(row)
                    let next = row[9].integer.map { Date(timeIntervalSince1970: Double($0) / 1000) }
                    let overdue = row[10].integer.map { $0 <= nowMs } ?? false
                    let entered = row[11].text.flatMap(Timestamp.parse) ?? ticket.updatedAt
                    page.append((QueuePosition(overdue: overdue, nextDeadline: next, entered: entered, ticket: ticket.id), ticket))
                    found += 1
                }
            }
        }
        return page.sorted { $0.key < $1.key }.prefix(limit).map(\.ticket)
    }

    func stateStandings(_ filter: TicketFilter, now: Date) throws -> [String: StateStanding] {
        var standings: [String: StateStanding] = [:]
        var unlimited = filter
        unlimited.limit = nil
        let (clauses, arguments) = Self.conditions(unlimited)
        if filter.fields.isEmpty {
            // Counts kept per state by triggers: nothing grows with the number of tickets.
            var countClauses = ["count > 0"]
            var countArguments: [SQLValue] = []
            if let workflow = filter.workflow {
                countClauses.append("workflow_id = ?")
                countArguments.append(.text(workflow))
            }
            if let states = filter.states {
                countClauses.append(states.isEmpty ? "0" : "state IN (\(states.map { _ in "?" }.joined(separator: ",")))")
                countArguments += states.map(SQLValue.text)
            }
            try connection.forEachRow(
                "SELECT state, sum(count) FROM ticket_state_counts WHERE \(countClauses.joined(separator: " AND ")) GROUP BY state",
                countArguments
            ) { row in
                if let state = row[0].text, let count = row[1].integer { standings[state] = StateStanding(open: count, overdue: 0) }
            }
        } else {
            try connection.forEachRow(
                "SELECT state, count(*) FROM tickets WHERE \((clauses.isEmpty ? ["1"] : clauses).joined(separator: " AND ")) GROUP BY state",
                arguments
            ) { row in
                if let state = row[0].text, let count = row[1].integer { standings[state] = StateStanding(open: count, overdue: 0) }
            }
        }
        // Overdue: the tickets whose stay has a timer due by now, from the partial index of those with such a timer.
        try connection.forEachRow(
            "SELECT state, count(*) FROM tickets WHERE stay_due <= ? AND \((clauses.isEmpty ? ["1"] : clauses).joined(separator: " AND ")) GROUP BY state",
            [.integer(Self.milliseconds(now))] + arguments
        ) { row in
            if let state = row[0].text, let count = row[1].integer {
                standings[state, default: StateStanding(open: 0, overdue: 0)].overdue = count
            }
        }
        return standings
    }

    /// The tickets sharing the most of `words` (ties: the newest first), from the FTS5 index of the tickets' words,
    /// filled up with the newest others.
    ///
    /// Each word's tickets come from the index as row ids (no ranking function: bm25 over every match cost more than
    /// all the rest); the counting happens here, and only the best are read as tickets.
    func similarCandidates(to ticket: Ticket, words: [String], filter: TicketFilter, limit: Int) throws -> [Ticket] {
        guard limit > 0 else { return [] }
        var unlimited = filter
        unlimited.limit = nil
        let (clauses, arguments) = Self.conditions(unlimited)
        let conditions = clauses + ["id <> ?"]
        var result: [Ticket] = []
        var seen: Set<String> = [ticket.id]
        var shared: [Int: Int] = [:]
        for word in words {
            // The word as one quoted FTS5 string: nothing in it is read as query syntax.
            let match = "\"" + word.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            try connection.forEachRow("SELECT rowid FROM ticket_words WHERE ticket_words MATCH ?", [.text(match)]) { row in
                if let rowid = row[0].integer { shared[rowid, default: 0] += 1 }
            }
        }
        let ranked = shared.sorted { a, b in a.value != b.value ? a.value > b.value : a.key > b.key }
        let sql = "SELECT \(Self.ticketColumns) FROM tickets WHERE rowid = ? AND \(conditions.joined(separator: " AND "))"
        for (rowid, _) in ranked where result.count < limit {
            try connection.forEachRow(sql, [.integer(rowid)] + arguments + [.text(ticket.id)]) { row in
                let candidate = try decodeTicket(row)
                if seen.insert(candidate.id).inserted { result.append(candidate) }
            }
        }
        if result.count < limit {
            try connection.forEachRow(
                "SELECT \(Self.ticketColumns) FROM tickets WHERE \(conditions.joined(separator: " AND ")) ORDER BY opened_at DESC, id DESC LIMIT \(limit)",
                arguments + [.text(ticket.id)]
            ) { row in
                let candidate = try decodeTicket(row)
                if result.count < limit, seen.insert(candidate.id).inserted { result.append(candidate) }
            }
        }
        return result
    }
}

extension SQLiteTransaction {
    /// The report's pass: the tickets of the period in list order (`tickets_in_list_order`), each joined with its
    /// history by the history's key, reading only the columns the report uses; the asked-for fields are cut out of the
    /// ticket's field JSON by SQLite, once per ticket (on its first history row).
    func forEachReportTicket(
        workflow: String, openedFrom: Date?, openedBefore: Date?, fields: Set<String>, _ visit: (ReportTicket) throws -> Void
    ) throws {
        var arguments: [SQLValue] = [.text(workflow)]
        var clauses = ["t.workflow_id = ?"]
        if let openedFrom {
            clauses.append("t.opened_at >= ?")
            arguments.append(.text(Timestamp.iso8601(openedFrom)))
        }
        if let openedBefore {
            clauses.append("t.opened_at < ?")
            arguments.append(.text(Timestamp.iso8601(openedBefore)))
        }
        let names = fields.sorted()
        let wanted =
            names.isEmpty
            ? "'{}'"
            : "(SELECT json_group_object(f.key, json(f.value)) FROM json_each(t.fields) f WHERE f.key IN ("
                + names.map { _ in "?" }.joined(separator: ", ") + "))"
        let sql = """
            SELECT t.id, t.opened_at,
                CASE WHEN h.revision IS (SELECT min(revision) FROM history WHERE ticket_id = t.id) THEN \(wanted) END,
                h.at, h.from_state, h.to_state, h.event, h.redaction IS NOT NULL
            FROM tickets t LEFT JOIN history h ON h.ticket_id = t.id
            WHERE \(clauses.joined(separator: " AND "))
            ORDER BY t.opened_at, t.id, h.revision
            """
        var current: (id: String, openedAt: Date, fields: [String: FieldValue], moves: [ReportTicket.Move])?
        func flush() throws {
            if let ticket = current {
                try visit(ReportTicket(id: ticket.id, openedAt: ticket.openedAt, fields: ticket.fields, moves: ticket.moves))
            }
        }
        try connection.forEachRow(sql, names.map { SQLValue.text($0) } + arguments) { row in
            guard let id = row[0].text, let openedAt = row[1].text.flatMap(Timestamp.parse) else {
                throw StoreError.damaged(path: path, what: "ticket row \(row.first?.text ?? "?")")
            }
            if current?.id != id {
                try flush()
                var fields: [String: FieldValue] = [:]
                if let text = row[2].text, text != "{}" {
                    guard let decoded = StoredJSON.decodeFields(text) else {
                        throw StoreError.damaged(path: path, what: "fields of \(id)")
                    }
                    fields = decoded
                }
                current = (id, openedAt, fields, [])
            }
            guard case .text(let at) = row[3] else { return }  // a ticket without history
            guard let at = Timestamp.parse(at), let to = row[5].text, let event = row[6].text else {
                throw StoreError.damaged(path: path, what: "history entry of \(id)")
            }
            current?.moves.append(
                ReportTicket.Move(at: at, from: row[4].text, to: to, event: event, redacted: row[7].integer == 1))
        }
        try flush()
    }
}
