import GapFlow

/// `gapflow actor add|list`: the people (and services) who act on tickets.
enum ActorCommand: GapFlowCommand {
    static let name = "actor"
    static let summary = "Register actors with their roles (actor add), list them, set a password or issue an API token."
    static let discussion = """
        Adding an existing actor replaces its roles and municipality. An actor with a municipality may act only on
        tickets of that municipality in workflows that declare a "scopeField". `actor password NAME` reads the new
        password (at least 12 characters) from standard input, never from an argument, and ends the actor's web
        sessions; `actor token NAME` prints a new API token for scripts (shown once, replacing the old one).
        """
    struct Syntax: CommandSyntax {
        let subcommand = Positional("add|list|password|token")
        let actorName = OptionalPositional("NAME")
        let role = RepeatedOption("role", "ROLE", "a role the actor holds (actor add: at least one)")
        let municipality = ValueOption("municipality", "M", "restrict the actor to one municipality")
        let actor = ValueOption("as", "ACTOR", "act as this admin (needed once an admin is registered)")
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func usageName(_ arguments: [String]) -> String {
        arguments.first.map { "actor \($0)" } ?? name
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let words = arguments.positionals
        switch words[0] {
        case "add":
            guard words.count == 2 else {
                throw UsageError("missing NAME for `gapflow actor add`", hint: "usage: \(usage)")
            }
            let roles = arguments.all(\.role)
            if roles.isEmpty { throw UsageError("an actor needs at least one --role", hint: "e.g. --role cm_coordination") }
            let engine = try context.engine()
            // Who acts: needed once an admin is registered; setting up, the acting person need not be registered yet.
            let acting = try? context.actor(in: engine)
            try engine.saveActor(Actor(name: words[1], roles: roles, municipality: arguments.value(\.municipality)), by: acting)
            let saved = try engine.actor(named: words[1])
            context.output.line(
                "actor \(saved.name): \(saved.roles.joined(separator: ", "))" + (saved.municipality.map { " (\($0))" } ?? ""))
        case "list":
            guard words.count == 1 else { throw UsageError("`gapflow actor list` takes no NAME", hint: nil) }
            let actors = try context.engine(mode: .readOnly).actors()
            if arguments.flag(\.json) {
                try context.printJSON(actors)
            } else {
                context.output.write(
                    Presentation.table(
                        ["ACTOR", "ROLES", "MUNICIPALITY"],
                        actors.map { [$0.name, $0.roles.joined(separator: ","), $0.municipality ?? "-"] }))
            }
        case "password", "token":
            guard words.count == 2 else {
                throw UsageError("missing NAME for `gapflow actor \(words[0])`", hint: "usage: \(usage)")
            }
            let engine = try context.engine()
            let acting = try? context.actor(in: engine)
            if words[0] == "token" {
                let token = try engine.issueAPIToken(for: words[1], by: acting)
                context.output.line(token)
            } else {
                try engine.setPassword(try Secret.read(from: context.environment.input), for: words[1], by: acting)
                context.output.line("password of \(words[1]) set; its web sessions have ended")
            }
        default:
            throw UsageError(
                "unknown subcommand \"\(words[0])\" for `gapflow actor`", hint: "use `actor add`, `list`, `password` or `token`")
        }
    }
}
