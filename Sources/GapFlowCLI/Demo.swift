import Foundation
import GapFlow

/// The demo: a fresh database, the sample actors and gaps, and a simulated few months of the process.
///
/// Everything it does comes from files (`Workflows/`, `samples/actors.json`, `samples/gaps.json`,
/// `samples/demo-walk.json`); a simulated clock moves through the days, so the history shows realistic dates.
struct Demo {
    let context: Context
    let arguments: ParsedArguments<DemoCommand.Syntax>

    private var output: Output { context.output }

    func run() throws {
        let samples = context.environment.url(arguments.value(\.samples) ?? "samples")
        let workflows = context.environment.url(arguments.value(\.workflows) ?? "Workflows")
        let actors = try readActors(samples.appendingPathComponent("actors.json"))
        let gaps = try readGaps(samples.appendingPathComponent("gaps.json"))
        let steps = try readSteps(samples.appendingPathComponent("demo-walk.json"))
        let sources = try InitCommand.validated(try InitCommand.definitionFiles(in: workflows))

        let path = try databasePath()
        let today = LocalDate(context.environment.clock.now(), in: .berlin)
        let start = BusinessCalendar.weekendsOnly.instant(today, secondsOfDay: 0)
            .addingTimeInterval(-Double((steps.map(\.day).max() ?? 0) + 3) * 86_400 + 8 * 3_600)
        let clock = ManualClock(start)
        let engine = Engine(store: try StoreFactory.open(path, mode: .create), clock: clock)
        output.line("GapFlow demo — database: \(path)\n")
        for (file, source) in sources { try engine.register(source: source, file: file.lastPathComponent) }
        for actor in actors { try engine.saveActor(actor) }
        output.line("Registered \(sources.count) workflow(s) and \(actors.count) actors from \(samples.lastPathComponent)/actors.json.")
        let admin = actors.first { $0.roles.contains(Engine.adminRole) }
        for actor in actors where actor.scope.count > 1 {
            output.line("  \(actor.name) serves \(actor.scope.joined(separator: " and ")).")
        }
        let registers = try readRegisters(samples.appendingPathComponent("actors.json"), start: start)
        for group in registers.groups { try engine.saveGroup(group, by: admin) }
        for deputy in registers.deputies {
            try engine.addDeputy(deputy, by: admin)
            output.line("  \(deputy.deputy) stands in for \(deputy.absent) from \(deputy.from.german) to \(deputy.to.german).")
        }
        if !registers.groups.isEmpty {
            output.line(
                "  Project groups: \(registers.groups.map { "\($0.id) (\($0.members.joined(separator: ", ")))" }.joined(separator: "; ")).")
        }

        let workflow = "systemic-gap-escalation"
        let definition = try engine.definition(workflow)
        var ids: [String] = []
        for gap in gaps {
            clock.advance(by: 600)
            let actor = try engine.actor(named: gap.reporter)
            ids.append(try engine.open(workflow: workflow, Command(.open, actor: actor, values: gap.fields)).ticket.id)
        }
        output.line("Day   0  \(ids.count) gaps reported by the case managers (\(ids.first ?? "")…\(ids.last ?? "")).\n")

        var refusals = 0
        var timersFired = 0
        var inWriting = 0
        /// Moves the simulated clock to `moment`, firing each timer at its due time on the way, as `gapflow run` would.
        func advance(to moment: Date) throws {
            while let due = try engine.earliestDue(), due <= moment {
                clock.set(max(due, clock.now()))
                try fireTimers()
            }
            clock.set(moment)
        }
        func fireTimers() throws {
            for firing in try engine.fireDueTimers() where firing.status == .fired {
                timersFired += 1
                let day = Int(firing.timer.dueAt.timeIntervalSince(start) / 86_400)
                let what = firing.summary.split(separator: ":", maxSplits: 1).last.map { String($0.dropFirst()) } ?? ""
                output.line(
                    "Day \(String(day).leftPadded(to: 3, with: " "))  \(firing.timer.ticketID)  \(("⏰ " + firing.timer.timer).padding(toLength: 15, withPad: " ", startingAt: 0)) \(what)"
                )
            }
        }
        for step in steps {
            try advance(to: start.addingTimeInterval(Double(step.day) * 86_400 + Double(step.order % 20) * 900))
            guard ids.indices.contains(step.gap - 1) else {
                throw CommandFailure("demo-walk.json step \(step.order + 1) names gap #\(step.gap), but there are \(ids.count)")
            }
            let id = ids[step.gap - 1]
            let today = LocalDate(clock.now(), in: .berlin)
            let values = step.values.mapValues { resolve($0, ids: ids, today: today) }
            let command = Command(
                .fire(event: step.event), actor: try engine.actor(named: step.actor), values: values, comment: step.comment)
            let prefix =
                "Day \(String(step.day).leftPadded(to: 3, with: " "))  \(id)  \(step.event.padding(toLength: 15, withPad: " ", startingAt: 0))"
            do {
                // The board's decisions of the walk are recorded as decisions in writing, each with its resolution number.
                var command = command
                if definition.meetings?.decisionEvents.contains(step.event) == true {
                    inWriting += 1
                    command.decision = DecisionRecord(resolution: "U\(today.year)-\(inWriting)")
                }
                let outcome = try engine.fire(id, command)
                guard !step.expectRefusal else {
                    throw CommandFailure("demo-walk.json step \(step.order + 1) was meant to be refused, but \(step.event) succeeded")
                }
                let from = definition.stateTitle(outcome.entry.from ?? "")
                let to = definition.stateTitle(outcome.entry.to)
                let who = outcome.entry.deputyFor.map { "\(step.actor) for \($0) as deputy" } ?? step.actor
                output.line("\(prefix) \(from == to ? "stays in \(to)" : "\(from) → \(to)")  (\(who))")
                try showEffects(of: outcome, engine: engine, definition: definition)
            } catch let rejection as Rejection where step.expectRefusal {
                refusals += 1
                output.line("\(prefix) refused, as it should be: \(rejection.blockers.map(\.message).joined(separator: "; "))")
            }
        }

        try advance(to: max(clock.now(), context.environment.clock.now()))
        output.line("\nWhere every ticket stands:\n")
        let tickets = try engine.tickets(TicketFilter(workflow: workflow))
        output.write(
            Presentation.table(
                ["TICKET", "STATE", "MUNICIPALITY", "TITLE"],
                tickets.map { ticket in
                    [
                        ticket.id, definition.stateTitle(ticket.state),
                        ticket.fields["municipality"].map { Presentation.text($0, field: definition.field("municipality"), language: "de") }
                            ?? "-",
                        Presentation.shortened(ticket.fields["title"]?.plainText ?? "", to: 60),
                    ]
                }))
        output.line("\nBy state:")
        for state in definition.states {
            let count = tickets.filter { $0.state == state.id }.count
            if count > 0 { output.line("  \(state.title.padding(toLength: 28, withPad: " ", startingAt: 0)) \(count)") }
        }
        let quoted = path.contains(" ") ? "\"\(path)\"" : path
        let waiting = tickets.first { $0.state == definition.opening.state }
        let owner = waiting.flatMap { definition.state($0.state)?.owner }
        let ownerName = actors.first { actor in owner.map(actor.roles.contains) ?? false }?.name ?? "ACTOR"
        output.line(
            """

            \(steps.count - refusals) events fired by people, \(refusals) refused as intended, \(timersFired) timers fired.
            Pending timers: \(try engine.pendingTimers().count); notices in the outbox: \(try engine.outbox().count). Explore the demo database:
              gapflow list --db \(quoted)
              gapflow history \(ids.first ?? "GAP-…") --db \(quoted)
              gapflow events \(waiting?.id ?? "GAP-…") --as \(ownerName) --db \(quoted)
              gapflow timers --db \(quoted)
              gapflow outbox list --db \(quoted)
            """)
        if arguments.flag(\.serve) { try serve(path: path, actors: actors) }
    }

    /// What a step did beyond its own ticket: a merge's sums on the ticket merged into, and the notices its event sent.
    private func showEffects(of outcome: Outcome, engine: Engine, definition: Definition) throws {
        for field in definition.fields {
            guard case .ticket = field.type, case .ticket(let target)? = outcome.ticket.fields[field.id],
                let last = try engine.history(target).last, last.event == outcome.entry.event, last.comment == outcome.ticket.id
            else { continue }
            let changes = last.changes.compactMap { change in
                change.new.map {
                    "\(definition.field(change.field)?.title ?? change.field) \(Presentation.text($0, field: definition.field(change.field), language: definition.language))"
                }
            }
            output.line("        → \(target) now: \(changes.joined(separator: "; "))")
        }
        let prefix = "\(outcome.ticket.id)/r\(outcome.ticket.revision)/"
        for notice in try engine.outbox(limit: 100_000) where notice.id.hasPrefix(prefix) && notice.kind == Notice.Kind.event.rawValue {
            let payload = try JSONParser.parse(notice.payload)
            let recipients = payload["recipients"]?.elements?.compactMap(\.string) ?? []
            let audience = payload["audience"]?.string ?? "scope"
            output.line("        ✉ \(audience): \(recipients.joined(separator: ", "))")
        }
    }

    /// Gives the first actor of each role a fresh password, prints the logins, and serves the database on the real clock.
    private func serve(path: String, actors: [Actor]) throws {
        let (host, port) = try ServeCommand.address(arguments.value(\.listen) ?? ServeCommand.defaultAddress)
        let engine = Engine(store: try StoreFactory.open(path, mode: .readWrite), clock: context.environment.clock)
        let admin = actors.first { $0.roles.contains(Engine.adminRole) }
        var logins: [[String]] = []
        var covered: Set<String> = []
        for actor in actors where !actor.roles.allSatisfy(covered.contains) {
            covered.formUnion(actor.roles)
            let password = Self.readablePassword()
            try engine.setPassword(password, for: actor.name, by: admin)
            logins.append([actor.roles.joined(separator: ", "), actor.name, password])
        }
        let settings = ServeSettings(
            host: host, port: port, texts: context.environment.url("Workflows/texts/web.de.json"), trustedHeader: nil, trustedProxy: nil)
        try ServeCommand.serve(engine, settings: settings, timers: true, context: context) { address in
            output.line("\nThe web front is at \(address) — log in with one of these (new passwords on every run):\n")
            output.write(Presentation.table(["ROLE", "LOGIN", "PASSWORD"], logins))
            output.line("\nStop it with Ctrl-C.")
        }
    }

    /// 16 letters and digits without look-alikes (0/O, 1/l/I), in groups of four: easy to type from a screen.
    static func readablePassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        let letters = SecureRandom.bytes(64).filter { Int($0) < 256 - 256 % alphabet.count }.prefix(16).map {
            alphabet[Int($0) % alphabet.count]
        }
        return stride(from: 0, to: letters.count, by: 4).map { String(letters[$0..<min($0 + 4, letters.count)]) }.joined(separator: "-")
    }

    private func databasePath() throws -> String {
        if let given = arguments.value(\.db) {
            if StoreFactory.isPostgres(given) {
                throw CommandFailure(
                    "the demo builds a fresh SQLite database, not a PostgreSQL one", hint: "give a new file with --db, or none")
            }
            let path = context.environment.url(given).path
            if FileManager.default.fileExists(atPath: path) {
                throw CommandFailure("\(given) already exists; the demo builds a fresh database", hint: "remove it or give another --db")
            }
            return path
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("gapflow.sqlite").path
    }

    /// `today+N` becomes a date, `#N` the id of sample gap N.
    private func resolve(_ input: FieldInput, ids: [String], today: LocalDate) -> FieldInput {
        guard case .json(let node) = input, let text = node.string else { return input }
        if text.hasPrefix("today+"), let days = Int(text.dropFirst(6)) { return .text(today.adding(days: days).iso8601) }
        if text.hasPrefix("#"), let index = Int(text.dropFirst()), ids.indices.contains(index - 1) { return .text(ids[index - 1]) }
        return input
    }

    // MARK: - Sample files

    private struct Gap {
        let reporter: String
        let fields: [String: FieldInput]
    }

    private struct Step {
        let order: Int
        let day: Int
        let gap: Int
        let actor: String
        let event: String
        let values: [String: FieldInput]
        let comment: String?
        let expectRefusal: Bool
    }

    private func list(_ url: URL, key: String) throws -> [JSONNode] {
        let root = try Context.readJSON(url, shownAs: url.path, hint: "run the demo from the repository folder, or give --samples DIR")
        guard let elements = root[key]?.elements else {
            throw CommandFailure("\(url.lastPathComponent) must hold an object with an array \"\(key)\"")
        }
        return elements
    }

    private func malformed(_ url: String, _ node: JSONNode, _ what: String) -> CommandFailure {
        CommandFailure("\(url):\(node.position.line):\(node.position.column): \(what)")
    }

    private func readActors(_ url: URL) throws -> [Actor] {
        try list(url, key: "actors").map { node in
            guard let name = node["name"]?.string, let roles = node["roles"]?.elements?.compactMap(\.string), !roles.isEmpty
            else { throw malformed(url.lastPathComponent, node, "an actor needs \"name\" and \"roles\"") }
            let scope = node["municipalities"]?.elements?.compactMap(\.string) ?? node["municipality"]?.string.map { [$0] } ?? []
            return Actor(name: name, roles: roles, scope: scope)
        }
    }

    /// Deputy periods (`"deputies"`: `for`, `deputy`, `fromDay`, `toDay` counted in demo days) and project groups
    /// (`"groups"`: `name`, `topic`, `members`) of `actors.json`; both optional.
    private func readRegisters(_ url: URL, start: Date) throws -> (deputies: [Deputyship], groups: [ProjectGroup]) {
        let root = try Context.readJSON(url, shownAs: url.path, hint: "run the demo from the repository folder, or give --samples DIR")
        let deputies = try (root["deputies"]?.elements ?? []).map { node in
            guard let absent = node["for"]?.string, let deputy = node["deputy"]?.string, let from = node["fromDay"]?.integer,
                let to = node["toDay"]?.integer
            else { throw malformed(url.lastPathComponent, node, "a deputy needs \"for\", \"deputy\", \"fromDay\" and \"toDay\"") }
            let day = { (offset: Int) in LocalDate(start.addingTimeInterval(Double(offset) * 86_400), in: .berlin) }
            return Deputyship(absent: absent, deputy: deputy, from: day(from), to: day(to))
        }
        let groups = try (root["groups"]?.elements ?? []).map { node in
            guard let name = node["name"]?.string, let members = node["members"]?.elements?.compactMap(\.string) else {
                throw malformed(url.lastPathComponent, node, "a group needs \"name\" and \"members\"")
            }
            return ProjectGroup(id: name, topic: node["topic"]?.string, members: members)
        }
        return (deputies, groups)
    }

    private func readGaps(_ url: URL) throws -> [Gap] {
        try list(url, key: "gaps").map { node in
            guard let reporter = node["reporter"]?.string, let fields = node["fields"]?.members else {
                throw malformed(url.lastPathComponent, node, "a gap needs \"reporter\" and \"fields\"")
            }
            return Gap(reporter: reporter, fields: Dictionary(fields.map { ($0.key, FieldInput.json($0.value)) }, uniquingKeysWith: { $1 }))
        }
    }

    private func readSteps(_ url: URL) throws -> [Step] {
        let steps = try list(url, key: "steps").enumerated().map { order, node in
            guard let day = node["day"]?.integer, let gap = node["gap"]?.integer,
                let actor = node["as"]?.string, let event = node["event"]?.string
            else { throw malformed(url.lastPathComponent, node, "a step needs \"day\", \"gap\", \"as\" and \"event\"") }
            let values = (node["set"]?.members ?? []).map { ($0.key, FieldInput.json($0.value)) }
            return Step(
                order: order, day: day, gap: gap, actor: actor, event: event,
                values: Dictionary(values, uniquingKeysWith: { $1 }), comment: node["comment"]?.string,
                expectRefusal: node["expect"]?.string == "refused")
        }
        return steps.sorted { ($0.day, $0.order) < ($1.day, $1.order) }
    }
}
