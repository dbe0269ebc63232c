import Foundation
import Synchronization

/// The second store: every table in memory, with the same rows, order and rules as the SQLite store, gone with
/// the value. For tests of the engine that need no file, and as the proof that the port hides SQLite.
///
/// A write transaction works on a copy of the tables and swaps it in when it commits, so a body that throws, or a
/// dry run (`rollback: true`), leaves nothing behind. Readers see the last committed tables and never wait for a writer.
public final class MemoryStore: TicketStore {
    /// The committed tables, replaced as a whole when a write transaction commits.
    private let committed = Mutex(MemoryTables())
    /// Held for the whole of a write transaction, so that writers take turns (as with SQLite's `BEGIN IMMEDIATE`).
    private let writer = Mutex(())

    /// An empty store: no definition, no actor, no ticket, and an identity of its own.
    public init() {
        let identity = StoreIdentity.random() ?? UUID().uuidString.lowercased()
        committed.withLock { $0.identity = [IdentityRow(id: identity, createdAt: Timestamp.iso8601(Date()))] }
    }

    /// Always `memory`: the store has no file.
    public var location: String { MemoryTables.location }

    /// Runs `body` on the last committed tables; writes inside it are refused.
    public func read<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        let snapshot = committed.withLock { $0 }
        return try body(MemoryTransaction(snapshot, writable: false))
    }

    /// Runs `body` on a copy of the tables and keeps the copy only if `body` returns and `rollback` is false.
    public func write<T>(rollback: Bool, _ body: (any StoreTransaction) throws -> T) throws -> T {
        try writer.withLock { _ in
            let transaction = MemoryTransaction(committed.withLock { $0 }, writable: true)
            let result = try body(transaction)
            if !rollback {
                let tables = transaction.tables
                committed.withLock { $0 = tables }
            }
            return result
        }
    }

    /// Writes the committed tables to a new file at `path` in the export format (header and one line per row), which
    /// `gapflow import` reads into any store. It is not a database file: the memory store has none to copy.
    public func backup(to path: String) throws {
        if FileManager.default.fileExists(atPath: path) {
            throw StoreError.failed(path: path, message: "\(path) already exists; a backup never overwrites a file")
        }
        var text = ExportFormat.header + "\n"
        try MemoryTransaction(committed.withLock { $0 }, writable: false).exportRows { row in
            text += ExportFormat.line(for: row) + "\n"
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
        } catch {
            throw StoreError.failed(path: path, message: "cannot write the backup \(path): \(error.localizedDescription)")
        }
    }

    /// Nothing to do: what a transaction removed is gone with the tables it replaced.
    public func eraseRemovedContent() throws {}
}

// MARK: - Transaction

/// One transaction of a ``MemoryStore``: its own copy of the tables, which the store keeps or drops at the end.
final class MemoryTransaction: StoreTransaction {
    private(set) var tables: MemoryTables
    private let writable: Bool
    /// Set between `beginPurge` and `endPurge`; like SQLite's marker row it belongs to this transaction only.
    private var purging = false

    init(_ tables: MemoryTables, writable: Bool) {
        self.tables = tables
        self.writable = writable
    }

    private func writing() throws(StoreError) {
        guard writable else { throw MemoryTables.failure("a read transaction cannot write") }
    }

    private static func damaged(_ what: String) -> StoreError { .damaged(path: MemoryTables.location, what: what) }

    // MARK: Definitions

    func definitionSource(workflow: String, version: Int) throws -> StoredDefinitionSource? {
        tables.definitions.first { $0.workflowID.same(workflow) && $0.version == version }.map {
            StoredDefinitionSource(source: $0.source, hash: $0.contentHash)
        }
    }

    func latestVersion(of workflow: String) throws -> Int? {
        tables.definitions.filter { $0.workflowID.same(workflow) }.map(\.version).max()
    }

    func insertDefinition(_ definition: Definition, hash: String, source: String, file: String, at: Date) throws {
        try writing()
        try tables.insert(
            DefinitionRow(
                workflowID: definition.id, version: definition.version, title: definition.title, contentHash: hash, source: source,
                file: file, registeredAt: Timestamp.iso8601(at)))
    }

    func definitionRecords() throws -> [DefinitionRecord] {
        let rows = tables.definitions.sorted { a, b in
            a.workflowID.same(b.workflowID) ? a.version > b.version : a.workflowID.precedesBinary(b.workflowID)
        }
        return try rows.map { row in
            guard let at = Timestamp.parse(row.registeredAt) else { throw Self.damaged("definition row") }
            return DefinitionRecord(
                workflowID: row.workflowID, version: row.version, title: row.title, contentHash: row.contentHash, file: row.file,
                registeredAt: at, openTickets: 0)
        }
    }

    func ticketCounts() throws -> [TicketCount] {
        var counts: [TicketCount] = []
        let rows = tables.tickets.sorted { a, b in
            if !a.workflowID.same(b.workflowID) { return a.workflowID.precedesBinary(b.workflowID) }
            if a.version != b.version { return a.version < b.version }
            return a.state.precedesBinary(b.state)
        }
        for row in rows {
            if let last = counts.last, last.workflow.same(row.workflowID), last.version == row.version, last.state.same(row.state) {
                counts[counts.count - 1] = TicketCount(
                    workflow: last.workflow, version: last.version, state: last.state, count: last.count + 1)
            } else {
                counts.append(TicketCount(workflow: row.workflowID, version: row.version, state: row.state, count: 1))
            }
        }
        return counts
    }

    // MARK: Actors

    func saveActor(_ actor: Actor, at: Date) throws {
        try writing()
        for (index, role) in actor.roles.enumerated() where actor.roles[..<index].contains(where: { $0.same(role) }) {
            throw MemoryTables.unique("actor_roles", ["actor", "role"])
        }
        if let position = tables.actors.firstIndex(where: { $0.name.same(actor.name) }) {
            tables.actors[position].municipality = Actor.storedScope(actor.scope)
        } else {
            tables.actors.append(ActorRow(name: actor.name, municipality: Actor.storedScope(actor.scope), createdAt: Timestamp.iso8601(at)))
        }
        tables.actorRoles.removeAll { $0.actor.same(actor.name) }
        tables.actorRoles += actor.roles.map { ActorRoleRow(actor: actor.name, role: $0) }
    }

    func actor(named name: String) throws -> Actor? {
        guard let row = tables.actors.first(where: { $0.name.same(name) }) else { return nil }
        return Actor(
            name: name, roles: tables.actorRoles.filter { $0.actor.same(name) }.map(\.role), scope: Actor.scope(stored: row.municipality))
    }

    func actors() throws -> [Actor] {
        var roles: [[UInt8]: [String]] = [:]
        for row in tables.actorRoles { roles[Array(row.actor.utf8), default: []].append(row.role) }
        return tables.actors.sorted { $0.name.precedesBinary($1.name) }.map { row in
            Actor(name: row.name, roles: roles[Array(row.name.utf8)] ?? [], scope: Actor.scope(stored: row.municipality))
        }
    }

    // MARK: Accounts

    func setPassword(_ encoded: String?, actor: String) throws {
        try writing()
        try tables.updateCredential(actor: actor) { $0.password = encoded }
    }

    func password(actor: String) throws -> String? {
        tables.credentials.first { $0.actor.same(actor) }?.password
    }

    func setAPIToken(digest: String?, actor: String) throws {
        try writing()
        if let digest, tables.credentials.contains(where: { $0.apiToken.map { $0.same(digest) } ?? false && !$0.actor.same(actor) }) {
            throw MemoryTables.unique("credentials", ["api_token"])
        }
        try tables.updateCredential(actor: actor) { $0.apiToken = digest }
    }

    func actor(apiTokenDigest: String) throws -> String? {
        tables.credentials.first { $0.apiToken.map { $0.same(apiTokenDigest) } ?? false }?.actor
    }

    func insertSession(_ session: WebSession) throws {
        try writing()
        if tables.sessions[session.digest] != nil { throw MemoryTables.unique("web_sessions", ["digest"]) }
        tables.sessions[session.digest] = session
    }

    func session(digest: String) throws -> WebSession? {
        tables.sessions[digest].map { stored in
            // As SQLite keeps them: whole milliseconds.
            WebSession(
                digest: stored.digest, actor: stored.actor, csrfToken: stored.csrfToken,
                createdAt: MemoryTables.roundedToMilliseconds(stored.createdAt),
                lastSeenAt: MemoryTables.roundedToMilliseconds(stored.lastSeenAt))
        }
    }

    func touchSession(digest: String, at: Date) throws {
        try writing()
        tables.sessions[digest]?.lastSeenAt = at
    }

    func deleteSession(digest: String) throws {
        try writing()
        tables.sessions[digest] = nil
    }

    func deleteSessions(actor: String) throws {
        try writing()
        tables.sessions = tables.sessions.filter { !$0.value.actor.same(actor) }
    }

    func deleteExpiredSessions(idleBefore: Date, createdBefore: Date) throws -> Int {
        try writing()
        let idle = MemoryTables.milliseconds(idleBefore)
        let created = MemoryTables.milliseconds(createdBefore)
        let before = tables.sessions.count
        tables.sessions = tables.sessions.filter {
            MemoryTables.milliseconds($0.value.lastSeenAt) >= idle && MemoryTables.milliseconds($0.value.createdAt) >= created
        }
        return before - tables.sessions.count
    }

    func removeActor(named name: String) throws -> Bool {
        try writing()
        guard let position = tables.actors.firstIndex(where: { $0.name.same(name) }) else { return false }
        tables.actors.remove(at: position)
        tables.actorRoles.removeAll { $0.actor.same(name) }
        tables.credentials.removeAll { $0.actor.same(name) }
        tables.sessions = tables.sessions.filter { !$0.value.actor.same(name) }
        return true
    }

    // MARK: Identity and admin log

    func storeIdentity() throws -> String {
        guard let row = tables.identity.first else { throw Self.damaged("the database's identity") }
        return row.id
    }

    func appendAdminLog(_ entry: AdminLogEntry) throws {
        try writing()
        try tables.insert(
            AdminLogRow(
                sequence: entry.sequence, at: Timestamp.iso8601(entry.at), kind: entry.kind, actor: entry.actor, account: entry.account,
                subject: entry.subject, details: entry.details, hash: entry.hash))
    }

    func lastAdminLogEntry() throws -> AdminLogEntry? {
        try tables.adminLog.last.map(Self.decode)
    }

    func forEachAdminLogEntry(from first: Int, _ visit: (AdminLogEntry) throws -> Void) throws {
        for row in tables.adminLog where row.sequence >= first { try visit(try Self.decode(row)) }
    }

    func latestAdminLogEntry(kind: String, atOrBefore date: Date) throws -> AdminLogEntry? {
        let limit = Timestamp.iso8601(date)
        return try tables.adminLog.last(where: { $0.kind.same(kind) && !limit.precedesBinary($0.at) }).map(Self.decode)
    }

    private static func decode(_ row: AdminLogRow) throws(StoreError) -> AdminLogEntry {
        guard let at = Timestamp.parse(row.at) else { throw damaged("admin log entry \(row.sequence)") }
        return AdminLogEntry(
            sequence: row.sequence, at: at, kind: row.kind, actor: row.actor, account: row.account, subject: row.subject,
            details: row.details, hash: row.hash)
    }

    // MARK: Tickets

    func nextTicketNumber(prefix: String, year: Int) throws -> Int {
        try writing()
        if let position = tables.sequences.firstIndex(where: { $0.prefix.same(prefix) && $0.year == year }) {
            tables.sequences[position].last = try MemoryTables.increment(tables.sequences[position].last)
            return tables.sequences[position].last
        }
        tables.sequences.append(SequenceRow(prefix: prefix, year: year, last: 1))
        return 1
    }

    func insertTicket(_ ticket: Ticket) throws {
        try writing()
        try tables.insert(
            TicketRow(
                id: ticket.id, workflowID: ticket.workflowID, version: ticket.version, state: ticket.state, revision: ticket.revision,
                fields: StoredJSON.encode(ticket.fields), openedAt: Timestamp.iso8601(ticket.openedAt), openedBy: ticket.openedBy,
                updatedAt: Timestamp.iso8601(ticket.updatedAt), historyHead: nil))
    }

    func updateTicket(_ ticket: Ticket, expectedRevision: Int) throws {
        try writing()
        guard let position = tables.ticketPosition(ticket.id), tables.tickets[position].revision == expectedRevision else {
            let actual = tables.ticketPosition(ticket.id).map { tables.tickets[$0].revision }
            throw StoreError.conflict(ticket: ticket.id, expected: expectedRevision, actual: actual ?? 0)
        }
        let workflow = tables.tickets[position].workflowID
        guard tables.definitions.contains(where: { $0.workflowID.same(workflow) && $0.version == ticket.version }) else {
            throw MemoryTables.foreignKey
        }
        tables.tickets[position].version = ticket.version
        tables.tickets[position].state = ticket.state
        tables.tickets[position].revision = ticket.revision
        tables.tickets[position].fields = StoredJSON.encode(ticket.fields)
        tables.tickets[position].updatedAt = Timestamp.iso8601(ticket.updatedAt)
    }

    func ticket(_ id: String) throws -> Ticket? {
        try tables.ticketPosition(id).map { try Self.decode(tables.tickets[$0]) }
    }

    func forEachTicket(_ filter: TicketFilter, _ visit: (Ticket) throws -> Void) throws {
        var rows = tables.ticketsInOrder().filter { row in
            if let workflow = filter.workflow, !row.workflowID.same(workflow) { return false }
            if let states = filter.states, !states.contains(where: { $0.same(row.state) }) { return false }
            return true
        }
        if !filter.fields.isEmpty {
            rows = try rows.filter { row in
                guard let fields = StoredJSON.decodeFields(row.fields) else { throw Self.damaged("ticket row \(row.id)") }
                return Self.matches(fields, filter.fields)
            }
        }
        if let limit = filter.limit { rows = Array(rows.prefix(max(0, limit))) }
        for row in rows { try visit(try Self.decode(row)) }
    }

    /// The filter's field values as SQLite's `json_extract` compares them: the field (its name without quotes) must
    /// hold a value of the same type with the same text; a set filter needs every one of its ids in the ticket's set.
    private static func matches(_ fields: [String: FieldValue], _ wanted: [String: FieldValue]) -> Bool {
        wanted.allSatisfy { name, value in
            let stored = fields[name.replacingOccurrences(of: "\"", with: "")]
            switch value {
            case .choices(let ids):
                guard !ids.isEmpty else { return true }
                guard case .choices(let held) = stored else { return false }
                return ids.allSatisfy { id in held.contains { $0.same(id) } }
            case .integer(let number):
                guard case .integer(let held) = stored else { return false }
                return held == number
            default:
                guard let stored, StoredJSON.tag(of: stored) == StoredJSON.tag(of: value) else { return false }
                return stored.plainText.same(value.plainText)
            }
        }
    }

    func ticketIDs() throws -> [String] {
        tables.ticketsInOrder().map(\.id)
    }

    private static func decode(_ row: TicketRow) throws(StoreError) -> Ticket {
        guard let fields = StoredJSON.decodeFields(row.fields), let openedAt = Timestamp.parse(row.openedAt),
            let updatedAt = Timestamp.parse(row.updatedAt)
        else { throw damaged("ticket row \(row.id)") }
        return Ticket(
            id: row.id, workflowID: row.workflowID, version: row.version, state: row.state, revision: row.revision, fields: fields,
            openedAt: openedAt, openedBy: row.openedBy, updatedAt: updatedAt)
    }

    // MARK: History

    func appendHistory(_ chained: ChainedEntry, ticket: String) throws {
        try writing()
        let entry = chained.entry
        try tables.insert(
            HistoryRow(
                ticketID: ticket, revision: entry.revision, at: Timestamp.iso8601(entry.at), actor: entry.actor, role: entry.role,
                event: entry.event, fromState: entry.from, toState: entry.to, changes: chained.changesJSON, comment: entry.comment,
                meetingID: entry.decision?.meeting, resolution: entry.decision?.resolution, contentDigest: chained.contentDigest,
                chainHash: chained.chainHash, chainBackfilled: 0, purged: 0, account: entry.account, chainFormat: chained.format,
                redactedDigests: ValuePlace.encode(chained.redactedDigests), redaction: entry.redaction?.json, deputyFor: entry.deputyFor))
        if let position = tables.ticketPosition(ticket) { tables.tickets[position].historyHead = chained.chainHash }
    }

    /// The memory store's guards are its code: append-only and purges cannot be switched off from outside.
    func historyGuardProblems() throws -> [String] { [] }

    func history(of ticket: String) throws -> [HistoryEntry] {
        try tables.historyRows(of: ticket).map { try Self.decode($0, ticket: ticket) }
    }

    func chainedHistory(of ticket: String) throws -> [ChainedEntry] {
        try tables.historyRows(of: ticket).map { row in
            guard let redacted = ValuePlace.decode(row.redactedDigests) else {
                throw Self.damaged("redacted digests of \(ticket) revision \(row.revision)")
            }
            return ChainedEntry(
                entry: try Self.decode(row, ticket: ticket), changesJSON: row.changes, contentDigest: row.contentDigest,
                chainHash: row.chainHash, backfilled: row.chainBackfilled == 1, purged: row.purged == 1, format: row.chainFormat,
                redactedDigests: redacted)
        }
    }

    func historyHead(of ticket: String) throws -> String? {
        tables.ticketPosition(ticket).flatMap { tables.tickets[$0].historyHead }
    }

    func beginPurge() throws {
        try writing()
        // SQLite's marker row has a primary key: a purge cannot be opened twice.
        if purging { throw MemoryTables.unique("purge_session", ["id"]) }
        purging = true
    }

    func endPurge() throws {
        try writing()
        purging = false
    }

    func rewriteHistory(ticket: String, revision: Int, changes: [FieldChange], comment: String?) throws {
        try writing()
        // As SQLite's trigger: only an existing entry is refused outside a purge; a missing one changes nothing.
        guard let position = tables.historyPositions[Array(ticket.utf8)]?.first(where: { tables.history[$0].revision == revision })
        else { return }
        guard purging else { throw MemoryTables.failure("history is append-only") }
        tables.history[position].changes = StoredJSON.encode(changes)
        tables.history[position].comment = comment
        tables.history[position].purged = 1
    }

    func redactHistory(
        ticket: String, revision: Int, changes: [FieldChange], comment: String?, redactedDigests: [ValuePlace: String]
    ) throws {
        try writing()
        guard let position = tables.historyPositions[Array(ticket.utf8)]?.first(where: { tables.history[$0].revision == revision })
        else { return }
        guard purging else { throw MemoryTables.failure("history is append-only") }
        tables.history[position].changes = StoredJSON.encode(changes)
        tables.history[position].comment = comment
        tables.history[position].redactedDigests = ValuePlace.encode(redactedDigests)
    }

    private static func decode(_ row: HistoryRow, ticket: String) throws(StoreError) -> HistoryEntry {
        guard let at = Timestamp.parse(row.at), let changes = StoredJSON.decodeChanges(row.changes) else {
            throw damaged("history entry of \(ticket)")
        }
        var entry = HistoryEntry(
            revision: row.revision, at: at, actor: row.actor, role: row.role, event: row.event, from: row.fromState, to: row.toState,
            changes: changes, comment: row.comment)
        entry.decision = row.resolution.map { DecisionRecord(meeting: row.meetingID, resolution: $0) }
        entry.account = row.account
        entry.deputyFor = row.deputyFor
        if let text = row.redaction {
            guard let record = RedactionRecord(json: text) else { throw damaged("redaction of \(ticket)") }
            entry.redaction = record
        }
        return entry
    }

    // MARK: Meetings

    func insertMeeting(
        workflow: String, date: LocalDate, time: String?, title: String, place: String?, deadline: LocalDate, at now: Date
    ) throws -> Int {
        try writing()
        let row = MeetingRow(
            id: try tables.nextMeetingID(), workflowID: workflow, date: date.iso8601, time: time, title: title, place: place,
            submissionDeadline: deadline.iso8601, createdAt: Timestamp.iso8601(now))
        try tables.insert(row)
        return row.id
    }

    func meetings(workflow: String?) throws -> [Meeting] {
        let rows = tables.meetings.filter { row in workflow.map { row.workflowID.same($0) } ?? true }.sorted { a, b in
            if !a.date.same(b.date) { return a.date.precedesBinary(b.date) }
            switch (a.time, b.time) {  // NULL first, as SQLite sorts
            case (nil, .some): return true
            case (.some, nil): return false
            case (.some(let x), .some(let y)) where !x.same(y): return x.precedesBinary(y)
            default: return a.id < b.id
            }
        }
        return try rows.map { row in
            guard let date = LocalDate(parsing: row.date), let deadline = LocalDate(parsing: row.submissionDeadline) else {
                throw Self.damaged("meeting row")
            }
            guard let status = MeetingStatus(rawValue: row.status) else { throw Self.damaged("meeting row") }
            var attendance: Attendance?
            if let text = row.attendance {
                guard let read = Attendance(json: text) else { throw Self.damaged("meeting attendance") }
                attendance = read
            }
            var meeting = Meeting(
                id: row.id, workflowID: row.workflowID, date: date, time: row.time, title: row.title, place: row.place,
                submissionDeadline: deadline, status: status, sequence: row.sequence, attendance: attendance)
            meeting.createdAt = Timestamp.parse(row.createdAt)
            meeting.modifiedAt = row.updatedAt.flatMap(Timestamp.parse) ?? meeting.createdAt
            return meeting
        }
    }

    func agendaAnchor(ticket: String, state: String, meetingStates: [String]) throws -> AgendaAnchor {
        let rows = tables.historyRows(of: ticket).filter { $0.redaction == nil }
        let entering = rows.filter { $0.toState.same(state) }
        let entered = entering.map(\.at).max { $0.precedesBinary($1) }
        let stays = rows.filter { row in
            guard let from = row.fromState, from.same(row.toState) else { return false }
            return meetingStates.contains { $0.same(row.toState) }
        }.count
        return AgendaAnchor(entered: entered.flatMap(Timestamp.parse), stays: stays, decidedAt: entering.last?.meetingID)
    }

    func decisions(meeting: Int) throws -> [RecordedDecision] {
        try tables.history.filter { $0.meetingID == meeting }.map { row in
            RecordedDecision(ticket: row.ticketID, entry: try Self.decode(row, ticket: row.ticketID))
        }
    }

    func decisionsInWriting() throws -> [RecordedDecision] {
        try tables.history.filter { $0.meetingID == nil && $0.resolution != nil }.map { row in
            RecordedDecision(ticket: row.ticketID, entry: try Self.decode(row, ticket: row.ticketID))
        }
    }

    func isResolutionInWritingTaken(_ resolution: String) throws -> Bool {
        tables.history.contains { $0.meetingID == nil && $0.resolution.map { $0.same(resolution) } ?? false }
    }

    func updateMeeting(_ meeting: Meeting, at now: Date) throws {
        try writing()
        guard let position = tables.meetings.firstIndex(where: { $0.id == meeting.id }) else { return }
        var row = tables.meetings[position]
        row.date = meeting.date.iso8601
        row.time = meeting.time
        row.title = meeting.title
        row.place = meeting.place
        row.submissionDeadline = meeting.submissionDeadline.iso8601
        row.status = meeting.status.rawValue
        row.sequence = meeting.sequence
        row.updatedAt = Timestamp.iso8601(now)
        row.attendance = meeting.attendance?.json
        tables.meetings[position] = row
    }

    func boardMembers(workflow: String) throws -> [BoardMember] {
        tables.boardMembers.filter { $0.workflowID.same(workflow) }.sorted { $0.name.precedesBinary($1.name) }.map {
            BoardMember(name: $0.name, body: $0.body, deputy: $0.deputy)
        }
    }

    func saveBoardMember(_ member: BoardMember, workflow: String, at now: Date) throws {
        try writing()
        if let position = tables.boardMembers.firstIndex(where: { $0.workflowID.same(workflow) && $0.name.same(member.name) }) {
            tables.boardMembers[position].body = member.body
            tables.boardMembers[position].deputy = member.deputy
        } else {
            try tables.insert(
                BoardMemberRow(
                    workflowID: workflow, name: member.name, body: member.body, deputy: member.deputy, addedAt: Timestamp.iso8601(now)))
        }
    }

    func removeBoardMember(_ name: String, workflow: String) throws -> Bool {
        try writing()
        let before = tables.boardMembers.count
        tables.boardMembers.removeAll { $0.workflowID.same(workflow) && $0.name.same(name) }
        return tables.boardMembers.count < before
    }

    func insertVote(_ vote: Vote, ticket: String, revision: Int) throws {
        try writing()
        try tables.insert(VoteRow(ticketID: ticket, revision: revision, vote: vote.text))
    }

    func vote(ticket: String, revision: Int) throws -> Vote? {
        guard let row = tables.votes.first(where: { $0.ticketID.same(ticket) && $0.revision == revision }) else { return nil }
        guard let vote = Vote(text: row.vote) else { throw Self.damaged("vote of \(ticket)") }
        return vote
    }

    func insertMeetingDocument(_ document: MeetingDocument) throws {
        try writing()
        try tables.insert(
            MeetingDocumentRow(
                meetingID: document.meetingID, kind: document.kind.rawValue, issue: document.issue, format: document.format,
                createdAt: Timestamp.iso8601(document.createdAt), content: document.content))
    }

    func meetingDocuments(meeting: Int) throws -> [MeetingDocument] {
        try tables.meetingDocuments.filter { $0.meetingID == meeting }.map { row in
            guard let kind = MeetingDocument.Kind(rawValue: row.kind), let created = Timestamp.parse(row.createdAt) else {
                throw Self.damaged("meeting document row")
            }
            return MeetingDocument(
                meetingID: meeting, kind: kind, issue: row.issue, format: row.format, createdAt: created, content: row.content)
        }
    }

    func insertAgendaEntry(_ entry: AgendaEntry) throws {
        try writing()
        try tables.insert(AgendaEntryRow(meetingID: entry.meetingID, number: entry.number, ticketID: entry.ticketID, issue: entry.issue))
    }

    func agendaEntries(meeting: Int) throws -> [AgendaEntry] {
        tables.agendaEntries.filter { $0.meetingID == meeting }.map {
            AgendaEntry(meetingID: meeting, number: $0.number, ticketID: $0.ticketID, issue: $0.issue)
        }
    }

    // MARK: Outbox

    func insertNotice(id: String, ticket: String, kind: String, role: String, payload: String, at now: Date) throws {
        try writing()
        try tables.insert(
            OutboxRow(
                id: id, createdAt: Timestamp.iso8601(now), ticketID: ticket, kind: kind, role: role, payload: payload, attempts: 0,
                nextAttemptMs: MemoryTables.milliseconds(now), deliveredAt: nil, lastError: nil))
    }

    func undeliveredNotices(readyBy: Date?, limit: Int) throws -> [OutboxNotice] {
        let ready = readyBy.map(MemoryTables.milliseconds)
        let rows = tables.outbox.enumerated().filter { _, row in
            row.deliveredAt == nil && ready.map { row.nextAttemptMs <= $0 } ?? true
        }.sorted { a, b in
            a.element.nextAttemptMs != b.element.nextAttemptMs ? a.element.nextAttemptMs < b.element.nextAttemptMs : a.offset < b.offset
        }.map(\.element)
        return try MemoryTables.limited(rows, limit).map(Self.decode)
    }

    func notices(limit: Int) throws -> [OutboxNotice] {
        try MemoryTables.limited(tables.outbox, limit).map(Self.decode)
    }

    func notices(ofTicket ticket: String) throws -> [OutboxNotice] {
        try tables.outbox.filter { $0.ticketID.same(ticket) }.map(Self.decode)
    }

    func rewriteNotice(_ id: String, payload: String, lastError: String?) throws {
        try writing()
        guard let position = tables.outbox.firstIndex(where: { $0.id.same(id) }) else { return }
        tables.outbox[position].payload = payload
        tables.outbox[position].lastError = lastError
    }

    func markDelivered(_ id: String, at now: Date) throws {
        try writing()
        guard let position = tables.outbox.firstIndex(where: { $0.id.same(id) }), tables.outbox[position].deliveredAt == nil else {
            return
        }
        tables.outbox[position].attempts = try MemoryTables.increment(tables.outbox[position].attempts)
        tables.outbox[position].deliveredAt = Timestamp.iso8601(now)
        tables.outbox[position].lastError = nil
    }

    func markFailed(_ id: String, error: String, retryAt: Date) throws {
        try writing()
        guard let position = tables.outbox.firstIndex(where: { $0.id.same(id) }), tables.outbox[position].deliveredAt == nil else {
            return
        }
        tables.outbox[position].attempts = try MemoryTables.increment(tables.outbox[position].attempts)
        tables.outbox[position].lastError = error
        tables.outbox[position].nextAttemptMs = MemoryTables.milliseconds(retryAt)
    }

    func deleteNotices(ticket: String) throws {
        try writing()
        tables.outbox.removeAll { $0.ticketID.same(ticket) }
    }

    private static func decode(_ row: OutboxRow) throws(StoreError) -> OutboxNotice {
        guard let created = Timestamp.parse(row.createdAt) else { throw damaged("outbox row") }
        return OutboxNotice(
            id: row.id, createdAt: created, ticketID: row.ticketID, kind: row.kind, role: row.role, payload: row.payload,
            attempts: row.attempts, nextAttemptAt: MemoryTables.date(milliseconds: row.nextAttemptMs),
            deliveredAt: row.deliveredAt.flatMap(Timestamp.parse), lastError: row.lastError)
    }

    // MARK: Timers

    func applyTimerChanges(_ changes: TimerChanges, ticket: String, revision: Int, at now: Date) throws {
        try writing()
        let done = Timestamp.iso8601(now)
        if changes.arm.contains(where: { tables.ticketPosition($0.ticketID) == nil }) { throw MemoryTables.foreignKey }
        if let state = changes.cancelState {
            let only = changes.cancelOnly
            for index in tables.timers.indices {
                let row = tables.timers[index]
                guard row.status == TimerRecord.Status.pending.rawValue, row.ticketID.same(ticket), row.state.same(state),
                    only.map({ $0.contains { $0.same(row.timer) } }) ?? true
                else { continue }
                tables.timers[index].status = TimerRecord.Status.cancelled.rawValue
                tables.timers[index].doneAt = done
                tables.timers[index].note = only == nil ? "ticket left the state" : "armed anew"
            }
        }
        for plan in changes.arm {
            try tables.insert(
                TimerRow(
                    id: try tables.nextTimerID(), ticketID: plan.ticketID, state: plan.state, timer: plan.timer, armedAt: done,
                    armedRevision: revision, dueMs: MemoryTables.milliseconds(plan.dueAt), status: TimerRecord.Status.pending.rawValue,
                    doneAt: nil, lateMs: nil, note: nil))
        }
    }

    func dueTimerIDs(at now: Date, limit: Int) throws -> [Int] {
        MemoryTables.limited(tables.pendingTimers(dueBy: MemoryTables.milliseconds(now), ticket: nil), limit).map(\.id)
    }

    func earliestDue() throws -> Date? {
        tables.timers.filter { $0.status == TimerRecord.Status.pending.rawValue }.map(\.dueMs).min().map(MemoryTables.date)
    }

    func timer(_ id: Int) throws -> TimerRecord? {
        try tables.timerPosition(id).map { try Self.decode(tables.timers[$0]) }
    }

    func pendingTimers(dueBy: Date?, ticket: String?, limit: Int) throws -> [TimerRecord] {
        let rows = tables.pendingTimers(dueBy: dueBy.map(MemoryTables.milliseconds), ticket: ticket)
        return try MemoryTables.limited(rows, limit).map(Self.decode)
    }

    func timers(of ticket: String) throws -> [TimerRecord] {
        try tables.timers.filter { $0.ticketID.same(ticket) }.map(Self.decode)
    }

    func finishTimer(_ id: Int, status: TimerRecord.Status, at now: Date, lateBy: TimeInterval?, note: String?) throws -> Bool {
        try writing()
        guard let position = tables.timerPosition(id), tables.timers[position].status == TimerRecord.Status.pending.rawValue else {
            return false
        }
        tables.timers[position].status = status.rawValue
        tables.timers[position].doneAt = Timestamp.iso8601(now)
        tables.timers[position].lateMs = lateBy.flatMap { Int(exactly: ($0 * 1000).rounded(.towardZero)) }
        tables.timers[position].note = note
        return true
    }

    private static func decode(_ row: TimerRow) throws(StoreError) -> TimerRecord {
        guard let armedAt = Timestamp.parse(row.armedAt), let status = TimerRecord.Status(rawValue: row.status) else {
            throw damaged("timer row")
        }
        return TimerRecord(
            id: row.id, ticketID: row.ticketID, state: row.state, timer: row.timer, armedAt: armedAt, armedRevision: row.armedRevision,
            dueAt: MemoryTables.date(milliseconds: row.dueMs), status: status, doneAt: row.doneAt.flatMap(Timestamp.parse),
            lateMilliseconds: row.lateMs, note: row.note)
    }

    // MARK: Export and import

    func exportRows(_ visit: (ExportRow) throws -> Void) throws {
        for table in ExportFormat.tables {
            guard let columns = MemoryTables.schema[table] else {
                throw MemoryTables.failure("the memory store has no table \(table)")
            }
            for values in tables.exportValues(of: table) {
                try visit(ExportRow(table: table, columns: zip(columns, values).map { (name: $0.name, value: $1) }))
            }
        }
    }

    func isEmpty() throws -> Bool {
        tables.definitions.isEmpty && tables.tickets.isEmpty && tables.adminLog.isEmpty
    }

    func importRow(_ row: ExportRow) throws {
        try writing()
        let known = MemoryTables.schema[row.table] ?? []
        for column in row.columns where !known.contains(where: { $0.name == column.name }) {
            throw ImportError(line: 0, message: "no column \"\(column.name)\"")
        }
        try tables.importRow(row, columns: known)
    }
}

// MARK: - Tables

/// The tables of a ``MemoryStore``, each row as SQLite keeps it (instants as the same text, due times in
/// milliseconds), in SQLite's rowid order, so that both stores read, order and export alike.
struct MemoryTables: Sendable {
    static let location = "memory"

    var definitions: [DefinitionRow] = []
    var actors: [ActorRow] = []
    var actorRoles: [ActorRoleRow] = []
    var sequences: [SequenceRow] = []
    /// By id.
    var meetings: [MeetingRow] = []
    /// In the order stored; never changed or removed.
    var meetingDocuments: [MeetingDocumentRow] = []
    /// In the order recorded.
    var agendaEntries: [AgendaEntryRow] = []
    /// In the order added.
    var boardMembers: [BoardMemberRow] = []
    /// In the order recorded.
    var votes: [VoteRow] = []
    var tickets: [TicketRow] = []
    /// Where each ticket id is in `tickets` (by its bytes: SQLite compares text byte for byte).
    var ticketPositions: [[UInt8]: Int] = [:]
    /// In the order written.
    var history: [HistoryRow] = []
    /// Where each ticket's entries are in `history`.
    var historyPositions: [[UInt8]: [Int]] = [:]
    /// By id.
    var timers: [TimerRow] = []
    var outbox: [OutboxRow] = []
    var credentials: [CredentialRow] = []
    /// By digest; not exported (a restored database starts without logins in progress).
    var sessions: [String: WebSession] = [:]

    /// Changes the actor's credentials row, making it first if there is none.
    mutating func updateCredential(actor: String, _ change: (inout CredentialRow) -> Void) throws(StoreError) {
        if let position = credentials.firstIndex(where: { $0.actor.same(actor) }) {
            change(&credentials[position])
        } else {
            guard actors.contains(where: { $0.name.same(actor) }) else { throw Self.foreignKey }
            var row = CredentialRow(actor: actor, password: nil, apiToken: nil)
            change(&row)
            credentials.append(row)
        }
    }

    static func roundedToMilliseconds(_ date: Date) -> Date { Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000) }
    /// One row: the database's identity.
    var identity: [IdentityRow] = []
    /// By sequence number.
    var adminLog: [AdminLogRow] = []

    // MARK: Errors, worded as SQLite words them

    static func failure(_ message: String) -> StoreError { .failed(path: location, message: message) }

    static func unique(_ table: String, _ columns: [String]) -> StoreError {
        failure("UNIQUE constraint failed: " + columns.map { "\(table).\($0)" }.joined(separator: ", "))
    }

    static let foreignKey = failure("FOREIGN KEY constraint failed")

    // MARK: Values

    /// Milliseconds since 1970, rounded down, as the SQLite store keeps due times.
    static func milliseconds(_ date: Date) -> Int {
        let value = (date.timeIntervalSince1970 * 1000).rounded(.down)
        return Int(exactly: value) ?? (value < 0 ? Int.min : Int.max)
    }

    static func date(milliseconds: Int) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    /// SQL's `LIMIT`: a negative limit means none.
    static func limited<Row>(_ rows: [Row], _ limit: Int) -> [Row] {
        limit < 0 ? rows : Array(rows.prefix(limit))
    }

    // MARK: Reading

    func ticketPosition(_ id: String) -> Int? { ticketPositions[Array(id.utf8)] }

    /// Tickets by `opened_at, id`.
    func ticketsInOrder() -> [TicketRow] {
        tickets.sorted { a, b in a.openedAt.same(b.openedAt) ? a.id.precedesBinary(b.id) : a.openedAt.precedesBinary(b.openedAt) }
    }

    /// A ticket's entries by revision.
    func historyRows(of ticket: String) -> [HistoryRow] {
        (historyPositions[Array(ticket.utf8)] ?? []).map { history[$0] }.sorted { $0.revision < $1.revision }
    }

    /// The id an `INTEGER PRIMARY KEY` gives the next row: one more than the largest.
    func nextMeetingID() throws(StoreError) -> Int { try Self.increment(meetings.last?.id ?? 0) }
    func nextTimerID() throws(StoreError) -> Int { try Self.increment(timers.last?.id ?? 0) }

    /// One more, or an error where SQL would leave the whole numbers (an imported count at the largest integer).
    static func increment(_ value: Int) throws(StoreError) -> Int {
        let (next, overflow) = value.addingReportingOverflow(1)
        guard !overflow else { throw failure("integer overflow") }
        return next
    }

    func timerPosition(_ id: Int) -> Int? { Self.position(of: id, in: timers.map(\.id)) }

    /// Binary search in ascending ids.
    private static func position(of id: Int, in ids: [Int]) -> Int? {
        let index = insertionIndex(of: id, in: ids)
        return index < ids.count && ids[index] == id ? index : nil
    }

    private static func insertionIndex(of id: Int, in ids: [Int]) -> Int {
        var low = 0
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Pending timers by `due_ms, id`.
    func pendingTimers(dueBy: Int?, ticket: String?) -> [TimerRow] {
        timers.filter { row in
            row.status == TimerRecord.Status.pending.rawValue && dueBy.map { row.dueMs <= $0 } ?? true
                && ticket.map { row.ticketID.same($0) } ?? true
        }.sorted { $0.dueMs != $1.dueMs ? $0.dueMs < $1.dueMs : $0.id < $1.id }
    }

    // MARK: Inserting, with SQLite's constraints

    mutating func insert(_ row: DefinitionRow) throws(StoreError) {
        if definitions.contains(where: { $0.workflowID.same(row.workflowID) && $0.version == row.version }) {
            throw Self.unique("definitions", ["workflow_id", "version"])
        }
        definitions.append(row)
    }

    mutating func insert(_ row: ActorRow) throws(StoreError) {
        if actors.contains(where: { $0.name.same(row.name) }) { throw Self.unique("actors", ["name"]) }
        actors.append(row)
    }

    mutating func insert(_ row: ActorRoleRow) throws(StoreError) {
        if actorRoles.contains(where: { $0.actor.same(row.actor) && $0.role.same(row.role) }) {
            throw Self.unique("actor_roles", ["actor", "role"])
        }
        guard actors.contains(where: { $0.name.same(row.actor) }) else { throw Self.foreignKey }
        actorRoles.append(row)
    }

    mutating func insert(_ row: CredentialRow) throws(StoreError) {
        if credentials.contains(where: { $0.actor.same(row.actor) }) { throw Self.unique("credentials", ["actor"]) }
        if let token = row.apiToken, credentials.contains(where: { $0.apiToken.map { $0.same(token) } ?? false }) {
            throw Self.unique("credentials", ["api_token"])
        }
        guard actors.contains(where: { $0.name.same(row.actor) }) else { throw Self.foreignKey }
        credentials.append(row)
    }

    mutating func insert(_ row: SequenceRow) throws(StoreError) {
        if sequences.contains(where: { $0.prefix.same(row.prefix) && $0.year == row.year }) {
            throw Self.unique("ticket_sequences", ["prefix", "year"])
        }
        sequences.append(row)
    }

    mutating func insert(_ row: MeetingRow) throws(StoreError) {
        let ids = meetings.map(\.id)
        if Self.position(of: row.id, in: ids) != nil { throw Self.unique("meetings", ["id"]) }
        meetings.insert(row, at: Self.insertionIndex(of: row.id, in: ids))
    }

    mutating func insert(_ row: MeetingDocumentRow) throws(StoreError) {
        if meetingDocuments.contains(where: {
            $0.meetingID == row.meetingID && $0.kind.same(row.kind) && $0.issue == row.issue && $0.format.same(row.format)
        }) {
            throw Self.unique("meeting_documents", ["meeting_id", "kind", "issue", "format"])
        }
        guard Self.position(of: row.meetingID, in: meetings.map(\.id)) != nil else { throw Self.foreignKey }
        meetingDocuments.append(row)
    }

    mutating func insert(_ row: AgendaEntryRow) throws(StoreError) {
        if agendaEntries.contains(where: { $0.meetingID == row.meetingID && $0.ticketID.same(row.ticketID) }) {
            throw Self.unique("agenda_entries", ["meeting_id", "ticket_id"])
        }
        guard Self.position(of: row.meetingID, in: meetings.map(\.id)) != nil, ticketPosition(row.ticketID) != nil else {
            throw Self.foreignKey
        }
        agendaEntries.append(row)
    }

    mutating func insert(_ row: BoardMemberRow) throws(StoreError) {
        if boardMembers.contains(where: { $0.workflowID.same(row.workflowID) && $0.name.same(row.name) }) {
            throw Self.unique("board_members", ["workflow_id", "name"])
        }
        boardMembers.append(row)
    }

    mutating func insert(_ row: VoteRow) throws(StoreError) {
        if votes.contains(where: { $0.ticketID.same(row.ticketID) && $0.revision == row.revision }) {
            throw Self.unique("decision_votes", ["ticket_id", "revision"])
        }
        guard (historyPositions[Array(row.ticketID.utf8)] ?? []).contains(where: { history[$0].revision == row.revision }) else {
            throw Self.foreignKey
        }
        votes.append(row)
    }

    mutating func insert(_ row: TicketRow) throws(StoreError) {
        if ticketPosition(row.id) != nil { throw Self.unique("tickets", ["id"]) }
        guard definitions.contains(where: { $0.workflowID.same(row.workflowID) && $0.version == row.version }) else {
            throw Self.foreignKey
        }
        ticketPositions[Array(row.id.utf8)] = tickets.count
        tickets.append(row)
    }

    mutating func insert(_ row: HistoryRow) throws(StoreError) {
        let key = Array(row.ticketID.utf8)
        if (historyPositions[key] ?? []).contains(where: { history[$0].revision == row.revision }) {
            throw Self.unique("history", ["ticket_id", "revision"])
        }
        guard ticketPositions[key] != nil, row.meetingID.map({ Self.position(of: $0, in: meetings.map(\.id)) != nil }) ?? true else {
            throw Self.foreignKey
        }
        historyPositions[key, default: []].append(history.count)
        history.append(row)
    }

    mutating func insert(_ row: TimerRow) throws(StoreError) {
        let ids = timers.map(\.id)
        if Self.position(of: row.id, in: ids) != nil { throw Self.unique("timers", ["id"]) }
        guard TimerRecord.Status(rawValue: row.status) != nil else { throw Self.failure("CHECK constraint failed: status") }
        guard ticketPosition(row.ticketID) != nil else { throw Self.foreignKey }
        timers.insert(row, at: Self.insertionIndex(of: row.id, in: ids))
    }

    mutating func insert(_ row: OutboxRow) throws(StoreError) {
        if outbox.contains(where: { $0.id.same(row.id) }) { throw Self.unique("outbox", ["id"]) }
        outbox.append(row)
    }

    mutating func insert(_ row: AdminLogRow) throws(StoreError) {
        let sequences = adminLog.map(\.sequence)
        if Self.position(of: row.sequence, in: sequences) != nil { throw Self.unique("admin_log", ["sequence"]) }
        adminLog.insert(row, at: Self.insertionIndex(of: row.sequence, in: sequences))
    }

    // MARK: Export and import

    /// A column as SQLite's schema declares it, in `pragma_table_info` order (added columns last).
    struct Column: Sendable {
        enum Kind: Sendable { case text, integer }
        let name: String
        let kind: Kind
        let notNull: Bool
        /// The value when the column is left out of an insert.
        let absent: ExportRow.Value
        /// An `INTEGER PRIMARY KEY`: left out (or null), it takes the next id.
        let rowID: Bool

        static func text(_ name: String, notNull: Bool = true, absent: ExportRow.Value = .null) -> Column {
            Column(name: name, kind: .text, notNull: notNull, absent: absent, rowID: false)
        }

        static func integer(_ name: String, notNull: Bool = true, absent: ExportRow.Value = .null, rowID: Bool = false) -> Column {
            Column(name: name, kind: .integer, notNull: notNull, absent: absent, rowID: rowID)
        }
    }

    /// The columns of every exported table, as the SQLite store has them after all its migrations.
    static let schema: [String: [Column]] = [
        "definitions": [
            .text("workflow_id"), .integer("version"), .text("title"), .text("content_hash"), .text("source"), .text("file"),
            .text("registered_at"),
        ],
        "actors": [.text("name"), .text("municipality", notNull: false), .text("created_at")],
        "actor_roles": [.text("actor"), .text("role")],
        "credentials": [.text("actor"), .text("password", notNull: false), .text("api_token", notNull: false)],
        "ticket_sequences": [.text("prefix"), .integer("year"), .integer("last")],
        "meetings": [
            .integer("id", notNull: false, rowID: true), .text("workflow_id"), .text("date"), .text("time", notNull: false),
            .text("title"), .text("place", notNull: false), .text("submission_deadline"), .text("created_at"),
            .text("status", absent: .text(MeetingStatus.draft.rawValue)), .integer("sequence", absent: .integer(0)),
            .text("updated_at", notNull: false), .text("attendance", notNull: false),
        ],
        "board_members": [.text("workflow_id"), .text("name"), .text("body"), .text("deputy", notNull: false), .text("added_at")],
        "decision_votes": [.text("ticket_id"), .integer("revision"), .text("vote")],
        "meeting_documents": [
            .integer("meeting_id"), .text("kind"), .integer("issue"), .text("format"), .text("created_at"), .text("content"),
        ],
        "agenda_entries": [.integer("meeting_id"), .text("number"), .text("ticket_id"), .integer("issue")],
        "tickets": [
            .text("id"), .text("workflow_id"), .integer("version"), .text("state"), .integer("revision"), .text("fields"),
            .text("opened_at"), .text("opened_by"), .text("updated_at"), .text("history_head", notNull: false),
        ],
        "history": [
            .text("ticket_id"), .integer("revision"), .text("at"), .text("actor"), .text("role"), .text("event"),
            .text("from_state", notNull: false), .text("to_state"), .text("changes"), .text("comment", notNull: false),
            .integer("meeting_id", notNull: false), .text("resolution", notNull: false), .text("content_digest", notNull: false),
            .text("chain_hash", notNull: false), .integer("chain_backfilled", absent: .integer(0)),
            .integer("purged", absent: .integer(0)), .text("account", notNull: false),
            .integer("chain_format", absent: .integer(HistoryChain.wholeContent)), .text("redacted_digests", notNull: false),
            .text("redaction", notNull: false), .text("deputy_for", notNull: false),
        ],
        "timers": [
            .integer("id", notNull: false, rowID: true), .text("ticket_id"), .text("state"), .text("timer"), .text("armed_at"),
            .integer("armed_revision"), .integer("due_ms"), .text("status", absent: .text(TimerRecord.Status.pending.rawValue)),
            .text("done_at", notNull: false), .integer("late_ms", notNull: false), .text("note", notNull: false),
        ],
        "outbox": [
            .text("id"), .text("created_at"), .text("ticket_id"), .text("kind"), .text("role"), .text("payload"),
            .integer("attempts", absent: .integer(0)), .integer("next_attempt_ms"), .text("delivered_at", notNull: false),
            .text("last_error", notNull: false),
        ],
        "store_identity": [.text("id"), .text("created_at")],
        "admin_log": [
            .integer("sequence", notNull: false, rowID: true), .text("at"), .text("kind"), .text("actor", notNull: false),
            .text("account", notNull: false), .text("subject", notNull: false), .text("details"), .text("hash"),
        ],
    ]

    /// A table's rows as exported: in rowid (insertion) order, so that an import keeps the order decisions were taken in.
    func exportValues(of table: String) -> [[ExportRow.Value]] {
        switch table {
        case "definitions": definitions.map(\.values)
        case "actors": actors.map(\.values)
        case "actor_roles": actorRoles.map(\.values)
        case "credentials": credentials.map(\.values)
        case "ticket_sequences": sequences.map(\.values)
        case "meetings": meetings.map(\.values)
        case "tickets": tickets.map(\.values)
        case "history": history.map(\.values)
        case "timers": timers.map(\.values)
        case "outbox": outbox.map(\.values)
        case "store_identity": identity.map(\.values)
        case "admin_log": adminLog.map(\.values)
        case "meeting_documents": meetingDocuments.map(\.values)
        case "agenda_entries": agendaEntries.map(\.values)
        case "board_members": boardMembers.map(\.values)
        case "decision_votes": votes.map(\.values)
        default: []
        }
    }

    /// Inserts an exported row as SQLite would: left-out columns take their default, values are converted to the
    /// column's type where that loses nothing (STRICT tables), and every key and reference is checked.
    mutating func importRow(_ row: ExportRow, columns: [Column]) throws(StoreError) {
        guard !columns.isEmpty else { throw Self.failure("no such table: \(row.table)") }
        var values: [ExportRow.Value] = []
        for column in columns {
            let given = row.columns.filter { $0.name == column.name }
            if given.count > 1 { throw Self.failure("column \(column.name) is given twice") }
            var value = given.first?.value ?? column.absent
            if column.rowID, value == .null {
                switch row.table {
                case "timers": value = .integer(try nextTimerID())
                case "admin_log": value = .integer(try Self.increment(adminLog.last?.sequence ?? 0))
                default: value = .integer(try nextMeetingID())
                }
            }
            switch (value, column.kind) {
            case (.null, _):
                if column.notNull { throw Self.failure("NOT NULL constraint failed: \(row.table).\(column.name)") }
            case (.integer(let number), .text): value = .text(String(number))
            case (.text(let text), .integer):
                guard let number = Int(text) else {
                    throw Self.failure("cannot store TEXT value in INTEGER column \(row.table).\(column.name)")
                }
                value = .integer(number)
            default: break
            }
            values.append(value)
        }
        var reader = ValueReader(table: row.table, columns: columns, values: values)
        switch row.table {
        case "definitions": try insert(DefinitionRow(&reader))
        case "actors": try insert(ActorRow(&reader))
        case "actor_roles": try insert(ActorRoleRow(&reader))
        case "credentials": try insert(CredentialRow(&reader))
        case "ticket_sequences": try insert(SequenceRow(&reader))
        case "meetings": try insert(MeetingRow(&reader))
        case "tickets": try insert(TicketRow(&reader))
        case "history": try insert(HistoryRow(&reader))
        case "timers": try insert(TimerRow(&reader))
        case "outbox": try insert(OutboxRow(&reader))
        // The import continues the exported database: its identity replaces the one this store was created with.
        case "store_identity": identity = [try IdentityRow(&reader)]
        case "admin_log": try insert(AdminLogRow(&reader))
        case "meeting_documents": try insert(MeetingDocumentRow(&reader))
        case "agenda_entries": try insert(AgendaEntryRow(&reader))
        case "board_members": try insert(BoardMemberRow(&reader))
        case "decision_votes": try insert(VoteRow(&reader))
        default: throw Self.failure("no such table: \(row.table)")
        }
    }
}

/// Reads a row's values in column order, each of the type its column has (the import converted them).
struct ValueReader {
    let table: String
    let columns: [MemoryTables.Column]
    let values: [ExportRow.Value]
    private var index = 0

    init(table: String, columns: [MemoryTables.Column], values: [ExportRow.Value]) {
        self.table = table
        self.columns = columns
        self.values = values
    }

    private mutating func next() throws(StoreError) -> (value: ExportRow.Value, column: String) {
        guard index < values.count, index < columns.count else { throw MemoryTables.failure("\(table) has \(values.count) columns") }
        defer { index += 1 }
        return (values[index], columns[index].name)
    }

    private func mismatch(_ column: String) -> StoreError { MemoryTables.failure("datatype mismatch in \(table).\(column)") }

    mutating func text() throws(StoreError) -> String {
        let (value, column) = try next()
        guard case .text(let text) = value else { throw mismatch(column) }
        return text
    }

    mutating func optionalText() throws(StoreError) -> String? {
        let (value, column) = try next()
        switch value {
        case .text(let text): return text
        case .null: return nil
        case .integer: throw mismatch(column)
        }
    }

    mutating func integer() throws(StoreError) -> Int {
        let (value, column) = try next()
        guard case .integer(let number) = value else { throw mismatch(column) }
        return number
    }

    mutating func optionalInteger() throws(StoreError) -> Int? {
        let (value, column) = try next()
        switch value {
        case .integer(let number): return number
        case .null: return nil
        case .text: throw mismatch(column)
        }
    }
}

extension ExportRow.Value {
    fileprivate init(_ text: String?) { self = text.map(Self.text) ?? .null }
    fileprivate init(_ number: Int?) { self = number.map(Self.integer) ?? .null }
}

// MARK: - Rows, one type per table, with the columns in schema order

struct DefinitionRow: Sendable {
    var workflowID: String
    var version: Int
    var title: String
    var contentHash: String
    var source: String
    var file: String
    var registeredAt: String

    init(workflowID: String, version: Int, title: String, contentHash: String, source: String, file: String, registeredAt: String) {
        self.workflowID = workflowID
        self.version = version
        self.title = title
        self.contentHash = contentHash
        self.source = source
        self.file = file
        self.registeredAt = registeredAt
    }

    init(_ reader: inout ValueReader) throws(StoreError) {
        self.init(
            workflowID: try reader.text(), version: try reader.integer(), title: try reader.text(), contentHash: try reader.text(),
            source: try reader.text(), file: try reader.text(), registeredAt: try reader.text())
    }

    var values: [ExportRow.Value] {
        [.text(workflowID), .integer(version), .text(title), .text(contentHash), .text(source), .text(file), .text(registeredAt)]
    }
}

struct ActorRow: Sendable {
    var name: String
    var municipality: String?
    var createdAt: String

    init(name: String, municipality: String?, createdAt: String) {
        self.name = name
        self.municipality = municipality
        self.createdAt = createdAt
    }

    init(_ reader: inout ValueReader) throws(StoreError) {
        self.init(name: try reader.text(), municipality: try reader.optionalText(), createdAt: try reader.text())
    }

    var values: [ExportRow.Value] { [.text(name), .init(municipality), .text(createdAt)] }
}

struct CredentialRow: Sendable {
    var actor: String
    var password: String?
    var apiToken: String?

    init(actor: String, password: String?, apiToken: String?) {
        self.actor = actor
        self.password = password
        self.apiToken = apiToken
    }

    init(_ reader: inout ValueReader) throws(StoreError) {
        self.init(actor: try reader.text(), password: try reader.optionalText(), apiToken: try reader.optionalText())
    }

    var values: [ExportRow.Value] { [.text(actor), .init(password), .init(apiToken)] }
}

struct ActorRoleRow: Sendable {
    var actor: String
    var role: String

    init(actor: String, role: String) {
        self.actor = actor
        self.role = role
    }

    init(_ reader: inout ValueReader) throws(StoreError) {
        self.init(actor: try reader.text(), role: try reader.text())
    }

    var values: [ExportRow.Value] { [.text(actor), .text(role)] }
}

struct SequenceRow: Sendable {
    var prefix: String
    var year: Int
    var last: Int

    init(prefix: String, year: Int, last: Int) {
        self.prefix = prefix
        self.year = year
        self.last = last
    }

    init(_ reader: inout ValueReader) throws(StoreError) {
        self.init(prefix: try reader.text(), year: try reader.integer(), last: try reader.integer())
    }

    var values: [ExportRow.Value] { [.text(prefix), .integer(year), .integer(last)] }
}

struct MeetingRow: Sendable {
    var id: Int
    var workflowID: String
    var date: String
    var time: String?
    var title: String
    var place: String?
    var submissionDeadline: String
    var createdAt: String
    var status = MeetingStatus.draft.rawValue
    var sequence = 0
    var updatedAt: String?
    var attendance: String?

    init(
        id: Int, workflowID: String, date: String, time: String?, title: String, place: String?, submissionDeadline: String,
        createdAt: String
    ) {
        self.id = id
        self.workflowID = workflowID
        self.date = date
        self.time = time
        self.title = title
        self.place = place
        self.submissionDeadline = submissionDeadline
        self.createdAt = createdAt
    }

    init(_ reader: inout ValueReader) throws(StoreError) {
        self.init(
            id: try reader.integer(), workflowID: try reader.text(), date: try reader.text(), time: try reader.optionalText(),
            title: try reader.text(), place: try reader.optionalText(), submissionDeadline: try reader.text(),
            createdAt: try reader.text())
        status = try reader.text()
        sequence = try reader.integer()
        updatedAt = try reader.optionalText()
        attendance = try reader.optionalText()
        guard MeetingStatus(rawValue: status) != nil else { throw MemoryTables.failure("CHECK constraint failed: status") }
    }

    var values: [ExportRow.Value] {
        [
            .integer(id), .text(workflowID), .text(date), .init(time), .text(title), .init(place), .text(submissionDeadline),
            .text(createdAt), .text(status), .integer(sequence), .init(updatedAt), .init(attendance),
        ]
    }
}

struct MeetingDocumentRow: Sendable {
    var meetingID: Int
    var kind: String
    var issue: Int
    var format: String
    var createdAt: String
    var content: String

    init(meetingID: Int, kind: String, issue: Int, format: String, createdAt: String, content: String) {
        self.meetingID = meetingID
        self.kind = kind
        self.issue = issue
        self.format = format
        self.createdAt = createdAt
        self.content = content
    }

    init(_ reader: inout ValueReader) throws(StoreError) {
        self.init(
            meetingID: try reader.integer(), kind: try reader.text(), issue: try reader.integer(), format: try reader.text(),
            createdAt: try reader.text(), content: try reader.text())
    }

    var values: [ExportRow.Value] {
        [.integer(meetingID), .text(kind), .integer(issue), .text(format), .text(createdAt), .text(content)]
    }
}

struct BoardMemberRow: Sendable {
    var workflowID: String
    var name: String
    var body: String
    var deputy: String?
    var addedAt: String

    init(workflowID: String, name: String, body: String, deputy: String?, addedAt: String) {
        self.workflowID = workflowID
        self.name = name
        self.body = body
        self.deputy = deputy
        self.addedAt = addedAt
    }

    init(_ reader: inout ValueReader) throws(StoreError) {
        self.init(
            workflowID: try reader.text(), name: try reader.text(), body: try reader.text(), deputy: try reader.optionalText(),
            addedAt: try reader.text())
    }

    var values: [ExportRow.Value] { [.text(workflowID), .text(name), .text(body), .init(deputy), .text(addedAt)] }
}

struct VoteRow: Sendable {
    var ticketID: String
    var revision: Int
    var vote: String

    init(ticketID: String, revision: Int, vote: String) {
        self.ticketID = ticketID
        self.revision = revision
        self.vote = vote
    }

    init(_ reader: inout ValueReader) throws(StoreError) {
        self.init(ticketID: try reader.text(), revision: try reader.integer(), vote: try reader.text())
    }

    var values: [ExportRow.Value] { [.text(ticketID), .integer(revision), .text(vote)] }
}

struct AgendaEntryRow: Sendable {
    var meetingID: Int
    var number: String
    var ticketID: String
    var issue: Int

    init(meetingID: Int, number: String, ticketID: String, issue: Int) {
        self.meetingID = meetingID
        self.number = number
        self.ticketID = ticketID
        self.issue = issue
    }

    init(_ reader: inout ValueReader) throws(StoreError) {
        self.init(meetingID: try reader.integer(), number: try reader.text(), ticketID: try reader.text(), issue: try reader.integer())
    }

    var values: [ExportRow.Value] { [.integer(meetingID), .text(number), .text(ticketID), .integer(issue)] }
}

struct TicketRow: Sendable {
    var id: String
    var workflowID: String
    var version: Int
    var state: String
    var revision: Int
    var fields: String
    var openedAt: String
    var openedBy: String
    var updatedAt: String
    var historyHead: String?

    init(
        id: String, workflowID: String, version: Int, state: String, revision: Int, fields: String, openedAt: String, openedBy: String,
        updatedAt: String, historyHead: String?
    ) {
        self.id = id
        self.workflowID = workflowID
        self.version = version
        self.state = state
        self.revision = revision
        self.fields = fields
        self.openedAt = openedAt
        self.openedBy = openedBy
        self.updatedAt = updatedAt
        self.historyHead = historyHead
    }

    init(_ reader: inout ValueReader) throws(StoreError) {
        self.init(
            id: try reader.text(), workflowID: try reader.text(), version: try reader.integer(), state: try reader.text(),
            revision: try reader.integer(), fields: try reader.text(), openedAt: try reader.text(), openedBy: try reader.text(),
            updatedAt: try reader.text(), historyHead: try reader.optionalText())
    }

    var values: [ExportRow.Value] {
        [
            .text(id), .text(workflowID), .integer(version), .text(state), .integer(revision), .text(fields), .text(openedAt),
            .text(openedBy), .text(updatedAt), .init(historyHead),
        ]
    }
}

struct HistoryRow: Sendable {
    var ticketID: String
    var revision: Int
    var at: String
    var actor: String
    var role: String
    var event: String
    var fromState: String?
    var toState: String
    var changes: String
    var comment: String?
    var meetingID: Int?
    var resolution: String?
    var contentDigest: String?
    var chainHash: String?
    var chainBackfilled: Int
    var purged: Int
    var account: String?
    var chainFormat: Int
    var redactedDigests: String?
    var redaction: String?
    var deputyFor: String?

    init(
        ticketID: String, revision: Int, at: String, actor: String, role: String, event: String, fromState: String?, toState: String,
        changes: String, comment: String?, meetingID: Int?, resolution: String?, contentDigest: String?, chainHash: String?,
        chainBackfilled: Int, purged: Int, account: String?, chainFormat: Int, redactedDigests: String?, redaction: String?,
        deputyFor: String? = nil
    ) {
        self.ticketID = ticketID
        self.revision = revision
        self.at = at
        self.actor = actor
        self.role = role
        self.event = event
        self.fromState = fromState
        self.toState = toState
        self.changes = changes
        self.comment = comment
        self.meetingID = meetingID
        self.resolution = resolution
        self.contentDigest = contentDigest
        self.chainHash = chainHash
        self.chainBackfilled = chainBackfilled
        self.purged = purged
        self.account = account
        self.chainFormat = chainFormat
        self.redactedDigests = redactedDigests
        self.redaction = redaction
        self.deputyFor = deputyFor
    }

    init(_ reader: inout ValueReader) throws(StoreError) {
        self.init(
            ticketID: try reader.text(), revision: try reader.integer(), at: try reader.text(), actor: try reader.text(),
            role: try reader.text(), event: try reader.text(), fromState: try reader.optionalText(), toState: try reader.text(),
            changes: try reader.text(), comment: try reader.optionalText(), meetingID: try reader.optionalInteger(),
            resolution: try reader.optionalText(), contentDigest: try reader.optionalText(), chainHash: try reader.optionalText(),
            chainBackfilled: try reader.integer(), purged: try reader.integer(), account: try reader.optionalText(),
            chainFormat: try reader.integer(), redactedDigests: try reader.optionalText(), redaction: try reader.optionalText(),
            deputyFor: try reader.optionalText())
    }

    var values: [ExportRow.Value] {
        [
            .text(ticketID), .integer(revision), .text(at), .text(actor), .text(role), .text(event), .init(fromState), .text(toState),
            .text(changes), .init(comment), .init(meetingID), .init(resolution), .init(contentDigest), .init(chainHash),
            .integer(chainBackfilled), .integer(purged), .init(account), .integer(chainFormat), .init(redactedDigests), .init(redaction),
            .init(deputyFor),
        ]
    }
}

struct TimerRow: Sendable {
    var id: Int
    var ticketID: String
    var state: String
    var timer: String
    var armedAt: String
    var armedRevision: Int
    var dueMs: Int
    var status: String
    var doneAt: String?
    var lateMs: Int?
    var note: String?

    init(
        id: Int, ticketID: String, state: String, timer: String, armedAt: String, armedRevision: Int, dueMs: Int, status: String,
        doneAt: String?, lateMs: Int?, note: String?
    ) {
        self.id = id
        self.ticketID = ticketID
        self.state = state
        self.timer = timer
        self.armedAt = armedAt
        self.armedRevision = armedRevision
        self.dueMs = dueMs
        self.status = status
        self.doneAt = doneAt
        self.lateMs = lateMs
        self.note = note
    }

    init(_ reader: inout ValueReader) throws(StoreError) {
        self.init(
            id: try reader.integer(), ticketID: try reader.text(), state: try reader.text(), timer: try reader.text(),
            armedAt: try reader.text(), armedRevision: try reader.integer(), dueMs: try reader.integer(), status: try reader.text(),
            doneAt: try reader.optionalText(), lateMs: try reader.optionalInteger(), note: try reader.optionalText())
    }

    var values: [ExportRow.Value] {
        [
            .integer(id), .text(ticketID), .text(state), .text(timer), .text(armedAt), .integer(armedRevision), .integer(dueMs),
            .text(status), .init(doneAt), .init(lateMs), .init(note),
        ]
    }
}

struct OutboxRow: Sendable {
    var id: String
    var createdAt: String
    var ticketID: String
    var kind: String
    var role: String
    var payload: String
    var attempts: Int
    var nextAttemptMs: Int
    var deliveredAt: String?
    var lastError: String?

    init(
        id: String, createdAt: String, ticketID: String, kind: String, role: String, payload: String, attempts: Int, nextAttemptMs: Int,
        deliveredAt: String?, lastError: String?
    ) {
        self.id = id
        self.createdAt = createdAt
        self.ticketID = ticketID
        self.kind = kind
        self.role = role
        self.payload = payload
        self.attempts = attempts
        self.nextAttemptMs = nextAttemptMs
        self.deliveredAt = deliveredAt
        self.lastError = lastError
    }

    init(_ reader: inout ValueReader) throws(StoreError) {
        self.init(
            id: try reader.text(), createdAt: try reader.text(), ticketID: try reader.text(), kind: try reader.text(),
            role: try reader.text(), payload: try reader.text(), attempts: try reader.integer(), nextAttemptMs: try reader.integer(),
            deliveredAt: try reader.optionalText(), lastError: try reader.optionalText())
    }

    var values: [ExportRow.Value] {
        [
            .text(id), .text(createdAt), .text(ticketID), .text(kind), .text(role), .text(payload), .integer(attempts),
            .integer(nextAttemptMs), .init(deliveredAt), .init(lastError),
        ]
    }
}

struct IdentityRow: Sendable {
    var id: String
    var createdAt: String

    init(id: String, createdAt: String) {
        self.id = id
        self.createdAt = createdAt
    }

    init(_ reader: inout ValueReader) throws(StoreError) {
        self.init(id: try reader.text(), createdAt: try reader.text())
    }

    var values: [ExportRow.Value] { [.text(id), .text(createdAt)] }
}

struct AdminLogRow: Sendable {
    var sequence: Int
    var at: String
    var kind: String
    var actor: String?
    var account: String?
    var subject: String?
    var details: String
    var hash: String

    init(sequence: Int, at: String, kind: String, actor: String?, account: String?, subject: String?, details: String, hash: String) {
        self.sequence = sequence
        self.at = at
        self.kind = kind
        self.actor = actor
        self.account = account
        self.subject = subject
        self.details = details
        self.hash = hash
    }

    init(_ reader: inout ValueReader) throws(StoreError) {
        self.init(
            sequence: try reader.integer(), at: try reader.text(), kind: try reader.text(), actor: try reader.optionalText(),
            account: try reader.optionalText(), subject: try reader.optionalText(), details: try reader.text(), hash: try reader.text())
    }

    var values: [ExportRow.Value] {
        [.integer(sequence), .text(at), .text(kind), .init(actor), .init(account), .init(subject), .text(details), .text(hash)]
    }
}

extension String {
    /// Equal byte for byte, as SQLite's BINARY collation compares (Swift's `==` also equates canonically equivalent text).
    fileprivate func same(_ other: String) -> Bool { utf8.elementsEqual(other.utf8) }

    /// Sorts before `other` byte for byte, as SQLite's BINARY collation orders.
    fileprivate func precedesBinary(_ other: String) -> Bool { utf8.lexicographicallyPrecedes(other.utf8) }
}
