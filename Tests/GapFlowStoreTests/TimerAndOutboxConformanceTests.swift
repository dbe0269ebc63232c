import Foundation
import GapFlow
import Testing

/// A timer finishes once and fires once; a notice stays in the outbox until it is delivered.
@Suite struct TimerAndOutboxConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func timersAreKeptByDueTimeThenIDAndNumberedAsArmed(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let a = try harness.open()  // reminder 1 (10 business days), escalation 2 (20)
        harness.clock.advance(by: Fixtures.day)
        let b = try harness.open()  // reminder 3, escalation 4: one day after a's
        let pending = try harness.engine.pendingTimers()
        #expect(pending.map(\.id) == [1, 3, 2, 4])
        #expect(pending.map(\.timer) == ["reminder", "reminder", "escalation", "escalation"])
        #expect(try harness.engine.earliestDue() == pending[0].dueAt)
        #expect(try harness.engine.pendingTimers(ticket: b).map(\.id) == [3, 4])
        #expect(try harness.engine.pendingTimers(limit: 2).map(\.id) == [1, 3])
        #expect(try harness.engine.timers(of: a).map(\.id) == [1, 2])
        try harness.store.read { tx throws in
            #expect(try tx.dueTimerIDs(at: pending[1].dueAt, limit: 10) == [1, 3])
            #expect(try tx.dueTimerIDs(at: pending[1].dueAt.addingTimeInterval(-0.001), limit: 10) == [1])
            #expect(try tx.pendingTimers(dueBy: pending[0].dueAt, ticket: nil, limit: 10).map(\.id) == [1])
            #expect(try tx.timer(3)?.ticketID == b)
            #expect(try tx.timer(99) == nil)
        }
        // Leaving the state cancels the ticket's pending timers; the next timer takes the next id.
        try harness.engine.fire(
            a, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        let timers = try harness.engine.timers(of: a)
        #expect(timers.map(\.id) == [1, 2, 5])
        #expect(timers.map(\.status) == [.cancelled, .cancelled, .pending])
        #expect(timers[0].note == "ticket left the state" && timers[0].doneAt == harness.clock.now())
    }

    @Test(arguments: StoreKind.allCases)
    func aTimerFinishesOnce(kind: StoreKind) throws {
        let harness = try Harness(kind)
        _ = try harness.open()
        let timer = try #require(try harness.engine.pendingTimers().first)
        let now = harness.clock.now()
        let finished = try harness.store.write { tx throws in
            [
                try tx.finishTimer(timer.id, status: .skipped, at: now, lateBy: 1.5, note: "first"),
                try tx.finishTimer(timer.id, status: .fired, at: now, lateBy: nil, note: "second"),
            ]
        }
        #expect(finished == [true, false])
        #expect(
            try harness.store.write { tx in try tx.finishTimer(timer.id, status: .fired, at: now, lateBy: nil, note: "third") } == false)
        #expect(try harness.store.write { tx in try tx.finishTimer(999, status: .fired, at: now, lateBy: nil, note: nil) } == false)
        let stored = try #require(try harness.store.read { tx in try tx.timer(timer.id) })
        #expect(stored.status == .skipped && stored.note == "first" && stored.lateMilliseconds == 1500 && stored.doneAt == now)
    }

    @Test(arguments: StoreKind.allCases)
    func eachDueTimerFiresExactlyOnceHoweverOftenTheSchedulerRuns(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let a = try harness.open()
        harness.clock.advance(by: Fixtures.day)
        let b = try harness.open()
        harness.clock.advance(by: 40 * Fixtures.day)
        let due = try harness.engine.pendingTimers(dueBy: harness.clock.now()).map(\.id)
        #expect(due == [1, 3, 2, 4])
        let first = try harness.engine.fireDueTimers()
        let second = try harness.engine.fireDueTimers()
        #expect(first.map(\.timer.id) == due)
        #expect(first.map(\.status) == [.fired, .fired, .fired, .fired])
        #expect(second.isEmpty)
        #expect(try harness.engine.fireTimer(2) == nil)
        for id in [a, b] {
            #expect(try harness.engine.ticket(id).state == "ki_review")
            #expect(try harness.engine.history(id).filter { $0.event == "escalate" }.count == 1)
        }
        #expect(try harness.engine.outbox().filter { $0.kind == "reminder" }.count == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func noticesAreListedByNextAttemptUntilDelivered(kind: StoreKind) throws {
        let harness = try Harness(kind, empty: true)
        let t0 = Fixtures.start
        try harness.store.write { tx throws in
            try tx.insertNotice(id: "n1", ticket: "T-1", kind: "reminder", role: "cm", payload: "{\"a\":1}", at: t0.addingTimeInterval(10))
            try tx.insertNotice(id: "n2", ticket: "T-2", kind: "entered", role: "cm", payload: "{}", at: t0)
            try tx.insertNotice(id: "n3", ticket: "T-1", kind: "entered", role: "ki_lead", payload: "{}", at: t0.addingTimeInterval(10))
        }
        func undelivered(_ readyBy: Date? = nil, limit: Int = 10) throws -> [String] {
            try harness.store.read { tx in try tx.undeliveredNotices(readyBy: readyBy, limit: limit).map(\.id) }
        }
        func notice(_ id: String) throws -> OutboxNotice? {
            try harness.store.read { tx in try tx.notices(limit: 10).first { $0.id == id } }
        }
        #expect(try undelivered() == ["n2", "n1", "n3"])
        #expect(try undelivered(limit: 2) == ["n2", "n1"])
        #expect(try harness.store.read { tx in try tx.notices(limit: 10).map(\.id) } == ["n1", "n2", "n3"])
        #expect(try undelivered(t0.addingTimeInterval(5)) == ["n2"])

        try harness.store.write { tx in try tx.markFailed("n2", error: "timeout", retryAt: t0.addingTimeInterval(60)) }
        #expect(try undelivered() == ["n1", "n3", "n2"])
        #expect(try undelivered(t0.addingTimeInterval(30)) == ["n1", "n3"])
        let failed = try #require(try notice("n2"))
        #expect(failed.attempts == 1 && failed.lastError == "timeout" && failed.nextAttemptAt == t0.addingTimeInterval(60))
        #expect(failed.deliveredAt == nil)

        try harness.store.write { tx throws in
            try tx.markDelivered("n1", at: t0.addingTimeInterval(20))
            try tx.markDelivered("n2", at: t0.addingTimeInterval(70))
        }
        #expect(try undelivered() == ["n3"])
        try harness.store.write { tx throws in
            try tx.markDelivered("n1", at: t0.addingTimeInterval(90))
            try tx.markFailed("n2", error: "late", retryAt: t0.addingTimeInterval(900))
        }
        let delivered = try #require(try notice("n2"))
        #expect(delivered.attempts == 2 && delivered.lastError == nil && delivered.deliveredAt == t0.addingTimeInterval(70))
        #expect(try notice("n1")?.deliveredAt == t0.addingTimeInterval(20), "delivered once, the first time")
        #expect(try notice("n1")?.payload == "{\"a\":1}")

        try harness.store.write { tx in try tx.deleteNotices(ticket: "T-1") }
        #expect(try harness.store.read { tx in try tx.notices(limit: 10).map(\.id) } == ["n2"])
    }

    @Test(arguments: StoreKind.allCases)
    func theEngineRetriesANoticeUntilItIsDelivered(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let id = try harness.open()
        try harness.engine.fire(id, Command(.fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("?")]))
        let notice = try #require(try harness.engine.noticesToDeliver().first)
        try harness.engine.markFailed(notice.id, error: "down", retryAfter: 300)
        #expect(try harness.engine.noticesToDeliver().isEmpty)
        #expect(try harness.engine.outbox().first { $0.id == notice.id }?.attempts == 1)
        harness.clock.advance(by: 300)
        #expect(try harness.engine.noticesToDeliver().map(\.id) == [notice.id])
        try harness.engine.markDelivered(notice.id)
        harness.clock.advance(by: 300)
        #expect(try harness.engine.noticesToDeliver().isEmpty)
        #expect(try harness.engine.outbox().first { $0.id == notice.id }?.attempts == 2)
    }
}
