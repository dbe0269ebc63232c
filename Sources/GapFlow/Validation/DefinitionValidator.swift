/// Checks the meaning of a decoded definition on its graph of states and transitions.
///
/// Reported: transitions leaving final states, duplicate (event, state) pairs, non-final states
/// without an owner, states unreachable from the initial state, states from which no final state
/// can be reached, and path rules that a path through the graph breaks (with that path as proof).
enum DefinitionValidator {
    static func validate(
        _ definition: Definition, file: String, positions: [String: SourcePosition], analyseGraph: Bool
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        func report(_ code: Diagnostic.Code, _ message: String, at path: String, hint: String? = nil) {
            diagnostics.append(Diagnostic(code, message, file: file, path: path, position: positions[path], hint: hint))
        }
        let reportTimer = { (code: Diagnostic.Code, message: String, path: String, hint: String?) in
            report(code, message, at: path, hint: hint)
        }
        let stateIDs = Set(definition.states.map(\.id))

        if !definition.states.isEmpty && !definition.states.contains(where: \.isFinal) {
            report(.noFinalState, "no state is marked \"final\": true; tickets could never end", at: "states")
        }
        for state in definition.states where !state.isFinal && state.owner == nil {
            report(
                .missingOwner, "state \"\(state.id)\" is not final but has no \"owner\" role", at: "states.\(state.id)",
                hint: "name the role responsible for tickets in this state")
        }

        checkTimers(definition, report: reportTimer)
        checkMeetings(definition, report: reportTimer)

        // Edges, and duplicate or impossible transitions.
        var edges: [String: Set<String>] = [:]
        var firstTransition: [String: Int] = [:]
        for (i, transition) in definition.transitions.enumerated() {
            let path = "transitions[\(i)]"
            for source in transition.from where stateIDs.contains(source) {
                if definition.state(source)?.isFinal == true {
                    report(
                        .finalStateHasTransitions, "transition \"\(transition.event)\" leaves final state \"\(source)\"",
                        at: "\(path).from", hint: "remove \"final\" from the state or the state from \"from\"")
                }
                let key = "\(transition.event)\u{0}\(source)"
                if let first = firstTransition[key] {
                    report(
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

        let initial = definition.opening.state
        guard analyseGraph, stateIDs.contains(initial) else { return diagnostics }

        let reachable = reach(from: [initial], edges: edges)
        for state in definition.states where !reachable.contains(state.id) {
            report(
                .unreachableState, "state \"\(state.id)\" cannot be reached from the initial state \"\(initial)\"",
                at: "states.\(state.id)", hint: "add a transition into it, or remove it")
        }

        var reverse: [String: Set<String>] = [:]
        for (source, targets) in edges { for target in targets { reverse[target, default: []].insert(source) } }
        let finals = definition.states.filter(\.isFinal).map(\.id)
        let canFinish = reach(from: Set(finals), edges: reverse)
        for state in definition.states where !state.isFinal && reachable.contains(state.id) && !canFinish.contains(state.id) {
            report(
                .noWayOut, "no final state can be reached from state \"\(state.id)\"; its tickets would be stuck",
                at: "states.\(state.id)", hint: "add a transition that leads towards a final state")
        }

        for (i, rule) in definition.pathRules.enumerated()
        where stateIDs.contains(rule.into) && stateIDs.contains(rule.through) {
            if let path = pathAvoiding(rule.through, from: initial, to: rule.into, edges: edges) {
                report(
                    .pathRuleViolated,
                    "a path reaches \"\(rule.into)\" without passing \"\(rule.through)\": \(path.joined(separator: " → "))",
                    at: "rules[\(i)]", hint: rule.description)
            }
        }
        return diagnostics
    }

    /// Timers and entry notices: roles, events and fields they name must exist and fit.
    static func checkTimers(_ definition: Definition, report: (Diagnostic.Code, String, String, String?) -> Void) {
        let roles = Set(definition.roles.map(\.id))
        for state in definition.states {
            let statePath = "states.\(state.id)"
            if state.isFinal && !state.timers.isEmpty {
                report(.invalidValue, "final state \"\(state.id)\" cannot have timers; tickets never leave it", "\(statePath).timers", nil)
            }
            var seen: Set<String> = []
            for timer in state.timers {
                let path = timer.sourcePath
                if !seen.insert(timer.id).inserted {
                    report(.duplicateID, "timer \"\(timer.id)\" is defined twice in state \"\(state.id)\"", "\(path).id", nil)
                }
                if let role = timer.notify, !roles.contains(role) {
                    report(
                        .unknownRole, "unknown role \"\(role)\"", "\(path).notify", NameSuggestion.hint(for: role, among: roles.sorted()))
                }
                if let event = timer.fire {
                    let leaving = definition.transitions(from: state.id).filter { $0.event == event }
                    if !definition.hasEvent(event) {
                        report(
                            .unknownEvent, "unknown event \"\(event)\"", "\(path).fire",
                            NameSuggestion.hint(for: event, among: definition.transitions.map(\.event)))
                    } else if leaving.isEmpty {
                        report(.eventNotFromState, "event \"\(event)\" cannot be fired from state \"\(state.id)\"", "\(path).fire", nil)
                    } else if !leaving.contains(where: { $0.roles.contains(Definition.systemRole) }) {
                        report(
                            .systemNotAllowed, "timers fire as \"system\", but event \"\(event)\" does not allow that role", "\(path).fire",
                            "add \"system\" to the transition's roles")
                    }
                }
                if case .field(let name, _) = timer.anchor {
                    if let field = definition.field(name) {
                        if field.type != .date {
                            report(
                                .typeMismatch, "timers count from date fields; \"\(name)\" is \(field.type.name)", "\(path).relativeTo", nil
                            )
                        }
                    } else {
                        report(
                            .unknownField, "unknown field \"\(name)\"", "\(path).relativeTo",
                            NameSuggestion.hint(for: name, among: definition.fields.map(\.id)))
                    }
                }
            }
            for notice in state.onEnter where !roles.contains(notice.notify) {
                report(
                    .unknownRole, "unknown role \"\(notice.notify)\"", "\(notice.sourcePath).notify",
                    NameSuggestion.hint(for: notice.notify, among: roles.sorted()))
            }
        }
    }

    /// Meeting sections, the status item and the item fields must name what the workflow has.
    static func checkMeetings(_ definition: Definition, report: (Diagnostic.Code, String, String, String?) -> Void) {
        let sections = definition.meetings?.sections.map(\.id) ?? []
        for state in definition.states {
            guard let section = state.meetingSection, !sections.contains(section) else { continue }
            report(
                .unknownSection,
                definition.meetings == nil
                    ? "state \"\(state.id)\" names a meeting section, but the workflow has no \"meetings\""
                    : "unknown section \"\(section)\"",
                "states.\(state.id).meeting", NameSuggestion.hint(for: section, among: sections))
        }
        guard let rules = definition.meetings else { return }
        for (i, name) in rules.itemFields.enumerated() where definition.field(name) == nil {
            report(
                .unknownField, "unknown field \"\(name)\"", "meetings.itemFields[\(i)]",
                NameSuggestion.hint(for: name, among: definition.fields.map(\.id)))
        }
        let fieldLists = [
            ("meetings.paper.facts", rules.paper?.facts ?? []), ("meetings.paper.proposal", rules.paper?.proposal ?? []),
            ("meetings.feedback.outcome", rules.feedback?.outcome ?? []),
        ]
        for (path, names) in fieldLists {
            for (i, name) in names.enumerated() where definition.field(name) == nil {
                report(
                    .unknownField, "unknown field \"\(name)\"", "\(path)[\(i)]",
                    NameSuggestion.hint(for: name, among: definition.fields.map(\.id)))
            }
        }
        if let feedback = rules.feedback, definition.state(feedback.state) == nil {
            report(.unknownState, "unknown state \"\(feedback.state)\"", "meetings.feedback.state", nil)
        }
        if let status = rules.statusItem {
            if definition.state(status.state) == nil {
                report(.unknownState, "unknown state \"\(status.state)\"", "meetings.statusItem.state", nil)
            }
            for (i, name) in status.fields.enumerated() where definition.field(name) == nil {
                report(.unknownField, "unknown field \"\(name)\"", "meetings.statusItem.fields[\(i)]", nil)
            }
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

    /// A shortest path from `start` to `goal` that never enters `avoided`, or nil if every path passes it.
    static func pathAvoiding(_ avoided: String, from start: String, to goal: String, edges: [String: Set<String>]) -> [String]? {
        guard start != avoided else { return nil }
        var previous: [String: String] = [:]
        var queue = [start]
        var seen: Set<String> = [start]
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            if state == goal {
                var path = [goal]
                while let before = previous[path[0]] { path.insert(before, at: 0) }
                return path
            }
            for next in edges[state, default: []].sorted() where next != avoided && seen.insert(next).inserted {
                previous[next] = state
                queue.append(next)
            }
        }
        return nil
    }
}
