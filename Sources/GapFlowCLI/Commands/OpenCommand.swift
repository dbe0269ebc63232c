import GapFlow

/// `gapflow open`: reports a new gap (opens a ticket).
enum OpenCommand: GapFlowCommand {
    static let name = "open"
    static let summary = "Open a ticket; prints its id."
    static let synopsis = "WORKFLOW --set FIELD=VALUE ... [--fields FILE] [--comment TEXT] [--as ACTOR] [--role ROLE] [--json]"
    static let discussion = """
        Set fields take comma-separated values (--set legal_domains="SGB II,AufenthG"); dates as 2026-12-24 or 24.12.2026.
        --fields FILE reads a JSON object of field values; --set wins over it.
        """
    static let options: [OptionSpec] = [
        .repeated("set", "FIELD=VALUE", "a field value"), .value("fields", "FILE", "field values from a JSON file"),
        .value("comment", "TEXT", "a comment for the history"), .strict, .actor, .role, .json, .database,
    ]

    static func run(_ arguments: ParsedArguments, _ context: Context) throws {
        let workflow = try arguments.positionals(["WORKFLOW"], command: name)[0]
        let values = try context.fieldInputs()
        let engine = try context.engine()
        var command = Command(
            .open, actor: try context.actor(in: engine), role: arguments.value("role"), values: values,
            comment: arguments.value("comment"))
        command.strict = arguments.flag("strict")
        let outcome = try engine.open(workflow: workflow, command)
        context.warn(outcome.warnings)
        if arguments.flag("json") {
            try context.printJSON(TicketView(outcome.ticket, try engine.definition(workflow, version: outcome.ticket.version)))
        } else {
            context.output.line(outcome.ticket.id)
        }
    }
}
