import Foundation
import GapFlow
import GapFlowDocuments

/// `gapflow meeting add|list|show|ics`: the steering group's calendar.
enum MeetingCommand: GapFlowCommand {
    static let name = "meeting"
    static let summary = "Keep the meeting calendar: meeting add, list, show, and ics (iCalendar export)."
    static let discussion = """
        The submission deadline (Antragsfrist) defaults to the workflow's "submissionDays" before the meeting.
        A meeting id names its workflow; --workflow is needed only to add a meeting or to mean the next one when
        several registered workflows have meetings. Without it, list and ics show the meetings of all of them.
        """
    struct Syntax: CommandSyntax {
        let subcommand = Positional("add|list|show|ics")
        let meeting = OptionalPositional("ID|next")
        let date = ValueOption("date", "DATE", "the meeting's date (2027-03-12 or 12.03.2027; meeting add: required)")
        let time = ValueOption("time", "HH:MM", "start time, local")
        let title = ValueOption("title", "TEXT", "e.g. \"1. Sitzung der Lenkungsgruppe 2027\" (meeting add: required)")
        let place = ValueOption("place", "TEXT", "where it takes place")
        let deadline = ValueOption("deadline", "DATE", "a submission deadline other than the default")
        let workflow = ValueOption.meetingWorkflow
        let out = ValueOption.out
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func usageName(_ arguments: [String]) -> String { arguments.first.map { "meeting \($0)" } ?? name }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let words = arguments.positionals
        let engine = try context.engine(mode: words[0] == "add" ? .readWrite : .readOnly)
        switch words[0] {
        case "add":
            let workflow = try context.meetingWorkflow(engine)
            guard let dateText = arguments.value(\.date) else {
                throw UsageError("meeting add needs --date", hint: "e.g. --date 2027-03-12")
            }
            guard let date = LocalDate(parsing: dateText) else {
                throw UsageError("\"\(dateText)\" is not a date", hint: "write 2027-03-12 or 12.03.2027")
            }
            guard let title = arguments.value(\.title), !title.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw UsageError("meeting add needs --title", hint: "e.g. --title \"1. Sitzung der Lenkungsgruppe 2027\"")
            }
            let deadline = try arguments.value(\.deadline).map { text in
                guard let date = LocalDate(parsing: text) else { throw UsageError("\"\(text)\" is not a date", hint: nil) }
                return date
            }
            let meeting = try engine.addMeeting(
                workflow: workflow, date: date, time: arguments.value(\.time), title: title, place: arguments.value(\.place),
                submissionDeadline: deadline)
            context.output.line(
                "meeting \(meeting.id): \(meeting.title), \(meeting.date.german) (Antragsfrist \(meeting.submissionDeadline.german))")
        case "list":
            let meetings = try engine.meetings(workflow: arguments.value(\.workflow))
            let severalWorkflows = Set(meetings.map(\.workflowID)).count > 1
            if arguments.flag(\.json) {
                try context.printJSON(meetings)
            } else if meetings.isEmpty {
                context.output.line("no meetings; add one with `gapflow meeting add`")
            } else {
                context.output.write(
                    Presentation.table(
                        ["ID", "DATE", "TIME", "DEADLINE", "TITLE", "PLACE"] + (severalWorkflows ? ["WORKFLOW"] : []),
                        meetings.map {
                            [String($0.id), $0.date.german, $0.time ?? "-", $0.submissionDeadline.german, $0.title, $0.place ?? "-"]
                                + (severalWorkflows ? [$0.workflowID] : [])
                        }))
            }
        case "show":
            guard words.count == 2 else {
                throw UsageError("missing ID for `gapflow meeting show`", hint: "an id from `meeting list`, or next")
            }
            let meeting = try context.meeting(words[1], engine)
            let agenda = try engine.agenda(for: meeting)
            if arguments.flag(\.json) {
                try context.printJSON(meeting)
                return
            }
            context.output.line("meeting \(meeting.id): \(Presentation.visible(meeting.title))")
            context.output.line("date      \(meeting.date.german)\(meeting.time.map { ", \(Presentation.visible($0)) Uhr" } ?? "")")
            context.output.line("place     \(Presentation.visible(meeting.place ?? "-"))")
            context.output.line("deadline  \(meeting.submissionDeadline.german)")
            context.output.line("items     \(agenda.items.count) (see `gapflow agenda --meeting \(meeting.id)`)")
        case "ics":
            let meetings = try engine.meetings(workflow: arguments.value(\.workflow))
            var workflows = Array(Set(meetings.map(\.workflowID))).sorted()
            if workflows.isEmpty { workflows = [try context.meetingWorkflow(engine)] }
            let text = CalendarExport.icalendar(
                meetings, calendarName: try workflows.map { try engine.definition($0).title }.joined(separator: " / "),
                now: context.environment.clock.now())
            try context.write(text, to: arguments.value(\.out))
        default:
            throw UsageError("unknown subcommand \"\(words[0])\" for `gapflow meeting`", hint: "use add, list, show or ics")
        }
    }
}

/// `gapflow agenda`: the agenda of a meeting in every format the office needs.
enum AgendaCommand: GapFlowCommand {
    static let name = "agenda"
    static let summary = "Export a meeting's agenda (Tagesordnung) as Markdown, HTML, CSV for Excel, or JSON."
    static let discussion = """
        An item is on the agenda of the first meeting whose submission deadline is on or after the day it entered its
        state; a deferral moves it to the next meeting. CSV is semicolon-separated UTF-8 with BOM, for German Excel.
        --format oparl shapes it as OParl 1.1 Meeting, AgendaItem and Paper objects for a council information system.
        --format decisions writes the template for `gapflow decisions apply`: each item with the events allowed for it.
        Small case counts are shown as "<5" unless --internal is given by an actor (--as) whose role the workflow allows.
        """
    struct Syntax: CommandSyntax {
        let meeting = ValueOption("meeting", "ID|next", "the meeting (default: next)")
        let format = ValueOption("format", "md|html|csv|json|oparl|decisions", "the output format (default: md)")
        let internalFigures = FlagOption.internalFigures
        let actor = ValueOption.actor
        let out = ValueOption.out
        let workflow = ValueOption.meetingWorkflow
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let format = arguments.value(\.format) ?? "md"
        let engine = try context.engine(mode: .readOnly)
        let meeting = try context.meeting(arguments.value(\.meeting) ?? "next", engine)
        let agenda = try engine.agenda(for: meeting)
        let unmasked = try context.internalFigures(arguments.flag(\.internalFigures), of: agenda.definition, engine)
        let text: String
        switch format {
        case "md": text = AgendaExport.markdown(agenda, unmasked: unmasked)
        case "html": text = AgendaExport.html(agenda, unmasked: unmasked)
        case "csv": text = AgendaExport.csv(agenda, unmasked: unmasked)
        case "json": text = AgendaExport.json(agenda, unmasked: unmasked).pretty + "\n"
        case "oparl": text = AgendaExport.oparl(agenda).pretty + "\n"
        case "decisions": text = try template(agenda, engine: engine).pretty + "\n"
        default: throw UsageError("unknown format \"\(format)\"", hint: "use md, html, csv, json, oparl or decisions")
        }
        try context.write(text, to: arguments.value(\.out))
        if arguments.value(\.out) != nil, agenda.items.isEmpty {
            context.environment.errors.line("note: meeting \(meeting.id) has no items yet; the agenda lists only the fixed points")
        }
    }

    /// The decisions template: every item with the events the steering group may decide and the fields each needs.
    static func template(_ agenda: Agenda, engine: Engine) throws -> JSONValue {
        let definition = agenda.definition
        var entries: [JSONValue] = []
        for (top, item) in AgendaExport.numbered(agenda) {
            var allowed: [(String, JSONValue)] = []
            for transition in definition.transitions(from: item.ticket.state) where transition.roles != [Definition.systemRole] {
                let missing = transition.requires.filter { item.ticket.fields[$0] == nil } + transition.requiresNew
                allowed.append((transition.event, JSONValue.array(missing.map { JSONValue.string($0) })))
            }
            entries.append(
                .object([
                    ("item", .string(top)), ("ticket", .string(item.ticket.id)),
                    ("title", .string(item.ticket.fields["title"]?.plainText ?? "")), ("event", .null), ("allowed", .object(allowed)),
                    ("set", .object([])), ("comment", .null),
                ]))
        }
        return .object([
            (
                "$comment",
                .string(
                    "Fill in \"event\" (one of \"allowed\", which lists the fields each still needs) and \"set\" for each item; then: gapflow decisions apply FILE --check"
                )
            ),
            ("meeting", .integer(agenda.meeting.id)), ("decisions", .array(entries)),
        ])
    }
}

/// `gapflow minutes`: results minutes and resolution list of a meeting, from the decisions recorded for it.
enum MinutesCommand: GapFlowCommand {
    static let name = "minutes"
    static let summary = "Export a meeting's results minutes (Ergebnisprotokoll) and resolution list."
    static let discussion = """
        CSV is the resolution list only (number, item, decision, responsible, due date), for German Excel. Small case counts
        are masked unless --internal is given by an actor (--as) whose role the workflow allows. Markdown and
        HTML end with the root of the latest signed checkpoint recorded in the database (`gapflow audit checkpoint`),
        under the workflow's "meetings.checkpointTitle", so that the signed minutes anchor the history; take a checkpoint
        after recording the decisions and before writing the minutes.
        """
    struct Syntax: CommandSyntax {
        let meeting = RequiredOption("meeting", "ID", "the meeting", hint: "see `gapflow meeting list`")
        let format = ValueOption("format", "md|html|csv", "the output format (default: md)")
        let internalFigures = FlagOption.internalFigures
        let actor = ValueOption.actor
        let out = ValueOption.out
        let workflow = ValueOption.meetingWorkflow
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let reference = arguments.value(\.meeting)
        let engine = try context.engine(mode: .readOnly)
        let meeting = try context.meeting(reference, engine)
        let definition = try engine.definition(meeting.workflowID)
        let decisions = try engine.decisions(of: meeting.id)
        let unmasked = try context.internalFigures(arguments.flag(\.internalFigures), of: definition, engine)
        let resolutions = MinutesExport.resolutions(decisions, unmasked: unmasked)
        let format = arguments.value(\.format) ?? "md"
        var anchor: MinutesExport.Anchor?
        if format != "csv", definition.meetings?.checkpointTitle != nil {
            // There is no approval of minutes in GapFlow: the latest checkpoint recorded when they are written is theirs.
            let latest = try engine.latestCheckpoint()
            anchor = latest.map { MinutesExport.Anchor(root: $0.root, takenAt: $0.at) }
            let lastDecision = decisions.map(\.entry.at).max()
            if let lastDecision, latest.map({ $0.at < lastDecision }) ?? true {
                context.environment.errors.line(
                    "warning: "
                        + (latest == nil
                            ? "no checkpoint has been taken" : "the latest checkpoint was taken before the meeting's last decision")
                        + "; take one with `gapflow audit checkpoint` and write the minutes again, so that they anchor the decisions")
            }
        }
        let text: String
        switch format {
        case "md":
            text = MinutesExport.markdown(
                meeting: meeting, definition: definition, resolutions: resolutions, unmasked: unmasked, anchor: anchor)
        case "html":
            text = MinutesExport.html(
                meeting: meeting, definition: definition, resolutions: resolutions, unmasked: unmasked, anchor: anchor)
        case "csv": text = MinutesExport.csv(definition: definition, resolutions: resolutions)
        case let other: throw UsageError("unknown format \"\(other)\"", hint: "use md, html or csv")
        }
        try context.write(text, to: arguments.value(\.out))
    }
}

/// `gapflow paper`: the decision paper (Beschlussvorlage) of one ticket.
enum PaperCommand: GapFlowCommand {
    static let name = "paper"
    static let summary = "Write a ticket's decision paper (Beschlussvorlage): subject, facts, proposed resolution."
    static let discussion = """
        Small case counts are shown as "<5" (the workflow's "smallNumbers"): the paper leaves the coordination. --internal,
        for an actor (--as) whose role the workflow allows, shows them as they are.
        """
    struct Syntax: CommandSyntax {
        let ticket = Positional("TICKET")
        let format = ValueOption("format", "md|html", "the output format (default: md)")
        let internalFigures = FlagOption.internalFigures
        let actor = ValueOption.actor
        let out = ValueOption.out
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let id = arguments.positional(\.ticket)
        let engine = try context.engine(mode: .readOnly)
        let (ticket, definition) = try engine.ticketWithDefinition(id)
        // Who may see internal figures is the newest version's rule, also for a ticket pinned to an older one.
        let unmasked = try context.internalFigures(arguments.flag(\.internalFigures), of: try engine.definition(ticket.workflowID), engine)
        let text: String
        switch arguments.value(\.format) ?? "md" {
        case "md": text = try PaperExport.markdown(ticket, definition, unmasked: unmasked)
        case "html": text = try PaperExport.html(ticket, definition, unmasked: unmasked)
        case let other: throw UsageError("unknown format \"\(other)\"", hint: "use md or html")
        }
        try context.write(text, to: arguments.value(\.out))
    }
}

/// `gapflow feedback-report`: what came of each gap in the feedback stage, for the case managers.
enum FeedbackReportCommand: GapFlowCommand {
    static let name = "feedback-report"
    static let summary = "Write the feedback for case managers: per gap in the feedback stage, what came of it."
    static let discussion = "Small case counts are masked unless --internal is given by an actor (--as) whose role the workflow allows."
    struct Syntax: CommandSyntax {
        let municipality = ValueOption("municipality", "M", "only gaps of this municipality")
        let format = ValueOption("format", "md|html", "the output format (default: md)")
        let internalFigures = FlagOption.internalFigures
        let actor = ValueOption.actor
        let out = ValueOption.out
        let workflow = ValueOption.meetingWorkflow
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let engine = try context.engine(mode: .readOnly)
        let workflow = try context.meetingWorkflow(engine)
        let definition = try engine.definition(workflow)
        guard let feedback = definition.meetings?.feedback else {
            throw CommandFailure("workflow \"\(workflow)\" declares no feedback stage", hint: "add \"feedback\" under \"meetings\"")
        }
        var filter = TicketFilter(workflow: workflow, states: [feedback.state])
        if let municipality = arguments.value(\.municipality) {
            guard let field = definition.scopeField, let spec = definition.field(field) else {
                throw UsageError("workflow \"\(workflow)\" has no municipality field", hint: nil)
            }
            switch spec.type.value(from: .text(municipality)) {
            case .success(let value?): filter.fields[field] = value
            case .success(nil): break
            case .failure(let error): throw UsageError("--municipality: \(error)", hint: nil)
            }
        }
        let tickets = try engine.tickets(filter).map { ($0, try engine.history($0.id)) }
        // Tickets merged into one of these: their reporters get the same feedback.
        let referenceFields = definition.fields.filter { if case .ticket = $0.type { true } else { false } }.map(\.id)
        var merged: [String: [Ticket]] = [:]
        for (ticket, _) in tickets {
            for field in referenceFields {
                merged[ticket.id, default: []] += try engine.tickets(TicketFilter(workflow: workflow, fields: [field: .ticket(ticket.id)]))
            }
        }
        let unmasked = try context.internalFigures(arguments.flag(\.internalFigures), of: definition, engine)
        let entries = FeedbackExport.entries(tickets, definition, merged: merged, unmasked: unmasked, actors: try engine.actors())
        let text: String
        switch arguments.value(\.format) ?? "md" {
        case "md": text = FeedbackExport.markdown(entries, definition, unmasked: unmasked)
        case "html": text = FeedbackExport.html(entries, definition, unmasked: unmasked)
        case let other: throw UsageError("unknown format \"\(other)\"", hint: "use md or html")
        }
        try context.write(text, to: arguments.value(\.out))
    }
}
