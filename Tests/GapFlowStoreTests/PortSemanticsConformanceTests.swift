import Foundation
import GapFlow
import Testing

/// What each operation of the port returns, and in which order, is the same in every store.
@Suite struct PortSemanticsConformanceTests {
    private func ticket(_ id: String, openedAt: Date, state: String = "reported", fields: [String: FieldValue] = [:]) -> Ticket {
        Ticket(
            id: id, workflowID: Fixtures.workflow, version: 1, state: state, revision: 1, fields: fields, openedAt: openedAt,
            openedBy: "koordination", updatedAt: openedAt)
    }

    private func entry(
        _ revision: Int, at: Date, from: String?, to: String, meeting: Int? = nil, resolution: String? = nil
    ) -> HistoryEntry {
        var entry = HistoryEntry(
            revision: revision, at: at, actor: "geschaeftsstelle", role: "steering_office", event: revision == 1 ? "open" : "defer",
            from: from, to: to, changes: [], comment: nil)
        entry.decision = resolution.map { DecisionRecord(meeting: meeting, resolution: $0) }
        return entry
    }

    private func append(_ entries: [(String, HistoryEntry)], to tx: any StoreTransaction) throws {
        for (ticket, entry) in entries {
            try tx.appendHistory(.linking(entry, ticket: ticket, after: try tx.historyHead(of: ticket)), ticket: ticket)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func ticketsComeByOpeningTimeThenIDAndFiltersCombine(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let t0 = Fixtures.start
        try harness.store.write { tx throws in
            try tx.insertTicket(
                ticket(
                    "T-B", openedAt: t0.addingTimeInterval(10),
                    fields: ["title": .text("b"), "legal_domains": .choices(["SGB II", "AufenthG"])]))
            try tx.insertTicket(
                ticket("T-A", openedAt: t0.addingTimeInterval(10), state: "ki_review", fields: ["cases_observed": .integer(4)]))
            try tx.insertTicket(ticket("T-C", openedAt: t0, fields: ["title": .text("c"), "municipality": .choice("Siegburg")]))
        }
        func ids(_ filter: TicketFilter) throws -> [String] { try harness.store.read { tx in try tx.tickets(filter).map(\.id) } }
        #expect(try ids(TicketFilter()) == ["T-C", "T-A", "T-B"])
        #expect(try harness.store.read { tx in try tx.ticketIDs() } == ["T-C", "T-A", "T-B"])
        #expect(try ids(TicketFilter(limit: 2)) == ["T-C", "T-A"])
        #expect(try ids(TicketFilter(limit: -1)).isEmpty)
        #expect(try ids(TicketFilter(states: ["reported"])) == ["T-C", "T-B"])
        #expect(try ids(TicketFilter(states: [])).isEmpty)
        #expect(try ids(TicketFilter(workflow: "other")).isEmpty)
        #expect(try ids(TicketFilter(fields: ["legal_domains": .choices(["AufenthG"])])) == ["T-B"])
        #expect(try ids(TicketFilter(fields: ["legal_domains": .choices(["AufenthG", "SGB XII"])])).isEmpty)
        #expect(try ids(TicketFilter(fields: ["cases_observed": .integer(4)])) == ["T-A"])
        #expect(try ids(TicketFilter(fields: ["cases_observed": .integer(5)])).isEmpty)
        #expect(try ids(TicketFilter(fields: ["municipality": .choice("Siegburg")])) == ["T-C"])
        #expect(try ids(TicketFilter(fields: ["municipality": .text("Siegburg")])).isEmpty, "a value matches only its own type")
        #expect(try ids(TicketFilter(states: ["reported"], fields: ["title": .text("b")])) == ["T-B"])
        let counts = try harness.store.read { tx in try tx.ticketCounts() }
        #expect(
            counts.map { "\($0.workflow)@\($0.version) \($0.state):\($0.count)" }.sorted() == [
                "\(Fixtures.workflow)@1 ki_review:1", "\(Fixtures.workflow)@1 reported:2",
            ])
        #expect(try harness.store.read { tx in try tx.isEmpty() } == false)

        let exported = try harness.export().dropFirst().compactMap { line -> String? in
            let row = try ExportFormat.row(from: line, number: 0)
            guard row.table == "tickets", case .text(let id) = row["id"] else { return nil }
            return id
        }
        #expect(exported == ["T-B", "T-A", "T-C"], "exported in the order written")
    }

    @Test(arguments: StoreKind.allCases)
    func ticketNumbersCountPerPrefixAndYearAndMeetingsAreNumberedFromOne(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let numbers = try harness.store.write { tx throws in
            [
                try tx.nextTicketNumber(prefix: "GAP", year: 2026), try tx.nextTicketNumber(prefix: "GAP", year: 2026),
                try tx.nextTicketNumber(prefix: "GAP", year: 2027), try tx.nextTicketNumber(prefix: "X", year: 2026),
            ]
        }
        #expect(numbers == [1, 2, 1, 1])
        _ = try? harness.store.write { tx throws in
            _ = try tx.nextTicketNumber(prefix: "GAP", year: 2026)
            throw Abort()
        }
        #expect(try harness.store.write { tx in try tx.nextTicketNumber(prefix: "GAP", year: 2026) } == 3)

        let now = harness.clock.now()
        let ids = try harness.store.write { tx throws in
            [
                try tx.insertMeeting(
                    workflow: Fixtures.workflow, date: try Fixtures.date("2027-03-11"), time: "14:00", title: "März", place: "Siegburg",
                    deadline: try Fixtures.date("2027-03-01"), at: now),
                try tx.insertMeeting(
                    workflow: Fixtures.workflow, date: try Fixtures.date("2027-01-14"), time: nil, title: "Januar", place: nil,
                    deadline: try Fixtures.date("2027-01-04"), at: now),
                try tx.insertMeeting(
                    workflow: "other", date: try Fixtures.date("2027-01-14"), time: "09:00", title: "Andere", place: nil,
                    deadline: try Fixtures.date("2027-01-04"), at: now),
                try tx.insertMeeting(
                    workflow: Fixtures.workflow, date: try Fixtures.date("2027-03-11"), time: "09:30", title: "März früh", place: nil,
                    deadline: try Fixtures.date("2027-03-01"), at: now),
            ]
        }
        #expect(ids == [1, 2, 3, 4])
        #expect(try harness.engine.meetings().map(\.id) == [2, 3, 4, 1])
        let kim = try harness.engine.meetings(workflow: Fixtures.workflow)
        #expect(kim.map(\.id) == [2, 4, 1])
        #expect(kim.last?.time == "14:00" && kim.last?.place == "Siegburg")
        #expect(kim.last?.submissionDeadline == (try Fixtures.date("2027-03-01")))
    }

    @Test(arguments: StoreKind.allCases)
    func anAgendaAnchorIsTheLatestEntryIntoTheStateWithItsStaysAndMeeting(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let t0 = Fixtures.start
        func at(_ hours: Double) -> Date { t0.addingTimeInterval(hours * 3600) }
        try harness.store.write { tx throws in
            let m1 = try tx.insertMeeting(
                workflow: Fixtures.workflow, date: try Fixtures.date("2027-01-14"), time: nil, title: "1", place: nil,
                deadline: try Fixtures.date("2027-01-04"), at: t0)
            let m2 = try tx.insertMeeting(
                workflow: Fixtures.workflow, date: try Fixtures.date("2027-02-11"), time: nil, title: "2", place: nil,
                deadline: try Fixtures.date("2027-02-01"), at: t0)
            try tx.insertTicket(ticket("T-X", openedAt: t0))
            try tx.insertTicket(ticket("T-Y", openedAt: t0))
            try append(
                [
                    ("T-X", entry(1, at: at(0), from: nil, to: "ki_review")),
                    ("T-X", entry(2, at: at(1), from: "ki_review", to: "awaiting_steering", meeting: m1, resolution: "1")),
                    ("T-Y", entry(1, at: at(1), from: nil, to: "awaiting_steering")),
                    ("T-X", entry(3, at: at(5), from: "awaiting_steering", to: "awaiting_steering", meeting: m2, resolution: "2")),
                    ("T-Y", entry(2, at: at(2), from: "awaiting_steering", to: "awaiting_steering", meeting: m1, resolution: "3")),
                    // Entered later than it was written: the anchor is the latest time, not the last entry.
                    ("T-X", entry(4, at: at(3), from: "awaiting_steering", to: "awaiting_steering")),
                    ("T-Y", entry(3, at: at(3), from: "awaiting_steering", to: "ki_review", resolution: "U1")),
                ], to: tx)
        }
        try harness.store.read { tx throws in
            let x = try tx.agendaAnchor(ticket: "T-X", state: "awaiting_steering", meetingStates: ["awaiting_steering"])
            #expect(x == AgendaAnchor(entered: at(5), stays: 2, decidedAt: nil))
            #expect(try tx.agendaAnchor(ticket: "T-X", state: "awaiting_steering", meetingStates: []).stays == 0)
            #expect(try tx.agendaAnchor(ticket: "T-X", state: "ki_review", meetingStates: ["awaiting_steering", "x"]).entered == at(0))
            let y = try tx.agendaAnchor(ticket: "T-Y", state: "awaiting_steering", meetingStates: ["awaiting_steering"])
            #expect(y == AgendaAnchor(entered: at(2), stays: 1, decidedAt: 1))
            #expect(
                try tx.agendaAnchor(ticket: "T-Z", state: "reported", meetingStates: [])
                    == AgendaAnchor(entered: nil, stays: 0, decidedAt: nil))

            let first = try tx.decisions(meeting: 1)
            #expect(first.map { "\($0.ticket)/\($0.entry.revision)" } == ["T-X/2", "T-Y/2"])
            #expect(first.first?.entry.decision == DecisionRecord(meeting: 1, resolution: "1"))
            #expect(try tx.decisions(meeting: 2).map { "\($0.ticket)/\($0.entry.revision)" } == ["T-X/3"])
            #expect(try tx.decisions(meeting: 3).isEmpty)
            #expect(try tx.history(of: "T-Y").last?.decision == DecisionRecord(meeting: nil, resolution: "U1"))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func decisionsComeInTheOrderTheyWereWrittenAcrossTickets(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let t0 = Fixtures.start
        try harness.store.write { tx throws in
            let meeting = try tx.insertMeeting(
                workflow: Fixtures.workflow, date: try Fixtures.date("2027-01-14"), time: nil, title: "1", place: nil,
                deadline: try Fixtures.date("2027-01-04"), at: t0)
            for id in ["T-A", "T-B"] {
                try tx.insertTicket(ticket(id, openedAt: t0))
                try append([(id, entry(1, at: t0, from: nil, to: "awaiting_steering"))], to: tx)
            }
            try append(
                [
                    ("T-B", entry(2, at: t0, from: "awaiting_steering", to: "awaiting_steering", meeting: meeting, resolution: "1")),
                    ("T-A", entry(2, at: t0, from: "awaiting_steering", to: "awaiting_steering", meeting: meeting, resolution: "2")),
                    ("T-B", entry(3, at: t0, from: "awaiting_steering", to: "awaiting_steering", meeting: meeting, resolution: "3")),
                ], to: tx)
            #expect(try tx.decisions(meeting: meeting).map(\.entry.decision?.resolution) == ["1", "2", "3"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func actorsAndDefinitionsAreListedInTheirOrder(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let source = try String(contentsOf: Repository.kimFile, encoding: .utf8)
        let version2 = source.replacingOccurrences(of: "\"version\": 1,", with: "\"version\": 2,")
        let other = source.replacingOccurrences(of: "\"id\": \"systemic-gap-escalation\"", with: "\"id\": \"another-workflow\"")
        #expect(version2 != source && other != source)
        try harness.engine.register(source: Array(version2.utf8), file: "v2.json")
        try harness.engine.register(source: Array(other.utf8), file: "other.json")
        try harness.store.read { tx throws in
            #expect(
                try tx.definitionRecords().map { "\($0.workflowID)@\($0.version)" } == [
                    "another-workflow@1", "\(Fixtures.workflow)@2", "\(Fixtures.workflow)@1",
                ])
            #expect(try tx.latestVersion(of: Fixtures.workflow) == 2)
            #expect(try tx.latestVersion(of: "nothing") == nil)
            #expect(try tx.definitionSource(workflow: Fixtures.workflow, version: 2)?.source == version2)
        }
        let registered = try harness.engine.definition(Fixtures.workflow, version: 1)
        #expect(throws: (any Error).self, "a version is registered once") {
            try harness.store.write { tx throws in
                try tx.insertDefinition(registered, hash: "x", source: "x", file: "x", at: harness.clock.now())
            }
        }

        let created = harness.clock.now()
        harness.clock.advance(by: Fixtures.day)
        // The fixtures include an admin, so changes to actors are made as that admin.
        try harness.engine.saveActor(Actor(name: "koordination", roles: ["steering_office", "cm_coordination"]), by: Fixtures.admin)
        try harness.engine.saveActor(Actor(name: "aa", roles: ["cm"], municipality: "Troisdorf"), by: Fixtures.admin)
        let actors = try harness.engine.actors()
        #expect(actors.map(\.name) == ["aa", "admin", "cm.siegburg", "geschaeftsstelle", "ki.leitung", "koordination", "pg.sprache"])
        #expect(try harness.engine.actor(named: "koordination").roles == ["steering_office", "cm_coordination"])
        #expect(actors.first == Actor(name: "aa", roles: ["cm"], municipality: "Troisdorf"))
        let createdAt = try harness.export().dropFirst().compactMap { line -> ExportRow.Value? in
            let row = try ExportFormat.row(from: line, number: 0)
            return row.table == "actors" && row["name"] == .text("koordination") ? row["created_at"] : nil
        }
        #expect(createdAt == [.text(Timestamp.iso8601(created))], "saving an actor again keeps when it was created")
    }
}
