import Foundation

/// The store port: where the engine keeps definitions, tickets, their history, timers, meetings and the outbox.
///
/// The engine knows only this protocol and ``StoreTransaction``; each store (the embedded SQLite file, PostgreSQL,
/// the in-memory ``MemoryStore``) implements both and keeps its own SQL behind them. Every store must pass the
/// store conformance suite: a transaction is all-or-nothing, revisions are gapless, a timer finishes once, and the
/// history is append-only.
public protocol TicketStore: AnyObject, Sendable {
    /// Where the store lives, for messages (a file path, or a connection string without its password).
    var location: String { get }

    /// Runs `body` in a read transaction: one consistent snapshot, even while others write.
    func read<T>(_ body: (any StoreTransaction) throws -> T) throws -> T

    /// Runs `body` in a write transaction. It commits if `body` returns and `rollback` is false; it rolls back if
    /// `body` throws, or when `rollback` is true (a dry run: the same work, nothing kept).
    ///
    /// A store shared by several processes (PostgreSQL) runs `body` again, on a fresh snapshot, when the database
    /// aborted the transaction because another one got in its way; nothing of the aborted run was kept. So `body`
    /// does its work through the transaction and keeps no effects outside it that a second run would repeat.
    func write<T>(rollback: Bool, _ body: (any StoreTransaction) throws -> T) throws -> T

    /// Writes a consistent copy of the whole store to a new file at `path`, while others may go on writing.
    func backup(to path: String) throws

    /// Makes sure that content removed by committed transactions (a redaction, a purge) is gone from the store's
    /// files too, not only from its tables: no old page in a write-ahead log, free page or unused space keeps it.
    /// Called after the transaction committed; a store without files has nothing to do.
    func eraseRemovedContent() throws

    /// Calls `observer` with the due time of timers that other processes armed (a shared store tells its nodes);
    /// a store used by one process at a time has nothing to tell, and the default does nothing.
    func observeTimersArmedElsewhere(_ observer: @escaping @Sendable (Date) -> Void)
}

extension TicketStore {
    public func observeTimersArmedElsewhere(_ observer: @escaping @Sendable (Date) -> Void) {}

    /// Runs `body` in a write transaction that commits if it returns and rolls back if it throws.
    public func write<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        try write(rollback: false, body)
    }
}

/// The operations the engine needs inside one transaction.
///
/// Methods that change something are called only inside ``TicketStore/write(rollback:_:)``. Ticket ids are passed
/// as stored (upper case); nothing here decides anything about the process: that is the engine's and the step's.
public protocol StoreTransaction {
    // MARK: Definitions

    /// The stored source and content hash of a definition version.
    func definitionSource(workflow: String, version: Int) throws -> StoredDefinitionSource?
    /// The newest registered version of a workflow.
    func latestVersion(of workflow: String) throws -> Int?
    func insertDefinition(_ definition: Definition, hash: String, source: String, file: String, at: Date) throws
    /// Every registered version, by workflow id, newest version first within each workflow.
    func definitionRecords() throws -> [DefinitionRecord]
    /// The number of tickets per workflow, version and state.
    func ticketCounts() throws -> [TicketCount]

    // MARK: Actors

    /// Registers an actor, or replaces the roles and scope of an existing one.
    func saveActor(_ actor: Actor, at: Date) throws
    func actor(named name: String) throws -> Actor?
    /// Every actor with its roles, by name.
    func actors() throws -> [Actor]
    /// Removes an actor and its roles; false if there was none. History entries keep naming it: they hold the name
    /// as text, not as a reference.
    func removeActor(named name: String) throws -> Bool

    // MARK: The database's identity and the admin log

    /// The database's identity: a random id made when the store was created, kept by backups and taken over by an
    /// import, which checkpoints name so that a checkpoint of another database is recognised.
    func storeIdentity() throws -> String
    /// Appends one entry, whose sequence number and chain link the engine computed; the log refuses updates and deletes.
    func appendAdminLog(_ entry: AdminLogEntry) throws
    /// The last entry, or nil while the log is empty.
    func lastAdminLogEntry() throws -> AdminLogEntry?
    /// Calls `visit` with every entry from sequence number `first` on, in order, reading as it goes.
    func forEachAdminLogEntry(from first: Int, _ visit: (AdminLogEntry) throws -> Void) throws
    /// The newest entry of `kind` recorded at or before `date`.
    func latestAdminLogEntry(kind: String, atOrBefore date: Date) throws -> AdminLogEntry?

    // MARK: Accounts: the web front's logins

    /// Sets the actor's password (a ``PasswordHash`` as text), or with nil removes it.
    func setPassword(_ encoded: String?, actor: String) throws
    func password(actor: String) throws -> String?
    /// Sets the digest of the actor's API token, or with nil revokes it.
    func setAPIToken(digest: String?, actor: String) throws
    /// The actor whose API token has this digest.
    func actor(apiTokenDigest: String) throws -> String?
    func insertSession(_ session: WebSession) throws
    func session(digest: String) throws -> WebSession?
    func touchSession(digest: String, at: Date) throws
    func deleteSession(digest: String) throws
    /// Ends every session of the actor (a new password, a removed account).
    func deleteSessions(actor: String) throws
    /// Removes sessions idle since `idleBefore` or begun before `createdBefore`; returns how many.
    func deleteExpiredSessions(idleBefore: Date, createdBefore: Date) throws -> Int

    // MARK: Tickets

    /// The next number for `prefix` in `year`, counted in the same transaction as the ticket it names.
    func nextTicketNumber(prefix: String, year: Int) throws -> Int
    func insertTicket(_ ticket: Ticket) throws
    /// Writes the ticket's new state if it is still at `expectedRevision`; otherwise throws ``StoreError/conflict(ticket:expected:actual:)``.
    func updateTicket(_ ticket: Ticket, expectedRevision: Int) throws
    func ticket(_ id: String) throws -> Ticket?
    /// Calls `visit` with every ticket that matches the filter, oldest first, reading them as it goes (a cursor),
    /// so that memory stays flat however many tickets there are.
    func forEachTicket(_ filter: TicketFilter, _ visit: (Ticket) throws -> Void) throws
    /// Every ticket id, oldest first.
    func ticketIDs() throws -> [String]

    // MARK: Reads bounded at any number of tickets (issue 15; each has a default in `BoundedReads.swift`)

    /// Like ``forEachTicket(_:_:)``, but only the tickets after the ticket `after` in list order (opening time, then
    /// id): the cursor of the next page. A store answers it from an index in list order.
    func forEachTicket(_ filter: TicketFilter, after: String, _ visit: (Ticket) throws -> Void) throws
    /// At most `limit` tickets matching the filter (its limit ignored) in queue order (``QueuePosition``) at `now`,
    /// after `after` when given. A store answers it from indexes in that order, without reading every ticket.
    func queuePage(_ filter: TicketFilter, now: Date, after: QueuePosition?, limit: Int) throws -> [Ticket]
    /// Open and overdue tickets per state among those matching the filter (its limit ignored), by the queue's rule.
    func stateStandings(_ filter: TicketFilter, now: Date) throws -> [String: StateStanding]
    /// Tickets matching the filter (its limit ignored), never `ticket` itself, most likely to resemble it: those that
    /// share the most of `words` in their text first, at most `limit`, filled up with the newest others when fewer
    /// share a word. A store without a full-text index may return every matching ticket instead.
    func similarCandidates(to ticket: Ticket, words: [String], filter: TicketFilter, limit: Int) throws -> [Ticket]
    /// What the report needs of each ticket of `workflow` opened at or after `openedFrom` and before `openedBefore`
    /// (open-ended when nil), oldest first in list order: its opening, the values of `fields` and its history's moves
    /// in revision order — no other field, no change or comment. A store answers it with one pass over an index in
    /// list order joined with the history, without decoding tickets or entries.
    func forEachReportTicket(
        workflow: String, openedFrom: Date?, openedBefore: Date?, fields: Set<String>, _ visit: (ReportTicket) throws -> Void) throws

    // MARK: History

    /// Appends one entry, whose chain link the engine computed, and makes it the ticket's chain head.
    func appendHistory(_ entry: ChainedEntry, ticket: String) throws
    /// A ticket's history, oldest first.
    func history(of ticket: String) throws -> [HistoryEntry]
    /// A ticket's history with the stored chain columns, as the audit reads it.
    func chainedHistory(of ticket: String) throws -> [ChainedEntry]
    /// The last chain link recorded on the ticket row.
    func historyHead(of ticket: String) throws -> String?
    /// Opens a purge inside the current transaction: only now may history entries be rewritten to remove free text.
    func beginPurge() throws
    func endPurge() throws
    /// Replaces an entry's changes and comment and marks it purged (during a purge only).
    func rewriteHistory(ticket: String, revision: Int, changes: [FieldChange], comment: String?) throws
    /// Replaces an entry's changes and comment with their redacted form and stores, by place, the digests of what the
    /// replaced values were (``ChainedEntry/redactedDigests``); the chain columns stay as they are (during a purge only).
    func redactHistory(ticket: String, revision: Int, changes: [FieldChange], comment: String?, redactedDigests: [ValuePlace: String])
        throws
    /// What is wrong with the store's own guards of the history and the admin log (append-only enforcement switched
    /// off, a purge left open); empty when they are in force.
    func historyGuardProblems() throws -> [String]

    // MARK: Meetings

    /// Adds a meeting and returns its id.
    func insertMeeting(
        workflow: String, date: LocalDate, time: String?, title: String, place: String?, deadline: LocalDate, at now: Date
    ) throws -> Int
    /// The meetings of a workflow (of every workflow when nil), by date.
    func meetings(workflow: String?) throws -> [Meeting]
    /// When a ticket last entered `state`, how often it stayed in one of `meetingStates`, and at which meeting it got
    /// there; entries that record a redaction (``HistoryEntry/redaction``) are not moves and count for none of these.
    func agendaAnchor(ticket: String, state: String, meetingStates: [String]) throws -> AgendaAnchor
    /// History entries recorded for a meeting, in the order they were taken.
    func decisions(meeting: Int) throws -> [RecordedDecision]
    /// History entries recorded as decisions in writing (a resolution, no meeting), in the order they were taken.
    func decisionsInWriting() throws -> [RecordedDecision]
    /// The board's register of a workflow, by name.
    func boardMembers(workflow: String) throws -> [BoardMember]
    /// Adds a member to a workflow's register, or replaces their body and deputy.
    func saveBoardMember(_ member: BoardMember, workflow: String, at now: Date) throws
    /// Removes a member from a workflow's register; false if there was none.
    func removeBoardMember(_ name: String, workflow: String) throws -> Bool
    /// Records how the board voted on the decision a history entry records.
    func insertVote(_ vote: Vote, ticket: String, revision: Int) throws
    /// The vote recorded for a decision, if any.
    func vote(ticket: String, revision: Int) throws -> Vote?
    /// Whether a decision in writing (no meeting) already carries this resolution number.
    func isResolutionInWritingTaken(_ resolution: String) throws -> Bool
    /// Writes a meeting's changed date, time, title, place, deadline, status and sequence.
    func updateMeeting(_ meeting: Meeting, at now: Date) throws
    /// Keeps a frozen document; a document once stored is never changed or removed (a second one with the same
    /// meeting, kind, issue and format is refused).
    func insertMeetingDocument(_ document: MeetingDocument) throws
    /// A meeting's frozen documents, in the order they were stored.
    func meetingDocuments(meeting: Int) throws -> [MeetingDocument]
    /// Records an item of a published agenda; a ticket is on one meeting's agenda once.
    func insertAgendaEntry(_ entry: AgendaEntry) throws
    /// The items of a meeting's published agenda and its supplements, in the order they were recorded.
    func agendaEntries(meeting: Int) throws -> [AgendaEntry]

    // MARK: Outbox

    func insertNotice(id: String, ticket: String, kind: String, role: String, payload: String, at now: Date) throws
    /// Notices not yet delivered; with `readyBy`, only those whose next attempt is due; oldest first.
    func undeliveredNotices(readyBy: Date?, limit: Int) throws -> [OutboxNotice]
    /// Every notice, oldest first.
    func notices(limit: Int) throws -> [OutboxNotice]
    /// Takes undelivered notices whose next attempt is due for delivery by this process (write transactions only): a
    /// shared store moves their next attempt to `leaseUntil`, so that no other node delivers them meanwhile, and one
    /// that dies while delivering leaves them to the others once the lease has run out. A store used by one process
    /// at a time returns them like ``undeliveredNotices(readyBy:limit:)`` (the default).
    func claimNotices(readyBy: Date, limit: Int, leaseUntil: Date) throws -> [OutboxNotice]
    /// A ticket's notices, delivered or not, oldest first.
    func notices(ofTicket ticket: String) throws -> [OutboxNotice]
    /// Replaces a notice's payload and last error (a redaction removes text from them); nothing else changes.
    func rewriteNotice(_ id: String, payload: String, lastError: String?) throws
    func markDelivered(_ id: String, at now: Date) throws
    func markFailed(_ id: String, error: String, retryAt: Date) throws
    /// Removes a ticket's notices (they carry its free text); during a purge.
    func deleteNotices(ticket: String) throws

    // MARK: Timers

    /// Arms timers and cancels others, as one change of a ticket dictates.
    func applyTimerChanges(_ changes: TimerChanges, ticket: String, revision: Int, at now: Date) throws
    /// Ids of pending timers due at or before `now`, oldest first.
    func dueTimerIDs(at now: Date, limit: Int) throws -> [Int]
    /// The earliest due time of any pending timer: all a scheduler needs to keep armed.
    func earliestDue() throws -> Date?
    func timer(_ id: Int) throws -> TimerRecord?
    /// Reads a timer to fire it in this write transaction, and claims it: nil when another transaction holds it
    /// (another node's scheduler fires it), so that several schedulers share due timers without waiting for each
    /// other. A store whose writers run one at a time reads it like ``timer(_:)`` (the default).
    func claimDueTimer(_ id: Int) throws -> TimerRecord?
    /// Pending timers (only those due by `dueBy`, and of one ticket, when given), soonest first.
    func pendingTimers(dueBy: Date?, ticket: String?, limit: Int) throws -> [TimerRecord]
    /// Every timer of a ticket, in the order they were armed.
    func timers(of ticket: String) throws -> [TimerRecord]
    /// Marks a pending timer done; false if it was not pending any more (another scheduler got there first).
    func finishTimer(_ id: Int, status: TimerRecord.Status, at now: Date, lateBy: TimeInterval?, note: String?) throws -> Bool

    // MARK: Export and import

    /// Calls `visit` with every stored row in ``ExportFormat`` order (referenced rows first), reading as it goes.
    func exportRows(_ visit: (ExportRow) throws -> Void) throws
    /// Whether the store holds no definition, no ticket and no admin log entry (an import needs an empty store).
    func isEmpty() throws -> Bool
    /// Inserts one exported row as it was (chain columns included); throws a message naming the bad table or column.
    /// A `store_identity` row replaces the store's own identity: the import continues the exported database.
    func importRow(_ row: ExportRow) throws
}

extension StoreTransaction {
    public func claimDueTimer(_ id: Int) throws -> TimerRecord? { try timer(id) }

    public func claimNotices(readyBy: Date, limit: Int, leaseUntil: Date) throws -> [OutboxNotice] {
        try undeliveredNotices(readyBy: readyBy, limit: limit)
    }

    /// The tickets that match the filter, oldest first, as one array (for bounded filters).
    public func tickets(_ filter: TicketFilter) throws -> [Ticket] {
        var result: [Ticket] = []
        try forEachTicket(filter) { result.append($0) }
        return result
    }
}

/// How a store is opened.
public enum StoreMode: Sendable {
    /// Create the store if it does not exist (used by `init`, `import` and `demo`).
    case create
    /// The store must exist.
    case readWrite
    /// The store must exist and is never written.
    case readOnly
}
