import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowSQLite

/// Redaction in the SQLite file: the removed text is gone from the bytes of the database and its write-ahead log,
/// and a tamperer who edits a redacted value, or pretends a value was redacted, is found by the audit.
@Suite struct RedactionTests {
    static let passage = "Ayşe Karimi-Okonkwo"

    /// A ticket that names a person in its title, description and a comment, moved on so that old copies of the
    /// values exist in the files (pages rewritten by later commits, a notice with the title).
    private func ticketNamingAPerson(_ engine: Engine, _ clock: ManualClock) throws -> String {
        var values = Fixtures.gapValues
        values["title"] = .text("Kita-Platz für \(Self.passage) fehlt")
        values["description"] = .text("\(Self.passage) (geb. 03.04.1987) findet keinen Kita-Platz.")
        let id = try engine.open(workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.caseManager, values: values)).ticket.id
        clock.advance(by: 3600)
        try engine.fire(id, Command(.fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("Wie viele?")]))
        try engine.fire(
            id,
            Command(
                .fire(event: "resubmit"), actor: Fixtures.caseManager,
                values: ["description": .text("Kita-Plätze fehlen für Kinder in Sprachkursen.")], comment: "Rückruf: \(Self.passage)"))
        return id
    }

    private func bytes(_ path: String) -> [UInt8] {
        FileManager.default.contents(atPath: path).map(Array.init) ?? []
    }

    private func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in haystack[start..<(start + needle.count)].elementsEqual(needle) }
    }

    @Test func theRemovedTextIsGoneFromTheDatabaseFileAndItsWriteAheadLogAndTheChainVerifies() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let id = try ticketNamingAPerson(engine, clock)
        let database = folder.path("test.sqlite")
        let files = [database, database + "-wal"]
        let before = files.filter { contains(bytes($0), Self.passage) }
        #expect(!before.isEmpty, "before: the name is in the files")

        let request = { (target: RedactionRequest.Target, entry: Int?) in
            RedactionRequest(target: target, entry: entry, passage: Self.passage, reason: "Name und Geburtsdatum einer Klientin")
        }
        for (target, entry) in [(RedactionRequest.Target.field("title"), nil), (.field("description"), nil), (.comment, 3)] {
            let result = try engine.redact(id, request(target, entry), actor: Fixtures.coordinator)
            #expect(result.eraseProblem == nil)
        }
        let holding = files.filter { contains(bytes($0), Self.passage) }
        #expect(holding.isEmpty, "these files still hold the name")
        let logSize = bytes(database + "-wal").count
        #expect(logSize == 0, "the write-ahead log was emptied")
        let marked = contains(bytes(database), "[geschwärzt]")
        #expect(marked)
        #expect(try engine.verifyHistory().verifies)
        // Still the same database to work with.
        try engine.fire(id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        #expect(try engine.verifyHistory().verifies)
        #expect(try engine.history(id).filter { $0.event == Engine.redactEvent }.count == 3)
    }

    @Test func aRedactedValueChangedAfterwardsAndAPretendedRedactionAreFound() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let id = try ticketNamingAPerson(engine, clock)
        let other = try engine.open(
            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)
        )
        .ticket.id
        _ = try engine.redact(
            id, RedactionRequest(target: .field("title"), passage: Self.passage, reason: "Name"), actor: Fixtures.coordinator)
        #expect(try engine.verifyHistory().verifies)

        let connection = try Connection(path: folder.path("test.sqlite"), readOnly: false, create: false)
        try connection.execute("DROP TRIGGER history_is_append_only_update")
        // The redacted title of entry 1 replaced by other text, in the entry and the ticket alike.
        try connection.execute(
            """
            UPDATE history SET changes = replace(changes, '[geschwärzt]', 'Herrn Müller') WHERE ticket_id = '\(id)' AND revision = 1;
            UPDATE tickets SET fields = replace(fields, '[geschwärzt]', 'Herrn Müller') WHERE id = '\(id)';
            """)
        // A value of another ticket changed, its digest stored as if a redaction had replaced it.
        let original = try #require(try engine.history(other).first)
        let digests = HistoryChain.valueDigests(of: original)
        let place = try #require(original.changes.firstIndex { $0.field == "title" }).description
        try connection.query(
            """
            UPDATE history SET changes = replace(changes, 'Sprachkurse', 'Deutschkurse'), redacted_digests = json_object(?, ?)
            WHERE ticket_id = ? AND revision = 1
            """,
            [.text("changes.\(place).new"), .text(digests[.new(Int(place) ?? 0)] ?? ""), .text(other)])
        try connection.execute("UPDATE tickets SET fields = replace(fields, 'Sprachkurse', 'Deutschkurse') WHERE id = '\(other)'")

        let findings = try engine.verifyHistory().findings.map { "\($0.ticket)@\($0.revision): \($0.problem)" }
        #expect(
            Set(findings) == [
                "\(id)@1: the entry's content was changed after its redaction",
                "\(other)@1: entry has redacted values, but no redaction entry follows it",
            ])
    }

    @Test func whoMayRedactIsTheNewestVersionsRuleAlsoForTicketsPinnedToAnOlderOne() throws {
        let source = try String(contentsOf: Repository.kimFile, encoding: .utf8)
        let start = try #require(source.range(of: "  \"redaction\": {"))
        let end = try #require(source.range(of: "  \"smallNumbers\": {"))
        let without = source.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: "")
        let engine = Engine(store: MemoryStore(), clock: ManualClock(Fixtures.start))
        try engine.register(source: Array(without.utf8), file: "kim-v1.json")
        try engine.saveActor(Fixtures.coordinator)
        var values = Fixtures.gapValues
        values["title"] = .text("Kita-Platz für \(Self.passage) fehlt")
        let id = try engine.open(workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: values)).ticket.id
        let request = RedactionRequest(target: .field("title"), passage: Self.passage, reason: "Name")
        #expect(throws: RedactionError.notDeclared(workflow: "systemic-gap-escalation")) {
            try engine.redact(id, request, actor: Fixtures.coordinator)
        }
        try engine.register(
            source: Array(source.replacingOccurrences(of: "\"version\": 1,", with: "\"version\": 2,").utf8), file: "kim-v2.json")
        #expect(try engine.ticket(id).version == 1)
        _ = try engine.redact(id, request, actor: Fixtures.coordinator)
        #expect(try engine.ticket(id).fields["title"] == .text("Kita-Platz für [geschwärzt] fehlt"))
        #expect(try engine.verifyHistory().verifies)
    }
}
