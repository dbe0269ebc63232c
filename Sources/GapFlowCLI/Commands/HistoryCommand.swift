import GapFlow

/// `gapflow history`: the append-only record of a ticket.
enum HistoryCommand: GapFlowCommand {
    static let name = "history"
    static let summary = "Show a ticket's history: who did what, when, and what changed."
    struct Syntax: CommandSyntax {
        let ticket = Positional("TICKET")
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let id = arguments.positional(\.ticket)
        let engine = try context.engine(mode: .readOnly)
        let (ticket, definition) = try engine.ticketWithDefinition(id)
        let entries = try engine.history(ticket.id)
        if arguments.flag(\.json) {
            try context.printJSON(entries)
            return
        }
        for entry in entries {
            context.output.line("#\(entry.revision)  " + Presentation.line(entry, definition))
            for change in entry.changes {
                let field = definition.field(change.field)
                let new = change.new.map { Presentation.text($0, field: field, language: definition.language) } ?? "(removed)"
                context.output.line("      \(Presentation.visible(field?.title ?? change.field)): \(Presentation.shortened(new, to: 100))")
            }
            if let comment = entry.comment { context.output.line("      „\(Presentation.visible(comment))“") }
        }
    }
}
