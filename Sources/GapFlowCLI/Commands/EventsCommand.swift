import GapFlow

/// `gapflow events`: what the actor can do with a ticket now.
enum EventsCommand: GapFlowCommand {
    static let name = "events"
    static let summary = "List the events you may fire on a ticket now, and the fields each still needs."
    struct Syntax: CommandSyntax {
        let ticket = Positional("TICKET")
        let actor = ValueOption.actor
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let id = arguments.positional(\.ticket)
        let engine = try context.engine(mode: .readOnly)
        let actor = try context.actor(in: engine)
        let (ticket, definition) = try engine.ticketWithDefinition(id)
        let options = try engine.options(ticket.id, actor: actor)
        if arguments.flag(\.json) {
            try context.printJSON(options.map { EventOptionView($0, from: ticket.state) })
            return
        }
        let state = definition.state(ticket.state)
        context.output.line("\(ticket.id) is in \(state?.title ?? ticket.state) (\(ticket.state))")
        if options.isEmpty {
            let owner = state?.owner.flatMap { definition.role($0)?.title } ?? "nobody"
            context.output.line(
                state?.isFinal == true ? "it is finished; no events remain" : "\(actor.name) may fire no event here; it is up to \(owner)")
            return
        }
        let rows = options.map { option -> [String] in
            let needs = option.blockers.filter { $0.code == .missingField }.compactMap(\.subject)
            let other = option.blockers.filter { $0.code != .missingField }.map(\.message)
            let status = ([needs.isEmpty ? nil : "needs --set " + needs.map { "\($0)=…" }.joined(separator: " --set ")] + other).compactMap
            { $0 }
            return [
                option.transition.event, "→ " + definition.stateTitle(option.transition.target(from: ticket.state)),
                option.transition.title,
                status.isEmpty ? "ready" : status.joined(separator: "; "),
            ]
        }
        context.output.write(Presentation.table(["EVENT", "TO", "TITLE", "STATUS"], rows))
    }
}
