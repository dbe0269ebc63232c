import Foundation
import GapFlow
import Testing

/// The reads that a store answers from its indexes (issue 15) give what the rules give ticket by ticket, in every
/// store: the queue's order and its pages, the counts per state, the list after a cursor, the similarity candidates.
@Suite struct BoundedReadsConformanceTests {
    static let openStates = [
        "reported", "clarification", "ki_review", "awaiting_steering", "in_project_group", "solution_review", "feedback",
    ]

    /// Tickets in every kind of stay: overdue with a deadline passed, overdue by a fired reminder with the escalation
    /// still ahead, back in a state whose earlier reminder fired (not overdue), waiting with a deadline, and waiting
    /// in a state without timers.
    private func populate(_ harness: Harness) throws -> [String] {
        let engine = harness.engine
        let clock = harness.clock
        var ids: [String] = []
        for index in 0..<4 {
            ids.append(try harness.open("Lücke \(index)"))
            clock.advance(by: 3600)
        }
        clock.advance(by: 15 * Fixtures.day)
        _ = try engine.fireDueTimers()  // the reminders of all four fire; their escalations lie ahead
        try engine.fire(ids[1], Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        try engine.fire(ids[2], Command(.fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("Wo?")]))
        clock.advance(by: 60)
        try engine.fire(ids[2], Command(.fire(event: "resubmit"), actor: Fixtures.caseManager))
        try engine.fire(ids[3], Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        try engine.fire(ids[3], Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Ein Vorschlag")]))
        clock.advance(by: 60)
        ids.append(try harness.open("Neu"))
        ids.append(try harness.open("Neu, gleich danach"))
        return ids
    }

    /// The queue order by the rule: every matching ticket's position, sorted.
    private func expectedQueue(_ tx: any StoreTransaction, _ filter: TicketFilter, now: Date) throws -> [String] {
        try tx.tickets(filter).map { try tx.queuePosition(of: $0, now: now) }.sorted().map(\.ticket)
    }

    @Test(arguments: StoreKind.allCases)
    func theQueueComesInTheRulesOrderPageByPageAndTheCountsAgree(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let ids = try populate(harness)
        let filter = TicketFilter(workflow: Fixtures.workflow, states: Self.openStates)
        for later in [0, 2, 12, 40] {
            let now = harness.clock.now().addingTimeInterval(Double(later) * Fixtures.day)
            try harness.store.read { tx throws in
                let expected = try expectedQueue(tx, filter, now: now)
                #expect(Set(expected) == Set(ids))
                #expect(try tx.queuePage(filter, now: now, after: nil, limit: 100).map(\.id) == expected, "day +\(later)")
                // Page by page, each page starting after the last ticket of the one before.
                var paged: [String] = []
                var cursor: QueuePosition?
                while true {
                    let page = try tx.queuePage(filter, now: now, after: cursor, limit: 2)
                    paged += page.map(\.id)
                    guard page.count == 2, let last = page.last else { break }
                    cursor = try tx.queuePosition(of: last, now: now)
                }
                #expect(paged == expected, "pages of two, day +\(later)")
                // Counts per state, open and overdue, as the rule counts them.
                var counts: [String: StateStanding] = [:]
                for ticket in try tx.tickets(filter) {
                    counts[ticket.state, default: StateStanding(open: 0, overdue: 0)].open += 1
                    if try tx.stay(of: ticket, now: now).overdue { counts[ticket.state]?.overdue += 1 }
                }
                #expect(try tx.stateStandings(filter, now: now) == counts, "day +\(later)")
                var scoped = filter
                scoped.fields["municipality"] = .choice("Siegburg")
                #expect(try tx.stateStandings(scoped, now: now) == counts)
                scoped.fields["municipality"] = .choice("Troisdorf")
                #expect(try tx.stateStandings(scoped, now: now).isEmpty)
            }
        }
        // The mix the scenario is for: some overdue, some not, some without a deadline.
        let now = harness.clock.now()
        let positions = try harness.store.read { tx in try tx.tickets(filter).map { try tx.queuePosition(of: $0, now: now) } }
        #expect(positions.contains { $0.overdue && $0.nextDeadline.map { $0 > now } == true }, "overdue by a fired reminder")
        #expect(positions.contains { !$0.overdue && $0.nextDeadline != nil })
        #expect(positions.contains { $0.nextDeadline == nil })
        #expect(positions.first { $0.ticket == ids[2] }?.overdue == false, "back in its state: the earlier reminder no longer counts")
    }

    @Test(arguments: StoreKind.allCases)
    func theListContinuesAfterACursorInListOrder(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let ids = try populate(harness)
        try harness.store.read { tx throws in
            let all = try tx.tickets(TicketFilter()).map(\.id)
            #expect(all == ids)
            func after(_ id: String, _ filter: TicketFilter) throws -> [String] {
                var result: [String] = []
                try tx.forEachTicket(filter, after: id) { result.append($0.id) }
                return result
            }
            #expect(try after(ids[0], TicketFilter()) == Array(ids.dropFirst()))
            #expect(try after(ids[0], TicketFilter(limit: 2)) == Array(ids[1...2]))
            #expect(try after(ids[5], TicketFilter()).isEmpty)
            #expect(try after(ids[0], TicketFilter(states: ["reported"])) == [ids[2], ids[4], ids[5]])
            #expect(try after(ids[0], TicketFilter(limit: 0)).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func similarityCandidatesShareWordsAndNeverTheTicketItself(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let ids = try populate(harness)
        let sharer = try harness.open("Schwimmkurse fehlen")
        let subject = try harness.open("Schwimmkurse für Seiteneinsteiger")
        try harness.store.read { tx throws in
            let ticket = try #require(try tx.ticket(subject))
            let filter = TicketFilter(workflow: Fixtures.workflow, states: Self.openStates)
            let best = try tx.similarCandidates(to: ticket, words: ["schwimmkurse", "seiteneinsteiger"], filter: filter, limit: 1)
            #expect(best.map(\.id).contains(sharer))
            let all = try tx.similarCandidates(to: ticket, words: ["schwimmkurse"], filter: filter, limit: 100).map(\.id)
            #expect(Set(all) == Set(ids + [sharer]))
            #expect(!all.contains(subject))
            #expect(try tx.similarCandidates(to: ticket, words: [], filter: filter, limit: 100).count == ids.count + 1)
        }
    }
}
