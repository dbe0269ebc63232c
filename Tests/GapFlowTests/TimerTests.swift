import Foundation
import Synchronization
import Testing

@testable import GapFlow
@testable import GapFlowSQLite

@Suite struct TimerTests {
    private let workflow = "systemic-gap-escalation"
    private let day: TimeInterval = 86_400

    private func open(_ engine: Engine) throws -> String {
        try engine.open(workflow: workflow, Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)).ticket.id
    }

    private func statuses(_ engine: Engine, _ id: String) throws -> [String] {
        try engine.timers(of: id).map { "\($0.state)/\($0.timer):\($0.status.rawValue)" }
    }

    @Test func invalidTimersAreReportedWithTheirCodes() {
        let result = DefinitionLoader.load(contentsOf: Repository.fixtures.appendingPathComponent("invalid/bad-timers.json"))
        #expect(result.definition == nil)
        #expect(
            result.diagnostics.map { "\($0.code.rawValue)@\($0.position?.line ?? 0)" } == [
                "HAPPY_PATH_ONLY@10", "INVALID_VALUE@11", "UNKNOWN_EVENT@12", "EVENT_NOT_FROM_STATE@13", "SYSTEM_NOT_ALLOWED@14",
                "TYPE_MISMATCH@15",
                "UNKNOWN_ROLE@15", "MISSING_KEY@16",
            ])
    }

    // MARK: - Arming and cancelling

    @Test func enteringAStateArmsItsTimersInBusinessDaysAndLeavingCancelsThem() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder)
        let id = try open(engine)  // Wednesday 25 November 2026, 09:00 in Berlin
        let pending = try engine.pendingTimers(ticket: id)
        #expect(pending.map(\.timer) == ["reminder", "escalation"])
        #expect(pending.map { Timestamp.iso8601($0.dueAt) } == ["2026-12-09T08:00:00.000Z", "2026-12-23T08:00:00.000Z"])
        try engine.fire(id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        #expect(try statuses(engine, id) == ["reported/reminder:cancelled", "reported/escalation:cancelled", "ki_review/reminder:pending"])
    }

    @Test func timersCountedFromADueDateAreArmedAnewWhenTheDateChanges() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder)
        let id = try open(engine)
        try engine.fire(id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        try engine.fire(id, Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Vorschlag")]))
        try engine.fire(
            id,
            .decided(
                "mandate", by: Fixtures.office,
                values: [
                    "project_group": .text("PG"), "mandate": .text("Auftrag"), "decision_note": .text("B"), "due_date": .text("2027-02-15"),
                ], resolution: "U2026-1"))
        let due = try engine.pendingTimers(ticket: id).map { "\($0.timer) \(Timestamp.iso8601($0.dueAt))" }
        // 10 business days before Monday 15 February 2027, skipping Rosenmontag (8 February), is Friday 29 January;
        // the day after the due date is the 16th; both at 08:00 in Berlin.
        #expect(due == ["due_soon 2027-01-29T07:00:00.000Z", "overdue 2027-02-16T07:00:00.000Z"])
    }

    @Test func theOpeningStatesEntryNoticesAndATimersNoticeGoToTheOutboxWithTheirRecipients() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        try engine.saveActor(Actor(name: "cm.troisdorf", roles: ["cm"], municipality: "Troisdorf"))
        let id = try open(engine)
        try engine.fire(id, Command(.fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("?")]))
        let notices = try engine.outbox()
        #expect(notices.map(\.id) == ["\(id)/r2/1"])
        let payload = try JSONParser.parse(notices[0].payload)
        #expect(payload.members?.first { $0.key == "recipients" }?.value.elements?.compactMap(\.string) == ["cm.siegburg"])
        #expect(payload.members?.first { $0.key == "stateTitle" }?.value.string == "Rückfrage")
    }

    // MARK: - Firing

    @Test func afterDowntimeEachOverdueTimerFiresExactlyOnceLateAndOldestFirst() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let id = try open(engine)
        clock.advance(by: 45 * day)  // the service was down for six weeks
        let firings = try engine.fireDueTimers()
        #expect(firings.map { "\($0.timer.timer):\($0.status.rawValue)" } == ["reminder:fired", "escalation:fired"])
        #expect(firings.map { Int($0.lateBy / day) } == [31, 17])
        let ticket = try engine.ticket(id)
        #expect(ticket.state == "ki_review")
        let entry = try #require(try engine.history(id).last)
        #expect(entry.actor == "system" && entry.role == "system" && entry.event == "escalate")
        #expect(entry.comment == "timer \"escalation\" (20 business days), fired late by 17 days")
        #expect(try engine.fireDueTimers().isEmpty)
        let late = try engine.timers(of: id).filter { $0.status == .fired }.map(\.lateMilliseconds)
        #expect(late == [Int(31 * day * 1000), Int(17 * day * 1000)])
        #expect(try engine.outbox().map(\.kind) == ["reminder", "escalation"], "\((try? engine.outbox().map(\.id)) ?? [])")
    }

    @Test func aTimerWhosePolicyIsSkipIsNotFiredLateButRecordedAsSkipped() throws {
        let source = try String(contentsOf: Repository.kimFile, encoding: .utf8).replacingOccurrences(
            of: "\"fire\": \"escalate\", \"notify\": \"ki_lead\",",
            with: "\"fire\": \"escalate\", \"notify\": \"ki_lead\", \"whenLate\": \"skip\",")
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = Engine(store: try SQLiteStore(path: folder.path("skip.sqlite"), mode: .create), clock: clock)
        try engine.register(source: Array(source.utf8), file: "kim-skip.json")
        try engine.saveActor(Fixtures.coordinator)
        let id = try open(engine)
        clock.advance(by: 45 * day)
        let firings = try engine.fireDueTimers()
        #expect(firings.map(\.status) == [.fired, .skipped])
        #expect(try engine.ticket(id).state == "reported")
        #expect(try engine.history(id).count == 1)
    }

    @Test func aTimerOnTimeIsNotMarkedLate() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let id = try open(engine)
        let reminder = try #require(try engine.pendingTimers(ticket: id).first)
        clock.set(reminder.dueAt.addingTimeInterval(0.05))
        let firings = try engine.fireDueTimers()
        #expect(firings.map(\.summary) == ["\(id) reported/reminder: notified cm_coordination"])
    }

    @Test func aClockThatJumpsBackFiresNothingTwice() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        _ = try open(engine)
        clock.advance(by: 16 * day)
        #expect(try engine.fireDueTimers().count == 1)
        clock.advance(by: -10 * day)
        #expect(try engine.fireDueTimers().isEmpty)
        clock.advance(by: 10 * day)
        #expect(try engine.fireDueTimers().isEmpty)
        #expect(try engine.outbox().count == 1)
    }

    @Test func aTimerWhoseTicketLeftItsStateIsCancelledNotFired() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let id = try open(engine)
        // A stray pending timer for a state the ticket is not in (as a crash or a hand edit could leave).
        try engine.store.write { tx in
            try tx.applyTimerChanges(
                TimerChanges(
                    cancelState: nil, cancelOnly: nil,
                    arm: [PlannedTimer(ticketID: id, state: "feedback", timer: "reminder", dueAt: Fixtures.start)]),
                ticket: id, revision: 1, at: Fixtures.start)
        }
        clock.advance(by: 60)
        let firings = try engine.fireDueTimers()
        #expect(firings.map(\.status) == [.cancelled])
        #expect(firings.first?.summary.hasSuffix("the ticket left feedback") == true)
        #expect(try engine.outbox().isEmpty)
    }

    @Test func twoSchedulersOnOneFileNeverFireATimerTwice() async throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let setup = try Fixtures.kimEngine(in: folder, clock: clock)
        var ids: [String] = []
        for _ in 0..<30 { ids.append(try open(setup)) }
        clock.advance(by: 16 * day)
        let path = folder.path("test.sqlite")
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    let engine = Engine(store: try SQLiteStore(path: path), clock: clock)
                    return try engine.fireDueTimers().count
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(counts == 30)
        #expect(try setup.outbox().count == 30)
        #expect(Set(try setup.outbox().map(\.id)).count == 30)
    }

    // MARK: - The scheduler

    @Test func theSchedulerCatchesUpOnStartAndArmsAtTheEarliestDueTime() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let first = try open(engine)
        clock.advance(by: 16 * day)
        let second = try open(engine)
        let scheduler = Scheduler(engine: engine, recheckInterval: 365 * day)
        scheduler.start()
        scheduler.waitUntilIdle()
        #expect(scheduler.firedCount == 1)
        #expect(try engine.outbox().map(\.ticketID) == [first])
        let next = try #require(try engine.earliestDue())
        #expect(scheduler.armedAt == next)
        #expect(try engine.pendingTimers().first?.ticketID == first)  // its escalation comes before the second's reminder
        _ = second
        scheduler.stop()
    }

    @Test func aCommandThatArmsAnEarlierTimerReArmsTheScheduler() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let scheduler = Scheduler(engine: engine, recheckInterval: 365 * day)
        scheduler.start()
        scheduler.waitUntilIdle()
        #expect(scheduler.armedAt == Fixtures.start.addingTimeInterval(365 * day))
        let id = try open(engine)
        scheduler.waitUntilIdle()
        #expect(scheduler.armedAt == (try engine.pendingTimers(ticket: id).first?.dueAt))
        scheduler.stop()
    }

    @Test func aLockedDatabaseDelaysFiringWithoutLosingOrDoublingAnything() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let setup = try Fixtures.kimEngine(in: folder, clock: clock)
        let id = try open(setup)
        clock.advance(by: 16 * day)
        let engine = Engine(store: try SQLiteStore(path: folder.path("test.sqlite"), busyTimeout: .milliseconds(20)), clock: clock)
        let messages = Mutex<[String]>([])
        let scheduler = Scheduler(engine: engine, recheckInterval: 365 * day) { line in messages.withLock { $0.append(line) } }
        let holder = try Connection(path: folder.path("test.sqlite"), readOnly: false, create: false)
        try holder.execute("BEGIN IMMEDIATE")
        scheduler.start()
        scheduler.waitUntilIdle()
        #expect(scheduler.firedCount == 0)
        #expect(messages.withLock { $0 }.last?.hasPrefix("could not fire timers: the database") == true)
        #expect(scheduler.armedAt == clock.now().addingTimeInterval(5))
        try holder.execute("COMMIT")
        scheduler.wakeNow()
        scheduler.waitUntilIdle()
        #expect(scheduler.firedCount == 1)
        #expect(try setup.outbox().map(\.ticketID) == [id])
        scheduler.stop()
    }

    @Test func theSchedulerFiresWhatBecameDueWhenWoken() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let id = try open(engine)
        let scheduler = Scheduler(engine: engine, recheckInterval: 365 * day)
        scheduler.start()
        scheduler.waitUntilIdle()
        #expect(scheduler.firedCount == 0)
        clock.advance(by: 30 * day)
        scheduler.wakeNow()
        scheduler.waitUntilIdle()
        #expect(scheduler.firedCount == 2)
        #expect(try engine.ticket(id).state == "ki_review")
        scheduler.stop()
    }
}
