import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowSQLite

/// Signed checkpoints against an attacker who can write the database file: every attack the issue lists is
/// reproduced with raw SQL on the file (after dropping the triggers, as a tamperer would) and shown to be found.
@Suite struct CheckpointTests {
    private let workflow = "systemic-gap-escalation"

    /// A database with two tickets of four entries each and an admin log, a checkpoint of it signed by `key`, and a
    /// plain connection without the guards.
    private struct Setup {
        let engine: Engine
        let clock: ManualClock
        let folder: TemporaryFolder
        let ids: [String]
        let key: SigningKey
        let checkpoint: Checkpoint
        let connection: Connection

        func verify() throws -> CheckpointReport {
            try engine.verify(against: checkpoint, trustedKey: key.publicKey, file: "checkpoint.json")
        }

        /// Every problem as one line: the audit's and the checkpoint's.
        func problems() throws -> [String] {
            let report = try verify()
            return report.audit.problems + report.findings.map { "signed \($0.ticket)@\($0.revision): \($0.problem)" }
                + (report.adminLogFinding.map { ["signed admin log@\($0.sequence): \($0.problem)"] } ?? [])
        }
    }

    private func setUp() throws -> Setup {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        var ids: [String] = []
        for _ in 0..<2 {
            let id = try engine.open(workflow: workflow, Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)).ticket.id
            clock.advance(by: 3600)
            try engine.fire(id, Command(.fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("Wie viele?")]))
            try engine.fire(
                id,
                Command(.fire(event: "resubmit"), actor: Fixtures.caseManager, values: ["cases_observed": .text("6")], comment: "6 Fälle"))
            try engine.fire(id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
            ids.append(id)
        }
        let key = try #require(SigningKey.generate())
        var written: Checkpoint?
        let checkpoint = try engine.takeCheckpoint(key: key, actor: "admin") { written = $0 }
        #expect(written == checkpoint)
        let connection = try Connection(path: folder.path("test.sqlite"), readOnly: false, create: false)
        try connection.execute(
            """
            DROP TRIGGER history_is_append_only_update; DROP TRIGGER history_is_append_only_delete;
            DROP TRIGGER admin_log_is_append_only_update; DROP TRIGGER admin_log_is_append_only_delete;
            """)
        return Setup(engine: engine, clock: clock, folder: folder, ids: ids, key: key, checkpoint: checkpoint, connection: connection)
    }

    /// Puts the dropped triggers back exactly as the migrations made them, so the store's guards look untouched.
    private func restoreTriggers(_ connection: Connection) throws {
        try connection.execute(
            """
            CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
                WHEN NOT EXISTS (SELECT 1 FROM purge_session)
                BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
            CREATE TRIGGER history_is_append_only_delete BEFORE DELETE ON history
                BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
            CREATE TRIGGER admin_log_is_append_only_update BEFORE UPDATE ON admin_log
                BEGIN SELECT RAISE(ABORT, 'the admin log is append-only'); END;
            CREATE TRIGGER admin_log_is_append_only_delete BEFORE DELETE ON admin_log
                BEGIN SELECT RAISE(ABORT, 'the admin log is append-only'); END;
            """)
    }

    /// Recomputes a ticket's chain by hand from its first entry, as an attacker without the key can.
    private func recomputeChain(of ticket: String, _ setup: Setup) throws {
        let chain = try setup.engine.store.read { tx in try tx.chainedHistory(of: ticket) }
        var previous = HistoryChain.genesis
        for chained in chain {
            let digest = HistoryChain.contentDigest(of: chained.entry)  // the per-value form new entries are written in
            let link = HistoryChain.link(previous: previous, ticket: ticket, entry: chained.entry, contentDigest: digest)
            try setup.connection.execute(
                "UPDATE history SET content_digest = '\(digest)', chain_hash = '\(link)' WHERE ticket_id = '\(ticket)' "
                    + "AND revision = \(chained.entry.revision)")
            previous = link
        }
        try setup.connection.execute("UPDATE tickets SET history_head = '\(previous)' WHERE id = '\(ticket)'")
    }

    // MARK: - What verifies

    @Test func anUntouchedDatabaseVerifiesAgainstItsCheckpointAndTheCheckpointIsRecorded() throws {
        let setup = try setUp()
        try restoreTriggers(setup.connection)
        let report = try setup.verify()
        #expect(report.verifies, "\(report.audit.problems) \(report.findings)")
        #expect(report.signedTickets == 2 && report.newTickets == 0)
        #expect(setup.checkpoint.tickets.map(\.entries) == [4, 4])
        #expect(setup.checkpoint.adminLog.entries == 5, "the five fixture actors")
        let recorded = try #require(try setup.engine.latestCheckpoint())
        #expect(recorded.root == setup.checkpoint.root && recorded.key == setup.key.publicKey.fingerprint)
        let entry = try #require(try setup.engine.adminLog().last)
        #expect(entry.kind == AdminLogKind.checkpointTaken && entry.actor == "admin")
        // The file round-trips.
        #expect(try Checkpoint.parse(Array(setup.checkpoint.json.utf8), file: "f") == setup.checkpoint)
    }

    @Test func laterEventsStillVerifyAgainstAnOldCheckpoint() throws {
        let setup = try setUp()
        try restoreTriggers(setup.connection)
        let engine = setup.engine
        setup.clock.advance(by: 86_400)
        try engine.fire(setup.ids[0], Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Vorschlag")]))
        _ = try engine.open(workflow: workflow, Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues))
        try engine.saveActor(Actor(name: "cm.troisdorf", roles: ["cm"], municipality: "Troisdorf"))
        setup.clock.advance(by: 60 * 86_400)
        try engine.fireDueTimers()
        let second = try engine.takeCheckpoint(key: setup.key, actor: nil) { _ in }
        let report = try setup.verify()
        #expect(report.verifies, "\(report.audit.problems) \(report.findings)")
        #expect(report.newTickets == 1)
        #expect(try engine.verify(against: second, trustedKey: setup.key.publicKey, file: "second").verifies)
        #expect(try engine.latestCheckpoint()?.root == second.root)
        #expect(try engine.latestCheckpoint(atOrBefore: Fixtures.start.addingTimeInterval(86_400))?.root == setup.checkpoint.root)
    }

    // MARK: - The attacks of issue 11

    @Test func nulledChainColumnsAreFoundAndNeverLaunderedByALaterCommandOrReopening() throws {
        let setup = try setUp()
        let id = setup.ids[0]
        try setup.connection.execute(
            """
            UPDATE history SET comment = '60 Fälle', content_digest = NULL, chain_hash = NULL WHERE ticket_id = '\(id)';
            UPDATE tickets SET history_head = NULL WHERE id = '\(id)';
            """)
        try restoreTriggers(setup.connection)
        #expect(throws: EngineError.chainHeadMissing(ticket: id)) {
            try setup.engine.fire(id, Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Vorschlag")]))
        }
        // Opening the store again computes nothing: the entries stay without a hash and are found.
        let reopened = Engine(store: try SQLiteStore(path: setup.folder.path("test.sqlite")), clock: setup.clock)
        let audit = try reopened.verifyHistory()
        #expect(audit.findings.map(\.problem) == ["entry has no hash"])
        #expect(audit.backfilled == 0)
        let report = try reopened.verify(against: setup.checkpoint, trustedKey: setup.key.publicKey, file: "checkpoint.json")
        #expect(!report.verifies)
        #expect(report.findings.map(\.ticket) == [id])
    }

    @Test func aTimerOfAHistoryWithoutItsHeadIsRefusedAndOthersStillFire() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock)
        let tampered = try engine.open(workflow: workflow, Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)).ticket
            .id
        let untouched = try engine.open(workflow: workflow, Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)).ticket
            .id
        let connection = try Connection(path: folder.path("test.sqlite"), readOnly: false, create: false)
        try connection.execute("UPDATE tickets SET history_head = NULL WHERE id = '\(tampered)'")
        clock.advance(by: 30 * 86_400)
        var notes: [String] = []
        _ = try engine.fireDueTimers { notes.append($0.summary) }
        #expect(notes.contains("\(tampered) reported/escalation: refused: \(EngineError.chainHeadMissing(ticket: tampered))"))
        #expect(try engine.ticket(untouched).state == "ki_review")
        #expect(try engine.ticket(tampered).state == "reported")
        #expect(try engine.verifyHistory().findings.map(\.problem) == ["the ticket has lost its chain head"])
    }

    @Test func launderingThroughARewoundMigrationIsFoundByTheCheckpoint() throws {
        let setup = try setUp()
        let id = setup.ids[1]
        let identity = try setup.engine.storeIdentity()
        // Edit an entry, then make the database look older than the chain so that the migration chains the edit.
        try setup.connection.execute(
            """
            \(BoundedReadSchema.undo)
            UPDATE history SET comment = '60 Fälle' WHERE ticket_id = '\(id)' AND revision = 3;
            DROP INDEX history_unchained;
            ALTER TABLE history DROP COLUMN content_digest; ALTER TABLE history DROP COLUMN chain_hash;
            ALTER TABLE history DROP COLUMN chain_backfilled; ALTER TABLE history DROP COLUMN purged;
            ALTER TABLE tickets DROP COLUMN history_head; ALTER TABLE history DROP COLUMN account;
            DROP TABLE store_identity; DROP TABLE admin_log; DROP TABLE web_sessions; DROP TABLE credentials;
            ALTER TABLE history DROP COLUMN chain_format; ALTER TABLE history DROP COLUMN redacted_digests;
            ALTER TABLE history DROP COLUMN redaction; ALTER TABLE history DROP COLUMN deputy_for;
            DROP TABLE decision_votes; DROP TABLE board_members; DROP TABLE agenda_entries; DROP TABLE meeting_documents;
            ALTER TABLE meetings DROP COLUMN status; ALTER TABLE meetings DROP COLUMN sequence;
            ALTER TABLE meetings DROP COLUMN updated_at; ALTER TABLE meetings DROP COLUMN attendance;
            DELETE FROM schema_migrations WHERE version >= 5; PRAGMA user_version=4;
            CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
                WHEN NOT EXISTS (SELECT 1 FROM purge_session)
                BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
            CREATE TRIGGER history_is_append_only_delete BEFORE DELETE ON history
                BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
            """)
        let reopened = Engine(store: try SQLiteStore(path: setup.folder.path("test.sqlite")), clock: setup.clock)
        let audit = try reopened.verifyHistory()
        #expect(audit.verifies && audit.backfilled == 8, "the laundered chain verifies on its own, marked as chained at migration")
        // The migration made a new identity: the old checkpoint is not this database's.
        let newIdentity = try reopened.storeIdentity()
        #expect(throws: CheckpointError.otherDatabase(file: "checkpoint.json", checkpoint: identity, database: newIdentity)) {
            try reopened.verify(against: setup.checkpoint, trustedKey: setup.key.publicKey, file: "checkpoint.json")
        }
        // Nor does it help to put the old identity back: every chain differs from its signed head, and the log is gone.
        try setup.connection.execute("UPDATE store_identity SET id = '\(identity)'")
        let report = try reopened.verify(against: setup.checkpoint, trustedKey: setup.key.publicKey, file: "checkpoint.json")
        #expect(!report.verifies)
        #expect(report.findings.map(\.ticket).contains(id))
        #expect(report.adminLogFinding?.problem.contains("entries were removed") == true)
    }

    @Test func aChainRecomputedByHandOverAnEditedEntryPassesTheAuditButNotTheCheckpoint() throws {
        let setup = try setUp()
        let id = setup.ids[0]
        try setup.connection.execute("UPDATE history SET comment = '60 Fälle' WHERE ticket_id = '\(id)' AND revision = 3")
        try recomputeChain(of: id, setup)
        try restoreTriggers(setup.connection)
        #expect(try setup.engine.verifyHistory().verifies, "without a checkpoint the forgery cannot be seen")
        #expect(
            try setup.problems() == [
                "signed \(id)@4: the entry is not the one the checkpoint signed: the history up to it was changed"
            ])
    }

    @Test func anEditedTicketRowIsFound() throws {
        let setup = try setUp()
        try setup.connection.execute("UPDATE tickets SET state = 'closed' WHERE id = '\(setup.ids[1])'")
        try restoreTriggers(setup.connection)
        #expect(
            try setup.problems() == [
                "\(setup.ids[1]) at revision 4: the ticket is in state \"closed\", but its history leads to \"ki_review\""
            ])
    }

    @Test func aDeletedTicketPassesTheAuditButNotTheCheckpoint() throws {
        let setup = try setUp()
        let id = setup.ids[0]
        try setup.connection.execute(
            """
            DELETE FROM timers WHERE ticket_id = '\(id)'; DELETE FROM outbox WHERE ticket_id = '\(id)';
            DELETE FROM history WHERE ticket_id = '\(id)'; DELETE FROM tickets WHERE id = '\(id)';
            """)
        try restoreTriggers(setup.connection)
        #expect(try setup.engine.verifyHistory().verifies, "without a checkpoint nothing shows the ticket was there")
        #expect(try setup.problems() == ["signed \(id)@4: the ticket is missing: the checkpoint signed it with 4 entries"])
    }

    @Test func aDisabledTriggerIsFound() throws {
        let setup = try setUp()
        let report = try setup.verify()
        #expect(!report.verifies)
        #expect(
            report.audit.storeProblems == [
                "the trigger history_is_append_only_update that keeps the history append-only was removed",
                "the trigger history_is_append_only_delete that keeps the history append-only was removed",
                "the trigger admin_log_is_append_only_update that keeps the admin log append-only was removed",
                "the trigger admin_log_is_append_only_delete that keeps the admin log append-only was removed",
            ])
    }

    @Test func anEditedAdminLogIsFoundAndARecomputedOneOnlyByTheCheckpoint() throws {
        let setup = try setUp()
        try setup.connection.execute("UPDATE admin_log SET details = '{\"roles\":[\"admin\"],\"municipality\":null}' WHERE sequence = 2")
        try restoreTriggers(setup.connection)
        #expect(
            try setup.engine.verifyHistory().adminLogFinding
                == .init(sequence: 2, problem: "the chain is broken: the entry, or one before it, was changed, inserted or removed"))
        // Recomputed by hand from the edited entry on.
        var previous = AdminLogChain.genesis
        for entry in try setup.engine.adminLog() {
            let link = AdminLogChain.link(previous: previous, entry: entry)
            try setup.connection.execute("DROP TRIGGER admin_log_is_append_only_update")
            try setup.connection.execute("UPDATE admin_log SET hash = '\(link)' WHERE sequence = \(entry.sequence)")
            try setup.connection.execute(
                "CREATE TRIGGER admin_log_is_append_only_update BEFORE UPDATE ON admin_log BEGIN SELECT RAISE(ABORT, 'the admin log is append-only'); END;"
            )
            previous = link
        }
        #expect(try setup.engine.verifyHistory().verifies)
        #expect(
            try setup.problems() == [
                "signed admin log@5: the entry is not the one the checkpoint signed: the admin log up to it was changed"
            ])
    }

    @Test func removedAdminLogEntriesAreFoundByTheCheckpoint() throws {
        let setup = try setUp()
        try setup.connection.execute("DELETE FROM admin_log WHERE sequence >= 4")
        try restoreTriggers(setup.connection)
        #expect(try setup.engine.verifyHistory().verifies, "a shorter log is a log")
        #expect(try setup.problems() == ["signed admin log@3: the checkpoint signed 5 entries, the admin log has 3: entries were removed"])
    }

    // MARK: - Checkpoint files that are not to be trusted

    @Test func aCheckpointSignedWithAnotherKeyOrChangedAfterSigningIsRefused() throws {
        let setup = try setUp()
        let attacker = try #require(SigningKey.generate())
        let resigned = try #require(
            Checkpoint.sign(
                database: setup.checkpoint.database, takenAt: setup.checkpoint.takenAt, adminLog: setup.checkpoint.adminLog,
                tickets: Array(setup.checkpoint.tickets.dropFirst()), key: attacker))
        #expect(
            throws: CheckpointError.signedByAnotherKey(
                file: "f", signer: attacker.publicKey.fingerprint, trusted: setup.key.publicKey.fingerprint)
        ) { try setup.engine.verify(against: resigned, trustedKey: setup.key.publicKey, file: "f") }

        // The attacker's key named, the trusted key's bytes put in: the signature does not verify.
        let swapped = resigned.json.replacingOccurrences(
            of: Data(attacker.publicKey.bytes).base64EncodedString(), with: Data(setup.key.publicKey.bytes).base64EncodedString()
        ).replacingOccurrences(of: attacker.publicKey.fingerprint, with: setup.key.publicKey.fingerprint)
        let parsed = try Checkpoint.parse(Array(swapped.utf8), file: "f")
        #expect(throws: CheckpointError.forged(file: "f", trusted: setup.key.publicKey.fingerprint)) {
            try setup.engine.verify(against: parsed, trustedKey: setup.key.publicKey, file: "f")
        }

        // One head changed in the file: it no longer hashes to the signed root.
        let edited = setup.checkpoint.json.replacingOccurrences(
            of: setup.checkpoint.tickets[0].head, with: String(repeating: "a", count: 64))
        #expect(throws: CheckpointError.listChanged(file: "f")) {
            try setup.engine.verify(
                against: try Checkpoint.parse(Array(edited.utf8), file: "f"), trustedKey: setup.key.publicKey, file: "f")
        }
    }

    @Test func truncatedForeignAndMalformedFilesAreRefusedWithOneMessage() throws {
        let setup = try setUp()
        let json = setup.checkpoint.json
        func refusal(_ text: String) -> CheckpointError? {
            do {
                _ = try Checkpoint.parse(Array(text.utf8), file: "f")
                return nil
            } catch { return error }
        }
        guard case .notACheckpoint? = refusal(String(json.prefix(json.count / 2))) else {
            Issue.record("a truncated file was read")
            return
        }
        guard case .notACheckpoint? = refusal("{\"type\": \"gapflow-export\", \"schema\": 8}") else {
            Issue.record("an export was read as a checkpoint")
            return
        }
        #expect(
            refusal(json.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2")) == .unsupportedVersion(file: "f", version: 2))
        guard case .invalid? = refusal(json.replacingOccurrences(of: "\"root\":", with: "\"rooted\":")) else {
            Issue.record("an unknown key was accepted")
            return
        }
        guard case .invalid? = refusal(json.replacingOccurrences(of: "\"entries\": 4", with: "\"entries\": -4")) else {
            Issue.record("a negative count was accepted")
            return
        }

        // A genuine checkpoint of another database, signed with the trusted key.
        let other = try Fixtures.kimEngine(in: TemporaryFolder())
        let foreign = try other.takeCheckpoint(key: setup.key, actor: nil) { _ in }
        let (theirs, ours) = (try other.storeIdentity(), try setup.engine.storeIdentity())
        #expect(throws: CheckpointError.otherDatabase(file: "f", checkpoint: theirs, database: ours)) {
            try setup.engine.verify(against: foreign, trustedKey: setup.key.publicKey, file: "f")
        }
    }

    @Test func aTamperedDatabaseIsNotSignedAndNothingIsRecorded() throws {
        let setup = try setUp()
        try setup.connection.execute("UPDATE history SET actor = 'ki.leitung' WHERE ticket_id = '\(setup.ids[0])' AND revision = 2")
        try restoreTriggers(setup.connection)
        let before = try setup.engine.adminLog()
        var kept = false
        #expect(throws: CheckpointError.self) {
            try setup.engine.takeCheckpoint(key: setup.key, actor: nil) { _ in kept = true }
        }
        #expect(!kept)
        #expect(try setup.engine.adminLog() == before)
    }

    @Test func aCheckpointWhoseFileCannotBeWrittenIsNotRecorded() throws {
        let setup = try setUp()
        try restoreTriggers(setup.connection)
        let before = try setup.engine.adminLog()
        #expect(throws: Abort.self) { try setup.engine.takeCheckpoint(key: setup.key, actor: nil) { _ in throw Abort() } }
        #expect(try setup.engine.adminLog() == before)
    }
}

/// An error a test throws on purpose.
struct Abort: Error {}
