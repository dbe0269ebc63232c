import Foundation
import GapFlow

/// The minutes (*Niederschrift*, results minutes) of a meeting and its resolution list (*Beschlussliste*): every
/// point with the agenda's numbering, per item the resolution with what was set and who does what by when, the
/// decisions in writing since the meeting before, recorded corrections, and signature lines.
public enum MinutesExport {
    /// One resolution as the minutes show it.
    public struct Resolution: Sendable {
        public let number: String
        /// The agenda item's number (e.g. `4.3`), empty for a decision in writing.
        public let item: String
        public let ticket: Ticket
        public let title: String
        /// What kind of decision it was: the event's title (e.g. "Vertagen").
        public let kind: String
        /// The decision note, if the decision gave one.
        public let note: String?
        /// The title of the decision note's field (e.g. "Beschlussvermerk").
        public let noteTitle: String
        /// The other values the decision set (e.g. the mandate and its due date), as (label, text).
        public let details: [(String, String)]
        /// The comment recorded with the decision.
        public let comment: String?
        /// How the board voted, if recorded.
        public let vote: Vote?
        public let responsible: String
        public let due: String

        /// The kind and the note as one line, e.g. "Vertagen – Die Kostenschätzung liegt noch nicht vor."
        public var text: String { [kind, note].compactMap { $0 }.joined(separator: " – ") }
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

    /// The resolutions in the order they were taken, each with the ticket as its decision left it; small case
    /// counts among what they show are masked unless `unmasked`.
    public static func resolutions(_ decided: [MinutesRecord.Decided], unmasked: Bool = false) -> [Resolution] {
        decided.map { item in
            let (ticket, definition, entry) = (item.ticket, item.definition, item.entry)
            let transition = definition.transitions.first { $0.event == entry.event && $0.from.contains(entry.from ?? "") }
            let note = entry.changes.first { $0.field == "decision_note" }?.new?.plainText
            let details = entry.changes.compactMap { change -> (String, String)? in
                guard change.field != "decision_note", change.new != nil else { return nil }
                let text = AgendaExport.value(ticket, change.field, definition, unmasked: unmasked)
                return text.isEmpty ? nil : (definition.field(change.field)?.title ?? change.field, text)
            }
            // Who acts next: the status item's first field (e.g. the project group) where the ticket is now in that
            // state, else the role that owns the state the decision led to.
            var responsible = definition.state(entry.to)?.owner.flatMap { definition.role($0)?.title } ?? "–"
            var due = "–"
            if let status = definition.meetings?.statusItem, status.states.contains(entry.to) {
                if let first = status.fields.first, ticket.fields[first] != nil, definition.field(first)?.type != .date {
                    responsible = AgendaExport.value(ticket, first, definition, unmasked: unmasked)
                }
                if let dateField = status.fields.first(where: { definition.field($0)?.type == .date }), ticket.fields[dateField] != nil {
                    due = AgendaExport.value(ticket, dateField, definition)
                }
            }
            return Resolution(
                number: entry.decision?.resolution ?? "–", item: item.number ?? "", ticket: ticket,
                title: AgendaExport.value(ticket, "title", definition), kind: transition?.title ?? entry.event, note: note,
                noteTitle: definition.field("decision_note")?.title ?? "decision_note", details: details, comment: entry.comment,
                vote: item.vote, responsible: responsible, due: due)
        }
    }

    /// One point of the minutes: a fixed point, the status point, or a section with its items' resolutions.
    struct Point {
        let number: Int
        let title: String
        /// The section's items: number, ticket id and title, and the resolution if one was taken.
        let items: [(number: String, resolution: Resolution?, ticket: String, title: String)]
        let isSection: Bool
        let isApproval: Bool
        /// The opening point, which records attendance and the quorum.
        var isOpening = false
    }

    /// The points in the agenda's numbering; the approval of the previous minutes is the second opening item.
    static func points(_ record: MinutesRecord, _ resolutions: [Resolution]) -> [Point] {
        guard let rules = record.definition.meetings else { return [] }
        var points: [Point] = []
        for (index, title) in rules.openingItems.enumerated() {
            var point = Point(number: points.count + 1, title: title, items: [], isSection: false, isApproval: index == 1)
            point.isOpening = index == 0
            points.append(point)
        }
        if let status = rules.statusItem {
            points.append(Point(number: points.count + 1, title: status.title, items: [], isSection: false, isApproval: false))
        }
        for section in rules.sections {
            let number = rules.pointNumber(ofSection: section.id) ?? points.count + 1
            let entries = record.agenda.filter { $0.number.hasPrefix("\(number).") }.sorted {
                ($0.number.split(separator: ".").last.flatMap { Int($0) } ?? 0)
                    < ($1.number.split(separator: ".").last.flatMap { Int($0) } ?? 0)
            }
            let items = entries.map { entry in
                let resolution = resolutions.first { $0.ticket.id == entry.ticketID }
                let decided = record.decisions.first { $0.ticket.id == entry.ticketID }
                return (
                    number: entry.number, resolution: resolution, ticket: entry.ticketID,
                    title: resolution?.title ?? decided.map { AgendaExport.value($0.ticket, "title", $0.definition) } ?? ""
                )
            }
            points.append(Point(number: number, title: section.title, items: items, isSection: true, isApproval: false))
        }
        for title in rules.closingItems {
            points.append(Point(number: points.count + 1, title: title, items: [], isSection: false, isApproval: false))
        }
        return points
    }

    /// What the approval point says of the previous minutes, e.g. "Niederschrift der Sitzung am 11.03.2027: genehmigt".
    static func previousMinutes(_ record: MinutesRecord) -> String? {
        guard let previous = record.previous else { return nil }
        let words = record.definition.words
        let state = previous.status == .approved ? words[.approved] : words[.notApproved]
        return "\(words[.previousMinutes]) \(AgendaExport.date(previous.date, record.definition)): \(state)"
    }

    static func decided(_ resolution: Resolution, _ words: Vocabulary) -> [(String, String)] {
        var facts = [("\(words.decision) \(resolution.number)", resolution.kind)]
        if let note = resolution.note { facts.append((resolution.noteTitle, note)) }
        facts += resolution.details
        // Who does it by when, unless the decision's own values said so already.
        let shown = Set(resolution.details.map(\.1))
        if resolution.responsible != "–", !shown.contains(resolution.responsible) {
            facts.append((words.responsible, resolution.responsible))
        }
        if resolution.due != "–", !shown.contains(resolution.due) { facts.append((words.dueDate, resolution.due)) }
        if let vote = resolution.vote { facts.append((words[.vote], voteText(vote, words))) }
        if let comment = resolution.comment { facts.append((words[.comment], comment)) }
        return facts
    }

    /// "einstimmig", or "5 Ja, 1 Nein, 0 Enthaltungen".
    static func voteText(_ vote: Vote, _ words: Vocabulary) -> String {
        switch vote {
        case .unanimous: words[.unanimous]
        case .counted(let yes, let no, let abstentions):
            "\(yes) \(words[.votesFor]), \(no) \(words[.votesAgainst]), \(abstentions) \(words[.abstentions])"
        }
    }

    /// The opening point's record: start and end, chair and minute-taker, and the quorum, as (label, text).
    static func attendanceFacts(_ attendance: Attendance, _ words: Vocabulary) -> [(String, String)] {
        var facts: [(String, String)] = []
        if let start = attendance.start { facts.append((words[.start], start)) }
        if let end = attendance.end { facts.append((words[.end], end)) }
        if let chair = attendance.chair { facts.append((words[.chair], chair)) }
        if let taker = attendance.minuteTaker { facts.append((words[.minuteTaker], taker)) }
        let state = attendance.isQuorate ? words[.quorate] : words[.notQuorate]
        facts.append((words[.quorum], "\(state) (\(attendance.attending)/\(attendance.seats.count) \(words[.membersAttending]))"))
        return facts
    }

    /// The register as it stood at the meeting: member, body, and how they attended.
    static func attendanceRows(_ attendance: Attendance, _ words: Vocabulary) -> [[String]] {
        attendance.seats.map { seat in
            let presence: String
            switch seat.presence {
            case .present: presence = words[.present]
            case .absent: presence = words[.absent]
            case .deputy: presence = "\(words[.representedBy]) \(seat.member.deputy ?? words.none)"
            }
            return [seat.member.name, seat.member.body, presence]
        }
    }

    /// The minutes as Markdown; every text from the meeting, the tickets and the decisions is escaped
    /// (``Markdown/escape(_:atLineStart:)``).
    public static func markdown(_ record: MinutesRecord, unmasked: Bool = false, anchor: Anchor? = nil) -> String {
        let (meeting, definition) = (record.meeting, record.definition)
        let words = definition.words
        let md = { (text: String) in Markdown.escape(text) }
        let resolutions = resolutions(record.decisions, unmasked: unmasked)
        var out = "# \(words.minutes): \(md(meeting.title))\n\n"
        if meeting.status != .approved { out += "**\(md(words[.draft]))**\n\n" }
        out += "**\(words.meetingOn)** \(md(AgendaExport.when(meeting, definition, words)))"
        if let place = meeting.place { out += " · **\(words.place):** \(md(place))" }
        out += "\n"
        if unmasked { out += "\n\(Markdown.escape(words[.internalNote], atLineStart: true))\n" }
        for point in points(record, resolutions) {
            out += "\n## \(words.item) \(point.number) \(md(point.title))\n"
            if point.isOpening, let attendance = meeting.attendance {
                out += "\n" + attendanceFacts(attendance, words).map { "- **\(md($0.0)):** \(md($0.1))\n" }.joined()
                if !attendance.seats.isEmpty {
                    out += "\n" + table([words[.member], words[.body], words[.presence]], attendanceRows(attendance, words))
                }
            }
            if point.isApproval, let text = previousMinutes(record) { out += "\n\(Markdown.escape(text, atLineStart: true))\n" }
            if point.isSection, point.items.isEmpty { out += "\n\(words.noItems)\n" }
            for item in point.items {
                out += "\n### \(words.item) \(item.number) \(md(item.title)) (\(md(item.ticket)))\n\n"
                guard let resolution = item.resolution else {
                    out += "\(words.none)\n"
                    continue
                }
                for (label, text) in decided(resolution, words) { out += "- **\(md(label)):** \(md(text))\n" }
            }
        }
        let inWriting = Self.resolutions(record.inWriting, unmasked: unmasked)
        if !inWriting.isEmpty {
            out += "\n## \(md(words[.inWritingSince]))\n\n"
            out += table([words.number, words.ticket, words.decision, words.responsible, words.dueDate], inWriting.map(inWritingRow))
        }
        out += "\n## \(words.resolutions)\n\n"
        out += table(listHeader(words), resolutions.map(listRow))
        out +=
            corrections(record).map { "\n## \(md(words[.corrections]))\n\n" + $0.map { "- **\(md($0.0)):** \(md($0.1))\n" }.joined() } ?? ""
        let line = "____________________"
        out += "\n\(words[.chair]): \(md(meeting.attendance?.chair ?? "")) \(line) · "
        out += "\(words[.minuteTaker]): \(md(meeting.attendance?.minuteTaker ?? "")) \(line)\n"
        if let (title, text) = Anchor.line(anchor, definition) { out += "\n**\(md(title)):** \(md(text))\n" }
        return out
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var out = "| \(header.map(Markdown.cell).joined(separator: " | ")) |\n|" + String(repeating: "---|", count: header.count) + "\n"
        for row in rows { out += "| \(row.map(Markdown.cell).joined(separator: " | ")) |\n" }
        return out
    }

    static func listHeader(_ words: Vocabulary) -> [String] {
        [words.number, words.item, words.ticket, words.decision, words.responsible, words.dueDate]
    }

    static func listRow(_ resolution: Resolution) -> [String] {
        [
            resolution.number, resolution.item, "\(resolution.title) (\(resolution.ticket.id))", resolution.text, resolution.responsible,
            resolution.due,
        ]
    }

    static func inWritingRow(_ resolution: Resolution) -> [String] {
        [resolution.number, "\(resolution.title) (\(resolution.ticket.id))", resolution.text, resolution.responsible, resolution.due]
    }

    /// The recorded corrections as (dated label, text), or nil when there are none.
    static func corrections(_ record: MinutesRecord) -> [(String, String)]? {
        guard !record.corrections.isEmpty else { return nil }
        let definition = record.definition
        return record.corrections.map { correction in
            let day = LocalDate(correction.createdAt, in: definition.calendar.timeZone)
            return ("\(definition.words[.correctionOn]) \(AgendaExport.date(day, definition))", correction.content)
        }
    }

    public static func html(_ record: MinutesRecord, unmasked: Bool = false, anchor: Anchor? = nil) -> String {
        let (meeting, definition) = (record.meeting, record.definition)
        let words = definition.words
        let resolutions = resolutions(record.decisions, unmasked: unmasked)
        var body = "<header>\n" + HTML.letterhead(definition) + "<h1>\(HTML.escape("\(words.minutes): \(meeting.title)"))</h1>\n"
        if meeting.status != .approved { body += "<p class=\"draft\"><strong>\(HTML.escape(words[.draft]))</strong></p>\n" }
        body += "<p class=\"meta\">" + HTML.escape("\(words.meetingOn) \(AgendaExport.when(meeting, definition, words))")
        if let place = meeting.place { body += " · " + HTML.escape("\(words.place): \(place)") }
        body += "</p>\n"
        if unmasked { body += "<p>\(HTML.escape(words[.internalNote]))</p>\n" }
        body += "</header>\n<main>\n"
        for point in points(record, resolutions) {
            body += "<section>\n<h2>\(HTML.escape("\(words.item) \(point.number) \(point.title)"))</h2>\n"
            if point.isOpening, let attendance = meeting.attendance {
                body += HTML.facts(attendanceFacts(attendance, words))
                if !attendance.seats.isEmpty {
                    body += HTML.table(
                        caption: nil, header: [words[.member], words[.body], words[.presence]], rows: attendanceRows(attendance, words))
                }
            }
            if point.isApproval, let text = previousMinutes(record) { body += "<p>\(HTML.escape(text))</p>\n" }
            if point.isSection, point.items.isEmpty { body += "<p>\(HTML.escape(words.noItems))</p>\n" }
            for item in point.items {
                body += "<section class=\"item\">\n<h3>\(HTML.escape("\(words.item) \(item.number) \(item.title) (\(item.ticket))"))</h3>\n"
                if let resolution = item.resolution {
                    body += HTML.facts(decided(resolution, words))
                } else {
                    body += "<p>\(HTML.escape(words.none))</p>\n"
                }
                body += "</section>\n"
            }
            body += "</section>\n"
        }
        let inWriting = Self.resolutions(record.inWriting, unmasked: unmasked)
        if !inWriting.isEmpty {
            body += "<section>\n<h2>\(HTML.escape(words[.inWritingSince]))</h2>\n"
            body += HTML.table(
                caption: nil, header: [words.number, words.ticket, words.decision, words.responsible, words.dueDate],
                rows: inWriting.map(inWritingRow))
            body += "</section>\n"
        }
        body += "<section>\n<h2>\(HTML.escape(words.resolutions))</h2>\n"
        body += HTML.table(caption: nil, header: listHeader(words), rows: resolutions.map(listRow))
        body += "</section>\n"
        if let corrections = corrections(record) {
            body += "<section>\n<h2>\(HTML.escape(words[.corrections]))</h2>\n" + HTML.facts(corrections) + "</section>\n"
        }
        body += "<section class=\"signatures\">\n"
        for (word, name) in [(words[.chair], meeting.attendance?.chair), (words[.minuteTaker], meeting.attendance?.minuteTaker)] {
            body += "<p><span class=\"line\"></span>\(HTML.escape(word))\(name.map { ": " + HTML.escape($0) } ?? "")</p>\n"
        }
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
        var rows = [
            [words.number, words.item, words.ticket, words.title, words[.eventTitle], words.decision, words.responsible, words.dueDate]
        ]
        rows += resolutions.map {
            [$0.number, $0.item, $0.ticket.id, $0.title, $0.kind, $0.note ?? "", $0.responsible, $0.due]
        }
        return CSV.document(rows)
    }
}
