import Foundation
import GapFlow
import Testing

/// Redaction (*Schwärzung*) through the port: the removed text is gone from the ticket, its history and its notices,
/// the history records who redacted what (never the text), the chain still verifies, and every store does the same.
@Suite struct RedactionConformanceTests {
    static let name = "Frau Karimi"
    static let description = "Frau Karimi wartet seit Monaten auf einen Kita-Platz; Kinderbetreuung fehlt im ganzen Kreis."

    /// A ticket whose title and description name a person, forwarded and then sent back with a query, so that a notice
    /// (with the title) is in the outbox and the description appears in two entries.
    private func ticketNamingAPerson(_ harness: Harness) throws -> String {
        var values = Fixtures.gapValues
        values["title"] = .text("Kita-Platz für Frau Karimi fehlt")
        values["description"] = .text(Self.description)
        let id = try harness.engine.open(workflow: Fixtures.workflow, Command(.open, actor: Fixtures.caseManager, values: values))
            .ticket.id
        harness.clock.advance(by: 3600)
        try harness.engine.fire(
            id, Command(.fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("Wie viele Familien?")]))
        try harness.engine.fire(
            id,
            Command(
                .fire(event: "resubmit"), actor: Fixtures.caseManager, values: ["cases_observed": .text("7")],
                comment: "Rückruf bei Frau Karimi unter 0151 2345678"))
        return id
    }

    private func everything(_ harness: Harness, _ id: String) throws -> String {
        try harness.export().joined(separator: "\n")
            + (try harness.engine.history(id).map { "\($0.changes) \($0.comment ?? "")" }.joined())
    }

    @Test(arguments: StoreKind.allCases)
    func aPassageIsRemovedFromTheTicketEveryEntryAndNoticeAndTheRedactionIsRecorded(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let id = try ticketNamingAPerson(harness)
        #expect(try harness.engine.outbox().contains { $0.payload.contains(Self.name) }, "the query's notice carries the title")

        let result = try harness.engine.redact(
            id, RedactionRequest(target: .field("title"), passage: Self.name, reason: "Name einer Klientin"), actor: Fixtures.coordinator)
        #expect(result.eraseProblem == nil)
        #expect(result.record.field == "title" && result.record.passage && result.record.ticket && result.record.notices == 1)
        #expect(result.record.entries.map(\.revision) == [1])
        #expect(result.stillFoundIn == ["description", "comment #3"], "the CLI says where else the passage stands")
        #expect(try harness.engine.ticket(id).fields["title"] == .text("Kita-Platz für [geschwärzt] fehlt"))
        #expect(try harness.engine.outbox().allSatisfy { !$0.payload.contains(Self.name) })

        let history = try harness.engine.history(id)
        let entry = try #require(history.last)
        #expect(entry.event == Engine.redactEvent && entry.actor == "koordination" && entry.role == "cm_coordination")
        #expect(entry.comment == "Name einer Klientin" && entry.changes.isEmpty && entry.from == entry.to)
        #expect(entry.redaction == result.record)
        #expect(history[0].changes.first { $0.field == "title" }?.new == .text("Kita-Platz für [geschwärzt] fehlt"))
        #expect(try harness.engine.ticket(id).revision == history.count)
        #expect(try harness.engine.verifyHistory().verifies)
    }

    @Test(arguments: StoreKind.allCases)
    func aCommentOfAnOldEntryIsRedacted(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let id = try ticketNamingAPerson(harness)
        try harness.engine.fire(
            id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        let result = try harness.engine.redact(
            id, RedactionRequest(target: .comment, entry: 3, passage: "Frau Karimi unter 0151 2345678", reason: "Telefonnummer"),
            actor: Fixtures.kiLead)
        #expect(result.record.field == nil && result.record.entries.map(\.revision) == [3] && !result.record.ticket)
        let history = try harness.engine.history(id)
        #expect(history[2].comment == "Rückruf bei [geschwärzt]")
        #expect(history.last?.role == "ki_lead")
        #expect(try harness.engine.verifyHistory().verifies)

        // The whole comment, when no passage is given.
        _ = try harness.engine.redact(id, RedactionRequest(target: .comment, entry: 3, reason: "ganz"), actor: Fixtures.kiLead)
        #expect(try harness.engine.history(id)[2].comment == "[geschwärzt]")
        #expect(try harness.engine.verifyHistory().verifies)
    }

    @Test(arguments: StoreKind.allCases)
    func aValueTheTicketNoLongerHasIsRedactedInEveryEntryThatCarriesIt(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let id = try ticketNamingAPerson(harness)
        try harness.engine.fire(
            id,
            Command(
                .fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("Bitte ohne Namen beschreiben")]))
        try harness.engine.fire(
            id,
            Command(
                .fire(event: "resubmit"), actor: Fixtures.caseManager,
                values: ["description": .text("Kinderbetreuung fehlt im ganzen Kreis.")]))
        let before = try harness.engine.ticket(id)

        let result = try harness.engine.redact(
            id, RedactionRequest(target: .field("description"), passage: Self.name, reason: "Name"), actor: Fixtures.coordinator)
        #expect(result.record.entries.map(\.revision) == [1, 5], "where it was set, and where it was the old value")
        #expect(!result.record.ticket)
        #expect(try harness.engine.ticket(id).fields == before.fields)
        let history = try harness.engine.history(id)
        #expect(
            history[0].changes.first { $0.field == "description" }?.new
                == .text(Self.description.replacing(Self.name, with: "[geschwärzt]")))
        #expect(
            history[4].changes.first { $0.field == "description" }?.old
                == .text(Self.description.replacing(Self.name, with: "[geschwärzt]")))
        #expect(try harness.engine.verifyHistory().verifies)

        // A second redaction of the same entries keeps the digests of what they first were.
        _ = try harness.engine.redact(
            id, RedactionRequest(target: .field("description"), entry: 1, reason: "ganz"), actor: Fixtures.coordinator)
        #expect(try harness.engine.history(id)[0].changes.first { $0.field == "description" }?.new == .text("[geschwärzt]"))
        #expect(try harness.engine.verifyHistory().verifies)
    }

    @Test(arguments: StoreKind.allCases)
    func refusedRedactionsSayWhyAndChangeNothing(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let id = try ticketNamingAPerson(harness)
        let closed = try harness.open("Abgeschlossen")
        try harness.engine.fire(closed, Command(.fire(event: "dismiss"), actor: Fixtures.coordinator, values: ["reason": .text("x")]))
        try harness.engine.fire(closed, Command(.fire(event: "publish"), actor: Fixtures.coordinator, values: ["feedback": .text("y")]))
        let before = try harness.export()
        let request = RedactionRequest(target: .field("title"), passage: Self.name, reason: "Name")
        let cases: [(String, RedactionRequest, Actor, RedactionError)] = [
            (closed, request, Fixtures.coordinator, .ticketFinished(ticket: closed, state: "Abgeschlossen")),
            (id, request, Fixtures.caseManager, .roleRequired(actor: "cm.siegburg", roles: ["cm_coordination", "ki_lead"])),
            (
                id, RedactionRequest(target: .field("title"), passage: "Herr Yilmaz", reason: "Name"), Fixtures.coordinator,
                .passageNotFound(ticket: id, place: "field \"title\"")
            ),
            (
                id, RedactionRequest(target: .field("municipality"), reason: "x"), Fixtures.coordinator,
                .notFreeText(field: "municipality", type: "enum")
            ),
            (
                id, RedactionRequest(target: .comment, entry: 2, passage: Self.name, reason: "x"), Fixtures.coordinator,
                .noComment(ticket: id, revision: 2)
            ),
            (
                id, RedactionRequest(target: .comment, entry: 9, reason: "x"), Fixtures.coordinator,
                .unknownEntry(ticket: id, revision: 9, entries: 3)
            ),
            (
                id, RedactionRequest(target: .field("title"), entry: 2, reason: "x"), Fixtures.coordinator,
                .entrySetNoValue(ticket: id, revision: 2, field: "title")
            ),
        ]
        for (ticket, request, actor, error) in cases {
            #expect(throws: error) { try harness.engine.redact(ticket, request, actor: actor) }
        }
        #expect(throws: RedactionError.reasonRepeatsPassage) {
            try harness.engine.redact(
                id, RedactionRequest(target: .field("title"), passage: Self.name, reason: "\(Self.name) entfernt"),
                actor: Fixtures.coordinator)
        }
        #expect(throws: RedactionError.reasonMissing) {
            try harness.engine.redact(
                id, RedactionRequest(target: .field("title"), passage: Self.name, reason: " "), actor: Fixtures.coordinator)
        }
        // A check reports what would happen and keeps nothing.
        let check = try harness.engine.redact(id, request, actor: Fixtures.coordinator, check: true)
        #expect(check.record.entries.map(\.revision) == [1])
        #expect(try harness.export() == before)
    }

    @Test(arguments: StoreKind.allCases)
    func aRedactionNeitherMovesAnAgendaItemNorCountsAsADeferral(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let id = try harness.open("Dolmetschen für Herrn Y. fehlt")
        try harness.engine.fire(
            id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        try harness.engine.fire(id, Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Vorschlag")]))
        let meeting = try harness.engine.addMeeting(
            workflow: Fixtures.workflow, date: try Fixtures.date("2026-12-10"), time: nil, title: "Lenkungsgruppe", place: nil)
        let anchor = try harness.store.read { tx in
            try tx.agendaAnchor(ticket: id, state: "awaiting_steering", meetingStates: ["awaiting_steering"])
        }
        harness.clock.advance(by: 10 * Fixtures.day)  // after the submission deadline
        _ = try harness.engine.redact(
            id, RedactionRequest(target: .field("title"), passage: "Herrn Y.", reason: "Name"), actor: Fixtures.coordinator)
        #expect(
            try harness.store.read { tx in try tx.agendaAnchor(ticket: id, state: "awaiting_steering", meetingStates: ["awaiting_steering"])
            }
                == anchor)
        #expect(try harness.engine.agenda(for: meeting).items.map(\.ticket.id) == [id])
        #expect(try harness.engine.agenda(for: meeting).items.first?.deferrals == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func anEntryOfTheOldChainFormatIsRedactedAndStillChecked(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let id = try harness.open()
        // Entry 2 as GapFlow wrote entries before format 2.
        try harness.store.write { tx throws in
            let entry = HistoryEntry(
                revision: 2, at: harness.clock.now(), actor: "koordination", role: "cm_coordination", event: "request_info",
                from: "reported", to: "clarification", changes: [FieldChange(field: "query", new: .text("Ist Frau Karimi erreichbar?"))],
                comment: "alt")
            let changes = StoredJSON.encode(entry.changes)
            let digest = HistoryChain.contentDigest(changes: changes, comment: entry.comment)
            let link = HistoryChain.link(
                previous: try #require(try tx.historyHead(of: id)), ticket: id, entry: entry, contentDigest: digest)
            try tx.appendHistory(ChainedEntry(entry: entry, changesJSON: changes, contentDigest: digest, chainHash: link), ticket: id)
            let ticket = try #require(try tx.ticket(id))
            var fields = ticket.fields
            fields["query"] = .text("Ist Frau Karimi erreichbar?")
            try tx.updateTicket(
                Ticket(
                    id: id, workflowID: ticket.workflowID, version: ticket.version, state: "clarification", revision: 2, fields: fields,
                    openedAt: ticket.openedAt, openedBy: ticket.openedBy, updatedAt: entry.at), expectedRevision: 1)
        }
        _ = try harness.engine.redact(
            id, RedactionRequest(target: .field("query"), passage: Self.name, reason: "Name"), actor: Fixtures.coordinator)
        #expect(try harness.engine.verifyHistory().verifies)

        // Changed again afterwards, by anything but a redaction: found.
        try harness.store.write { tx throws in
            try tx.beginPurge()
            try tx.redactHistory(
                ticket: id, revision: 2, changes: [FieldChange(field: "query", new: .text("Ist [geschwärzt] erreichbar?!"))],
                comment: "alt",
                redactedDigests: [:])
            try tx.endPurge()
        }
        #expect(
            try harness.engine.verifyHistory().findings.map { "\($0.revision): \($0.problem)" } == [
                "2: the entry's content was changed after its redaction"
            ])
    }

    @Test(arguments: StoreKind.allCases)
    func aStoreKeepsAndListsTheNoticesOfATicketAndRewritesOne(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let id = try ticketNamingAPerson(harness)
        let other = try harness.open("Anderes")
        try harness.engine.fire(other, Command(.fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("?")]))
        let notices = try harness.store.read { tx in try tx.notices(ofTicket: id) }
        #expect(notices.count == 1 && notices.allSatisfy { $0.ticketID == id })
        let notice = try #require(notices.first)
        try harness.store.write { tx in try tx.rewriteNotice(notice.id, payload: "{}", lastError: "nichts") }
        let stored = try #require(try harness.store.read { tx in try tx.notices(ofTicket: id) }.first)
        #expect(stored.payload == "{}" && stored.lastError == "nichts" && stored.id == notice.id && stored.attempts == notice.attempts)
        #expect(try harness.store.read { tx in try tx.notices(ofTicket: other) }.first?.payload.contains("Anderes") == true)
        try harness.store.eraseRemovedContent()
        #expect(try harness.store.read { tx in try tx.notices(ofTicket: id) }.first == stored)
    }
}
