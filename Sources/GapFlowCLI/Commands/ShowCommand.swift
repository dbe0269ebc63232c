import GapFlow

/// `gapflow show`: one ticket with its fields.
enum ShowCommand: GapFlowCommand {
    static let name = "show"
    static let summary = "Show a ticket: state, owner, revision and fields."
    struct Syntax: CommandSyntax {
        let ticket = Positional("TICKET")
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let id = arguments.positional(\.ticket)
        let engine = try context.engine(mode: .readOnly)
        let (ticket, definition) = try engine.ticketWithDefinition(id)
        let timers = try engine.pendingTimers(ticket: ticket.id)
        if arguments.flag(\.json) {
            try context.printJSON(TicketView(ticket, definition, pendingTimers: timers))
            return
        }
        let state = definition.state(ticket.state)
        let language = definition.language
        var rows: [[String]] = [
            ["Workflow", "\(definition.title) (\(ticket.workflowID), version \(ticket.version))"],
            [
                "State",
                "\(state?.title ?? ticket.state) (\(ticket.state))"
                    + (state?.owner.flatMap { definition.role($0)?.title }.map { ", owner: \($0)" } ?? ""),
            ],
            ["Revision", String(ticket.revision)],
            ["Opened", "\(Presentation.time(ticket.openedAt, language: language)) by \(ticket.openedBy)"],
            ["Updated", Presentation.time(ticket.updatedAt, language: language)],
        ]
        for field in definition.fields {
            guard let value = ticket.fields[field.id] else { continue }
            rows.append([field.title, Presentation.text(value, field: field, language: language)])
        }
        for timer in timers {
            let action = TimersCommand.action(definition.state(timer.state)?.timer(timer.timer))
            rows.append(["Deadline", "\(Presentation.time(timer.dueAt, language: language))  \(timer.timer) (\(action))"])
        }
        context.output.line(ticket.id)
        context.output.write(
            Presentation.table(["", ""], rows).split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n"))
    }
}
