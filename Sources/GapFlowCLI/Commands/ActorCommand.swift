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
        scripts (shown once, replacing the old one). `actor deputy NAME --deputy D --from DATE --to DATE` records a
        deputy period (Vertretung; it must end, and may not overlap another of NAME's): while it runs, D sees NAME's
        queue, receives NAME's notices and may act for NAME, and the history records each act as D's for NAME.
        `actor deputies` lists the periods.
        """
    struct Syntax: CommandSyntax {
        let subcommand = Positional("add|remove|role|list|log|password|token|deputy|deputies")
        let actorName = OptionalPositional("NAME")
        let role = RepeatedOption("role", "ROLE", "a role the actor holds (actor add: at least one)")
        let add = RepeatedOption("add", "ROLE", "a role to give the actor (actor role)")
        let remove = RepeatedOption("remove", "ROLE", "a role to take from the actor (actor role)")
        let municipality = RepeatedOption("municipality", "M", "restrict the actor to a municipality or an area (repeat for several)")
        let deputy = ValueOption("deputy", "ACTOR", "who stands in for NAME (actor deputy)")
        let from = ValueOption("from", "DATE", "the first day of the deputy period, e.g. 01.12.2026 (actor deputy)")
        let to = ValueOption("to", "DATE", "the last day of the deputy period, included (actor deputy)")
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
        let needsName = ["add", "remove", "role", "password", "token", "deputy"].contains(subcommand)
        if needsName && words.count != 2 {
            throw UsageError("missing NAME for `gapflow actor \(subcommand)`", hint: "usage: \(usage)")
        }
        if ["list", "log", "deputies"].contains(subcommand) && words.count != 1 {
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
        case "deputy":
            guard let deputy = arguments.value(\.deputy) else {
                throw UsageError(
                    "`gapflow actor deputy` needs --deputy ACTOR",
                    hint: "e.g. actor deputy koordination --deputy ki.leitung --from 01.12.2026 --to 24.12.2026")
            }
            guard let fromText = arguments.value(\.from), let toText = arguments.value(\.to) else {
                throw UsageError(
                    "a deputy period needs --from DATE and --to DATE (it must end)", hint: "e.g. --from 01.12.2026 --to 24.12.2026")
            }
            guard let from = LocalDate(parsing: fromText) else {
                throw UsageError("--from: \"\(fromText)\" is not a date", hint: "e.g. 01.12.2026 or 2026-12-01")
            }
            guard let to = LocalDate(parsing: toText) else {
                throw UsageError("--to: \"\(toText)\" is not a date", hint: "e.g. 24.12.2026 or 2026-12-24")
            }
            let engine = try context.engine()
            try engine.addDeputy(Deputyship(absent: words[1], deputy: deputy, from: from, to: to), by: try acting(context, engine))
            context.output.line("\(deputy) stands in for \(words[1]) from \(from.iso8601) to \(to.iso8601)")
        case "deputies":
            let deputies = try context.engine(mode: .readOnly).deputyships()
            if arguments.flag(\.json) {
                try context.printJSON(
                    JSONValue.array(
                        deputies.map {
                            .object([
                                ("for", .string($0.absent)), ("deputy", .string($0.deputy)), ("from", .string($0.from.iso8601)),
                                ("to", .string($0.to.iso8601)),
                            ])
                        }))
            } else {
                context.output.write(
                    Presentation.table(
                        ["ACTOR", "DEPUTY", "FROM", "TO"], deputies.map { [$0.absent, $0.deputy, $0.from.iso8601, $0.to.iso8601] }))
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
                hint: "use `actor add`, `role`, `remove`, `list`, `log`, `password`, `token`, `deputy` or `deputies`")
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
            ("--json", arguments.flag(\.json), ["list", "log", "deputies"]),
            ("--deputy", arguments.value(\.deputy) != nil, ["deputy"]),
            ("--from", arguments.value(\.from) != nil, ["deputy"]),
            ("--to", arguments.value(\.to) != nil, ["deputy"]),
        ]
        for (option, isGiven, owners) in given where isGiven && !owners.contains(subcommand) {
            throw UsageError("\(option) does not belong to `gapflow actor \(subcommand)`", hint: "see `gapflow actor --help`")
        }
    }
}
