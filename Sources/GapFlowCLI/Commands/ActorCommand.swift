import GapFlow

/// `gapflow actor add|remove|role|list|log|password|token`: the people (and services) who act on tickets, their logins,
/// and the log of every change.
enum ActorCommand: GapFlowCommand {
    static let name = "actor"
    static let summary =
        "Register, change and remove actors (actor add|role|remove), list them, show the admin log (actor log), set a password or issue an API token."
    static let discussion = """
        Adding an existing actor replaces its roles and scope; `actor role NAME --add ROLE --remove ROLE` changes
        only its roles. --municipality may be repeated and takes a municipality or an area (a group of the scope field's
        values, e.g. linksrheinisch): an actor with a scope acts on, reads and is notified of only the tickets of its
        municipalities in workflows that declare a "scopeField"; an unknown name is refused. Once an admin is registered, only an admin (--as) may add, change or remove actors, and
        the last admin cannot be removed. Removing an actor keeps the history that names it. Every change is recorded
        in the admin log (who, operating-system account, when, what changed), which `actor log` shows and
        `audit verify` checks. `actor password NAME` reads the new password (at least 12 characters) from standard
        input, never from an argument, and ends the actor's web sessions; `actor token NAME` prints a new API token for
        scripts (shown once, replacing the old one).
        """
    struct Syntax: CommandSyntax {
        let subcommand = Positional("add|remove|role|list|log|password|token")
        let actorName = OptionalPositional("NAME")
        let role = RepeatedOption("role", "ROLE", "a role the actor holds (actor add: at least one)")
        let add = RepeatedOption("add", "ROLE", "a role to give the actor (actor role)")
        let remove = RepeatedOption("remove", "ROLE", "a role to take from the actor (actor role)")
        let municipality = RepeatedOption("municipality", "M", "restrict the actor to a municipality or an area (repeat for several)")
        let actor = ValueOption("as", "ACTOR", "act as this admin (needed once an admin is registered)")
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func usageName(_ arguments: [String]) -> String {
        arguments.first.map { "actor \($0)" } ?? name
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let words = arguments.positionals
        let subcommand = words[0]
        let needsName = ["add", "remove", "role", "password", "token"].contains(subcommand)
        if needsName && words.count != 2 {
            throw UsageError("missing NAME for `gapflow actor \(subcommand)`", hint: "usage: \(usage)")
        }
        if ["list", "log"].contains(subcommand) && words.count != 1 {
            throw UsageError("`gapflow actor \(subcommand)` takes no NAME", hint: nil)
        }
        try refuseOptions(of: arguments, foreignTo: subcommand)
        switch subcommand {
        case "add":
            let roles = arguments.all(\.role)
            if roles.isEmpty { throw UsageError("an actor needs at least one --role", hint: "e.g. --role cm_coordination") }
            let engine = try context.engine()
            try engine.saveActor(
                Actor(name: words[1], roles: roles, scope: arguments.all(\.municipality)), by: try acting(context, engine))
            show(try engine.actor(named: words[1]), context)
        case "role":
            let adding = arguments.all(\.add)
            let removing = arguments.all(\.remove)
            if adding.isEmpty && removing.isEmpty {
                throw UsageError(
                    "`gapflow actor role` needs --add ROLE or --remove ROLE", hint: "e.g. actor role koordination --add ki_lead")
            }
            let engine = try context.engine()
            show(try engine.changeRoles(of: words[1], adding: adding, removing: removing, by: try acting(context, engine)), context)
        case "remove":
            let engine = try context.engine()
            let removed = try engine.removeActor(named: words[1], by: try acting(context, engine))
            context.output.line("removed actor \(removed.name) (\(removed.roles.joined(separator: ", "))); its history stays")
        case "password":
            let engine = try context.engine()
            try engine.setPassword(try Secret.read(from: context.environment.input), for: words[1], by: try acting(context, engine))
            context.output.line("password of \(words[1]) set; its web sessions have ended")
        case "token":
            let engine = try context.engine()
            context.output.line(try engine.issueAPIToken(for: words[1], by: try acting(context, engine)))
        case "list":
            let actors = try context.engine(mode: .readOnly).actors()
            if arguments.flag(\.json) {
                try context.printJSON(actors)
            } else {
                context.output.write(
                    Presentation.table(
                        ["ACTOR", "ROLES", "MUNICIPALITY"],
                        actors.map {
                            [$0.name, $0.roles.joined(separator: ","), $0.scope.isEmpty ? "-" : $0.scope.joined(separator: ", ")]
                        }))
            }
        case "log":
            let entries = try context.engine(mode: .readOnly).adminLog()
            if arguments.flag(\.json) {
                try context.printJSON(entries.map(AdminLogView.init))
            } else {
                context.output.write(
                    Presentation.table(
                        ["#", "AT", "KIND", "BY", "ACCOUNT", "SUBJECT", "DETAILS"],
                        entries.map { entry in
                            [
                                String(entry.sequence), Timestamp.iso8601(entry.at), entry.kind, entry.actor ?? "-", entry.account ?? "-",
                                entry.subject ?? "-", Presentation.visible(entry.details),
                            ]
                        }))
            }
        default:
            throw UsageError(
                "unknown subcommand \"\(subcommand)\" for `gapflow actor`",
                hint: "use `actor add`, `role`, `remove`, `list`, `log`, `password` or `token`")
        }
    }

    /// Who acts: needed once an admin is registered. Setting up, the acting person need not be registered yet; the
    /// admin log then records the name they gave (or their login name).
    private static func acting(_ context: Context, _ engine: Engine) throws -> Actor? {
        guard let name = try? context.actorName() else { return nil }
        return (try? engine.actor(named: name)) ?? Actor(name: name, roles: [])
    }

    private static func show(_ actor: Actor, _ context: Context) {
        context.output.line(
            "actor \(actor.name): \(actor.roles.joined(separator: ", "))"
                + (actor.scope.isEmpty ? "" : " (\(actor.scope.joined(separator: ", ")))"))
    }

    /// Options that belong to another subcommand are refused rather than ignored.
    private static func refuseOptions(of arguments: ParsedArguments<Syntax>, foreignTo subcommand: String) throws {
        let given: [(String, Bool, [String])] = [
            ("--role", !arguments.all(\.role).isEmpty, ["add"]),
            ("--municipality", !arguments.all(\.municipality).isEmpty, ["add"]),
            ("--add", !arguments.all(\.add).isEmpty, ["role"]),
            ("--remove", !arguments.all(\.remove).isEmpty, ["role"]),
            ("--json", arguments.flag(\.json), ["list", "log"]),
        ]
        for (option, isGiven, owners) in given where isGiven && !owners.contains(subcommand) {
            throw UsageError("\(option) does not belong to `gapflow actor \(subcommand)`", hint: "see `gapflow actor --help`")
        }
    }
}
