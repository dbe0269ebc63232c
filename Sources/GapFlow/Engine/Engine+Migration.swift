import Foundation

/// What migrating one ticket to another definition version does, or why it cannot.
public struct MigrationStep: Sendable, Equatable {
    public let ticket: String
    public let fromVersion: Int
    public let fromState: String
    public let toState: String
    /// The timers armed under the new version (id and due time), counted from when the ticket entered its state.
    public let timers: [PlannedTimer]
    /// Why the ticket cannot move; empty when it can.
    public let problems: [String]
}

/// A migration was refused: the state mapping does not fit, or at least one ticket cannot move. Nothing was changed.
public struct MigrationRefused: Error, Sendable, Equatable, CustomStringConvertible {
    public let steps: [MigrationStep]
    /// What is wrong with the mapping, one line per problem of a `--map OLD=NEW`; when not empty, no ticket was checked.
    public var mappingProblems: [String] = []

    public var description: String {
        if !mappingProblems.isEmpty { return "the state mapping does not fit the versions; nothing was changed" }
        let blocked = steps.filter { !$0.problems.isEmpty }.count
        return "\(blocked) ticket\(blocked == 1 ? "" : "s") cannot be migrated; nothing was changed"
    }
}

extension Engine {
    /// The role that may migrate tickets and change accounts.
    public static let adminRole = "admin"

    /// Moves every open ticket of `workflow` onto `version`, in one transaction or not at all.
    ///
    /// A state keeps its id unless `mapping` names another; each ticket's fields must exist and be valid in the new
    /// version; its pending timers are armed anew under the new version, counted from when the ticket entered its
    /// state, and a timer the new version no longer has refuses the migration unless `allowDroppedTimers`. Each moved
    /// ticket gets a history entry (`migrate`). With `check`, everything is worked out and nothing is changed.
    public func migrate(
        workflow: String, to version: Int, mapping: [String: String], actor: Actor, check: Bool, allowDroppedTimers: Bool = false
    ) throws -> [MigrationStep] {
        return try store.write(rollback: check) { tx -> [MigrationStep] in
            let now = self.now()  // inside the transaction, so history times follow the order of commits
            // Moving running tickets onto another version is an administrator's act, whatever the workflow declares.
            guard actor.roles.contains(Self.adminRole) else {
                throw EngineError.roleRequired(actor: actor.name, role: Self.adminRole, action: "migrate tickets")
            }
            let target = try definition(workflow, version: version, in: tx)
            try checkMapping(mapping, workflow: workflow, target: target, in: tx)
            let role = Self.adminRole
            var steps: [MigrationStep] = []
            var moves: [(Ticket, Ticket, Definition, [PlannedTimer])] = []
            for ticket in try tx.tickets(TicketFilter(workflow: workflow)) where ticket.version != version {
                let source = try definition(workflow, version: ticket.version, in: tx)
                guard source.state(ticket.state)?.isFinal != true else { continue }
                var problems: [String] = []
                let newState = mapping[ticket.state] ?? ticket.state
                if target.state(newState) == nil {
                    problems.append(
                        "state \"\(ticket.state)\" does not exist in version \(version); map it with --map \(ticket.state)=STATE")
                }
                for (name, value) in ticket.fields.sorted(by: { $0.key < $1.key }) {
                    guard let field = target.field(name) else {
                        problems.append(
                            "would lose field \"\(name)\" (\(source.field(name)?.title ?? name)), which version \(version) does not have"
                        )
                        continue
                    }
                    if case .failure(let error) = field.type.value(from: .json(JSONNode(value.json))) {
                        problems.append("field \"\(name)\" would no longer be valid: \(error)")
                    }
                }
                var moved = ticket
                moved.version = version
                moved.state = newState
                moved.revision = ticket.revision + 1
                moved.updatedAt = now
                var planned: [PlannedTimer] = []
                if let state = target.state(newState) {
                    let entered =
                        try tx.agendaAnchor(ticket: ticket.id, state: ticket.state, meetingStates: []).entered ?? ticket.updatedAt
                    // Timers that already fired (or were skipped) during this stay stay done: a migration must not repeat a
                    // reminder or an escalation.
                    let done =
                        newState == ticket.state
                        ? Set(
                            try tx.timers(of: ticket.id).filter {
                                $0.state == ticket.state && $0.armedAt >= entered && $0.status != .pending && $0.status != .cancelled
                            }.map(\.timer)) : []
                    planned = state.timers.filter { !done.contains($0.id) }.compactMap {
                        Step.plan($0, definition: target, ticket: moved, enteredAt: entered, now: now)
                    }
                    let kept = Set(state.timers.map(\.id))
                    for pending in try tx.pendingTimers(dueBy: nil, ticket: ticket.id, limit: 1000) where !kept.contains(pending.timer) {
                        if !allowDroppedTimers {
                            problems.append(
                                "its timer \"\(pending.timer)\" (due \(Timestamp.iso8601(pending.dueAt))) does not exist in version \(version); "
                                    + "allow dropping it with --allow-dropped-timers")
                        }
                    }
                }
                steps.append(
                    MigrationStep(
                        ticket: ticket.id, fromVersion: ticket.version, fromState: ticket.state, toState: newState, timers: planned,
                        problems: problems))
                moves.append((ticket, moved, target, planned))
            }
            if steps.contains(where: { !$0.problems.isEmpty }) { throw MigrationRefused(steps: steps) }
            for (ticket, moved, target, planned) in moves {
                try tx.updateTicket(moved, expectedRevision: ticket.revision)
                let entry = HistoryEntry(
                    revision: moved.revision, at: now, actor: actor.name, role: role, event: "migrate", from: ticket.state,
                    to: moved.state, changes: [], comment: "version \(ticket.version) → \(target.version)")
                try appendHistory(entry, ticket: ticket.id, in: tx)
                try tx.applyTimerChanges(
                    TimerChanges(cancelState: ticket.state, cancelOnly: nil, arm: planned), ticket: ticket.id, revision: moved.revision,
                    at: now)
            }
            return steps
        }
    }
}

extension JSONNode {
    /// A node for a value to be checked again (positions do not matter there).
    init(_ value: JSONValue) {
        let origin = SourcePosition(line: 0, column: 0)
        switch value {
        case .object(let members):
            self.init(.object(members.map { Member(key: $0.0, keyPosition: origin, value: JSONNode($0.1)) }), at: origin)
        case .array(let elements): self.init(.array(elements.map(JSONNode.init)), at: origin)
        case .string(let text): self.init(.string(text), at: origin)
        case .integer(let number): self.init(.number(Double(number), literal: String(number)), at: origin)
        case .bool(let flag): self.init(.bool(flag), at: origin)
        case .null: self.init(.null, at: origin)
        }
    }
}

extension Engine {
    /// Refuses a mapping whose old state is a state of none of the versions the tickets move from (of any other
    /// registered version when no ticket moves), or whose new state the target version does not have; each such
    /// `--map OLD=NEW` is named with the version that lacks the state and, if there is one, a close name.
    func checkMapping(_ mapping: [String: String], workflow: String, target: Definition, in tx: any StoreTransaction) throws {
        guard !mapping.isEmpty else { return }
        var versions: Set<Int> = []
        for ticket in try tx.tickets(TicketFilter(workflow: workflow)) where ticket.version != target.version {
            if try definition(workflow, version: ticket.version, in: tx).state(ticket.state)?.isFinal != true {
                versions.insert(ticket.version)
            }
        }
        if versions.isEmpty {
            versions = Set(try tx.definitionRecords().filter { $0.workflowID == workflow && $0.version != target.version }.map(\.version))
        }
        let sources = try versions.sorted().map { try definition(workflow, version: $0, in: tx) }
        var sourceStates: [String] = []
        var seen: Set<String> = []
        for source in sources { for state in source.states where seen.insert(state.id).inserted { sourceStates.append(state.id) } }
        let numbers = sources.map { String($0.version) }
        let sourceVersions =
            numbers.count == 1
            ? "version \(numbers[0]) has" : "versions \(numbers.dropLast().joined(separator: ", ")) and \(numbers.last ?? "") have"
        func suggestion(_ name: String, _ candidates: [String]) -> String {
            NameSuggestion.hint(for: name, among: candidates).map { " (\($0))" } ?? ""
        }
        var problems: [String] = []
        for (old, new) in mapping.sorted(by: { $0.key < $1.key }) {
            if !sources.isEmpty && !seen.contains(old) {
                problems.append("--map \(old)=\(new): \(sourceVersions) no state \"\(old)\"" + suggestion(old, sourceStates))
            }
            if target.state(new) == nil {
                problems.append(
                    "--map \(old)=\(new): version \(target.version) has no state \"\(new)\"" + suggestion(new, target.states.map(\.id)))
            }
        }
        if !problems.isEmpty { throw MigrationRefused(steps: [], mappingProblems: problems) }
    }
}

extension MigrationRefused: ExplainedError {
    public var summary: String { description }
    public var details: [String] {
        mappingProblems + steps.flatMap { step in step.problems.map { "- \(step.ticket): \($0)" } }
    }
    public var hint: String? {
        mappingProblems.isEmpty
            ? "fix the mapping or the new version and check again"
            : "--map OLD=NEW takes a state of the tickets' current version and one of the version they move to"
    }
}
