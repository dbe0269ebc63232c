import Foundation

/// What a command that is allowed does: the ticket afterwards and the history entry that records it.
public struct Outcome: Sendable, Equatable {
    public let ticket: Ticket
    public internal(set) var entry: HistoryEntry
    /// Timers to cancel and to arm, in the same transaction.
    public var timers: TimerChanges = .none
    /// Notices for the outbox, in the same transaction.
    public var notices: [Notice] = []
    /// Text that looks like personal data (in a field or the comment), accepted with a warning (refused in strict mode or
    /// when the workflow refuses it).
    public var warnings: [PersonalDataGuard.Finding] = []
}

/// An event an actor could fire on a ticket now, with what still stands in its way.
public struct EventOption: Sendable, Equatable {
    public let transition: Transition
    /// Empty when the event can be fired as it is; otherwise e.g. the fields still to be given.
    public let blockers: [TransitionBlocker]
}

/// The pure heart of the engine: (definition, ticket, command, now) → outcome or rejection.
///
/// No clock, no I/O, no globals: time comes in as a value, and tickets referred to by a
/// field come in as `references`, looked up beforehand by the caller. "Can I?"
/// (``blockers(_:ticket:command:now:references:groups:)``) and "do it" (``fire(_:ticket:command:now:references:groups:)``)
/// share one function, so they cannot disagree.
public enum Step {
    /// Opens a ticket with the id the store allotted.
    public static func open(
        _ definition: Definition, id: String, command: Command, now: Date, references: [String: ReferencedTicket] = [:],
        groups: GroupRegister? = nil
    ) -> Result<Outcome, Rejection> {
        let opening = definition.opening
        var blockers: [TransitionBlocker] = []
        let (role, roleBlocker) = resolveRole(definition, command: command, allowed: opening.roles, action: "open tickets")
        blockers += roleBlocker.map { [$0] } ?? []
        var values = command.values
        // An actor whose scope holds one value opens tickets of it unless they name another.
        let members = definition.scopeMembers(command.actor.scope)
        if let scopeField = definition.scopeField, !command.actor.scope.isEmpty, members.count == 1, values[scopeField] == nil {
            values[scopeField] = .text(members[0])
        }
        var (fields, valueBlockers) = apply(
            values, to: [:], definition: definition, writable: opening.requires + opening.sets, event: command.event)
        valueBlockers += registered(&fields, old: [:], definition: definition, groups: groups)
        blockers += valueBlockers
        if !valueBlockers.contains(where: { $0.subject == definition.scopeField }) {
            blockers += scopeBlockers(definition, actor: command.actor, fields: fields)
        }
        blockers += missingFields(opening.requires, in: fields, definition: definition, event: command.event, besides: valueBlockers)
        let findings = personalData(in: fields, command: command, definition: definition)
        if command.strict || definition.refusesPersonalData { blockers += findings.map(TransitionBlocker.personalData) }
        blockers += referenceBlockers(definition, ownID: id, old: [:], new: fields, references: references)
        guard blockers.isEmpty, let role else {
            return .failure(Rejection(ticketID: nil, event: command.event, blockers: blockers))
        }
        let ticket = Ticket(
            id: id, workflowID: definition.id, version: definition.version, state: opening.state, revision: 1, fields: fields,
            openedAt: now, openedBy: command.actor.name, updatedAt: now)
        let entry = HistoryEntry(
            revision: 1, at: now, actor: command.actor.name, role: role, event: command.event, from: nil, to: opening.state,
            changes: changes(from: [:], to: fields, definition: definition), comment: normalized(command.comment))
        var outcome = Outcome(ticket: ticket, entry: entry)
        outcome.warnings = findings
        enter(definition, ticket: ticket, now: now, into: &outcome)
        return .success(outcome)
    }

    /// Fires an event on a ticket.
    public static func fire(
        _ definition: Definition, ticket: Ticket, command: Command, now: Date, references: [String: ReferencedTicket] = [:],
        groups: GroupRegister? = nil
    ) -> Result<Outcome, Rejection> {
        let (transition, blockers, role, fields) = evaluate(
            definition, ticket: ticket, command: command, now: now, references: references, groups: groups)
        guard blockers.isEmpty, let transition, let role else {
            return .failure(Rejection(ticketID: ticket.id, event: command.event, blockers: blockers))
        }
        var next = ticket
        next.state = transition.target(from: ticket.state)
        next.fields = fields
        next.revision = ticket.revision + 1
        next.updatedAt = now
        let entry = HistoryEntry(
            revision: next.revision, at: now, actor: command.actor.name, role: role, event: command.event, from: ticket.state,
            to: next.state, changes: changes(from: ticket.fields, to: fields, definition: definition),
            comment: normalized(command.comment), decision: command.decision)
        var outcome = Outcome(ticket: next, entry: entry)
        outcome.warnings = personalData(in: fields, command: command, definition: definition)
        outcome.notices += transition.notices.map {
            var notice = Notice(kind: .event, ticketID: next.id, state: next.state, role: $0.notify, message: $0.message, timer: nil)
            notice.audience = $0.audience
            return notice
        }
        if next.state != ticket.state {
            outcome.timers.cancelState = ticket.state
            enter(definition, ticket: next, now: now, into: &outcome)
        } else {
            rearmChangedDates(definition, before: ticket, after: next, now: now, into: &outcome)
        }
        return .success(outcome)
    }

    /// What a merge does to the ticket merged into (`target`): the rule's counts added up, the source's values (and the
    /// target's own) collected into set fields, recorded as an entry of the target's history in its current state; nil
    /// when nothing changes.
    public static func absorb(
        _ definition: Definition, rule: MergeRule, source: Ticket, into target: Ticket, by entry: HistoryEntry, now: Date
    ) -> Outcome? {
        var fields = target.fields
        for name in rule.sums {
            guard case .integer(let added)? = source.fields[name] else { continue }
            if case .integer(let own)? = target.fields[name] {
                fields[name] = .integer(own + added)
            } else {
                fields[name] = .integer(added)
            }
        }
        for (from, into) in rule.collects {
            let choices = definition.field(into)?.type.choices
            var values: [String] = []
            if case .choices(let held)? = target.fields[into] { values = held }
            for ticket in [target, source] {
                switch ticket.fields[from] {
                case .choice(let value)?: values.append(value)
                case .choices(let more)?: values += more
                default: break
                }
            }
            var unique: [String] = []
            for value in values where !unique.contains(value) && (choices?.value(value) != nil) { unique.append(value) }
            fields[into] = .choices(unique.sorted { (choices?.order($0) ?? 0) < (choices?.order($1) ?? 0) })
        }
        guard fields != target.fields else { return nil }
        var next = target
        next.fields = fields
        next.revision = target.revision + 1
        next.updatedAt = max(now, target.updatedAt)
        var record = HistoryEntry(
            revision: next.revision, at: next.updatedAt, actor: entry.actor, role: entry.role, event: entry.event, from: target.state,
            to: target.state, changes: changes(from: target.fields, to: fields, definition: definition), comment: source.id)
        record.deputyFor = entry.deputyFor
        return Outcome(ticket: next, entry: record)
    }

    // MARK: - Timers

    /// What a due timer does, decided at `now`: skip it, or notify and/or fire its event as `system`.
    public static func fireTimer(
        _ definition: Definition, ticket: Ticket, timer: TimerSpec, dueAt: Date, now: Date
    ) -> TimerResult {
        let lateBy = max(0, now.timeIntervalSince(dueAt))
        if lateBy > TimerResult.grace && timer.whenLate == .skip { return .skipped(lateBy: lateBy) }
        var notices: [Notice] = []
        if let role = timer.notify {
            notices.append(
                Notice(
                    kind: timer.fire == nil ? .reminder : .escalation, ticketID: ticket.id, state: ticket.state, role: role,
                    message: timer.message ?? "\(definition.stateTitle(ticket.state)): \(timer.id)", timer: timer.id))
        }
        guard let event = timer.fire else { return .notified(notices, lateBy: lateBy) }
        var comment = "timer \"\(timer.id)\" (\(timer.delay))"
        if lateBy > TimerResult.grace { comment += ", fired late by \(TimerResult.describe(lateBy))" }
        let command = Command(.fire(event: event), actor: .system, values: [:], comment: comment)
        switch Step.fire(definition, ticket: ticket, command: command, now: now) {
        case .failure(let rejection):
            return .refused(rejection, lateBy: lateBy)
        case .success(var outcome):
            outcome.notices = notices + outcome.notices
            return .fired(outcome, lateBy: lateBy)
        }
    }

    /// The timers and entry notices of the state a ticket has just entered.
    private static func enter(_ definition: Definition, ticket: Ticket, now: Date, into outcome: inout Outcome) {
        guard let state = definition.state(ticket.state) else { return }
        outcome.timers.arm += state.timers.compactMap { plan($0, definition: definition, ticket: ticket, enteredAt: now, now: now) }
        outcome.notices += state.onEnter.map {
            Notice(kind: .entry, ticketID: ticket.id, state: state.id, role: $0.notify, message: $0.message, timer: nil)
        }
    }

    /// Staying in a state: timers counted from a date field that changed are armed anew.
    private static func rearmChangedDates(
        _ definition: Definition, before: Ticket, after: Ticket, now: Date, into outcome: inout Outcome
    ) {
        guard let state = definition.state(after.state) else { return }
        let moved = state.timers.filter { timer in
            guard case .field(let name, _) = timer.anchor else { return false }
            return before.fields[name] != after.fields[name]
        }
        guard !moved.isEmpty else { return }
        outcome.timers.cancelState = state.id
        outcome.timers.cancelOnly = moved.map(\.id)
        outcome.timers.arm += moved.compactMap { plan($0, definition: definition, ticket: after, enteredAt: nil, now: now) }
    }

    /// When a timer falls due; nil when it counts from a date field that is empty.
    ///
    /// A date-field timer whose time has already passed when it is armed falls due at once, not late.
    static func plan(_ timer: TimerSpec, definition: Definition, ticket: Ticket, enteredAt: Date?, now: Date) -> PlannedTimer? {
        let calendar = definition.calendar
        let due: Date
        switch timer.anchor {
        case .entered:
            due = timer.delay.apply(to: enteredAt ?? now, calendar: calendar)
        case .field(let name, let before):
            guard case .date(let date)? = ticket.fields[name] else { return nil }
            let base = calendar.instant(date, secondsOfDay: TimerSpec.workdayStart)
            due = max(now, timer.delay.apply(to: base, calendar: calendar, backwards: before))
        }
        return PlannedTimer(ticketID: ticket.id, state: ticket.state, timer: timer.id, dueAt: Timestamp.truncated(due))
    }

    /// Everything that stands in the way of a command; empty when it may be carried out.
    public static func blockers(
        _ definition: Definition, ticket: Ticket, command: Command, now: Date, references: [String: ReferencedTicket] = [:],
        groups: GroupRegister? = nil
    ) -> [TransitionBlocker] {
        evaluate(definition, ticket: ticket, command: command, now: now, references: references, groups: groups).blockers
    }

    /// The events leaving the ticket's state that the actor's roles allow, each with what is still missing.
    public static func options(_ definition: Definition, ticket: Ticket, actor: Actor, now: Date, groups: GroupRegister? = nil)
        -> [EventOption]
    {
        var seen: Set<String> = []
        var options: [EventOption] = []
        for transition in definition.transitions(from: ticket.state) where seen.insert(transition.event).inserted {
            let command = Command(.fire(event: transition.event), actor: actor)
            let blockers = Step.blockers(definition, ticket: ticket, command: command, now: now, groups: groups)
            if blockers.contains(where: { [.roleNotAllowed, .outOfScope, .notAMember].contains($0.code) }) { continue }
            options.append(EventOption(transition: transition, blockers: blockers))
        }
        return options
    }

    /// Rebuilds a ticket's state and fields from its history alone; the stored ticket must equal it.
    public static func replay(_ entries: [HistoryEntry]) -> (state: String, fields: [String: FieldValue], revision: Int)? {
        guard let first = entries.first, first.from == nil else { return nil }
        var state = first.to
        var fields: [String: FieldValue] = [:]
        for (offset, entry) in entries.enumerated() {
            guard entry.revision == offset + 1, offset == 0 || entry.from == state else { return nil }
            state = entry.to
            for change in entry.changes { fields[change.field] = change.new }
        }
        return (state, fields, entries.count)
    }

    // MARK: - The single evaluation behind fire, blockers and options

    private static func evaluate(
        _ definition: Definition, ticket: Ticket, command: Command, now: Date, references: [String: ReferencedTicket],
        groups: GroupRegister?
    ) -> (transition: Transition?, blockers: [TransitionBlocker], role: String?, fields: [String: FieldValue]) {
        let event = command.event
        let candidates = definition.transitions.filter { $0.event == event }
        guard !candidates.isEmpty, case .fire = command.action else {
            let available = definition.transitions(from: ticket.state).map(\.event)
            return (nil, [.unknownEvent(event, workflow: definition.id, available: available)], nil, ticket.fields)
        }
        guard let transition = candidates.first(where: { $0.from.contains(ticket.state) }) else {
            let sources = candidates.flatMap(\.from)
            return (nil, [.notInSourceState(event: event, current: ticket.state, sources: sources)], nil, ticket.fields)
        }
        var blockers: [TransitionBlocker] = []
        let (role, roleBlocker) = resolveRole(definition, command: command, allowed: transition.roles, action: "fire \"\(event)\"")
        blockers += roleBlocker.map { [$0] } ?? []
        if roleBlocker == nil, command.decision == nil, definition.meetings?.decisionEvents.contains(event) == true {
            blockers.append(.meetingDecision(event: event, title: transition.title))
        }
        blockers += scopeBlockers(definition, actor: command.actor, fields: ticket.fields)
        var (fields, valueBlockers) = apply(
            command.values, to: ticket.fields, definition: definition, writable: transition.needs + transition.sets, event: event)
        valueBlockers += registered(&fields, old: ticket.fields, definition: definition, groups: groups)
        blockers += valueBlockers
        if let field = transition.membersOf, let groups {
            let group = fields[field].flatMap { groups.group(named: $0.plainText) }
            if !(group?.hasMember(command.actor.name) ?? false) {
                blockers.append(.notAMember(actor: command.actor.name, group: group?.id ?? fields[field]?.plainText, event: event))
            }
        }
        blockers += missingFields(transition.requires, in: fields, definition: definition, event: event, besides: valueBlockers)
        // Fields the event needs anew count as missing unless this command gives them, whatever the ticket holds.
        let given = fields.filter { name, _ in command.values[name] != nil }
        blockers += missingFields(
            transition.requiresNew.filter { !transition.requires.contains($0) }, in: given, definition: definition, event: event,
            besides: valueBlockers)
        blockers += referenceBlockers(definition, ownID: ticket.id, old: ticket.fields, new: fields, references: references)
        if command.strict || definition.refusesPersonalData {
            blockers += personalData(in: fields, command: command, definition: definition).map(TransitionBlocker.personalData)
        }
        if valueBlockers.isEmpty, let condition = transition.condition,
            let failure = ConditionEvaluator(definition: definition, fields: fields, today: LocalDate(now, in: .berlin))
                .failure(of: condition)
        {
            blockers.append(.conditionFailed(event: event, description: failure))
        }
        return (transition, blockers, role, fields)
    }

    /// The role the actor acts in: the one asked for, or the first of theirs (in the file's order) that is allowed.
    private static func resolveRole(
        _ definition: Definition, command: Command, allowed: [String], action: String
    ) -> (role: String?, blocker: TransitionBlocker?) {
        let held = command.actor.roles
        if let asked = command.role {
            if held.contains(asked) && allowed.contains(asked) { return (asked, nil) }
        } else if let first = held.filter({ allowed.contains($0) }).min(by: { definition.roleOrder($0) < definition.roleOrder($1) }) {
            return (first, nil)
        }
        return (nil, .roleNotAllowed(actor: command.actor.name, asked: command.role, held: held, allowed: allowed, action: action))
    }

    private static func scopeBlockers(_ definition: Definition, actor: Actor, fields: [String: FieldValue]) -> [TransitionBlocker] {
        guard let scopeField = definition.scopeField, !actor.scope.isEmpty, !definition.covers(actor.scope, fields) else { return [] }
        let value = fields[scopeField]?.plainText
        return [.outOfScope(actor: actor.name, municipality: actor.scope.joined(separator: ", "), field: scopeField, value: value)]
    }

    /// Checks and converts the given values and returns the fields as they would be afterwards.
    private static func apply(
        _ values: [String: FieldInput], to fields: [String: FieldValue], definition: Definition, writable: [String], event: String
    ) -> ([String: FieldValue], [TransitionBlocker]) {
        var result = fields
        var blockers: [TransitionBlocker] = []
        for name in values.keys.sorted() {
            guard let input = values[name] else { continue }
            guard let field = definition.field(name) else {
                blockers.append(.unknownField(name, hint: NameSuggestion.hint(for: name, among: definition.fields.map(\.id))))
                continue
            }
            guard writable.contains(name) else {
                blockers.append(.fieldNotSettable(name, event: event, settable: writable))
                continue
            }
            switch field.type.value(from: input) {
            case .success(let value): result[name] = value
            case .failure(let error): blockers.append(.invalidValue(name, error))
            }
        }
        return (result, blockers)
    }

    /// Values of fields that must name a registered project group: spelt as registered, or refused. Not checked
    /// without a register (`groups` nil) or for values the command left as they were.
    private static func registered(
        _ fields: inout [String: FieldValue], old: [String: FieldValue], definition: Definition, groups: GroupRegister?
    ) -> [TransitionBlocker] {
        guard let groups else { return [] }
        var blockers: [TransitionBlocker] = []
        for field in definition.fields where field.fromGroupRegister {
            guard let value = fields[field.id], value != old[field.id], !value.isEmpty else { continue }
            if let group = groups.group(named: value.plainText) {
                fields[field.id] = .text(group.id)
            } else {
                blockers.append(.unknownGroup(field.id, value: value.plainText, known: groups.map(\.id)))
            }
        }
        return blockers
    }

    private static func missingFields(
        _ required: [String], in fields: [String: FieldValue], definition: Definition, event: String,
        besides reported: [TransitionBlocker]
    ) -> [TransitionBlocker] {
        // A field whose given value was refused is already reported; "missing" would only repeat it.
        let alreadyReported = Set(reported.compactMap(\.subject))
        return required.compactMap { name in
            guard !alreadyReported.contains(name), let field = definition.field(name), fields[name]?.isEmpty ?? true else { return nil }
            return .missingField(field, event: event)
        }
    }

    private static func referenceBlockers(
        _ definition: Definition, ownID: String, old: [String: FieldValue], new: [String: FieldValue],
        references: [String: ReferencedTicket]
    ) -> [TransitionBlocker] {
        var blockers: [TransitionBlocker] = []
        for field in definition.fields {
            guard case .ticket(let mustBeOpen) = field.type, case .ticket(let target)? = new[field.id], new[field.id] != old[field.id]
            else { continue }
            if target == ownID {
                blockers.append(.invalidReference(field.id, "a ticket cannot refer to itself"))
            } else if let referenced = references[target] {
                if mustBeOpen && referenced.isFinal {
                    blockers.append(.invalidReference(field.id, "ticket \(target) is already finished (state \"\(referenced.state)\")"))
                }
            } else {
                blockers.append(.invalidReference(field.id, "there is no ticket \(target)"))
            }
        }
        return blockers
    }

    private static func changes(from old: [String: FieldValue], to new: [String: FieldValue], definition: Definition) -> [FieldChange] {
        let names = Set(old.keys).union(new.keys)
        let order = { (name: String) in definition.fields.firstIndex { $0.id == name } ?? Int.max }
        return names.sorted { (order($0), $0) < (order($1), $1) }.compactMap { name in
            old[name] == new[name] ? nil : FieldChange(field: name, old: old[name], new: new[name])
        }
    }

    /// Personal-data findings in the free text this command gives (not in what the ticket already held) and in its
    /// comment.
    private static func personalData(in fields: [String: FieldValue], command: Command, definition: Definition) -> [PersonalDataGuard
        .Finding]
    {
        PersonalDataGuard.scan(
            fields.filter { command.values[$0.key] != nil }, comment: normalized(command.comment), definition: definition)
    }

    private static func normalized(_ comment: String?) -> String? {
        guard let trimmed = comment?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
