/// Migration 11: what lets every read at a million tickets touch only what it shows (issue 15).
///
/// Everything here is derived from the tickets, their history and their timers, and kept up to date by triggers in
/// the same transaction as the rows it derives from, so no code path (a command, an import, a migration of tickets)
/// can forget it; none of it is exported.
/// - `tickets.entered_at`, `next_due`, `stay_due`: the ticket's stay as the engine's rule (``StoreTransaction/stay(of:now:)``)
///   defines it, without `now`: when it entered its state, its earliest pending timer of this stay, and its earliest
///   timer of this stay that is pending or fired. At `now` it is overdue exactly when `stay_due <= now`.
/// - indexes in list order and in queue order, and a partial index of the tickets with a due-able timer;
/// - `ticket_state_counts`: tickets per workflow, version and state;
/// - `ticket_words`: an FTS5 index of the text values of each ticket's fields, by the ticket's rowid.
enum BoundedReadSchema {
    /// The derived columns (`table.column`), which an export leaves out.
    static let derivedColumns: Set<String> = ["tickets.entered_at", "tickets.next_due", "tickets.stay_due"]

    /// Recomputes the stay columns of the ticket `id` (an SQL expression).
    static func refreshStay(_ id: String) -> String {
        """
        UPDATE tickets SET entered_at = coalesce(
            (SELECT max(h.at) FROM history h WHERE h.ticket_id = tickets.id AND h.to_state = tickets.state AND h.redaction IS NULL),
            tickets.updated_at) WHERE id = \(id);
        \(refreshDue(id))
        """
    }

    static func refreshDue(_ id: String) -> String {
        """
        UPDATE tickets SET
            next_due = (SELECT min(m.due_ms) FROM timers m WHERE m.ticket_id = tickets.id AND m.state = tickets.state
                AND m.status = 'pending' AND m.armed_at >= tickets.entered_at),
            stay_due = (SELECT min(m.due_ms) FROM timers m WHERE m.ticket_id = tickets.id AND m.state = tickets.state
                AND m.status IN ('pending', 'fired') AND m.armed_at >= tickets.entered_at)
            WHERE id = \(id);
        """
    }

    /// The text values of a ticket's stored fields, space-separated (an SQL expression over `fields`).
    static func words(_ fields: String) -> String {
        "(SELECT group_concat(j.value, ' ') FROM json_each(\(fields)) f, json_each(f.value) j WHERE j.key = 'text')"
    }

    static let sql = """
        ALTER TABLE tickets ADD COLUMN entered_at TEXT;
        ALTER TABLE tickets ADD COLUMN next_due INTEGER;
        ALTER TABLE tickets ADD COLUMN stay_due INTEGER;
        CREATE INDEX tickets_in_list_order ON tickets(workflow_id, opened_at, id);
        CREATE INDEX tickets_in_queue_order ON tickets(workflow_id, state, next_due, entered_at, id);
        CREATE INDEX tickets_overdue_by_stay ON tickets(workflow_id, state, stay_due, next_due, entered_at, id)
            WHERE stay_due IS NOT NULL;
        CREATE TABLE ticket_state_counts(
            workflow_id TEXT NOT NULL, version INTEGER NOT NULL, state TEXT NOT NULL, count INTEGER NOT NULL,
            PRIMARY KEY(workflow_id, version, state)) STRICT, WITHOUT ROWID;
        CREATE VIRTUAL TABLE ticket_words USING fts5(words, tokenize = 'unicode61');

        CREATE TRIGGER tickets_derived_insert AFTER INSERT ON tickets BEGIN
            INSERT INTO ticket_state_counts VALUES(new.workflow_id, new.version, new.state, 1)
                ON CONFLICT(workflow_id, version, state) DO UPDATE SET count = count + 1;
            INSERT INTO ticket_words(rowid, words) VALUES(new.rowid, coalesce(\(words("new.fields")), ''));
            \(refreshStay("new.id"))
        END;
        CREATE TRIGGER tickets_derived_move AFTER UPDATE OF workflow_id, version, state ON tickets
            WHEN old.state IS NOT new.state OR old.version IS NOT new.version OR old.workflow_id IS NOT new.workflow_id BEGIN
            UPDATE ticket_state_counts SET count = count - 1
                WHERE workflow_id = old.workflow_id AND version = old.version AND state = old.state;
            INSERT INTO ticket_state_counts VALUES(new.workflow_id, new.version, new.state, 1)
                ON CONFLICT(workflow_id, version, state) DO UPDATE SET count = count + 1;
        END;
        CREATE TRIGGER tickets_derived_stay AFTER UPDATE OF state ON tickets WHEN old.state IS NOT new.state BEGIN
            \(refreshStay("new.id"))
        END;
        CREATE TRIGGER tickets_derived_words AFTER UPDATE OF fields ON tickets WHEN old.fields IS NOT new.fields BEGIN
            UPDATE ticket_words SET words = coalesce(\(words("new.fields")), '') WHERE rowid = new.rowid;
        END;
        CREATE TRIGGER tickets_derived_delete AFTER DELETE ON tickets BEGIN
            UPDATE ticket_state_counts SET count = count - 1
                WHERE workflow_id = old.workflow_id AND version = old.version AND state = old.state;
            DELETE FROM ticket_words WHERE rowid = old.rowid;
        END;
        CREATE TRIGGER history_derived_stay AFTER INSERT ON history BEGIN
            \(refreshStay("new.ticket_id"))
        END;
        CREATE TRIGGER timers_derived_insert AFTER INSERT ON timers BEGIN
            \(refreshDue("new.ticket_id"))
        END;
        CREATE TRIGGER timers_derived_status AFTER UPDATE OF status, due_ms, state, armed_at ON timers BEGIN
            \(refreshDue("new.ticket_id"))
        END;
        """

    /// Fills the derived columns and tables for the tickets already there (once, in the migration's transaction).
    static let backfill = """
        INSERT INTO ticket_state_counts SELECT workflow_id, version, state, count(*) FROM tickets GROUP BY 1, 2, 3;
        INSERT INTO ticket_words(rowid, words) SELECT rowid, coalesce(\(words("fields")), '') FROM tickets;
        \(refreshStay("tickets.id"))
        """

    /// Takes migration 11 back out (for tests that make a database look older than it is).
    static let undo = """
        DROP TRIGGER tickets_derived_insert; DROP TRIGGER tickets_derived_move; DROP TRIGGER tickets_derived_stay;
        DROP TRIGGER tickets_derived_words; DROP TRIGGER tickets_derived_delete; DROP TRIGGER history_derived_stay;
        DROP TRIGGER timers_derived_insert; DROP TRIGGER timers_derived_status;
        DROP INDEX tickets_in_list_order; DROP INDEX tickets_in_queue_order; DROP INDEX tickets_overdue_by_stay;
        DROP TABLE ticket_state_counts; DROP TABLE ticket_words;
        ALTER TABLE tickets DROP COLUMN entered_at; ALTER TABLE tickets DROP COLUMN next_due; ALTER TABLE tickets DROP COLUMN stay_due;
        DELETE FROM schema_migrations WHERE version = 11;

        """

    /// Builds the word index anew from the tickets (after `VACUUM`, which may renumber the tickets' rowids), so that
    /// it holds nothing of text that was removed from a ticket.
    static let rebuildWords = """
        DELETE FROM ticket_words;
        INSERT INTO ticket_words(rowid, words) SELECT rowid, coalesce(\(words("fields")), '') FROM tickets;
        INSERT INTO ticket_words(ticket_words) VALUES('optimize');
        """
}
