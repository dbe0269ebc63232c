import Foundation
import GapFlow

/// `gapflow decisions apply FILE`: the steering group's decisions from one file, all or nothing.
enum DecisionsCommand: GapFlowCommand {
    static let name = "decisions"
    static let summary = "Apply a meeting's decisions from one file, all or nothing (decisions apply FILE [--check])."
    static let discussion = """
        Write the file's template with `gapflow agenda --format decisions --out FILE`, fill in "event" (and "set")
        for each item after the meeting, then apply it. Every entry is checked first; any problem refuses the whole
        file with every problem listed by entry number. --check reports what would happen and changes nothing.
        Entries whose "event" is null are skipped. A file with "circulation": true instead of "meeting" records
        decisions taken in writing between meetings (Umlaufverfahren). An entry's "vote" records how the board voted:
        "unanimous", or {"for": 5, "against": 1, "abstentions": 0}; the minutes show it.
        """
    struct Syntax: CommandSyntax {
        let subcommand = Positional("apply")
        let file = Positional("FILE")
        let check = FlagOption("check", "check the file and report, change nothing")
        let actor = ValueOption.actor
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func usageName(_ arguments: [String]) -> String { arguments.first.map { "decisions \($0)" } ?? name }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let words = arguments.positionals
        guard words[0] == "apply" else {
            throw UsageError("unknown subcommand \"\(words[0])\" for `gapflow decisions`", hint: "use `decisions apply FILE`")
        }
        let file = words[1]
        let root = try Context.readJSON(
            context.environment.url(file), shownAs: file, hint: "the file is refused as a whole; nothing was changed")
        let parsed = try DecisionsFile(root, name: file)
        let engine = try context.engine()
        let actor = try context.actor(in: engine)
        let results = try engine.applyDecisions(parsed.decisions, meeting: parsed.meeting, actor: actor, check: arguments.flag(\.check))
        let verb = arguments.flag(\.check) ? "would apply" : "applied"
        let warnings = results.flatMap { result in
            result.warnings.map { "warning: entry \(result.entry) (\(result.ticket)): \($0.message)" }
        }
        for warning in warnings { context.environment.errors.line(warning) }
        if !warnings.isEmpty {
            context.environment.errors.line("hint: tickets describe structures, not persons; correct the entry and the ticket")
        }
        if arguments.flag(\.json) {
            try context.printJSON(DecisionsView(checked: arguments.flag(\.check), skipped: parsed.skipped, decisions: results))
            return
        }
        for result in results {
            context.output.line("\(verb) \(result.resolution)  \(result.ticket)  \(result.event): \(result.from) → \(result.to)")
        }
        if !parsed.skipped.isEmpty {
            context.output.line("skipped entries without an event: \(parsed.skipped.map(String.init).joined(separator: ", "))")
        }
        context.output.line(
            arguments.flag(\.check)
                ? "check passed: \(results.count) decision\(results.count == 1 ? "" : "s") would be applied; nothing was changed"
                : "\(results.count) decision\(results.count == 1 ? "" : "s") applied in one transaction")
    }
}

/// A decisions file, read strictly: unknown keys and wrong types are errors with their entry and line.
struct DecisionsFile {
    var meeting: Int?
    var decisions: [Decision] = []
    var skipped: [Int] = []

    init(_ root: JSONNode, name: String) throws {
        var problems: [String] = []
        func problem(_ node: JSONNode, _ text: String) { problems.append("\(name):\(node.position.line):\(node.position.column): \(text)") }
        guard let members = root.members else {
            throw CommandFailure(
                "\(name) must hold a JSON object with \"meeting\" and \"decisions\"",
                hint: "write a template with `gapflow agenda --format decisions`")
        }
        let top = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        for member in members where !["$comment", "meeting", "circulation", "decisions"].contains(member.key) {
            problem(member.value, "unknown key \"\(member.key)\"")
        }
        if let node = top["meeting"] {
            if let id = node.integer { meeting = id } else { problem(node, "\"meeting\" must be a meeting id (a number)") }
        } else if top["circulation"]?.bool != true {
            problems.append("\(name): give \"meeting\": ID, or \"circulation\": true for decisions in writing")
        }
        guard let entries = top["decisions"]?.elements else {
            problems.append("\(name): \"decisions\" must be an array")
            throw CommandFailure(problems.joined(separator: "\n"), hint: "the file is refused as a whole; nothing was changed")
        }
        let known = ["item", "ticket", "title", "event", "allowed", "set", "comment", "resolution", "vote"]
        for (index, entry) in entries.enumerated() {
            let number = index + 1
            guard let fields = entry.members else {
                problem(entry, "entry \(number) must be an object")
                continue
            }
            let keys = Dictionary(fields.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            for field in fields where !known.contains(field.key) {
                problem(
                    field.value,
                    "entry \(number): unknown key \"\(field.key)\""
                        + (NameSuggestion.hint(for: field.key, among: known).map { " (\($0))" } ?? ""))
            }
            guard let ticket = keys["ticket"]?.string else {
                problem(entry, "entry \(number): \"ticket\" is missing")
                continue
            }
            guard let eventNode = keys["event"], case .string(let event) = eventNode.value else {
                if let node = keys["event"], node.value != .null {
                    problem(node, "entry \(number): \"event\" must be a string")
                } else {
                    skipped.append(number)
                }
                continue
            }
            var values: [String: FieldInput] = [:]
            if let set = keys["set"] {
                if let pairs = set.members {
                    for pair in pairs { values[pair.key] = .json(pair.value) }
                } else {
                    problem(set, "entry \(number): \"set\" must be an object of field values")
                }
            }
            let comment = keys["comment"].flatMap(\.string)
            let resolution = keys["resolution"].flatMap(\.string)
            var decision = Decision(entry: number, ticket: ticket, event: event, values: values, comment: comment, resolution: resolution)
            if let node = keys["vote"] {
                if node.string == "unanimous" {
                    decision.vote = .unanimous
                } else if let counts = node.members, counts.allSatisfy({ ["for", "against", "abstentions"].contains($0.key) }),
                    let yes = node["for"]?.integer, let no = node["against"]?.integer, let abstentions = node["abstentions"]?.integer,
                    yes >= 0, no >= 0, abstentions >= 0
                {
                    decision.vote = .counted(yes: yes, no: no, abstentions: abstentions)
                } else {
                    problem(
                        node,
                        "entry \(number): \"vote\" must be \"unanimous\" or {\"for\": N, \"against\": N, \"abstentions\": N} with whole numbers from 0"
                    )
                }
            }
            decisions.append(decision)
        }
        if !problems.isEmpty {
            throw CommandFailure(problems.joined(separator: "\n"), hint: "the file is refused as a whole; nothing was changed")
        }
    }
}
