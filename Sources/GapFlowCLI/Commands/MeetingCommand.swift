import Foundation
import GapFlow
import GapFlowDocuments

/// `gapflow meeting add|list|show|edit|cancel|ics|attendance|members|member-add|member-remove`: the steering group's
/// calendar, its register and who attended.
enum MeetingCommand: GapFlowCommand {
    static let name = "meeting"
    static let summary =
        "Keep the meeting calendar (meeting add, list, show, edit, cancel, ics), the board's register and attendance."
    static let discussion = """
        The submission deadline (Antragsfrist) defaults to the workflow's "submissionDays" before the meeting.
        A meeting id names its workflow; --workflow is needed only to add a meeting or to mean the next one when
        several registered workflows have meetings. Without it, list and ics show the meetings of all of them.
        meeting edit ID changes --date (a move), --time, --title, --place or --deadline of a meeting not yet held
        (an empty --time or --place removes it); meeting cancel ID cancels a meeting without decisions. Each change
        raises the meeting's SEQUENCE in the iCalendar export, which sends a cancelled meeting as STATUS:CANCELLED.
        The board's register (per workflow): meeting member-add NAME --body INSTITUTION [--deputy NAME],
        meeting member-remove NAME, meeting members. meeting attendance ID records, for a held meeting whose minutes
        are not yet approved, who attended: every member present unless --absent NAME or --deputized NAME (represented
        by their deputy), with --chair, --minute-taker, --start and --end; the minutes show it under their first point,
        with the quorum (more than half of the members present or represented).
        """
    struct Syntax: CommandSyntax {
        let subcommand = Positional("add|list|show|edit|cancel|ics|attendance|members|member-add|member-remove")
        let meeting = OptionalPositional("ID|next|NAME")
        let date = ValueOption("date", "DATE", "the meeting's date (2027-03-12 or 12.03.2027; meeting add: required)")
        let time = ValueOption("time", "HH:MM", "start time, local")
        let title = ValueOption("title", "TEXT", "e.g. \"1. Sitzung der Lenkungsgruppe 2027\" (meeting add: required)")
        let place = ValueOption("place", "TEXT", "where it takes place")
        let deadline = ValueOption("deadline", "DATE", "a submission deadline other than the default")
        let body = ValueOption("body", "TEXT", "member-add: the institution the member sits for")
        let deputy = ValueOption("deputy", "NAME", "member-add: the member's deputy")
        let absent = RepeatedOption("absent", "NAME", "attendance: a member who was absent")
        let deputized = RepeatedOption("deputized", "NAME", "attendance: a member represented by their deputy")
        let chair = ValueOption("chair", "NAME", "attendance: who chaired the meeting")
        let minuteTaker = ValueOption("minute-taker", "NAME", "attendance: who took the minutes")
        let start = ValueOption("start", "HH:MM", "attendance: when the meeting began")
        let end = ValueOption("end", "HH:MM", "attendance: when the meeting ended")
        let workflow = ValueOption.meetingWorkflow
        let out = ValueOption.out
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func usageName(_ arguments: [String]) -> String { arguments.first.map { "meeting \($0)" } ?? name }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let words = arguments.positionals
        let writes = ["add", "edit", "cancel", "attendance", "member-add", "member-remove"]
        let engine = try context.engine(mode: writes.contains(words[0]) ? .readWrite : .readOnly)
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
                        ["ID", "DATE", "TIME", "DEADLINE", "STATUS", "TITLE", "PLACE"] + (severalWorkflows ? ["WORKFLOW"] : []),
                        meetings.map {
                            [
                                String($0.id), $0.date.german, $0.time ?? "-", $0.submissionDeadline.german, $0.status.rawValue, $0.title,
                                $0.place ?? "-",
                            ] + (severalWorkflows ? [$0.workflowID] : [])
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
            context.output.line("status    \(meeting.status.rawValue)")
            context.output.line("items     \(agenda.items.count) (see `gapflow agenda --meeting \(meeting.id)`)")
            for document in try engine.meetingDocuments(meeting.id) where document.format != "text" {
                context.output.line(
                    "document  \(document.kind.rawValue) \(document.issue) \(document.format), \(Timestamp.german(document.createdAt))")
            }
        case "members", "member-add", "member-remove":
            let workflow = try context.meetingWorkflow(engine)
            if words[0] != "members" {
                guard words.count == 2 else { throw UsageError("missing NAME for `gapflow meeting \(words[0])`", hint: nil) }
                if words[0] == "member-add" {
                    guard let body = arguments.value(\.body) else {
                        throw UsageError("meeting member-add needs --body", hint: "e.g. --body \"Jobcenter Rhein-Sieg\"")
                    }
                    try engine.saveBoardMember(
                        BoardMember(name: words[1], body: body, deputy: arguments.value(\.deputy)), workflow: workflow)
                } else if !(try engine.removeBoardMember(words[1], workflow: workflow)) {
                    throw MeetingError.notAMember(words[1])
                }
            }
            let members = try engine.boardMembers(workflow: workflow)
            context.output.write(
                Presentation.table(["MEMBER", "BODY", "DEPUTY"], members.map { [$0.name, $0.body, $0.deputy ?? "-"] }))
        case "attendance":
            guard words.count == 2, let id = Int(words[1]) else {
                throw UsageError("missing ID for `gapflow meeting attendance`", hint: "an id from `meeting list`")
            }
            let attendance = try engine.recordAttendance(
                id, absent: arguments.all(\.absent), deputized: arguments.all(\.deputized), chair: arguments.value(\.chair),
                minuteTaker: arguments.value(\.minuteTaker), start: arguments.value(\.start), end: arguments.value(\.end))
            context.output.line(
                "meeting \(id): \(attendance.attending) of \(attendance.seats.count) members present or represented"
                    + (attendance.isQuorate ? "; quorate" : "; not quorate"))
        case "edit", "cancel":
            guard words.count == 2, let id = Int(words[1]) else {
                throw UsageError("missing ID for `gapflow meeting \(words[0])`", hint: "an id from `meeting list`")
            }
            let meeting: Meeting
            if words[0] == "cancel" {
                meeting = try engine.cancelMeeting(id)
            } else {
                func date(_ option: KeyPath<Syntax, ValueOption>, _ name: String) throws -> LocalDate? {
                    try arguments.value(option).map { text in
                        guard let date = LocalDate(parsing: text) else {
                            throw UsageError("--\(name): \"\(text)\" is not a date", hint: "write 2027-03-12 or 12.03.2027")
                        }
                        return date
                    }
                }
                let changes = MeetingChanges(
                    date: try date(\.date, "date"), time: arguments.value(\.time), title: arguments.value(\.title),
                    place: arguments.value(\.place), submissionDeadline: try date(\.deadline, "deadline"))
                meeting = try engine.editMeeting(id, changes)
            }
            context.output.line(
                "meeting \(meeting.id): \(meeting.title), \(meeting.date.german) (Antragsfrist \(meeting.submissionDeadline.german)), "
                    + "\(meeting.status.rawValue), sequence \(meeting.sequence)")
        case "ics":
            let meetings = try engine.meetings(workflow: arguments.value(\.workflow))
            var workflows = Array(Set(meetings.map(\.workflowID))).sorted()
            if workflows.isEmpty { workflows = [try context.meetingWorkflow(engine)] }
            let definitions = try Dictionary(uniqueKeysWithValues: workflows.map { ($0, try engine.definition($0)) })
            let text = CalendarExport.icalendar(
                meetings, calendarName: workflows.compactMap { definitions[$0]?.title }.joined(separator: " / "),
                now: context.environment.clock.now(), database: try engine.storeIdentity(),
                deadlineWord: { definitions[$0]?.words.deadline ?? $0 })
            try context.write(text, to: arguments.value(\.out))
        default:
            throw UsageError(
                "unknown subcommand \"\(words[0])\" for `gapflow meeting`",
                hint: "use add, list, show, edit, cancel, ics, attendance, members, member-add or member-remove")
        }
    }
}

/// `gapflow agenda`: the agenda of a meeting in every format the office needs; publishing it and its supplements.
enum AgendaCommand: GapFlowCommand {
    static let name = "agenda"
    static let summary = "Export a meeting's agenda (Tagesordnung); agenda publish and agenda supplement freeze it as sent."
    static let discussion = """
        Before publication an item is on the agenda of the first meeting whose submission deadline is on or after the
        day it entered its state; a deferral moves it to the next meeting. `agenda publish --meeting ID` freezes the
        agenda as sent: its items and its documents (md, html, csv, json) are stored, and every later export gives the
        same bytes. After that the agenda changes only by `agenda supplement --meeting ID --ticket T…` (a numbered
        supplement, Nachtrag; with --urgent an urgent item, Tischvorlage), each item numbered on in its section;
        --supplement N exports supplement N. Decisions are entered only for a published agenda's items.
        CSV is semicolon-separated UTF-8 with BOM, for German Excel.
        --format oparl writes an OParl 1.1 list of the Meeting (its AgendaItems embedded), Consultations, Papers and
        Location for a council information system, every id and reference a URL under --base-url.
        --format decisions writes the template for `gapflow decisions apply`: each item with the events allowed for it.
        Small case counts are shown as "<5" unless --internal is given by an actor (--as) whose role the workflow allows
        (a draft only: a published agenda is exported as it was sent).
        """
    struct Syntax: CommandSyntax {
        let action = OptionalPositional("publish|supplement")
        let meeting = ValueOption("meeting", "ID|next", "the meeting (default: next)")
        let format = ValueOption("format", "md|html|csv|json|oparl|decisions", "the output format (default: md)")
        let supplement = IntegerOption("supplement", "N", "export supplement (or urgent item) N of a published agenda")
        let baseURL = ValueOption("base-url", "URL", "--format oparl: the base of the objects' URLs, e.g. https://ris.example.de/oparl/v1")
        let ticket = RepeatedOption("ticket", "TICKET", "agenda supplement: a ticket to add (any number of times)")
        let urgent = FlagOption("urgent", "agenda supplement: an urgent item (Tischvorlage) rather than a supplement")
        let internalFigures = FlagOption.internalFigures
        let actor = ValueOption.actor
        let out = ValueOption.out
        let workflow = ValueOption.meetingWorkflow
        let db = ValueOption.database
    }

    static func usageName(_ arguments: [String]) -> String {
        arguments.first.map { ["publish", "supplement"].contains($0) ? "agenda \($0)" : name } ?? name
    }

    /// The documents stored when an agenda or a supplement is frozen.
    static func frozen(_ agenda: Agenda) -> RenderedDocuments {
        [
            ("md", AgendaExport.markdown(agenda)), ("html", AgendaExport.html(agenda)), ("csv", AgendaExport.csv(agenda)),
            ("json", AgendaExport.json(agenda).pretty + "\n"),
        ]
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        if let action = arguments.positionals.first {
            try change(action, arguments, context)
            return
        }
        let format = arguments.value(\.format) ?? "md"
        let engine = try context.engine(mode: .readOnly)
        let meeting = try context.meeting(arguments.value(\.meeting) ?? "next", engine)
        let agenda = try engine.agenda(for: meeting)
        if meeting.status != .draft, !["oparl", "decisions"].contains(format) {
            if arguments.flag(\.internalFigures) {
                throw CommandFailure(
                    "the agenda of meeting \(meeting.id) is published: it is exported as it was sent, with small numbers masked",
                    hint: "leave out --internal")
            }
            let issue = arguments.integer(\.supplement) ?? 0
            let documents = try engine.meetingDocuments(meeting.id).filter {
                $0.issue == issue && ($0.kind == (issue == 0 ? .agenda : .supplement) || (issue > 0 && $0.kind == .urgent))
            }
            guard !documents.isEmpty else { throw CommandFailure("meeting \(meeting.id) has no supplement \(issue)", hint: nil) }
            guard let document = documents.first(where: { $0.format == format }) else {
                throw UsageError("unknown format \"\(format)\"", hint: "use md, html, csv, json, oparl or decisions")
            }
            try context.write(document.content, to: arguments.value(\.out))
            return
        }
        if arguments.integer(\.supplement) != nil {
            throw CommandFailure("the agenda of meeting \(meeting.id) is not published: it has no supplements", hint: nil)
        }
        let unmasked = try context.internalFigures(arguments.flag(\.internalFigures), of: agenda.definition, engine)
        let text: String
        switch format {
        case "md": text = AgendaExport.markdown(agenda, unmasked: unmasked)
        case "html": text = AgendaExport.html(agenda, unmasked: unmasked)
        case "csv": text = AgendaExport.csv(agenda, unmasked: unmasked)
        case "json": text = AgendaExport.json(agenda, unmasked: unmasked).pretty + "\n"
        case "oparl":
            let base = arguments.value(\.baseURL) ?? AgendaExport.defaultOParlBase
            guard let url = URL(string: base), ["https", "http"].contains(url.scheme ?? ""), url.host != nil else {
                throw UsageError("--base-url: \"\(base)\" is not an http(s) URL", hint: "e.g. --base-url https://ris.example.de/oparl/v1")
            }
            text = AgendaExport.oparl(agenda, baseURL: base, now: context.environment.clock.now()).pretty + "\n"
        case "decisions": text = try template(agenda, engine: engine).pretty + "\n"
        default: throw UsageError("unknown format \"\(format)\"", hint: "use md, html, csv, json, oparl or decisions")
        }
        try context.write(text, to: arguments.value(\.out))
        if arguments.value(\.out) != nil, agenda.items.isEmpty {
            context.environment.errors.line("note: meeting \(meeting.id) has no items yet; the agenda lists only the fixed points")
        }
    }

    /// `agenda publish` and `agenda supplement`.
    static func change(_ action: String, _ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        guard let reference = arguments.value(\.meeting) else {
            throw UsageError("agenda \(action) needs --meeting", hint: "an id from `gapflow meeting list`")
        }
        let engine = try context.engine(mode: .readWrite)
        let meeting = try context.meeting(reference, engine)
        switch action {
        case "publish":
            let agenda = try engine.publishAgenda(meeting.id, render: frozen)
            context.output.line(
                "published the agenda of meeting \(meeting.id) with \(agenda.items.count) item\(agenda.items.count == 1 ? "" : "s"); "
                    + "it is stored as sent")
        case "supplement":
            let tickets = arguments.all(\.ticket)
            guard !tickets.isEmpty else { throw UsageError("agenda supplement needs --ticket", hint: "e.g. --ticket GAP-2027-0012") }
            let supplement = try engine.supplementAgenda(meeting.id, tickets: tickets, urgent: arguments.flag(\.urgent), render: frozen)
            context.output.line(
                "\(arguments.flag(\.urgent) ? "urgent item" : "supplement") \(supplement.issue) to meeting \(meeting.id): "
                    + supplement.items.map { "\($0.number) \($0.ticket.id)" }.joined(separator: ", "))
        default:
            throw UsageError("unknown subcommand \"\(action)\" for `gapflow agenda`", hint: "use publish or supplement")
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

/// `gapflow minutes`: the minutes (Niederschrift) and resolution list of a meeting; approving and correcting them.
enum MinutesCommand: GapFlowCommand {
    static let name = "minutes"
    static let summary = "Export a meeting's minutes (Niederschrift); minutes approve and minutes correct freeze and correct them."
    static let discussion = """
        Until they are approved, the minutes are a draft made from the decisions recorded for the meeting, each ticket
        as its decision left it. `minutes approve --meeting ID` (once the meeting was held) stores them as approved
        (md, html, csv); every later export gives the same bytes. After that they change only by
        `minutes correct --meeting ID --text TEXT`: the correction is recorded with its date and the minutes are stored
        again with it, the approved issue kept as it was.
        CSV is the resolution list only (number, item, decision, responsible, due date), for German Excel. Small case counts
        are masked unless --internal is given by an actor (--as) whose role the workflow allows (draft minutes only).
        Markdown and HTML end with the root of the latest signed checkpoint recorded in the database
        (`gapflow audit checkpoint`), under the workflow's "meetings.checkpointTitle", so that the signed minutes anchor
        the history; take a checkpoint after recording the decisions and before approving the minutes.
        """
    struct Syntax: CommandSyntax {
        let action = OptionalPositional("approve|correct")
        let meeting = RequiredOption("meeting", "ID", "the meeting", hint: "see `gapflow meeting list`")
        let format = ValueOption("format", "md|html|csv", "the output format (default: md)")
        let text = ValueOption("text", "TEXT", "minutes correct: what is corrected")
        let internalFigures = FlagOption.internalFigures
        let actor = ValueOption.actor
        let out = ValueOption.out
        let workflow = ValueOption.meetingWorkflow
        let db = ValueOption.database
    }

    static func usageName(_ arguments: [String]) -> String {
        arguments.first.map { ["approve", "correct"].contains($0) ? "minutes \($0)" : name } ?? name
    }

    /// The documents stored when minutes are approved or corrected: masked, with the latest checkpoint.
    static func frozen(_ record: MinutesRecord, anchor: MinutesExport.Anchor?) -> RenderedDocuments {
        [
            ("md", MinutesExport.markdown(record, anchor: anchor)), ("html", MinutesExport.html(record, anchor: anchor)),
            ("csv", MinutesExport.csv(definition: record.definition, resolutions: MinutesExport.resolutions(record.decisions))),
        ]
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let reference = arguments.value(\.meeting)
        let action = arguments.positionals.first
        if let action, !["approve", "correct"].contains(action) {
            throw UsageError("unknown subcommand \"\(action)\" for `gapflow minutes`", hint: "use approve or correct")
        }
        let engine = try context.engine(mode: action == nil ? .readOnly : .readWrite)
        let meeting = try context.meeting(reference, engine)
        let definition = try engine.definition(meeting.workflowID)
        let format = arguments.value(\.format) ?? "md"
        var anchor: MinutesExport.Anchor?
        if format != "csv" || action != nil, definition.meetings?.checkpointTitle != nil, meeting.status != .approved || action != nil {
            let latest = try engine.latestCheckpoint()
            anchor = latest.map { MinutesExport.Anchor(root: $0.root, takenAt: $0.at) }
            let lastDecision = try engine.decisions(of: meeting.id).map(\.entry.at).max()
            if let lastDecision, latest.map({ $0.at < lastDecision }) ?? true {
                context.environment.errors.line(
                    "warning: "
                        + (latest == nil
                            ? "no checkpoint has been taken" : "the latest checkpoint was taken before the meeting's last decision")
                        + "; take one with `gapflow audit checkpoint` and write the minutes again, so that they anchor the decisions")
            }
        }
        switch action {
        case "approve":
            try engine.approveMinutes(meeting.id) { frozen($0, anchor: anchor) }
            context.output.line("approved the minutes of meeting \(meeting.id); they are stored as approved")
            return
        case "correct":
            guard let text = arguments.value(\.text) else {
                throw UsageError("minutes correct needs --text", hint: "say what is corrected, e.g. --text \"TOP 4.2: …\"")
            }
            let issue = try engine.correctMinutes(meeting.id, text: text) { frozen($0, anchor: anchor) }
            context.output.line("recorded the correction; the minutes of meeting \(meeting.id) are stored again as issue \(issue)")
            return
        default: break
        }
        if meeting.status == .approved {
            if arguments.flag(\.internalFigures) {
                throw CommandFailure(
                    "the minutes of meeting \(meeting.id) are approved: they are exported as approved, with small numbers masked",
                    hint: "leave out --internal")
            }
            let stored = try engine.meetingDocuments(meeting.id).filter { $0.kind == .minutes }
            guard let latest = stored.map(\.issue).max(), let document = stored.first(where: { $0.issue == latest && $0.format == format })
            else { throw UsageError("unknown format \"\(format)\"", hint: "use md, html or csv") }
            try context.write(document.content, to: arguments.value(\.out))
            return
        }
        let record = try engine.minutesRecord(meeting.id)
        let unmasked = try context.internalFigures(arguments.flag(\.internalFigures), of: definition, engine)
        let text: String
        switch format {
        case "md": text = MinutesExport.markdown(record, unmasked: unmasked, anchor: anchor)
        case "html": text = MinutesExport.html(record, unmasked: unmasked, anchor: anchor)
        case "csv":
            text = MinutesExport.csv(definition: definition, resolutions: MinutesExport.resolutions(record.decisions, unmasked: unmasked))
        case let other: throw UsageError("unknown format \"\(other)\"", hint: "use md, html or csv")
        }
        try context.write(text, to: arguments.value(\.out))
    }
}

/// `gapflow paper`: the decision paper (Beschlussvorlage) of one ticket.
enum PaperCommand: GapFlowCommand {
    static let name = "paper"
    static let summary =
        "Write a ticket's decision paper (Beschlussvorlage): number, date, lead office, consultation, subject, proposal, facts, …"
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
        // The meeting whose agenda holds the ticket now, for the paper's consultation.
        let today = LocalDate(context.environment.clock.now(), in: definition.calendar.timeZone)
        var meeting: Meeting?
        for candidate in try engine.meetings(workflow: ticket.workflowID) where candidate.status != .cancelled && candidate.date >= today {
            if try engine.agenda(for: candidate).items.contains(where: { $0.ticket.id == ticket.id }) {
                meeting = candidate
                break
            }
        }
        let paperContext = PaperExport.Context(date: today, meeting: meeting, history: try engine.history(ticket.id))
        let text: String
        switch arguments.value(\.format) ?? "md" {
        case "md": text = try PaperExport.markdown(ticket, definition, unmasked: unmasked, context: paperContext)
        case "html": text = try PaperExport.html(ticket, definition, unmasked: unmasked, context: paperContext)
        case let other: throw UsageError("unknown format \"\(other)\"", hint: "use md or html")
        }
        try context.write(text, to: arguments.value(\.out))
    }
}

/// `gapflow feedback-report`: what came of each gap in the feedback stage (with `--from`/`--to`: decided in that period,
/// published or not), for the case managers.
enum FeedbackReportCommand: GapFlowCommand {
    static let name = "feedback-report"
    static let summary = "Write the feedback for case managers: per gap in the feedback stage (or decided in --from/--to), what came of it."
    static let discussion = "Small case counts are masked unless --internal is given by an actor (--as) whose role the workflow allows."
    struct Syntax: CommandSyntax {
        let municipality = ValueOption("municipality", "M", "only gaps of this municipality")
        let from = ValueOption("from", "DATE", "only gaps decided on or after this day; a period shows published gaps too")
        let to = ValueOption("to", "DATE", "only gaps decided on or before this day; a period shows published gaps too")
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
        let date = { (option: KeyPath<Syntax, ValueOption>) throws -> LocalDate? in
            try arguments.value(option).map { text in
                guard let date = LocalDate(parsing: text) else {
                    throw UsageError("--\(arguments.name(of: option)): \"\(text)\" is not a date", hint: nil)
                }
                return date
            }
        }
        let (from, to) = (try date(\.from), try date(\.to))
        if let from, let to, to < from { throw UsageError("--to \(to.german) is before --from \(from.german)", hint: nil) }
        // With a period, the gaps whose feedback is published (the states the feedback stage leads to) count too.
        let published = definition.transitions.filter { $0.from.contains(feedback.state) }.compactMap(\.to)
        var states = [feedback.state]
        if from != nil || to != nil { states += published.filter { !states.contains($0) } }
        var filter = TicketFilter(workflow: workflow, states: states)
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
        let tickets = try engine.tickets(filter).map { ($0, try engine.history($0.id)) }.filter { ticket, history in
            ticket.state == feedback.state || history.contains { $0.to == feedback.state }
        }
        // Tickets merged into one of these: their reporters get the same feedback.
        let referenceFields = definition.fields.filter { if case .ticket = $0.type { true } else { false } }.map(\.id)
        var merged: [String: [Ticket]] = [:]
        for (ticket, _) in tickets {
            for field in referenceFields {
                merged[ticket.id, default: []] += try engine.tickets(TicketFilter(workflow: workflow, fields: [field: .ticket(ticket.id)]))
            }
        }
        let unmasked = try context.internalFigures(arguments.flag(\.internalFigures), of: definition, engine)
        let entries = FeedbackExport.entries(
            tickets, definition, merged: merged, unmasked: unmasked, actors: try engine.actors(),
            meetings: try engine.meetings(workflow: workflow)
        ).filter { entry in
            guard from != nil || to != nil else { return true }
            guard let day = entry.decidedOn else { return false }
            return (from.map { day >= $0 } ?? true) && (to.map { day <= $0 } ?? true)
        }
        let text: String
        switch arguments.value(\.format) ?? "md" {
        case "md": text = FeedbackExport.markdown(entries, definition, unmasked: unmasked)
        case "html": text = FeedbackExport.html(entries, definition, unmasked: unmasked)
        case let other: throw UsageError("unknown format \"\(other)\"", hint: "use md or html")
        }
        try context.write(text, to: arguments.value(\.out))
    }
}
