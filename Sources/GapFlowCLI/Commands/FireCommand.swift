import GapFlow

/// `gapflow fire`: moves a ticket on by firing an event.
enum FireCommand: GapFlowCommand {
    static let name = "fire"
    static let summary = "Fire an event on a ticket (forward, table, mandate, publish, ...)."
    static let discussion = """
        --revision N refuses the change if someone else changed the ticket since you saw revision N (see `gapflow show`).
        A refused event changes nothing and lists every reason at once.
        The events a workflow lists under "meetings.decisions" are the board's: they are recorded with
        `gapflow decisions apply` for a meeting or in writing, or here with --resolution NUMBER, a single decision in
        writing (Umlaufverfahren) under its own resolution number, which must not be taken.
        """
    struct Syntax: CommandSyntax {
        let ticket = Positional("TICKET")
        let event = Positional("EVENT")
        let set = RepeatedOption.set
        let fields = ValueOption.fields
        let comment = ValueOption.comment
        let revision = IntegerOption("revision", "N", "the revision you last saw; a different one is a conflict")
        let resolution = ValueOption("resolution", "NUMBER", "record the event as a decision in writing under this resolution number")
        let strict = FlagOption.strict
        let actor = ValueOption.actor
        let role = ValueOption.role
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let words = arguments.positionals
        let values = try context.fieldInputs()
        let engine = try context.engine()
        var command = Command(
            .fire(event: words[1]), actor: try context.actor(in: engine), role: arguments.value(\.role), values: values,
            comment: arguments.value(\.comment), expectedRevision: arguments.integer(\.revision))
        command.strict = arguments.flag(\.strict)
        command.decision = arguments.value(\.resolution).map { DecisionRecord(meeting: nil, resolution: $0) }
        let outcome = try engine.fire(words[0], command)
        context.warn(outcome.warnings)
        let (_, definition) = try engine.ticketWithDefinition(outcome.ticket.id)
        if arguments.flag(\.json) {
            try context.printJSON(TicketView(outcome.ticket, definition))
        } else {
            let from = definition.stateTitle(outcome.entry.from ?? "")
            let to = definition.stateTitle(outcome.entry.to)
            let move = outcome.entry.from == outcome.entry.to ? "stays in \(to)" : "\(from) → \(to)"
            context.output.line("\(outcome.ticket.id): \(words[1]): \(move) (revision \(outcome.ticket.revision))")
        }
    }
}
