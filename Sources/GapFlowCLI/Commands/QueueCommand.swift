import Foundation
import GapFlow
import GapFlowDocuments

/// `gapflow queue`: what is on the actor's desk.
enum QueueCommand: GapFlowCommand {
    static let name = "queue"
    static let summary = "Your work queue: tickets your roles own, overdue first, then by deadline, then by waiting time."
    static let discussion = """
        --area takes a group of the municipality list, e.g. linksrheinisch, rechtsrheinisch, troisdorf. At most \(defaultLimit)
        tickets unless --limit says otherwise; the next page starts after the last one shown: --after TICKET.
        """
    /// How many tickets the queue shows without --limit.
    static let defaultLimit = 100
    struct Syntax: CommandSyntax {
        let actor = ValueOption.actor
        let municipality = ValueOption("municipality", "M", "only tickets of this municipality")
        let area = ValueOption("area", "AREA", "only tickets of this area")
        let limit = IntegerOption("limit", "N", "at most N tickets (default \(QueueCommand.defaultLimit))")
        let after = ValueOption("after", "TICKET", "only tickets after this one in queue order (the next page)")
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let engine = try context.engine(mode: .readOnly)
        let actor = try context.actor(in: engine)
        let now = context.environment.clock.now()
        let limit = arguments.integer(\.limit) ?? defaultLimit
        let entries = try engine.queue(
            for: actor, municipality: arguments.value(\.municipality), area: arguments.value(\.area), limit: limit,
            after: arguments.value(\.after))
        if entries.count == limit, let last = entries.last {
            context.environment.errors.line("more tickets may follow: the next page with --after \(last.ticket.id)")
        }
        if arguments.flag(\.json) {
            try context.printJSON(entries)
            return
        }
        if entries.isEmpty {
            context.output.line("nothing in \(actor.name)'s queue")
            return
        }
        context.output.write(
            Presentation.table(
                ["", "TICKET", "STATE", "DEADLINE", "WAITING", "EVENTS", "TITLE"],
                entries.map { entry in
                    let language = entry.definition.language
                    return [
                        entry.overdue ? "!" : "", entry.ticket.id, entry.definition.stateTitle(entry.ticket.state),
                        entry.nextDeadline.map { Presentation.time($0, language: language) } ?? "-",
                        "\(Int(now.timeIntervalSince(entry.entered) / 86_400)) d", entry.events.joined(separator: ","),
                        Presentation.shortened(entry.ticket.fields["title"]?.plainText ?? "", to: 50),
                    ]
                }))
        context.output.line("\(entries.count) ticket\(entries.count == 1 ? "" : "s"), \(entries.filter(\.overdue).count) overdue (!)")
    }
}

/// `gapflow similar`: open tickets that may be the same gap.
enum SimilarCommand: GapFlowCommand {
    static let name = "similar"
    static let summary = "List the open tickets most like one, with a score and the reason (to find duplicates to merge)."
    struct Syntax: CommandSyntax {
        let ticket = Positional("TICKET")
        let limit = IntegerOption("limit", "N", "at most N tickets (default 10)")
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let id = arguments.positional(\.ticket)
        let results = try context.engine(mode: .readOnly).similar(to: id, limit: arguments.integer(\.limit) ?? 10)
        if arguments.flag(\.json) {
            try context.printJSON(results)
            return
        }
        if results.isEmpty {
            context.output.line("no open ticket resembles \(id.uppercased())")
            return
        }
        context.output.write(
            Presentation.table(
                ["TICKET", "SCORE", "TITLE", "WHY"],
                results.map {
                    [
                        $0.ticket.id, "\(Int(($0.score * 100).rounded())) %",
                        Presentation.shortened($0.ticket.fields["title"]?.plainText ?? "", to: 45),
                        $0.reasons.joined(separator: "; "),
                    ]
                }))
        context.output.line("merge a duplicate with: gapflow fire DUPLICATE merge --set merged_into=\(id.uppercased())")
    }
}

/// `gapflow report`: monitoring figures for the state's programme and the steering group.
enum ReportCommand: GapFlowCommand {
    static let name = "report"
    static let summary = "Monitoring report: open per stage, opened/finished per month, time per stage, overdue, breakdowns."
    static let discussion = """
        The period selects the tickets opened in it. Small numbers may point to persons: counts below the workflow's
        threshold are shown as "<5", medians of groups that small are withheld, free-text values given for so few
        tickets are gathered into one row ("smallNumbers"), unless --internal is given by an actor (--as) whose role the
        workflow allows. Time per stage is in business days of the workflow's calendar.
        """
    struct Syntax: CommandSyntax {
        let from = ValueOption("from", "DATE", "first day of the period")
        let to = ValueOption("to", "DATE", "last day of the period")
        let format = ValueOption("format", "html|md|csv|json", "the output format (default: md)")
        let internalFigures = FlagOption.internalFigures
        let actor = ValueOption.actor
        let workflow = ValueOption.meetingWorkflow
        let out = ValueOption.out
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let date = { (option: KeyPath<Syntax, ValueOption>) throws -> LocalDate? in
            try arguments.value(option).map { text in
                guard let date = LocalDate(parsing: text) else {
                    throw UsageError("--\(arguments.name(of: option)): \"\(text)\" is not a date", hint: nil)
                }
                return date
            }
        }
        let engine = try context.engine(mode: .readOnly)
        let report = try engine.report(workflow: try context.meetingWorkflow(engine), from: try date(\.from), to: try date(\.to))
        let unmasked = try context.internalFigures(arguments.flag(\.internalFigures), of: report.definition, engine)
        let text: String
        switch arguments.value(\.format) ?? "md" {
        case "md": text = ReportExport.markdown(report, unmasked: unmasked)
        case "csv": text = ReportExport.csv(report, unmasked: unmasked)
        case "json": text = ReportExport.json(report, unmasked: unmasked).pretty + "\n"
        case "html": text = ReportExport.html(report, unmasked: unmasked)
        case let other: throw UsageError("unknown format \"\(other)\"", hint: "use html, md, csv or json")
        }
        try context.write(text, to: arguments.value(\.out))
    }
}
