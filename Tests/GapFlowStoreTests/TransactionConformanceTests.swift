import Foundation
import GapFlow
import Testing

/// A transaction is all or nothing, and a stale revision never overwrites a newer one, in every store.
@Suite struct TransactionConformanceTests {
    enum Ending: String, CaseIterable, Sendable {
        case throwing, rollingBack
    }

    @Test(arguments: StoreKind.allCases, Ending.allCases)
    func aWriteThatDoesNotCommitLeavesNothingBehind(kind: StoreKind, ending: Ending) throws {
        let harness = try Harness(kind)
        let id = try harness.open()
        let before = try harness.export()
        let ticket = try harness.engine.ticket(id)
        let pending = try #require(try harness.engine.pendingTimers().first)
        let now = harness.clock.now()

        var sawItsOwnWrites = false
        do {
            try harness.store.write(rollback: ending == .rollingBack) { tx throws in
                try tx.saveActor(Actor(name: "neu", roles: ["cm"]), at: now)
                let number = try tx.nextTicketNumber(prefix: "GAP", year: 2026)
                let newID = "GAP-2026-\(String(repeating: "0", count: 3))\(number)"
                let opened = Ticket(
                    id: newID, workflowID: Fixtures.workflow, version: 1, state: "reported", revision: 1, fields: [:], openedAt: now,
                    openedBy: "neu", updatedAt: now)
                try tx.insertTicket(opened)
                let entry = HistoryEntry(
                    revision: 1, at: now, actor: "neu", role: "cm", event: "open", from: nil, to: "reported", changes: [], comment: nil)
                try tx.appendHistory(.linking(entry, ticket: newID, after: nil), ticket: newID)
                let moved = Ticket(
                    id: id, workflowID: Fixtures.workflow, version: 1, state: "ki_review", revision: 2, fields: ticket.fields,
                    openedAt: ticket.openedAt, openedBy: ticket.openedBy, updatedAt: now)
                try tx.updateTicket(moved, expectedRevision: 1)
                let second = HistoryEntry(
                    revision: 2, at: now, actor: "neu", role: "cm", event: "forward", from: "reported", to: "ki_review", changes: [],
                    comment: "x")
                try tx.appendHistory(.linking(second, ticket: id, after: try tx.historyHead(of: id)), ticket: id)
                _ = try tx.insertMeeting(
                    workflow: Fixtures.workflow, date: try Fixtures.date("2027-01-14"), time: nil, title: "Sitzung", place: nil,
                    deadline: try Fixtures.date("2027-01-04"), at: now)
                try tx.insertNotice(id: "n1", ticket: id, kind: "reminder", role: "cm", payload: "{}", at: now)
                #expect(try tx.finishTimer(pending.id, status: .fired, at: now, lateBy: 0, note: "done"))
                sawItsOwnWrites =
                    try tx.ticket(newID) != nil && tx.ticket(id)?.state == "ki_review" && tx.history(of: id).count == 2
                    && tx.timer(pending.id)?.status == .fired && tx.notices(limit: 10).count == 1
                if ending == .throwing { throw Abort() }
            }
            #expect(ending == .rollingBack, "the write should have thrown")
        } catch is Abort {
            #expect(ending == .throwing)
        }
        #expect(sawItsOwnWrites, "inside the transaction its writes are visible")
        #expect(try harness.export() == before)
        #expect(try harness.store.write { tx in try tx.nextTicketNumber(prefix: "GAP", year: 2026) } == 2, "no number was used up")
    }

    @Test(arguments: StoreKind.allCases)
    func aRefusedCommandAndADryRunChangeNothing(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let id = try harness.open()
        let before = try harness.export()
        #expect(throws: Rejection.self) {
            try harness.engine.fire(id, Command(.fire(event: "publish"), actor: Fixtures.coordinator, values: ["feedback": .text("x")]))
        }
        harness.clock.advance(by: 3 * 366 * Fixtures.day)
        try harness.engine.fire(id, Command(.fire(event: "dismiss"), actor: Fixtures.coordinator, values: ["reason": .text("Einzelfall")]))
        try harness.engine.fire(id, Command(.fire(event: "publish"), actor: Fixtures.coordinator, values: ["feedback": .text("Antwort")]))
        let closed = try harness.export()
        #expect(closed != before)
        harness.clock.advance(by: 3 * 366 * Fixtures.day)
        #expect(try harness.engine.purge(actor: Fixtures.admin, check: true).map(\.ticket) == [id])
        #expect(try harness.export() == closed, "a checked purge rolls back")
    }

    @Test(arguments: StoreKind.allCases)
    func aStaleRevisionIsAConflictAndChangesNothing(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let id = try harness.open()
        let stale = try harness.engine.ticket(id)
        try harness.engine.fire(
            id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        let before = try harness.export()
        let overwrite = Ticket(
            id: id, workflowID: stale.workflowID, version: stale.version, state: "merged", revision: 2, fields: stale.fields,
            openedAt: stale.openedAt, openedBy: stale.openedBy, updatedAt: harness.clock.now())
        #expect(throws: StoreError.conflict(ticket: id, expected: 1, actual: 2)) {
            try harness.store.write { tx in try tx.updateTicket(overwrite, expectedRevision: 1) }
        }
        #expect(throws: StoreError.conflict(ticket: "GAP-2026-0404", expected: 1, actual: 0)) {
            let missing = Ticket(
                id: "GAP-2026-0404", workflowID: stale.workflowID, version: 1, state: "reported", revision: 2, fields: [:],
                openedAt: stale.openedAt, openedBy: "x", updatedAt: stale.openedAt)
            try harness.store.write { tx in try tx.updateTicket(missing, expectedRevision: 1) }
        }
        #expect(throws: StoreError.conflict(ticket: id, expected: 1, actual: 2)) {
            try harness.engine.fire(
                id, Command(.fire(event: "return"), actor: Fixtures.kiLead, values: ["query": .text("?")], expectedRevision: 1))
        }
        #expect(try harness.export() == before)
        #expect(try harness.engine.ticket(id).state == "ki_review")
    }

    @Test(arguments: StoreKind.allCases)
    func writersTakeTurnsSoEveryTicketGetsItsOwnNumber(kind: StoreKind) async throws {
        let harness = try Harness(kind)
        let engine = harness.engine
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    try engine.open(workflow: Fixtures.workflow, Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues))
                        .ticket.id
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(ids.sorted() == (1...12).map { "GAP-2026-\(String(repeating: "0", count: $0 < 10 ? 3 : 2))\($0)" })
        #expect(try engine.tickets().count == 12)
    }
}
