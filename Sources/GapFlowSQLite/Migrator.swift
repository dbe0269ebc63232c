import Foundation
import GapFlow

/// The schema's history as ordered, named steps; a database is moved forward step by step, never back.
enum Migrator {
    struct Step: Sendable {
        let version: Int
        let name: String
        let sql: String
        /// Work on the data that belongs to this step, run once in the migration's transaction after all pending steps' SQL.
        var data: (@Sendable (Connection) throws(StoreError) -> Void)? = nil
    }

    static let steps: [Step] = [
        Step(
            version: 1, name: "tickets, history, definitions, actors",
            sql: """
                CREATE TABLE schema_migrations(
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;
                CREATE TABLE definitions(
                    workflow_id TEXT NOT NULL, version INTEGER NOT NULL, title TEXT NOT NULL,
                    content_hash TEXT NOT NULL, source TEXT NOT NULL, file TEXT NOT NULL, registered_at TEXT NOT NULL,
                    PRIMARY KEY(workflow_id, version)) STRICT;
                CREATE TABLE actors(
                    name TEXT PRIMARY KEY, municipality TEXT, created_at TEXT NOT NULL) STRICT;
                CREATE TABLE actor_roles(
                    actor TEXT NOT NULL REFERENCES actors(name) ON DELETE CASCADE, role TEXT NOT NULL,
                    PRIMARY KEY(actor, role)) STRICT;
                CREATE TABLE ticket_sequences(
                    prefix TEXT NOT NULL, year INTEGER NOT NULL, last INTEGER NOT NULL, PRIMARY KEY(prefix, year)) STRICT;
                CREATE TABLE tickets(
                    id TEXT PRIMARY KEY, workflow_id TEXT NOT NULL, version INTEGER NOT NULL, state TEXT NOT NULL,
                    revision INTEGER NOT NULL, fields TEXT NOT NULL, opened_at TEXT NOT NULL, opened_by TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    FOREIGN KEY(workflow_id, version) REFERENCES definitions(workflow_id, version)) STRICT;
                CREATE INDEX tickets_by_state ON tickets(workflow_id, state);
                CREATE TABLE history(
                    ticket_id TEXT NOT NULL REFERENCES tickets(id), revision INTEGER NOT NULL, at TEXT NOT NULL,
                    actor TEXT NOT NULL, role TEXT NOT NULL, event TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL,
                    changes TEXT NOT NULL, comment TEXT,
                    PRIMARY KEY(ticket_id, revision)) STRICT;
                CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
                    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
                CREATE TRIGGER history_is_append_only_delete BEFORE DELETE ON history
                    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
                """),
        Step(
            version: 2, name: "durable timers and the outbox",
            sql: """
                CREATE TABLE timers(
                    id INTEGER PRIMARY KEY, ticket_id TEXT NOT NULL REFERENCES tickets(id), state TEXT NOT NULL,
                    timer TEXT NOT NULL, armed_at TEXT NOT NULL, armed_revision INTEGER NOT NULL, due_ms INTEGER NOT NULL,
                    status TEXT NOT NULL DEFAULT 'pending'
                        CHECK(status IN ('pending', 'fired', 'skipped', 'cancelled', 'refused')),
                    done_at TEXT, late_ms INTEGER, note TEXT) STRICT;
                CREATE INDEX timers_pending_by_due ON timers(due_ms, id) WHERE status = 'pending';
                CREATE INDEX timers_by_ticket ON timers(ticket_id);
                CREATE TABLE outbox(
                    id TEXT PRIMARY KEY, created_at TEXT NOT NULL, ticket_id TEXT NOT NULL, kind TEXT NOT NULL,
                    role TEXT NOT NULL, payload TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_ms INTEGER NOT NULL, delivered_at TEXT, last_error TEXT) STRICT;
                CREATE INDEX outbox_undelivered ON outbox(next_attempt_ms) WHERE delivered_at IS NULL;
                """),
        Step(
            version: 3, name: "meetings, and decisions recorded with their meeting and resolution number",
            sql: """
                CREATE TABLE meetings(
                    id INTEGER PRIMARY KEY, workflow_id TEXT NOT NULL, date TEXT NOT NULL, time TEXT, title TEXT NOT NULL,
                    place TEXT, submission_deadline TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;
                CREATE INDEX meetings_by_date ON meetings(workflow_id, date);
                ALTER TABLE history ADD COLUMN meeting_id INTEGER REFERENCES meetings(id);
                ALTER TABLE history ADD COLUMN resolution TEXT;
                CREATE INDEX history_by_meeting ON history(meeting_id) WHERE meeting_id IS NOT NULL;
                """),
        Step(
            version: 4, name: "retention: anonymising closed tickets, the only change the history allows",
            sql: """
                CREATE TABLE purge_session(id INTEGER PRIMARY KEY) STRICT;
                DROP TRIGGER history_is_append_only_update;
                CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
                    WHEN NOT EXISTS (SELECT 1 FROM purge_session)
                    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
                """),
        Step(
            version: 5, name: "tamper-evident history: a hash chain per ticket",
            sql: """
                ALTER TABLE history ADD COLUMN content_digest TEXT;
                ALTER TABLE history ADD COLUMN chain_hash TEXT;
                ALTER TABLE history ADD COLUMN chain_backfilled INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE history ADD COLUMN purged INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE tickets ADD COLUMN history_head TEXT;
                """,
            // The only place that ever computes a chain over entries already written: once, when the chain is introduced,
            // each such entry marked as chained at migration. Afterwards an entry without a hash is a finding of the audit.
            data: { connection throws(StoreError) in _ = try SQLiteTransaction(connection: connection).backfillChains() }),
        Step(
            version: 6, name: "tickets by state in list order, so that a limited list reads only what it shows",
            sql: """
                DROP INDEX tickets_by_state;
                CREATE INDEX tickets_by_state ON tickets(workflow_id, state, opened_at, id);
                CREATE INDEX history_unchained ON history(ticket_id) WHERE chain_hash IS NULL;
                """),
        Step(
            version: 7, name: "who ran it: the operating-system account beside the actor",
            sql: """
                ALTER TABLE history ADD COLUMN account TEXT;
                """),
        Step(
            version: 8, name: "the database's identity, and the admin log: account changes and checkpoints, append-only and hash-chained",
            sql: """
                CREATE TABLE store_identity(id TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;
                CREATE TABLE admin_log(
                    sequence INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, actor TEXT, account TEXT, subject TEXT,
                    details TEXT NOT NULL, hash TEXT NOT NULL) STRICT;
                CREATE INDEX admin_log_by_kind ON admin_log(kind, sequence);
                CREATE TRIGGER admin_log_is_append_only_update BEFORE UPDATE ON admin_log
                    BEGIN SELECT RAISE(ABORT, 'the admin log is append-only'); END;
                CREATE TRIGGER admin_log_is_append_only_delete BEFORE DELETE ON admin_log
                    BEGIN SELECT RAISE(ABORT, 'the admin log is append-only'); END;
                """,
            // A random identity, so that a checkpoint of another database is recognised (backups and imports keep it).
            data: { connection throws(StoreError) in
                guard let identity = StoreIdentity.random() else {
                    throw StoreError.failed(path: connection.path, message: "OpenSSL could not make a random database identity")
                }
                try connection.query(
                    "INSERT INTO store_identity(id, created_at) VALUES(?, ?)", [.text(identity), .text(Timestamp.iso8601(Date()))])
            }),
        Step(
            version: 9, name: "redaction: per-value content digests, the digests of redacted values, and a redaction's record",
            sql: """
                ALTER TABLE history ADD COLUMN chain_format INTEGER NOT NULL DEFAULT 1;
                ALTER TABLE history ADD COLUMN redacted_digests TEXT;
                ALTER TABLE history ADD COLUMN redaction TEXT;
                """),
        Step(
            version: 10, name: "logins: password hashes and API token digests per actor, and the web front's sessions",
            sql: """
                CREATE TABLE credentials(
                    actor TEXT PRIMARY KEY REFERENCES actors(name), password TEXT, api_token TEXT UNIQUE) STRICT;
                CREATE TABLE web_sessions(
                    digest TEXT PRIMARY KEY, actor TEXT NOT NULL, csrf_token TEXT NOT NULL,
                    created_ms INTEGER NOT NULL, seen_ms INTEGER NOT NULL) STRICT;
                CREATE INDEX web_sessions_by_actor ON web_sessions(actor);
                """),
        Step(
            version: 11, name: "reads bounded at a million tickets: list and queue order, counts per state, the tickets' words",
            sql: BoundedReadSchema.sql,
            data: { connection throws(StoreError) in try connection.execute(BoundedReadSchema.backfill) }),
        Step(
            version: 12,
            name: "meeting records: life cycle, frozen agendas and minutes, agenda items, the board's register, attendance, votes",
            sql: """
                ALTER TABLE meetings ADD COLUMN status TEXT NOT NULL DEFAULT 'draft'
                    CHECK(status IN ('draft', 'published', 'approved', 'cancelled'));
                ALTER TABLE meetings ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE meetings ADD COLUMN updated_at TEXT;
                CREATE TABLE meeting_documents(
                    meeting_id INTEGER NOT NULL REFERENCES meetings(id), kind TEXT NOT NULL, issue INTEGER NOT NULL,
                    format TEXT NOT NULL, created_at TEXT NOT NULL, content TEXT NOT NULL,
                    PRIMARY KEY(meeting_id, kind, issue, format)) STRICT;
                CREATE TRIGGER meeting_documents_are_frozen_update BEFORE UPDATE ON meeting_documents
                    BEGIN SELECT RAISE(ABORT, 'a frozen meeting document cannot be changed'); END;
                CREATE TRIGGER meeting_documents_are_frozen_delete BEFORE DELETE ON meeting_documents
                    BEGIN SELECT RAISE(ABORT, 'a frozen meeting document cannot be removed'); END;
                CREATE TABLE agenda_entries(
                    meeting_id INTEGER NOT NULL REFERENCES meetings(id), number TEXT NOT NULL,
                    ticket_id TEXT NOT NULL REFERENCES tickets(id), issue INTEGER NOT NULL,
                    PRIMARY KEY(meeting_id, ticket_id)) STRICT;
                ALTER TABLE meetings ADD COLUMN attendance TEXT;
                CREATE TABLE board_members(
                    workflow_id TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL, deputy TEXT, added_at TEXT NOT NULL,
                    PRIMARY KEY(workflow_id, name)) STRICT;
                CREATE TABLE decision_votes(
                    ticket_id TEXT NOT NULL, revision INTEGER NOT NULL, vote TEXT NOT NULL,
                    PRIMARY KEY(ticket_id, revision), FOREIGN KEY(ticket_id, revision) REFERENCES history(ticket_id, revision)) STRICT;
                """),
        Step(
            version: 13, name: "deputies: the actor a deputy acted for, beside the deputy",
            sql: """
                ALTER TABLE history ADD COLUMN deputy_for TEXT;
                """),
    ]

    static var latest: Int { steps.last?.version ?? 0 }

    /// Applies every step the database lacks, all in one transaction: a database is migrated completely or not at
    /// all, and the steps' data work runs after all their SQL, on the schema as it ends up.
    ///
    /// A step is lacking when `schema_migrations` does not record it, not only when its number is above the
    /// database's version: a database made while a lower-numbered step was still being written (on another branch)
    /// gets that step too.
    static func migrate(_ connection: Connection) throws(StoreError) {
        let current = try version(of: connection)
        if current > latest {
            throw StoreError.newerSchema(path: connection.path, found: current, supported: latest)
        }
        let recorded = try appliedVersions(connection, version: current)
        if steps.allSatisfy({ recorded.contains($0.version) }) { return }
        try connection.execute("BEGIN IMMEDIATE")
        do {
            // Another process may have migrated while this one waited for the lock.
            let applied = try appliedVersions(connection, version: try version(of: connection))
            let pending = steps.filter { !applied.contains($0.version) }
            for step in pending {
                try connection.execute(step.sql)
                try connection.query(
                    "INSERT INTO schema_migrations(version, name, applied_at) VALUES(?, ?, ?)",
                    [.integer(step.version), .text(step.name), .text(Timestamp.iso8601(Date()))])
            }
            for step in pending { try step.data?(connection) }
            if let last = pending.last, last.version > current {
                try connection.execute("PRAGMA application_id=\(SQLiteStore.applicationID); PRAGMA user_version=\(last.version)")
            }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// The steps `schema_migrations` records (none in a database not yet created).
    static func appliedVersions(_ connection: Connection, version: Int) throws(StoreError) -> Set<Int> {
        guard version > 0 else { return [] }
        return Set(try connection.query("SELECT version FROM schema_migrations").compactMap { $0.first?.integer })
    }

    /// Refuses a database this version cannot read (too new, or not yet created).
    static func check(_ connection: Connection) throws(StoreError) {
        let current = try version(of: connection)
        if current > latest { throw StoreError.newerSchema(path: connection.path, found: current, supported: latest) }
        if current == 0 { throw StoreError.missing(path: connection.path) }
    }

    static func version(of connection: Connection) throws(StoreError) -> Int {
        try connection.query("PRAGMA user_version").first?.first?.integer ?? 0
    }
}
