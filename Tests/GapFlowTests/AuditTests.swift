import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowSQLite

@Suite struct AuditTests {
    /// A database with two tickets of four entries each, and a plain connection that has removed the guards, as a
    /// tamperer with file access would.
    private func tamperable() throws -> (Engine, Connection, [String], TemporaryFolder) {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        var ids: [String] = []
        for _ in 0..<2 {
            let id = try engine.open(
                workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)
            ).ticket.id
            clock.advance(by: 3600)
            try engine.fire(id, Command(.fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("Wie viele?")]))
            try engine.fire(
                id,
                Command(.fire(event: "resubmit"), actor: Fixtures.caseManager, values: ["cases_observed": .text("6")], comment: "6 Fälle"))
            try engine.fire(id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
            ids.append(id)
        }
        let connection = try Connection(path: folder.path("test.sqlite"), readOnly: false, create: false)
        try connection.execute("DROP TRIGGER history_is_append_only_update; DROP TRIGGER history_is_append_only_delete")
        return (engine, connection, ids, folder)
    }

    private func findings(_ engine: Engine) throws -> [String] {
        try engine.verifyHistory().findings.map { "\($0.ticket)@\($0.revision): \($0.problem)" }
    }

    @Test func anUntouchedHistoryVerifies() throws {
        let (engine, _, _, _) = try tamperable()
        let report = try engine.verifyHistory()
        #expect(report.findings.isEmpty && report.entries == 8 && report.tickets == 2 && report.backfilled == 0)
    }

    @Test func anEditedCommentIsFound() throws {
        let (engine, connection, ids, _) = try tamperable()
        try connection.execute("UPDATE history SET comment = '60 Fälle' WHERE ticket_id = '\(ids[0])' AND revision = 3")
        #expect(try findings(engine) == ["\(ids[0])@3: the entry's content was changed"])
    }

    @Test func anEditedActorIsFound() throws {
        let (engine, connection, ids, _) = try tamperable()
        try connection.execute("UPDATE history SET actor = 'ki.leitung' WHERE ticket_id = '\(ids[1])' AND revision = 2")
        #expect(try findings(engine) == ["\(ids[1])@2: the chain is broken: the entry, or one before it, was changed, inserted or removed"])
    }

    @Test func aDeletedEntryIsFound() throws {
        let (engine, connection, ids, _) = try tamperable()
        try connection.execute("DELETE FROM history WHERE ticket_id = '\(ids[0])' AND revision = 2")
        #expect(try findings(engine).first?.hasPrefix("\(ids[0])@3: entry 2 is missing") == true)
    }

    @Test func aDeletedLastEntryIsFound() throws {
        let (engine, connection, ids, _) = try tamperable()
        try connection.execute("DELETE FROM history WHERE ticket_id = '\(ids[1])' AND revision = 4")
        #expect(try findings(engine) == ["\(ids[1])@3: entries after revision 3 were removed"])
    }

    @Test func anInsertedEntryIsFound() throws {
        let (engine, connection, ids, _) = try tamperable()
        try connection.execute(
            """
            UPDATE history SET revision = revision + 100 WHERE ticket_id = '\(ids[0])' AND revision >= 3;
            UPDATE history SET revision = revision - 99 WHERE ticket_id = '\(ids[0])' AND revision > 100;
            INSERT INTO history(ticket_id, revision, at, actor, role, event, from_state, to_state, changes, content_digest, chain_hash,
                                chain_format)
            SELECT ticket_id, 3, at, actor, role, event, from_state, to_state, changes, content_digest, chain_hash, chain_format
            FROM history WHERE ticket_id = '\(ids[0])' AND revision = 2;
            """)
        #expect(try findings(engine).first?.hasPrefix("\(ids[0])@3: the chain is broken") == true)
    }

    @Test func reorderedEntriesAreFound() throws {
        let (engine, connection, ids, _) = try tamperable()
        try connection.execute(
            """
            UPDATE history SET revision = 99 WHERE ticket_id = '\(ids[1])' AND revision = 2;
            UPDATE history SET revision = 2 WHERE ticket_id = '\(ids[1])' AND revision = 3;
            UPDATE history SET revision = 3 WHERE ticket_id = '\(ids[1])' AND revision = 99;
            """)
        #expect(try findings(engine).first?.hasPrefix("\(ids[1])@2: the chain is broken") == true)
    }

    @Test func nulledChainColumnsAreNeverLaunderedByALaterCommandTimerOrReopening() throws {
        let (engine, connection, ids, folder) = try tamperable()
        try connection.execute(
            """
            UPDATE history SET comment = '60 Fälle', content_digest = NULL, chain_hash = NULL WHERE ticket_id = '\(ids[0])';
            UPDATE tickets SET history_head = NULL WHERE id = '\(ids[0])';
            UPDATE tickets SET history_head = NULL WHERE id = '\(ids[1])';
            """)
        #expect(throws: EngineError.chainHeadMissing(ticket: ids[0])) {
            try engine.fire(ids[0], Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Vorschlag")]))
        }
        // A timer that would add to such a history is refused; the others go on.
        let other = try engine.open(
            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)
        ).ticket.id
        try connection.execute("UPDATE tickets SET history_head = NULL WHERE id = '\(other)'")
        let untouched = try engine.open(
            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)
        ).ticket.id
        let reopened = Engine(
            store: try SQLiteStore(path: folder.path("test.sqlite")), clock: ManualClock(Fixtures.start.addingTimeInterval(40 * 86_400)))
        var notes: [String] = []
        _ = try reopened.fireDueTimers { notes.append($0.summary) }
        #expect(notes.contains("\(other) reported/escalation: refused: \(EngineError.chainHeadMissing(ticket: other))"))
        #expect(try reopened.ticket(untouched).state == "ki_review")
        // Opening the store again computed nothing: every such ticket is a finding.
        #expect(
            try findings(reopened) == [
                "\(ids[0])@1: entry has no hash", "\(ids[1])@4: the ticket has lost its chain head",
                "\(other)@1: the ticket has lost its chain head",
            ])
        #expect(try reopened.verifyHistory().backfilled == 0)
    }

    @Test func entriesFromBeforeTheChainAreChainedAtMigrationAndMarkedAsSuch() throws {
        let (_, connection, ids, folder) = try tamperable()
        // The database as GapFlow left it before the chain existed (schema version 4).
        try connection.execute(
            """
            \(BoundedReadSchema.undo)
            DROP INDEX history_unchained;
            ALTER TABLE history DROP COLUMN content_digest; ALTER TABLE history DROP COLUMN chain_hash;
            ALTER TABLE history DROP COLUMN chain_backfilled; ALTER TABLE history DROP COLUMN purged;
            ALTER TABLE tickets DROP COLUMN history_head; ALTER TABLE history DROP COLUMN account;
            DROP TABLE web_sessions; DROP TABLE credentials;
            ALTER TABLE history DROP COLUMN chain_format; ALTER TABLE history DROP COLUMN redacted_digests;
            ALTER TABLE history DROP COLUMN redaction; ALTER TABLE history DROP COLUMN deputy_for;
            DROP TABLE store_identity; DROP TABLE admin_log;
            DROP TABLE decision_votes; DROP TABLE board_members; DROP TABLE agenda_entries; DROP TABLE meeting_documents;
            ALTER TABLE meetings DROP COLUMN status; ALTER TABLE meetings DROP COLUMN sequence;
            ALTER TABLE meetings DROP COLUMN updated_at; ALTER TABLE meetings DROP COLUMN attendance;
            DELETE FROM schema_migrations WHERE version >= 5; PRAGMA user_version=4;
            """)
        let reopened = Engine(store: try SQLiteStore(path: folder.path("test.sqlite")), clock: ManualClock(Fixtures.start))
        let report = try reopened.verifyHistory()
        #expect(report.findings.isEmpty && report.backfilled == 8)
        try connection.execute("UPDATE history SET comment = 'x' WHERE ticket_id = '\(ids[0])' AND revision = 1")
        #expect(try reopened.verifyHistory().findings.map(\.revision) == [1])
    }

    @Test func aPurgeKeepsTheChainVerifiable() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let id = try engine.open(
            workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)
        ).ticket.id
        try engine.fire(id, Command(.fire(event: "dismiss"), actor: Fixtures.coordinator, values: ["reason": .text("Einzelfall")]))
        try engine.fire(id, Command(.fire(event: "publish"), actor: Fixtures.coordinator, values: ["feedback": .text("Erledigt")]))
        clock.advance(by: 800 * 86_400)
        #expect(try engine.purge(actor: Actor(name: "admin", roles: ["admin"]), check: false).count == 1)
        #expect(try engine.verifyHistory().findings.isEmpty)
    }

    @Test func anEditedTicketRowIsFoundAgainstItsHistory() throws {
        let (engine, connection, ids, _) = try tamperable()
        try connection.execute("UPDATE tickets SET state = 'reported' WHERE id = '\(ids[0])'")
        try connection.execute(
            "UPDATE tickets SET fields = json_set(fields, '$.title.text', 'Geändert') WHERE id = '\(ids[1])'")
        #expect(
            try findings(engine) == [
                "\(ids[0])@4: the ticket is in state \"reported\", but its history leads to \"ki_review\"",
                "\(ids[1])@4: the ticket's fields differ from its history: title",
            ])
    }

    @Test func removedAppendOnlyTriggersAndAStoredPurgeMarkerAreFound() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder)
        #expect(try engine.verifyHistory().storeProblems.isEmpty)
        let connection = try Connection(path: folder.path("test.sqlite"), readOnly: false, create: false)
        try connection.execute("INSERT INTO purge_session(id) VALUES(1)")
        #expect(try engine.verifyHistory().storeProblems.count == 1)
        try connection.execute("DELETE FROM purge_session; DROP TRIGGER history_is_append_only_delete")
        let report = try engine.verifyHistory()
        #expect(report.storeProblems == ["the trigger history_is_append_only_delete that keeps the history append-only was removed"])
        #expect(!report.verifies)
    }
}
