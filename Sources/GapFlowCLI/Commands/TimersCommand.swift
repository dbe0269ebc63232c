import GapFlow

/// `gapflow timers`: the pending reminders, deadlines and escalations.
enum TimersCommand: GapFlowCommand {
    static let name = "timers"
    static let summary = "List pending timers (reminders, deadlines, escalations), soonest first."
    struct Syntax: CommandSyntax {
        let due = FlagOption("due", "only timers that are due now")
        let ticket = ValueOption("ticket", "TICKET", "only this ticket's timers")
        let limit = IntegerOption("limit", "N", "at most N timers (default 1000)")
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let engine = try context.engine(mode: .readOnly)
        let timers = try engine.pendingTimers(
            dueBy: arguments.flag(\.due) ? context.environment.clock.now() : nil, ticket: arguments.value(\.ticket),
            limit: arguments.integer(\.limit) ?? 1000)
        var rows: [(TimerRecord, Definition?, TimerSpec?)] = []
        for timer in timers {
            let definition = try? engine.ticketWithDefinition(timer.ticketID).1
            rows.append((timer, definition, definition?.state(timer.state)?.timer(timer.timer)))
        }
        if arguments.flag(\.json) {
            try context.printJSON(rows.map { timer, _, spec in TimerView(timer, spec) })
            return
        }
        if rows.isEmpty {
            context.output.line(arguments.flag(\.due) ? "no timer is due" : "no pending timers")
            return
        }
        context.output.write(
            Presentation.table(
                ["TICKET", "STATE", "TIMER", "DUE", "ACTION"],
                rows.map { timer, definition, spec in
                    [
                        timer.ticketID, definition?.stateTitle(timer.state) ?? timer.state, timer.timer,
                        Presentation.time(timer.dueAt, language: definition?.language ?? "en"), action(spec),
                    ]
                }))
    }

    static func action(_ spec: TimerSpec?) -> String {
        guard let spec else { return "?" }
        return [spec.fire.map { "fire \($0)" }, spec.notify.map { "notify \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }
}

/// `gapflow tick`: fires what is due once and exits (for cron).
enum TickCommand: GapFlowCommand {
    static let name = "tick"
    static let summary = "Fire every timer that is due now, once, and exit (for cron)."
    static let discussion = "Safe to run while `gapflow run` or another tick runs: no timer fires twice."
    struct Syntax: CommandSyntax {
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let firings = try context.engine().fireDueTimers()
        if arguments.flag(\.json) {
            try context.printJSON(firings)
        } else {
            for firing in firings { context.output.line(firing.summary) }
            context.output.line("\(firings.count) timer\(firings.count == 1 ? "" : "s") handled")
        }
    }
}
