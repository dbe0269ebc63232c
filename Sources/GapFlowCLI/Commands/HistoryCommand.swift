import Foundation
import GapFlow

/// `gapflow history`: the append-only record of a ticket.
enum HistoryCommand: GapFlowCommand {
    static let name = "history"
    static let summary = "Show a ticket's history: who did what, when, and what changed."
    struct Syntax: CommandSyntax {
        let ticket = Positional("TICKET")
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let id = arguments.positional(\.ticket)
        let engine = try context.engine(mode: .readOnly)
        let (ticket, definition) = try engine.ticketWithDefinition(id)
        let entries = try engine.history(ticket.id)
        if arguments.flag(\.json) {
            try context.printJSON(entries)
            return
        }
        // Timers that fired or were skipped (reminders sent, escalations) are shown at their time between the entries;
        // they are kept in the timers table, not in the chained record, and marked with "·".
        var timers = try engine.timers(of: ticket.id).filter { $0.status != .pending && $0.status != .cancelled && $0.doneAt != nil }
        func showTimers(before limit: Date?) {
            while let timer = timers.first, let done = timer.doneAt, limit.map({ done < $0 }) ?? true {
                timers.removeFirst()
                let spec = definition.state(timer.state)?.timer(timer.timer)
                let what = spec?.fire.map { "→ \($0)" } ?? spec?.notify.map { "→ \(definition.role($0)?.title ?? $0)" } ?? ""
                context.output.line(
                    "·   \(Presentation.time(done, language: definition.language))  \(timer.timer) (\(timer.status.rawValue)) \(what)")
            }
        }
        for entry in entries {
            showTimers(before: entry.at)
            context.output.line("#\(entry.revision)  " + Presentation.line(entry, definition))
            if let decision = entry.decision {
                // Where it was decided, in the workflow's words: the resolution number and the meeting (or in writing).
                let words = definition.words
                let meeting = try decision.meeting.map { id in
                    try engine.meetings().first { $0.id == id }.map { "\($0.title), \($0.date.german)" } ?? "#\(id)"
                }
                context.output.line("      \(words.decision) \(decision.resolution) (\(meeting ?? words.inWriting))")
            }
            for change in entry.changes {
                let field = definition.field(change.field)
                let new = change.new.map { Presentation.text($0, field: field, language: definition.language) } ?? "(removed)"
                context.output.line("      \(Presentation.visible(field?.title ?? change.field)): \(Presentation.shortened(new, to: 100))")
            }
            if let redaction = entry.redaction {
                // What was redacted, in the workflow's words for the field; never the removed text.
                let what = redaction.field.map { definition.field($0)?.title ?? $0 } ?? "comment"
                var places = redaction.entries.map { "#\($0.revision)" }
                if redaction.ticket { places.append("ticket") }
                if redaction.notices > 0 { places.append("\(redaction.notices) notice\(redaction.notices == 1 ? "" : "s")") }
                context.output.line(
                    "      redacted \(redaction.passage ? "a passage of" : "the whole") \(Presentation.visible(what)): "
                        + places.joined(separator: ", "))
            }
            if let comment = entry.comment { context.output.line("      „\(Presentation.visible(comment))“") }
        }
        showTimers(before: nil)
    }
}
