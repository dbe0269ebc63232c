import GapFlow

/// `gapflow redact`: removes personal data from an open ticket (Schwärzung).
enum RedactCommand: GapFlowCommand {
    static let name = "redact"
    static let summary = "Remove personal data from an open ticket (Schwärzung): a passage or a whole value, everywhere it is stored."
    static let discussion = """
        --field NAME redacts the field's values: with --text the exact passage in every value the field had, without it
        the current value; with --entry N only the value history entry N set. --entry N without --field redacts the
        comment of entry N. What is removed is replaced by the workflow's marker in the ticket, in every history entry and
        notice that carries it, and erased from the database file; the history records a `redact` entry with the field
        or entry and who did it, never the removed text. The workflow file says which roles may ("redaction").
        """
    struct Syntax: CommandSyntax {
        let ticket = Positional("TICKET")
        let field = ValueOption("field", "NAME", "the free-text field to redact")
        let entry = IntegerOption("entry", "N", "history entry N: the value it set (with --field), else its comment")
        let text = ValueOption("text", "PASSAGE", "the exact passage to remove (default: the whole value)")
        let reason = RequiredOption(
            "reason", "TEXT", "why, for the history (without the removed text)", hint: "e.g. --reason \"Name einer Klientin\"")
        let check = FlagOption("check", "report what would be redacted, change nothing")
        let actor = ValueOption.actor
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let target: RedactionRequest.Target
        if let field = arguments.value(\.field) {
            target = .field(field)
        } else if arguments.integer(\.entry) != nil {
            target = .comment
        } else {
            throw UsageError(
                "redact needs --field NAME (a field's value) or --entry N (the comment of history entry N)",
                hint: "see `gapflow history TICKET` for the entries")
        }
        let request = RedactionRequest(
            target: target, entry: arguments.integer(\.entry), passage: arguments.value(\.text), reason: arguments.value(\.reason))
        let engine = try context.engine()
        let check = arguments.flag(\.check)
        let result = try engine.redact(arguments.positional(\.ticket), request, actor: try context.actor(in: engine), check: check)
        let record = result.record
        if arguments.flag(\.json) {
            try context.printJSON(RedactionView(result, check: check))
        } else {
            let what = record.field.map { "field \($0)" } ?? "the comment of #\(request.entry ?? 0)"
            var places = record.entries.map { "#\($0.revision)" }
            if record.ticket { places.append("the ticket") }
            if record.notices > 0 { places.append("\(record.notices) notice\(record.notices == 1 ? "" : "s")") }
            context.output.line(
                "\(result.ticket): \(check ? "would redact" : "redacted") \(what) (\(record.passage ? "passage" : "whole value")) in "
                    + places.joined(separator: ", ") + (check ? "; nothing was changed" : "; recorded as revision \(result.revision)"))
        }
        if !result.stillFoundIn.isEmpty {
            context.environment.errors.line(
                "note: the passage is still in \(result.stillFoundIn.joined(separator: ", ")) of \(result.ticket)")
            context.environment.errors.line("hint: redact it there too (--field NAME, or --entry N for a comment)")
        }
        if let problem = result.eraseProblem {
            context.environment.errors.line("warning: the redaction is recorded, but \(problem)")
            context.environment.errors.line(
                "hint: run `gapflow purge` when no other process reads the database: it erases removed text from the files")
        }
    }
}

/// What `redact --json` prints.
struct RedactionView: Encodable {
    let ticket: String
    let revision: Int?
    let field: String?
    let passage: Bool
    let entries: [Int]
    let ticketChanged: Bool
    let notices: Int
    let stillFoundIn: [String]
    let erased: Bool

    init(_ result: RedactionResult, check: Bool) {
        ticket = result.ticket
        revision = check ? nil : result.revision
        field = result.record.field
        passage = result.record.passage
        entries = result.record.entries.map(\.revision)
        ticketChanged = result.record.ticket
        notices = result.record.notices
        stillFoundIn = result.stillFoundIn
        erased = !check && result.eraseProblem == nil
    }
}
