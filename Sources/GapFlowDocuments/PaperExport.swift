import Foundation
import GapFlow

/// A decision paper (*Beschlussvorlage*) for one ticket: subject, facts, proposed resolution; aggregate numbers only:
/// a paper leaves the coordination, so small case counts are masked as the workflow says unless it is `unmasked`.
public enum PaperExport {
    /// The facts as (label, text), with small counts masked unless `unmasked`.
    static func facts(_ ticket: Ticket, _ definition: Definition, _ paper: MeetingRules.Paper, unmasked: Bool) -> [(String, String)] {
        paper.facts.compactMap { name in
            guard ticket.fields[name] != nil else { return nil }
            return (definition.field(name)?.title ?? name, AgendaExport.value(ticket, name, definition, unmasked: unmasked))
        }
    }

    static func proposal(_ ticket: Ticket, _ definition: Definition, _ paper: MeetingRules.Paper) -> String {
        paper.proposal.lazy.compactMap { name in ticket.fields[name].map { _ in AgendaExport.value(ticket, name, definition) } }.first
            ?? "–"
    }

    /// Where the paper stands: its number, date, lead office and the meeting it goes to (*Beratungsfolge*).
    public struct Context: Sendable {
        public let date: LocalDate?
        public let meeting: Meeting?
        /// The ticket's history, for its earlier consultations (decisions that kept it in its state, e.g. deferrals).
        public let history: [HistoryEntry]

        public init(date: LocalDate? = nil, meeting: Meeting? = nil, history: [HistoryEntry] = []) {
            self.date = date
            self.meeting = meeting
            self.history = history
        }
    }

    /// The paper's head as (label, text): number, date, lead office, consultation.
    static func head(_ ticket: Ticket, _ definition: Definition, _ context: Context) -> [(String, String)] {
        let words = definition.words
        var rows = [(words[.paperNumber], ticket.id)]
        if let date = context.date { rows.append((words[.date], AgendaExport.date(date, definition))) }
        if let owner = definition.state(ticket.state)?.owner.flatMap({ definition.role($0)?.title }) {
            rows.append((words[.leadOffice], owner))
        }
        if let meeting = context.meeting {
            rows.append((words[.consultationOrder], "\(meeting.title), \(AgendaExport.date(meeting.date, definition))"))
        }
        return rows
    }

    /// The paper's sections after the proposal and the facts, each as a heading and (label, text) rows or one text.
    static func sections(
        _ ticket: Ticket, _ definition: Definition, _ paper: MeetingRules.Paper, _ context: Context, unmasked: Bool
    ) -> [(title: String, rows: [(String, String)])] {
        let words = definition.words
        let fields = { (names: [String]) in
            names.compactMap { name -> (String, String)? in
                guard ticket.fields[name] != nil else { return nil }
                return (definition.field(name)?.title ?? name, AgendaExport.value(ticket, name, definition, unmasked: unmasked))
            }
        }
        let zone = definition.calendar.timeZone
        let earlier = context.history.filter { $0.decision != nil && $0.from == $0.to }.map { entry in
            let transition = definition.transitions.first { $0.event == entry.event }
            let note = entry.changes.first { $0.field == "decision_note" }?.new?.plainText
            return (
                "\(AgendaExport.date(LocalDate(entry.at, in: zone), definition)) · \(words.decision) \(entry.decision?.resolution ?? "")",
                [transition?.title, note].compactMap { $0 }.joined(separator: " – ")
            )
        }
        var sections: [(title: String, rows: [(String, String)])] = [
            (words[.finance], fields(paper.finance)), (words[.involved], fields(paper.involved)),
            (words[.earlierConsultations], earlier),
        ]
        let compared = fields(paper.compare)
        if !paper.compare.isEmpty, compared.count == paper.compare.count { sections.append((words[.comparison], compared)) }
        sections.append((words[.attachments], []))
        return sections
    }

    /// The paper as Markdown, in the usual structure: head, subject, proposed resolution first, facts, financial
    /// effects, offices involved, earlier consultations, mandate beside solution, attachments. Every text from the
    /// ticket and the workflow file is escaped (``Markdown/escape(_:atLineStart:)``).
    public static func markdown(_ ticket: Ticket, _ definition: Definition, unmasked: Bool = false, context: Context = Context())
        throws -> String
    {
        let paper = try rules(definition)
        let words = definition.words
        let md = { (text: String) in Markdown.escape(text) }
        let subject = Markdown.escape(AgendaExport.value(ticket, "title", definition), atLineStart: true)
        var out = "# \(words.paper) \(md(ticket.id))\n\n"
        if unmasked { out += "\(Markdown.escape(words[.internalNote], atLineStart: true))\n\n" }
        for (label, text) in head(ticket, definition, context) { out += "- **\(md(label)):** \(md(text))\n" }
        out += "\n## \(words.subject)\n\n\(subject)\n"
        out += "\n## \(words.proposal)\n\n\(Markdown.escape(proposal(ticket, definition, paper), atLineStart: true))\n"
        out += "\n## \(words.facts)\n\n"
        for (label, text) in facts(ticket, definition, paper, unmasked: unmasked) {
            out += "- **\(Markdown.escape(label)):** \(Markdown.escape(text))\n"
        }
        for section in sections(ticket, definition, paper, context, unmasked: unmasked) {
            out += "\n## \(md(section.title))\n\n"
            if section.rows.isEmpty { out += "\(words.none)\n" }
            for (label, text) in section.rows { out += "- **\(md(label)):** \(md(text))\n" }
        }
        return out
    }

    public static func html(_ ticket: Ticket, _ definition: Definition, unmasked: Bool = false, context: Context = Context())
        throws -> String
    {
        let paper = try rules(definition)
        let words = definition.words
        var body = HTML.letterhead(definition) + "<main>\n<h1>\(HTML.escape("\(words.paper) \(ticket.id)"))</h1>\n"
        if unmasked { body += "<p>\(HTML.escape(words[.internalNote]))</p>\n" }
        body += HTML.facts(head(ticket, definition, context))
        body +=
            "<section>\n<h2>\(HTML.escape(words.subject))</h2>\n<p>\(HTML.escape(AgendaExport.value(ticket, "title", definition)))</p>\n</section>\n"
        body +=
            "<section>\n<h2>\(HTML.escape(words.proposal))</h2>\n<p>\(HTML.escape(proposal(ticket, definition, paper)))</p>\n</section>\n"
        body +=
            "<section>\n<h2>\(HTML.escape(words.facts))</h2>\n" + HTML.facts(facts(ticket, definition, paper, unmasked: unmasked))
            + "</section>\n"
        for section in sections(ticket, definition, paper, context, unmasked: unmasked) {
            body += "<section>\n<h2>\(HTML.escape(section.title))</h2>\n"
            body += section.rows.isEmpty ? "<p>\(HTML.escape(words.none))</p>\n" : HTML.facts(section.rows)
            body += "</section>\n"
        }
        body += "</main>"
        return HTML.page(title: "\(words.paper) \(ticket.id)", language: definition.language, body: body)
    }

    static func rules(_ definition: Definition) throws -> MeetingRules.Paper {
        guard let paper = definition.meetings?.paper else { throw MeetingError.noMeetings(workflow: definition.id) }
        return paper
    }
}

/// The feedback report for case managers: per gap in the feedback stage or whose feedback is published, in plain words,
/// what came of it.
public enum FeedbackExport {
    /// One gap's feedback.
    public struct Entry: Sendable {
        public let ticket: Ticket
        public let reportedOn: LocalDate
        /// The decision that brought the gap to the feedback stage in words (the transition's `outcome`, or its title),
        /// and when: the day of the meeting that decided it, or the day a decision in writing was recorded.
        public let decision: String
        public let decidedOn: LocalDate?
        public let outcome: [(String, String)]
        /// Everyone who reported the gap: its own reporter and those of the tickets merged into it.
        public let reporters: [String]
        public let merged: [String]
    }

    /// One entry per ticket; `merged` gives, per ticket id, the tickets that were merged into it. Small case counts
    /// among the outcome's values are masked unless `unmasked`. With `actors`, each reporter is shown by the title of
    /// their role and their municipality (the words of the workflow file), never by their login name; reporters who
    /// are no longer registered, and the same role and place twice, are shown once. Each entry names the decision that
    /// brought the gap to the feedback stage (also after the feedback is published) by the transition's `outcome`
    /// sentence, or its title, dated by the meeting that decided it (from `meetings`) or, for a decision in writing or
    /// outside a meeting, by the day it was recorded.
    public static func entries(
        _ tickets: [(Ticket, [HistoryEntry])], _ definition: Definition, merged: [String: [Ticket]] = [:], unmasked: Bool = false,
        actors: [Actor]? = nil, meetings: [Meeting] = []
    ) -> [Entry] {
        let describe = { (name: String) -> String in
            guard let actors else { return name }
            guard let actor = actors.first(where: { $0.name.lowercased() == name.lowercased() }),
                let role = actor.roles.compactMap({ definition.role($0) }).first
            else { return definition.words.none }
            let choices = definition.scopeField.flatMap { definition.field($0)?.type.choices }
            let places = actor.scope.map { entry in
                choices?.value(entry)?.title ?? choices?.groups.first { $0.id == entry }?.title ?? entry
            }
            return places.isEmpty ? role.title : "\(role.title), \(places.joined(separator: ", "))"
        }
        let outcome = definition.meetings?.feedback?.outcome ?? []
        let stage = definition.meetings?.feedback?.state
        return tickets.map { ticket, history in
            // The decision that brought the gap to the feedback stage, also once the feedback is published.
            let arrival =
                history.last { $0.to == stage && $0.from != stage } ?? history.last { $0.to == ticket.state && $0.from != ticket.state }
            let transition = arrival.flatMap { entry in definition.transitions.first { $0.event == entry.event } }
            let others = merged[ticket.id] ?? []
            var reporters = [describe(ticket.openedBy)]
            for other in others where !reporters.contains(describe(other.openedBy)) { reporters.append(describe(other.openedBy)) }
            return Entry(
                ticket: ticket, reportedOn: LocalDate(ticket.openedAt, in: definition.calendar.timeZone),
                decision: transition?.outcome ?? transition?.title ?? arrival?.event ?? "–",
                decidedOn: arrival.map { entry in
                    // A decision of a meeting is dated by the meeting; one in writing by the day it was recorded.
                    entry.decision?.meeting.flatMap { id in meetings.first { $0.id == id }?.date }
                        ?? LocalDate(entry.at, in: definition.calendar.timeZone)
                },
                outcome: outcome.compactMap { name in
                    ticket.fields[name].map { _ in
                        (definition.field(name)?.title ?? name, AgendaExport.value(ticket, name, definition, unmasked: unmasked))
                    }
                }, reporters: reporters, merged: others.map(\.id))
        }
    }

    /// The feedback as Markdown; every text from the tickets and the workflow file is escaped
    /// (``Markdown/escape(_:atLineStart:)``).
    public static func markdown(_ entries: [Entry], _ definition: Definition, unmasked: Bool = false) -> String {
        let words = definition.words
        let md = { (text: String) in Markdown.escape(text) }
        var out = "# \(words.feedback)\n"
        if unmasked { out += "\n\(Markdown.escape(words[.internalNote], atLineStart: true))\n" }
        if entries.isEmpty { out += "\n\(words.noItems)\n" }
        for entry in entries {
            out += "\n## \(md(AgendaExport.value(entry.ticket, "title", definition))) (\(md(entry.ticket.id)))\n\n"
            out += Markdown.escape(scope(entry, definition), atLineStart: true)
            out += ", \(words.reportedOn) \(AgendaExport.date(entry.reportedOn, definition)).\n\n"
            out +=
                "**\(words.outcome):** \(md(entry.decision))" + (entry.decidedOn.map { " (\(AgendaExport.date($0, definition)))" } ?? "")
                + "\n"
            for (label, text) in entry.outcome { out += "\n- **\(md(label)):** \(md(text))" }
            out += "\n- **\(words.reportedBy):** \(entry.reporters.map(md).joined(separator: "; "))"
            if !entry.merged.isEmpty { out += "\n- **\(words.mergedIn):** \(entry.merged.map(md).joined(separator: ", "))" }
            out += "\n"
        }
        return out
    }

    public static func html(_ entries: [Entry], _ definition: Definition, unmasked: Bool = false) -> String {
        let words = definition.words
        var body = "<main>\n<h1>\(HTML.escape(words.feedback))</h1>\n"
        if unmasked { body += "<p>\(HTML.escape(words[.internalNote]))</p>\n" }
        if entries.isEmpty { body += "<p>\(HTML.escape(words.noItems))</p>\n" }
        for entry in entries {
            body +=
                "<section class=\"item\">\n<h2>\(HTML.escape("\(AgendaExport.value(entry.ticket, "title", definition)) (\(entry.ticket.id))"))</h2>\n"
            body +=
                "<p>\(HTML.escape("\(scope(entry, definition)), \(words.reportedOn) \(AgendaExport.date(entry.reportedOn, definition))."))</p>\n"
            let decided = entry.decision + (entry.decidedOn.map { " (\(AgendaExport.date($0, definition)))" } ?? "")
            var facts = [(words.outcome, decided)] + entry.outcome + [(words.reportedBy, entry.reporters.joined(separator: "; "))]
            if !entry.merged.isEmpty { facts.append((words.mergedIn, entry.merged.joined(separator: ", "))) }
            body += HTML.facts(facts) + "</section>\n"
        }
        body += "</main>"
        return HTML.page(title: words.feedback, language: definition.language, body: body)
    }

    static func scope(_ entry: Entry, _ definition: Definition) -> String {
        definition.scopeField.map { AgendaExport.value(entry.ticket, $0, definition) } ?? definition.title
    }
}
