import Foundation
import GapFlow
import GapFlowDocuments

/// `gapflow queue`: what is on the actor's desk.
enum QueueCommand: GapFlowCommand {
    static let name = "queue"
    static let summary = "Your work queue: tickets your roles own, overdue first, then by deadline, then by waiting time."
    static let synopsis = "[--as ACTOR] [--municipality M] [--area AREA] [--json]"
    static let discussion = "--area takes a group of the municipality list, e.g. linksrheinisch, rechtsrheinisch, troisdorf."
    static let options: [OptionSpec] = [
        .actor, .value("municipality", "M", "only tickets of this municipality"), .value("area", "AREA", "only tickets of this area"),
        .json,
        .database,
    ]

    static func run(_ arguments: ParsedArguments, _ context: Context) throws {
        _ = try arguments.positionals([], command: name)
        let engine = try context.engine(mode: .readOnly)
        let actor = try context.actor(in: engine)
        let now = context.environment.clock.now()
        let entries = try engine.queue(for: actor, municipality: arguments.value("municipality"), area: arguments.value("area"))
        if arguments.flag("json") {
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
    static let synopsis = "TICKET [--limit N] [--json]"
    static let options: [OptionSpec] = [.value("limit", "N", "at most N tickets (default 10)"), .json, .database]

    static func run(_ arguments: ParsedArguments, _ context: Context) throws {
        let id = try arguments.positionals(["TICKET"], command: name)[0]
        let results = try context.engine(mode: .readOnly).similar(to: id, limit: try arguments.integer("limit") ?? 10)
        if arguments.flag("json") {
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
    static let synopsis = "[--from DATE --to DATE] --format html|md|csv|json [--internal] [--workflow W] [--out FILE]"
    static let discussion = """
        The period selects the tickets opened in it. Counts below 5 are shown as "<5" unless --internal is given,
        since small counts may point to persons. Time per stage is in business days of the workflow's calendar.
        """
    static let options: [OptionSpec] = [
        .value("from", "DATE", "first day of the period"), .value("to", "DATE", "last day of the period"),
        .value("format", "FORMAT", "html, md (default), csv or json"), .flag("internal", "show small counts as they are"),
        .value("workflow", "W", "the workflow (default: the only one with meetings, else required)"),
        .value("out", "FILE", "write to a file instead of standard output"), .database,
    ]

    static func run(_ arguments: ParsedArguments, _ context: Context) throws {
        _ = try arguments.positionals([], command: name)
        let date = { (name: String) throws -> LocalDate? in
            try arguments.value(name).map { text in
                guard let date = LocalDate(parsing: text) else { throw UsageError("--\(name): \"\(text)\" is not a date", hint: nil) }
                return date
            }
        }
        let engine = try context.engine(mode: .readOnly)
        let report = try engine.report(workflow: try context.meetingWorkflow(engine), from: try date("from"), to: try date("to"))
        let unmasked = arguments.flag("internal")
        let text: String
        switch arguments.value("format") ?? "md" {
        case "md": text = ReportExport.markdown(report, unmasked: unmasked)
        case "csv": text = ReportExport.csv(report, unmasked: unmasked)
        case "json": text = ReportExport.json(report, unmasked: unmasked).pretty + "\n"
        case "html": text = ReportExport.html(report, unmasked: unmasked)
        case let other: throw UsageError("unknown format \"\(other)\"", hint: "use html, md, csv or json")
        }
        try context.write(text, to: arguments.value("out"))
    }
}
