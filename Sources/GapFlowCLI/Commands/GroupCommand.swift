import GapFlow

/// `gapflow group add|list|show`: the project-group register (members and topic or locality) and a group's mandates.
enum GroupCommand: GapFlowCommand {
    static let name = "group"
    static let summary = "Register project groups with their members (group add), list them, show a group's mandates and due dates."
    static let discussion = """
        `group add NAME --member ACTOR … [--topic TEXT]` registers a project group or replaces one of the same name (at
        least one member, each a registered actor; recorded in the admin log, by an admin once one exists). A workflow
        field with "fromGroupRegister": true must then name a registered group, and a transition with "membersOf" may
        be fired only by that group's members. `group show NAME` lists the group's open mandates with state and due date.
        """
    struct Syntax: CommandSyntax {
        let subcommand = Positional("add|list|show")
        let groupName = OptionalPositional("NAME")
        let member = RepeatedOption("member", "ACTOR", "a member of the group (group add: at least one)")
        let topic = ValueOption("topic", "TEXT", "what the group works on, or where (group add)")
        let actor = ValueOption("as", "ACTOR", "act as this admin (needed once an admin is registered)")
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func usageName(_ arguments: [String]) -> String {
        arguments.first.map { "group \($0)" } ?? name
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let words = arguments.positionals
        let subcommand = words[0]
        if ["add", "show"].contains(subcommand) && words.count != 2 {
            throw UsageError("missing NAME for `gapflow group \(subcommand)`", hint: "usage: \(usage)")
        }
        if subcommand != "add" && (!arguments.all(\.member).isEmpty || arguments.value(\.topic) != nil) {
            throw UsageError("--member and --topic belong to `gapflow group add`", hint: nil)
        }
        switch subcommand {
        case "add":
            let engine = try context.engine()
            let acting = (try? context.actorName()).map { (try? engine.actor(named: $0)) ?? Actor(name: $0, roles: []) }
            try engine.saveGroup(ProjectGroup(id: words[1], topic: arguments.value(\.topic), members: arguments.all(\.member)), by: acting)
            let saved = try engine.groups().first { $0.id.lowercased() == words[1].lowercased() }
            context.output.line("group \(saved?.id ?? words[1]): \(saved?.members.joined(separator: ", ") ?? "")")
        case "list":
            let groups = try context.engine(mode: .readOnly).groups()
            if arguments.flag(\.json) {
                try context.printJSON(
                    JSONValue.array(
                        groups.map {
                            .object([
                                ("name", .string($0.id)), ("topic", $0.topic.map(JSONValue.string) ?? .null),
                                ("members", .array($0.members.map(JSONValue.string))),
                            ])
                        }))
            } else {
                context.output.write(
                    Presentation.table(
                        ["GROUP", "TOPIC", "MEMBERS"], groups.map { [$0.id, $0.topic ?? "-", $0.members.joined(separator: ", ")] }))
            }
        case "show":
            let mandates = try context.engine(mode: .readOnly).mandates(of: words[1])
            let rows = mandates.map { ticket, definition in
                let due = definition.fields.first { field in
                    if case .date = field.type, ticket.fields[field.id] != nil { true } else { false }
                }.flatMap { ticket.fields[$0.id]?.plainText }
                return [ticket.id, definition.stateTitle(ticket.state), due ?? "-", ticket.fields["title"]?.plainText ?? "-"]
            }
            if arguments.flag(\.json) {
                try context.printJSON(
                    JSONValue.array(
                        rows.map { row in
                            .object([
                                ("ticket", .string(row[0])), ("state", .string(row[1])), ("due", .string(row[2])),
                                ("title", .string(row[3])),
                            ])
                        }))
            } else {
                context.output.write(Presentation.table(["TICKET", "STATE", "DUE", "TITLE"], rows))
            }
        default:
            throw UsageError("unknown subcommand \"\(subcommand)\" for `gapflow group`", hint: "use `group add`, `list` or `show`")
        }
    }
}
