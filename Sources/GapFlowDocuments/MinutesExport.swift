import Foundation
import GapFlow

/// The results minutes (*Ergebnisprotokoll*) of a meeting and its resolution list (*Beschlussliste*).
public enum MinutesExport {
    /// One resolution as the list shows it.
    public struct Resolution: Sendable {
        public let number: String
        public let ticket: Ticket
        public let title: String
        /// The event's title and the decision note.
        public let text: String
        public let responsible: String
        public let due: String
    }

    /// The signed checkpoint the minutes name, so that the signed paper anchors the history: its root and when it was
    /// taken. Printed under the workflow's `meetings.checkpointTitle`; without that title, nothing is printed.
    public struct Anchor: Sendable, Equatable {
        public let root: String
        public let takenAt: Date

        public init(root: String, takenAt: Date) {
            self.root = root
            self.takenAt = takenAt
        }

        /// The title and the root with its time, as one line of plain text, or nil when there is nothing to print.
        static func line(_ anchor: Anchor?, _ definition: Definition) -> (title: String, text: String)? {
            guard let anchor, let title = definition.meetings?.checkpointTitle else { return nil }
            let time = definition.language == "de" ? Timestamp.german(anchor.takenAt) : Timestamp.iso8601(anchor.takenAt)
            return (title, "\(anchor.root) (\(time))")
        }
    }

    /// The meeting's resolutions in the order they were taken; small case counts among what they show are masked
    /// unless `unmasked`.
    public static func resolutions(
        _ decisions: [(ticket: Ticket, definition: Definition, entry: HistoryEntry)], unmasked: Bool = false
    ) -> [Resolution] {
        decisions.map { ticket, definition, entry in
            let transition = definition.transitions.first { $0.event == entry.event && $0.from.contains(entry.from ?? "") }
            let note = entry.changes.first { $0.field == "decision_note" }?.new?.plainText ?? ticket.fields["decision_note"]?.plainText
            let text = [transition?.title ?? entry.event, note].compactMap { $0 }.joined(separator: ": ")
            // Who acts next: the status item's first field (e.g. the project group) where the ticket is now in that
            // state, else the role that owns the state the decision led to.
            var responsible = definition.state(entry.to)?.owner.flatMap { definition.role($0)?.title } ?? "–"
            var due = "–"
            if let status = definition.meetings?.statusItem, status.state == entry.to {
                if let first = status.fields.first, ticket.fields[first] != nil, definition.field(first)?.type != .date {
                    responsible = AgendaExport.value(ticket, first, definition, unmasked: unmasked)
                }
                if let dateField = status.fields.first(where: { definition.field($0)?.type == .date }), ticket.fields[dateField] != nil {
                    due = AgendaExport.value(ticket, dateField, definition)
                }
            }
            return Resolution(
                number: entry.decision?.resolution ?? "–", ticket: ticket, title: AgendaExport.value(ticket, "title", definition),
                text: text,
                responsible: responsible, due: due)
        }
    }

    /// The minutes as Markdown; every text from the meeting, the tickets and the decisions is escaped
    /// (``Markdown/escape(_:atLineStart:)``).
    public static func markdown(
        meeting: Meeting, definition: Definition, resolutions: [Resolution], unmasked: Bool = false, anchor: Anchor? = nil
    ) -> String {
        let words = definition.words
        let md = { (text: String) in Markdown.escape(text) }
        var out = "# \(words.minutes): \(md(meeting.title))\n\n"
        out += "**\(words.meetingOn)** \(md(AgendaExport.when(meeting, definition, words)))"
        if let place = meeting.place { out += " · **\(words.place):** \(md(place))" }
        out += "\n"
        if unmasked { out += "\n\(Markdown.escape(words[.internalNote], atLineStart: true))\n" }
        for (index, resolution) in resolutions.enumerated() {
            out += "\n## \(index + 1). \(md(resolution.title)) (\(md(resolution.ticket.id)))\n\n"
            out += "**\(words.decision) \(md(resolution.number)):** \(md(resolution.text))\n"
        }
        if resolutions.isEmpty { out += "\n\(words.noItems)\n" }
        out += "\n## \(words.resolutions)\n\n"
        out +=
            "| \(words.number) | \(words.ticket) | \(words.decision) | \(words.responsible) | \(words.dueDate) |\n|---|---|---|---|---|\n"
        for resolution in resolutions {
            let cells = [
                resolution.number, "\(resolution.title) (\(resolution.ticket.id))", resolution.text, resolution.responsible, resolution.due,
            ]
            out += "| " + cells.map(Markdown.cell).joined(separator: " | ") + " |\n"
        }
        if let (title, text) = Anchor.line(anchor, definition) { out += "\n**\(md(title)):** \(md(text))\n" }
        return out
    }

    public static func html(
        meeting: Meeting, definition: Definition, resolutions: [Resolution], unmasked: Bool = false, anchor: Anchor? = nil
    ) -> String {
        let words = definition.words
        var body = "<header>\n<h1>\(HTML.escape("\(words.minutes): \(meeting.title)"))</h1>\n<p class=\"meta\">"
        body += HTML.escape("\(words.meetingOn) \(AgendaExport.when(meeting, definition, words))")
        if let place = meeting.place { body += " · " + HTML.escape("\(words.place): \(place)") }
        body += "</p>\n"
        if unmasked { body += "<p>\(HTML.escape(words[.internalNote]))</p>\n" }
        body += "</header>\n<main>\n"
        for (index, resolution) in resolutions.enumerated() {
            body += "<section class=\"item\">\n<h2>\(HTML.escape("\(index + 1). \(resolution.title) (\(resolution.ticket.id))"))</h2>\n"
            body +=
                "<p><strong>\(HTML.escape("\(words.decision) \(resolution.number):"))</strong> \(HTML.escape(resolution.text))</p>\n</section>\n"
        }
        if resolutions.isEmpty { body += "<p>\(HTML.escape(words.noItems))</p>\n" }
        body += "<section>\n<h2>\(HTML.escape(words.resolutions))</h2>\n"
        body += HTML.table(
            caption: nil, header: [words.number, words.ticket, words.decision, words.responsible, words.dueDate],
            rows: resolutions.map { [$0.number, "\($0.title) (\($0.ticket.id))", $0.text, $0.responsible, $0.due] })
        body += "</section>\n"
        if let (title, text) = Anchor.line(anchor, definition) {
            body += "<p class=\"anchor\"><strong>\(HTML.escape("\(title):"))</strong> \(HTML.escape(text))</p>\n"
        }
        body += "</main>"
        return HTML.page(title: "\(words.minutes): \(meeting.title)", language: definition.language, body: body)
    }

    /// The resolution list for Excel: semicolons, CRLF, UTF-8 with byte-order mark.
    public static func csv(definition: Definition, resolutions: [Resolution]) -> String {
        let words = definition.words
        var rows = [[words.number, words.ticket, words.title, words.decision, words.responsible, words.dueDate]]
        rows += resolutions.map { [$0.number, $0.ticket.id, $0.title, $0.text, $0.responsible, $0.due] }
        return CSV.document(rows)
    }
}
