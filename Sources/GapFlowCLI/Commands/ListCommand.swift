import GapFlow

/// `gapflow list`: tickets filtered by state, owner and field values.
enum ListCommand: GapFlowCommand {
    static let name = "list"
    static let summary = "List tickets, filtered by workflow, state, owning role and field values."
    static let discussion = """
        --where on a set field matches tickets whose set contains the value. At most \(defaultLimit) tickets unless --limit
        says otherwise; the next page starts after the last one shown: --after TICKET.
        """
    /// How many tickets a list shows without --limit: a page, never the whole database.
    static let defaultLimit = 100
    struct Syntax: CommandSyntax {
        let workflow = ValueOption("workflow", "W", "only this workflow")
        let state = RepeatedOption("state", "STATE", "only tickets in this state")
        let owner = ValueOption("owner", "ROLE", "only tickets in states this role owns")
        let conditions = RepeatedOption("where", "FIELD=VALUE", "only tickets with this value")
        let open = FlagOption("open", "only tickets not in a final state")
        let limit = IntegerOption("limit", "N", "at most N tickets (default \(ListCommand.defaultLimit))")
        let after = ValueOption("after", "TICKET", "only tickets after this one in list order (the next page)")
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let engine = try context.engine(mode: .readOnly)
        let workflowIDs = try arguments.value(\.workflow).map { [$0] } ?? engine.workflowIDs()
        var filters: [(workflow: String, latest: Definition, filter: TicketFilter)] = []
        var skipped: UsageError?
        for workflow in workflowIDs {
            let latest = try engine.definition(workflow)
            do {
                filters.append((workflow, latest, try self.filter(for: latest, arguments)))
            } catch let mismatch as UsageError {
                // Without --workflow, a filter that names what one workflow lacks just leaves that workflow out.
                guard arguments.value(\.workflow) == nil else { throw mismatch }
                skipped = skipped ?? mismatch
            }
        }
        if filters.isEmpty, let skipped { throw skipped }
        /// Every matching ticket with its pinned definition, read through a cursor.
        // Workflows come one after another, each in list order: a page that starts after a ticket starts in its workflow.
        var after = arguments.value(\.after)
        if let cursor = after {
            let workflow = try engine.ticket(cursor).workflowID
            filters = Array(filters.drop { $0.workflow != workflow })
        }
        var remaining = arguments.integer(\.limit) ?? defaultLimit
        var last: String?
        func forEachRow(_ visit: (Ticket, Definition) throws -> Void) throws {
            for (_, _, var filter) in filters where remaining > 0 {
                filter.limit = remaining
                try engine.forEachTicket(filter, after: after) { ticket, definition in
                    remaining -= 1
                    last = ticket.id
                    try visit(ticket, definition)
                }
                after = nil
            }
        }
        /// When the page is full, how to get the next one.
        func nextPage() {
            guard remaining == 0, let last else { return }
            context.environment.errors.line("more tickets may follow: the next page with --after \(last)")
        }
        if arguments.flag(\.json) {
            // Streamed as one JSON array, element by element: memory stays flat however many tickets match.
            try context.stream(to: nil) { line in
                var pending: String?
                try forEachRow { ticket, definition in
                    let element = try JSONValueEncoder.pretty(TicketView(ticket, definition))
                    try line(pending.map { $0 + "," } ?? "[")
                    pending = element.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
                }
                try line(pending.map { $0 + "\n]" } ?? "[]")
            }
            nextPage()
            return
        }
        var rows: [(Ticket, Definition)] = []
        try forEachRow { rows.append(($0, $1)) }
        if rows.isEmpty {
            context.output.line("no tickets match")
            return
        }
        context.output.write(
            Presentation.table(
                ["TICKET", "STATE", "MUNICIPALITY", "UPDATED", "TITLE"],
                rows.map { ticket, definition in
                    let municipality = definition.scopeField.flatMap { field in
                        ticket.fields[field].map { Presentation.text($0, field: definition.field(field), language: definition.language) }
                    }
                    return [
                        ticket.id, definition.stateTitle(ticket.state), municipality ?? "-",
                        Presentation.time(ticket.updatedAt, language: definition.language),
                        ticket.fields["title"]?.plainText ?? "",
                    ]
                }))
        context.output.line("\(rows.count) ticket\(rows.count == 1 ? "" : "s")")
        nextPage()
    }

    /// The ticket filter the options describe, for one workflow; a usage error names what the workflow lacks.
    static func filter(for latest: Definition, _ arguments: ParsedArguments<Syntax>) throws -> TicketFilter {
        let workflow = latest.id
        var filter = TicketFilter(workflow: workflow)
        var states: Set<String>?
        if !arguments.all(\.state).isEmpty {
            for state in arguments.all(\.state) where latest.state(state) == nil {
                throw UsageError(
                    "workflow \"\(workflow)\" has no state \"\(state)\"", hint: "states: \(latest.states.map(\.id).joined(separator: ", "))"
                )
            }
            states = Set(arguments.all(\.state))
        }
        if let owner = arguments.value(\.owner) {
            guard latest.role(owner) != nil else {
                throw UsageError(
                    "workflow \"\(workflow)\" has no role \"\(owner)\"", hint: "roles: \(latest.roles.map(\.id).joined(separator: ", "))")
            }
            let owned = Set(latest.states.filter { $0.owner == owner }.map(\.id))
            states = states.map { $0.intersection(owned) } ?? owned
        }
        if arguments.flag(\.open) {
            let running = Set(latest.states.filter { !$0.isFinal }.map(\.id))
            states = states.map { $0.intersection(running) } ?? running
        }
        filter.states = states.map { Array($0).sorted() }
        for condition in arguments.all(\.conditions) {
            guard let equals = condition.firstIndex(of: "=") else {
                throw UsageError("--where takes FIELD=VALUE, not \"\(condition)\"", hint: "e.g. --where municipality=Siegburg")
            }
            let name = String(condition[..<equals])
            guard let field = latest.field(name) else {
                throw UsageError(
                    "workflow \"\(workflow)\" has no field \"\(name)\"", hint: "fields: \(latest.fields.map(\.id).joined(separator: ", "))")
            }
            switch field.type.value(from: .text(String(condition[condition.index(after: equals)...]))) {
            case .success(let value?): filter.fields[name] = value
            case .success(nil): throw UsageError("--where \(name)= needs a value", hint: nil)
            case .failure(let error): throw UsageError("--where \(name): \(error)", hint: nil)
            }
        }
        return filter
    }
}
