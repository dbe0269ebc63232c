import Foundation
import Synchronization

/// Why the engine refused a request that is not a refused transition.
public enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownTicket(String)
    case unknownWorkflow(String, known: [String])
    case unknownVersion(workflow: String, version: Int)
    case unknownActor(String)
    case unknownRole(String, known: [String])
    case unknownMunicipality(String, known: [String])
    /// The definition file is not valid; its problems are listed (the first ones, when there are very many:
    /// `omitted` counts the rest, `omittedErrors` the errors among them).
    case invalidDefinition(file: String, diagnostics: [Diagnostic], omitted: Int = 0, omittedErrors: Int = 0)
    /// A file with other content was registered before under the same id and version.
    case definitionChanged(workflow: String, version: Int, file: String)
    /// The actor lacks the role an administrative act needs.
    case roleRequired(actor: String, role: String, action: String)
    /// Internal figures (small numbers unmasked) were asked for by an actor without a role the workflow allows.
    case internalFiguresRefused(actor: String, workflow: String, roles: [String])
    /// The change would leave a database that had an admin without one (after which anyone could make themselves one).
    case lastAdmin(actor: String)
    /// An actor needs at least one role.
    case noRoles(actor: String)
    /// An admin log kind that is not lowercase words joined by dots.
    case invalidLogKind(String)
    /// A ticket's history lost its chain head (it was changed outside GapFlow): nothing more is added to it.
    case chainHeadMissing(ticket: String)
    /// A deputy period (*Vertretung*) that cannot be recorded: why, in words.
    case invalidDeputy(String)
    /// A project group that cannot be registered, or is not: why, in words.
    case invalidGroup(String)

    public var description: String {
        switch self {
        case .unknownTicket(let id): "there is no ticket \(id)"
        case .unknownWorkflow(let id, let known):
            "there is no workflow \"\(id)\" (registered: \(known.isEmpty ? "none" : known.joined(separator: ", ")))"
        case .unknownVersion(let workflow, let version): "workflow \"\(workflow)\" has no version \(version)"
        case .unknownActor(let name): "there is no actor \"\(name)\""
        case .unknownRole(let role, let known): "no workflow has a role \"\(role)\" (roles: \(known.joined(separator: ", ")))"
        case .unknownMunicipality(let name, let known):
            "\"\(name)\" is neither a municipality nor an area of any workflow (known: \(known.joined(separator: ", ")))"
        case .invalidDefinition(let file, let diagnostics, _, let omittedErrors):
            "\(file) is not a valid definition (\(diagnostics.filter { $0.severity == .error }.count + omittedErrors) errors)"
        case .definitionChanged(let workflow, let version, let file):
            "\(file) differs from the registered version \(version) of \"\(workflow)\""
        case .roleRequired(let actor, let role, let action):
            "\(actor) may not \(action): that needs the role \"\(role)\""
        case .internalFiguresRefused(let actor, let workflow, let roles):
            roles.isEmpty
                ? "workflow \"\(workflow)\" lets no role see internal figures (small numbers unmasked)"
                : "\(actor) may not see internal figures of \"\(workflow)\": that needs one of the roles \(roles.joined(separator: ", "))"
        case .lastAdmin(let actor):
            "\(actor) is the last actor with the role \"\(Engine.adminRole)\"; the database would be left without an admin"
        case .noRoles(let actor): "\(actor) would be left without a role"
        case .invalidLogKind(let kind): "\"\(kind)\" is not an admin log kind (lowercase words joined by dots, e.g. login.failed)"
        case .chainHeadMissing(let ticket):
            "the history of \(ticket) has lost its chain head: it was changed outside GapFlow, so nothing more is added to it"
        case .invalidDeputy(let reason), .invalidGroup(let reason): reason
        }
    }

    /// What the user can do about it.
    public var hint: String? {
        switch self {
        case .unknownTicket: "list tickets with `gapflow list`"
        case .unknownWorkflow: "register it with `gapflow init` (reads Workflows/)"
        case .unknownVersion: "see `gapflow workflows`"
        case .unknownActor(let name): "register it with `gapflow actor add \(name) --role ROLE`, or act as another with --as"
        case .unknownRole, .unknownMunicipality: nil
        case .invalidDefinition(let file, _, _, _): "run `gapflow validate \(file)` and fix what it lists"
        case .definitionChanged: "raise \"version\" in the file; running tickets keep the version they started with"
        case .roleRequired(_, let role, _): "act as an actor with the role \"\(role)\" (--as)"
        case .internalFiguresRefused(_, _, let roles):
            roles.isEmpty
                ? "leave out --internal, or name the roles in \"smallNumbers\": { \"internalRoles\": [...] } of the workflow file"
                : "leave out --internal, or act as an actor with one of these roles (--as)"
        case .lastAdmin: "register another admin first (`gapflow actor add NAME --role admin`)"
        case .noRoles(let actor): "remove the actor instead (`gapflow actor remove \(actor)`)"
        case .invalidLogKind: nil
        case .chainHeadMissing: "run `gapflow audit verify` (with --checkpoint) and restore the database from a backup"
        case .invalidDeputy: "see `gapflow actor deputies` for the periods already recorded"
        case .invalidGroup: "see `gapflow group list`"
        }
    }
}

/// What registering a definition did.
public enum Registration: Sendable, Equatable {
    case registered(workflow: String, version: Int)
    /// The same content was registered before; nothing changed.
    case unchanged(workflow: String, version: Int)
}

/// The engine: runs commands against the store, each in one transaction, around the pure ``Step``.
public final class Engine: Sendable {
    public let store: any TicketStore
    public let clock: any WallClock
    /// Parsed definitions by "id@version"; stored sources never change, so the cache never goes stale.
    private let cache = Mutex<[String: Definition]>([:])
    /// Told the earliest due time after a command armed timers, so a scheduler in this process can re-arm.
    private let timerObservers = Mutex<[@Sendable (Date) -> Void]>([])
    /// Deputy periods as read from the admin log up to the sequence number kept beside them.
    let deputyCache = Mutex<(sequence: Int, deputies: [Deputyship])>((0, []))
    /// The project-group register as read from the admin log up to the sequence number kept beside it.
    let groupCache = Mutex<(sequence: Int, groups: [ProjectGroup])>((0, []))

    /// The operating-system account on whose behalf this engine writes, recorded in every history entry beside the actor.
    public let account: String?

    /// How many due timers share one transaction, and how long a batch may hold the write lock.
    public let timerBatch: TimerBatch

    /// An engine on `store`; `account` is the operating-system account running the door (the CLI's user), if any.
    public init(store: any TicketStore, clock: any WallClock = SystemClock(), account: String? = nil, timerBatch: TimerBatch = TimerBatch())
    {
        self.store = store
        self.clock = clock
        self.account = account
        self.timerBatch = timerBatch
    }

    /// Calls `observer` with the due time of every timer a committed command arms.
    public func observeArmedTimers(_ observer: @escaping @Sendable (Date) -> Void) {
        timerObservers.withLock { $0.append(observer) }
    }

    func notifyArmed(_ earliest: Date?) {
        guard let earliest else { return }
        for observer in timerObservers.withLock({ $0 }) { observer(earliest) }
    }

    func now() -> Date { Timestamp.truncated(clock.now()) }

    // MARK: - Definitions

    /// Validates a definition file and registers its version; refuses changed content under a registered version.
    @discardableResult
    public func register(source: [UInt8], file: String) throws -> Registration {
        let result = DefinitionLoader.load(source: source, file: file)
        guard let definition = result.definition else {
            throw EngineError.invalidDefinition(
                file: file, diagnostics: result.diagnostics, omitted: result.omittedCount, omittedErrors: result.omittedErrorCount)
        }
        let hash = SHA256.hex(source)
        let text = String(decoding: source, as: UTF8.self)
        return try store.write { tx in
            let now = self.now()
            if let existing = try tx.definitionSource(workflow: definition.id, version: definition.version) {
                guard existing.hash == hash else {
                    throw EngineError.definitionChanged(workflow: definition.id, version: definition.version, file: file)
                }
                return .unchanged(workflow: definition.id, version: definition.version)
            }
            try tx.insertDefinition(definition, hash: hash, source: text, file: file, at: now)
            return .registered(workflow: definition.id, version: definition.version)
        }
    }

    /// A registered definition; the newest version when `version` is nil.
    public func definition(_ workflow: String, version: Int? = nil) throws -> Definition {
        try store.read { tx in try definition(workflow, version: version, in: tx) }
    }

    func definition(_ workflow: String, version: Int?, in tx: any StoreTransaction) throws -> Definition {
        guard let version = try version ?? tx.latestVersion(of: workflow) else {
            throw EngineError.unknownWorkflow(workflow, known: Array(Set(try tx.definitionRecords().map(\.workflowID))).sorted())
        }
        let key = "\(workflow)@\(version)"
        if let cached = cache.withLock({ $0[key] }) { return cached }
        guard let stored = try tx.definitionSource(workflow: workflow, version: version) else {
            throw EngineError.unknownVersion(workflow: workflow, version: version)
        }
        let result = DefinitionLoader.load(source: Array(stored.source.utf8), file: "\(workflow) version \(version) (stored)")
        guard let definition = result.definition else {
            throw EngineError.invalidDefinition(file: "\(workflow) version \(version) (stored)", diagnostics: result.diagnostics)
        }
        cache.withLock { $0[key] = definition }
        return definition
    }

    /// The ids of the registered workflows (cheap: no ticket counting).
    public func workflowIDs() throws -> [String] {
        try store.read { tx in Array(Set(try tx.definitionRecords().map(\.workflowID))).sorted() }
    }

    /// Every registered definition version with its number of open tickets.
    public func workflows() throws -> [DefinitionRecord] {
        try store.read { tx in
            var records = try tx.definitionRecords()
            let counts = try tx.ticketCounts()
            for index in records.indices {
                let record = records[index]
                let definition = try definition(record.workflowID, version: record.version, in: tx)
                records[index].openTickets = counts.filter {
                    $0.workflow == record.workflowID && $0.version == record.version && definition.state($0.state)?.isFinal != true
                }.reduce(0) { $0 + $1.count }
            }
            return records
        }
    }

    // MARK: - Commands

    /// Opens a ticket of the newest version of `workflow`.
    @discardableResult
    public func open(workflow: String, _ command: Command) throws -> Outcome {
        let outcome = try store.write { tx in
            let now = self.now()  // inside the transaction, so history times follow the order of commits
            let definition = try definition(workflow, version: nil, in: tx)
            let year = LocalDate(now, in: .berlin).year
            let number = try tx.nextTicketNumber(prefix: definition.ticketPrefix, year: year)
            let id = "\(definition.ticketPrefix)-\(year)-\(String(number).leftPadded(to: 4))"
            let references = try references(in: command, definition: definition, tx: tx)
            let groups = try register(for: definition, in: tx)
            switch Step.open(definition, id: id, command: command, now: now, references: references, groups: groups) {
            case .failure(let rejection):
                throw rejection
            case .success(let outcome):
                try tx.insertTicket(outcome.ticket)
                try record(outcome, definition: definition, tx: tx, now: now)
                return outcome
            }
        }
        notifyArmed(outcome.timers.arm.map(\.dueAt).min())
        return outcome
    }

    /// Fires an event on a ticket, under the definition version the ticket is pinned to.
    @discardableResult
    public func fire(_ ticketID: String, _ command: Command) throws -> Outcome {
        let outcome = try store.write { tx in
            // A single decision in writing: its resolution number must be its own.
            if let decision = command.decision, decision.meeting == nil {
                let resolution = decision.resolution.trimmingCharacters(in: .whitespaces)
                let taken = try tx.isResolutionInWritingTaken(resolution)
                if resolution.isEmpty || resolution.unicodeScalars.contains(where: Self.isControlCharacter) || taken {
                    throw MeetingError.resolutionTaken(decision.resolution)
                }
            }
            return try fire(ticketID, command, in: tx, now: self.now())
        }
        notifyArmed(outcome.timers.arm.map(\.dueAt).min())
        return outcome
    }

    /// Fires an event inside a transaction the caller holds (one command, or one of a batch of decisions).
    func fire(_ ticketID: String, _ command: Command, in tx: any StoreTransaction, now clockNow: Date) throws -> Outcome {
        let ticket = try ticket(ticketID, in: tx)
        // A ticket's history never goes back in time, even if the clock does (NTP, another machine's clock).
        let now = max(clockNow, ticket.updatedAt)
        if let expected = command.expectedRevision, expected != ticket.revision {
            throw StoreError.conflict(ticket: ticket.id, expected: expected, actual: ticket.revision)
        }
        let definition = try definition(ticket.workflowID, version: ticket.version, in: tx)
        let references = try references(in: command, definition: definition, tx: tx)
        let groups = try register(for: definition, in: tx)
        var result = Step.fire(definition, ticket: ticket, command: command, now: now, references: references, groups: groups)
        // A deputy may do what the actor they stand in for may do; the history says for whom.
        if case .failure(let rejection) = result,
            rejection.blockers.contains(where: { $0.code == .roleNotAllowed || $0.code == .outOfScope })
        {
            for absent in try absentees(for: command.actor.name, now: now, in: tx) {
                let attempt = Step.fire(
                    definition, ticket: ticket, command: command.given(by: absent), now: now, references: references, groups: groups)
                if case .success(let outcome) = attempt {
                    result = .success(outcome.recorded(asDeputy: command.actor.name, for: absent.name))
                    break
                }
            }
        }
        switch result {
        case .failure(let rejection):
            throw rejection
        case .success(let outcome):
            try tx.updateTicket(outcome.ticket, expectedRevision: ticket.revision)
            try record(outcome, definition: definition, tx: tx, now: now)
            // A merge adds up the counts of the ticket it merges into, in the same transaction.
            let transition = definition.transitions.first { $0.event == command.event && $0.from.contains(ticket.state) }
            if let rule = transition?.merge, case .ticket(let targetID)? = outcome.ticket.fields[rule.into],
                let target = try tx.ticket(targetID), target.workflowID == ticket.workflowID,
                let absorbed = Step.absorb(
                    try self.definition(target.workflowID, version: target.version, in: tx), rule: rule, source: outcome.ticket,
                    into: target, by: outcome.entry, now: now)
            {
                try tx.updateTicket(absorbed.ticket, expectedRevision: target.revision)
                try record(absorbed, definition: definition, tx: tx, now: now)
            }
            return outcome
        }
    }

    /// The events `actor` may fire on the ticket now, with the fields each still needs.
    public func options(_ ticketID: String, actor: Actor) throws -> [EventOption] {
        let now = now()
        return try store.read { tx in
            let ticket = try ticket(ticketID, in: tx)
            let definition = try definition(ticket.workflowID, version: ticket.version, in: tx)
            // A deputy's options include those of the actors they stand in for today.
            let groups = try register(for: definition, in: tx)
            var options = Step.options(definition, ticket: ticket, actor: actor, now: now, groups: groups)
            for absent in try absentees(for: actor.name, now: now, in: tx) {
                for option in Step.options(definition, ticket: ticket, actor: absent, now: now, groups: groups)
                where !options.contains(where: { $0.transition.event == option.transition.event }) {
                    options.append(option)
                }
            }
            return options
        }
    }

    // MARK: - Reading

    public func ticket(_ id: String) throws -> Ticket {
        try store.read { tx in try ticket(id, in: tx) }
    }

    /// A ticket together with the definition version it is pinned to.
    public func ticketWithDefinition(_ id: String) throws -> (Ticket, Definition) {
        try store.read { tx in
            let ticket = try ticket(id, in: tx)
            return (ticket, try definition(ticket.workflowID, version: ticket.version, in: tx))
        }
    }

    public func history(_ id: String) throws -> [HistoryEntry] {
        try store.read { tx in
            _ = try ticket(id, in: tx)
            return try tx.history(of: id.uppercased())
        }
    }

    public func tickets(_ filter: TicketFilter = TicketFilter()) throws -> [Ticket] {
        try store.read { tx in try tx.tickets(filter) }
    }

    /// Calls `visit` with every ticket the filter matches and the definition version it is pinned to, oldest first,
    /// read through a cursor: memory stays flat. `visit` must not call the engine (the read transaction is open).
    public func forEachTicket(_ filter: TicketFilter, _ visit: (Ticket, Definition) throws -> Void) throws {
        try store.read { tx in
            try tx.forEachTicket(filter) { ticket in
                try visit(ticket, try definition(ticket.workflowID, version: ticket.version, in: tx))
            }
        }
    }

    /// Like ``forEachTicket(_:_:)``, from the ticket after `after` in list order on (the cursor of the next page);
    /// an unknown `after` is refused.
    public func forEachTicket(_ filter: TicketFilter, after: String?, _ visit: (Ticket, Definition) throws -> Void) throws {
        guard let after else { return try forEachTicket(filter, visit) }
        try store.read { tx in
            let cursor = try ticket(after, in: tx)
            try tx.forEachTicket(filter, after: cursor.id) { ticket in
                try visit(ticket, try definition(ticket.workflowID, version: ticket.version, in: tx))
            }
        }
    }

    /// Appends an entry to a ticket's history, linked to the ticket's hash chain (computed here, so every store keeps the same chain).
    ///
    /// The link is never recomputed over what is there: a ticket past its first entry whose head is gone (nulled
    /// outside GapFlow, to launder edited entries with a fresh chain) is refused, and the audit shows where.
    func appendHistory(_ entry: HistoryEntry, ticket: String, in tx: any StoreTransaction) throws {
        var entry = entry
        entry.account = entry.account ?? account
        let head = try tx.historyHead(of: ticket)
        if head == nil && entry.revision > 1 { throw EngineError.chainHeadMissing(ticket: ticket) }
        try tx.appendHistory(.linking(entry, ticket: ticket, after: head), ticket: ticket)
    }

    func ticket(_ id: String, in tx: any StoreTransaction) throws -> Ticket {
        guard let ticket = try tx.ticket(id.uppercased()) else { throw EngineError.unknownTicket(id) }
        return ticket
    }

    /// Looks up the tickets that the command's ticket fields name, for the pure step to check.
    func references(in command: Command, definition: Definition, tx: any StoreTransaction) throws -> [String: ReferencedTicket] {
        var references: [String: ReferencedTicket] = [:]
        for (name, input) in command.values {
            guard let field = definition.field(name), case .ticket = field.type,
                case .success(.ticket(let id)?) = field.type.value(from: input), let target = try tx.ticket(id)
            else { continue }
            let targetDefinition = try self.definition(target.workflowID, version: target.version, in: tx)
            references[id] = ReferencedTicket(
                workflowID: target.workflowID, state: target.state, isFinal: targetDefinition.state(target.state)?.isFinal ?? false)
        }
        return references
    }
}

extension EngineError: ExplainedError {
    public var summary: String { description }
    public var details: [String] {
        guard case .invalidDefinition(_, let diagnostics, let omitted, _) = self else { return [] }
        return diagnostics.filter { $0.severity == .error }.map(\.description) + (omitted > 0 ? ["and \(omitted) more"] : [])
    }
    public var kind: ErrorKind {
        switch self {
        case .unknownTicket, .unknownWorkflow, .unknownVersion, .unknownActor: .notFound
        default: .refused
        }
    }
}
