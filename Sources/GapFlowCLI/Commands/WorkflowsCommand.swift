import GapFlow

/// `gapflow workflows`: the registered definition versions.
enum WorkflowsCommand: GapFlowCommand {
    static let name = "workflows"
    static let summary = "List the registered workflow versions and their open tickets."
    struct Syntax: CommandSyntax {
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let records = try context.engine(mode: .readOnly).workflows()
        if arguments.flag(\.json) {
            try context.printJSON(records)
            return
        }
        if records.isEmpty {
            context.output.line("no workflows registered; run `gapflow init`")
            return
        }
        context.output.write(
            Presentation.table(
                ["WORKFLOW", "VERSION", "OPEN", "SHA-256", "TITLE"],
                records.map { [$0.workflowID, String($0.version), String($0.openTickets), String($0.contentHash.prefix(12)), $0.title] }))
    }
}
