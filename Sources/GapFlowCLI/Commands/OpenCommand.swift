import GapFlow

/// `gapflow open`: reports a new gap (opens a ticket).
enum OpenCommand: GapFlowCommand {
    static let name = "open"
    static let summary = "Open a ticket; prints its id."
    static let discussion = """
        Set fields take comma-separated values (--set legal_domains="SGB II,AufenthG"); dates as 2026-12-24 or 24.12.2026.
        --fields FILE reads a JSON object of field values; --set wins over it.
        """
    struct Syntax: CommandSyntax {
        let workflow = Positional("WORKFLOW")
        let set = RepeatedOption.set
        let fields = ValueOption.fields
        let comment = ValueOption.comment
        let strict = FlagOption.strict
        let actor = ValueOption.actor
        let role = ValueOption.role
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let workflow = arguments.positional(\.workflow)
        let values = try context.fieldInputs()
        let engine = try context.engine()
        var command = Command(
            .open, actor: try context.actor(in: engine), role: arguments.value(\.role), values: values,
            comment: arguments.value(\.comment))
        command.strict = arguments.flag(\.strict)
        let outcome = try engine.open(workflow: workflow, command)
        context.warn(outcome.warnings)
        if arguments.flag(\.json) {
            try context.printJSON(TicketView(outcome.ticket, try engine.definition(workflow, version: outcome.ticket.version)))
        } else {
            context.output.line(outcome.ticket.id)
        }
    }
}
