/// Checks the meaning of a decoded definition on its graph of states and transitions.
///
/// Reported: transitions leaving final states, duplicate (event, state) pairs, non-final states
/// without an owner, final states with one (a warning), states unreachable from the initial state, states from which
/// no final state can be reached, waiting states whose only way out is their owner's happy path (a warning), and path rules that a path through the graph breaks (with that path as proof).
/// Lookups go through tables built once, so the time grows with the size of the definition, not with its square.
enum DefinitionValidator {
    /// Collects diagnostics at the positions the decoder noted for their paths.
    struct Reporter {
        let file: String
        let positions: [String: SourcePosition]
        var diagnostics: [Diagnostic] = []

        mutating func report(
            _ code: Diagnostic.Code, _ message: String, at path: String, hint: String? = nil, severity: Diagnostic.Severity = .error
        ) {
            diagnostics.append(Diagnostic(code, message, file: file, path: path, position: positions[path], hint: hint, severity: severity))
        }

        /// Reports a problem whose hint suggests the candidate closest to `name`, worked out if the diagnostic is kept.
        mutating func report(
            _ code: Diagnostic.Code, _ message: String, at path: String, suggesting name: String, among candidates: [String]
        ) {
            diagnostics.append(
                Diagnostic(code, message, file: file, path: path, position: positions[path], suggesting: name, among: candidates))
        }
    }

    /// `ownerKeyMisspelt`: states whose missing "owner" was already reported as a misspelt key.
    static func validate(
        _ definition: Definition, file: String, positions: [String: SourcePosition], analyseGraph: Bool,
        ownerKeyMisspelt: Set<String> = []
    ) -> [Diagnostic] {
        var reporter = Reporter(file: file, positions: positions)
        let stateIDs = Set(definition.states.map(\.id))

        if !definition.states.isEmpty && !definition.states.contains(where: \.isFinal) {
            reporter.report(.noFinalState, "no state is marked \"final\": true; tickets could never end", at: "states")
        }
        for state in definition.states {
            if state.isFinal && state.owner != nil {
                reporter.report(
                    .finalStateHasOwner,
                    "final state \"\(state.id)\" has an owner; its tickets are finished and nobody is responsible for them",
                    at: "states.\(state.id).owner", hint: "remove \"owner\" from the state", severity: .warning)
            } else if !state.isFinal && state.owner == nil && !ownerKeyMisspelt.contains(state.id) {
                reporter.report(
                    .missingOwner, "state \"\(state.id)\" is not final but has no \"owner\" role", at: "states.\(state.id)",
                    hint: "name the role responsible for tickets in this state")
            }
        }

        checkTimers(definition, &reporter)
        checkMeetings(definition, &reporter)

        // Edges, and duplicate or impossible transitions.
        var edges: [String: Set<String>] = [:]
        var firstTransition: [String: Int] = [:]
        for (i, transition) in definition.transitions.enumerated() {
            let path = "transitions[\(i)]"
            for source in transition.from where stateIDs.contains(source) {
                if definition.state(source)?.isFinal == true {
                    reporter.report(
                        .finalStateHasTransitions, "transition \"\(transition.event)\" leaves final state \"\(source)\"",
                        at: "\(path).from", hint: "remove \"final\" from the state or the state from \"from\"")
                }
                let key = "\(transition.event)\u{0}\(source)"
                if let first = firstTransition[key] {
                    reporter.report(
                        .duplicateTransition,
                        "event \"\(transition.event)\" is defined twice for state \"\(source)\" (first in transitions[\(first)])",
                        at: "\(path).event")
                } else {
                    firstTransition[key] = i
                }
                let target = transition.target(from: source)
                if stateIDs.contains(target) { edges[source, default: []].insert(target) }
            }
        }

        checkWaysOut(definition, &reporter)

        let initial = definition.opening.state
        guard analyseGraph, stateIDs.contains(initial) else { return reporter.diagnostics }

        let reachable = reach(from: [initial], edges: edges)
        for state in definition.states where !reachable.contains(state.id) {
            reporter.report(
                .unreachableState, "state \"\(state.id)\" cannot be reached from the initial state \"\(initial)\"",
                at: "states.\(state.id)", hint: "add a transition into it, or remove it")
        }

        var reverse: [String: Set<String>] = [:]
        for (source, targets) in edges { for target in targets { reverse[target, default: []].insert(source) } }
        let finals = definition.states.filter(\.isFinal).map(\.id)
        let canFinish = reach(from: Set(finals), edges: reverse)
        for state in definition.states where !state.isFinal && reachable.contains(state.id) && !canFinish.contains(state.id) {
            reporter.report(
                .noWayOut, "no final state can be reached from state \"\(state.id)\"; its tickets would be stuck",
                at: "states.\(state.id)", hint: "add a transition that leads towards a final state")
        }

        // One search per state that rules say must be passed, shared by the rules that name it.
        var searches: [String: [String: String]] = [:]
        for (i, rule) in definition.pathRules.enumerated()
        where stateIDs.contains(rule.into) && stateIDs.contains(rule.through) {
            let previous = searches[rule.through] ?? searchAvoiding(rule.through, from: initial, edges: edges)
            searches[rule.through] = previous
            if let path = path(to: rule.into, from: initial, previous: previous) {
                reporter.report(
                    .pathRuleViolated,
                    "a path reaches \"\(rule.into)\" without passing \"\(rule.through)\": \(path.joined(separator: " → "))",
                    at: "rules[\(i)]", hint: rule.description)
            }
        }
        return reporter.diagnostics
    }

    /// A waiting state (one with timers: someone is waited on) that only one event leaves, which only the state's owner
    /// may fire, is a warning: when the owner does not act (a project group past its deadline, a case manager who has
    /// left), the ticket is stuck. Events that keep the ticket where it is do not count as ways out.
    static func checkWaysOut(_ definition: Definition, _ reporter: inout Reporter) {
        for state in definition.states where !state.isFinal && !state.timers.isEmpty {
            guard let owner = state.owner else { continue }
            let exits = definition.transitions(from: state.id).filter { $0.target(from: state.id) != state.id }
            guard Set(exits.map(\.event)).count == 1, let only = exits.first, exits.allSatisfy({ $0.roles == [owner] }) else { continue }
            reporter.report(
                .happyPathOnly,
                "waiting state \"\(state.id)\" has no way out but \"\(only.event)\", which only its owner \"\(owner)\" may fire; "
                    + "if they do not, its tickets are stuck",
                at: "states.\(state.id)",
                hint: "declare another way out for another role, e.g. withdraw, reassign or extend a deadline", severity: .warning)
        }
    }

    /// Timers and entry notices: roles, events and fields they name must exist and fit.
    static func checkTimers(_ definition: Definition, _ reporter: inout Reporter) {
        let roles = Set(definition.roles.map(\.id))
        let roleCandidates = roles.sorted()
        let fieldCandidates = definition.fields.map(\.id)
        var events: [String] = []
        var eventSet: Set<String> = []
        // The transitions by state and event: "state\0event".
        var leaving: [String: [Transition]] = [:]
        for transition in definition.transitions {
            if eventSet.insert(transition.event).inserted { events.append(transition.event) }
            for source in Set(transition.from) { leaving["\(source)\u{0}\(transition.event)", default: []].append(transition) }
        }
        for state in definition.states {
            let statePath = "states.\(state.id)"
            if state.isFinal && !state.timers.isEmpty {
                reporter.report(
                    .invalidValue, "final state \"\(state.id)\" cannot have timers; tickets never leave it", at: "\(statePath).timers")
            }
            var seen: Set<String> = []
            for timer in state.timers {
                let path = timer.sourcePath
                if !seen.insert(timer.id).inserted {
                    reporter.report(.duplicateID, "timer \"\(timer.id)\" is defined twice in state \"\(state.id)\"", at: "\(path).id")
                }
                if let role = timer.notify, !roles.contains(role) {
                    reporter.report(.unknownRole, "unknown role \"\(role)\"", at: "\(path).notify", suggesting: role, among: roleCandidates)
                }
                if let event = timer.fire {
                    let leavingHere = leaving["\(state.id)\u{0}\(event)"] ?? []
                    if !eventSet.contains(event) {
                        // Only events are suggested for "fire", and only close ones.
                        reporter.report(.unknownEvent, "unknown event \"\(event)\"", at: "\(path).fire", suggesting: event, among: events)
                    } else if leavingHere.isEmpty {
                        reporter.report(
                            .eventNotFromState, "event \"\(event)\" cannot be fired from state \"\(state.id)\"", at: "\(path).fire")
                    } else if !leavingHere.contains(where: { $0.roles.contains(Definition.systemRole) }) {
                        reporter.report(
                            .systemNotAllowed, "timers fire as \"system\", but event \"\(event)\" does not allow that role",
                            at: "\(path).fire", hint: "add \"system\" to the transition's roles")
                    }
                }
                if case .field(let name, _) = timer.anchor {
                    if let field = definition.field(name) {
                        if field.type != .date {
                            reporter.report(
                                .typeMismatch, "timers count from date fields; \"\(name)\" is \(field.type.name)", at: "\(path).relativeTo")
                        }
                    } else {
                        reporter.report(
                            .unknownField, "unknown field \"\(name)\"", at: "\(path).relativeTo", suggesting: name, among: fieldCandidates)
                    }
                }
            }
            for notice in state.onEnter where !roles.contains(notice.notify) {
                reporter.report(
                    .unknownRole, "unknown role \"\(notice.notify)\"", at: "\(notice.sourcePath).notify", suggesting: notice.notify,
                    among: roleCandidates)
            }
        }
    }

    /// Meeting sections and the item fields must name what the workflow has (the states meetings name are checked
    /// with every other reference to a state, by the decoder).
    static func checkMeetings(_ definition: Definition, _ reporter: inout Reporter) {
        let sections = definition.meetings?.sections.map(\.id) ?? []
        let sectionSet = Set(sections)
        for state in definition.states {
            guard let section = state.meetingSection, !sectionSet.contains(section) else { continue }
            let path = "states.\(state.id).meeting"
            if definition.meetings == nil {
                reporter.report(
                    .unknownSection, "state \"\(state.id)\" names a meeting section, but the workflow has no \"meetings\"", at: path)
            } else {
                reporter.report(.unknownSection, "unknown section \"\(section)\"", at: path, suggesting: section, among: sections)
            }
        }
        guard let rules = definition.meetings else { return }
        let fieldCandidates = definition.fields.map(\.id)
        let fieldLists = [
            ("meetings.itemFields", rules.itemFields), ("meetings.paper.facts", rules.paper?.facts ?? []),
            ("meetings.paper.proposal", rules.paper?.proposal ?? []), ("meetings.paper.finance", rules.paper?.finance ?? []),
            ("meetings.paper.involved", rules.paper?.involved ?? []), ("meetings.paper.compare", rules.paper?.compare ?? []),
            ("meetings.feedback.outcome", rules.feedback?.outcome ?? []),
            ("meetings.statusItem.fields", rules.statusItem?.fields ?? []),
        ]
        for (path, names) in fieldLists {
            for (i, name) in names.enumerated() where definition.field(name) == nil {
                reporter.report(.unknownField, "unknown field \"\(name)\"", at: "\(path)[\(i)]", suggesting: name, among: fieldCandidates)
            }
        }
        // The board's decisions: events the workflow has, none of them fired by a timer.
        let events = Array(Set(definition.transitions.map(\.event))).sorted()
        for event in rules.decisionEvents.sorted() where !events.contains(event) {
            reporter.report(.unknownEvent, "unknown event \"\(event)\"", at: "meetings.decisions", suggesting: event, among: events)
        }
    }

    /// Every state reachable from `starts` along `edges`.
    static func reach(from starts: Set<String>, edges: [String: Set<String>]) -> Set<String> {
        var seen = starts
        var stack = Array(starts)
        while let state = stack.popLast() {
            for next in edges[state, default: []] where seen.insert(next).inserted { stack.append(next) }
        }
        return seen
    }

    /// A breadth-first search from `start` that never enters `avoided`: each state reached, with the state before it
    /// on a shortest path (`start` maps to itself); empty when `start` is the avoided state.
    static func searchAvoiding(_ avoided: String, from start: String, edges: [String: Set<String>]) -> [String: String] {
        guard start != avoided else { return [:] }
        var previous: [String: String] = [start: start]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            for next in edges[state, default: []].sorted() where next != avoided && previous[next] == nil {
                previous[next] = state
                queue.append(next)
            }
        }
        return previous
    }

    /// The shortest path from `start` to `goal` that a search found, or nil if it did not reach `goal`.
    static func path(to goal: String, from start: String, previous: [String: String]) -> [String]? {
        guard previous[goal] != nil else { return nil }
        var path = [goal]
        var state = goal
        while state != start, let before = previous[state] {
            path.append(before)
            state = before
        }
        return path.reversed()
    }
}
