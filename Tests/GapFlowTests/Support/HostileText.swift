import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowDocuments

/// Text an attacker (or a careless paste) could put into a field, and checks that exported documents made it harmless.
enum HostileText {
    /// Strings that spreadsheets, calendars, Markdown renderers, diagram tools or terminals would take as commands.
    static let samples = [
        "=HYPERLINK(\"https://example.org/x\";\"klick\")", "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1+1", "\r=1+1",
        "Zeile 1\r\nZeile 2", "Zeile 1\rZeile 2", "<script>alert(1)</script>", "# Überschrift", "x\n# Kopf", "a | b | c",
        "[klick](javascript:alert(1))", "<javascript:alert(1)>", "\u{1B}[31mrot\u{1B}]0;pwned\u{07}", "Ende\u{7F}\u{85}\u{9B}2J",
        "＝1+1", "1. Punkt", "   - Liste", "> Zitat", "```", "~~~", "---", "A" + String(repeating: "\u{301}", count: 100),
    ]

    /// A random hostile string: a formula or block prefix, then pieces of text, control characters and wide graphemes.
    static func random(_ random: inout SeededRandom) -> String {
        let prefixes = ["", "=", "+", "-", "@", "\t", "\r", "\n", "\r\n", "＝", "#", ">", "|", "1.", " ", "<", "[", "`", "%%{"]
        let pieces = [
            "text", "Sitzung", "ä", "\"", ";", ",", "\\", "|", "#", "<b>", "</b>", "[x](javascript:alert(1))", "https://example.org",
            "\r\n", "\n", "\r", "\t", "\u{1B}[2J", "\u{07}", "\u{0}", "\u{7F}", "\u{85}", "\u{9B}", "\u{2028}", "👨‍👩‍👧‍👦",
            "e\u{301}\u{301}\u{301}", "%%", "{", "}", "*", "_", "~", "`", "-3", "=1+1", "@x", "+x",
        ]
        var text = prefixes.randomElement(using: &random) ?? ""
        for _ in 0..<Int.random(in: 0...12, using: &random) { text += pieces.randomElement(using: &random) ?? "" }
        if Int.random(in: 0..<10, using: &random) == 0 { text += String(repeating: "A\u{301}\u{302}\u{303}", count: 40) }
        return text
    }

    /// The rows of a semicolon-separated file (RFC 4180 quoting), without the byte-order mark.
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var quoted = false
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if quoted {
                if scalar == "\"" {
                    if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                        cell.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    cell.unicodeScalars.append(scalar)
                }
            } else if scalar == "\"" && cell.isEmpty {
                quoted = true
            } else if scalar == ";" {
                row.append(cell)
                cell = ""
            } else if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" {
                row.append(cell)
                rows.append(row)
                row = []
                cell = ""
                index += 1
            } else {
                cell.unicodeScalars.append(scalar)
            }
            index += 1
        }
        if !cell.isEmpty || !row.isEmpty {
            row.append(cell)
            rows.append(row)
        }
        return rows
    }

    /// Cells a spreadsheet would run as a formula: they begin with = + - @ (or their full-width forms), a tab or a
    /// line break, and are not a plain number.
    static func formulaCells(_ text: String) -> [String] {
        csvRows(text).flatMap { $0 }.filter { cell in
            guard let first = cell.unicodeScalars.first, "=+-@\t\r\n＝＋－＠".unicodeScalars.contains(first) else { return false }
            return cell.wholeMatch(of: /[+-]?[0-9]+([.,][0-9]+)?/) == nil
        }
    }

    /// Control characters (C0, DEL, C1) in `text`, apart from the ones `allowed`.
    static func controls(_ text: String, allowed: Set<Unicode.Scalar> = []) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) && !allowed.contains($0) }
    }

    /// Problems of an iCalendar text: a control character other than CRLF line ends and tabs, a line longer than
    /// 75 octets, a line break that is not CRLF.
    static func icalendarProblems(_ ics: String) -> [String] {
        var problems: [String] = []
        let bytes = Array(ics.utf8)
        var line: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                if line.count > 75 { problems.append("a line of \(line.count) octets: \(String(decoding: line, as: UTF8.self))") }
                line = []
                index += 2
                continue
            }
            line.append(bytes[index])
            index += 1
        }
        if !line.isEmpty { problems.append("no CRLF at the end") }
        let inside = ics.replacingOccurrences(of: "\r\n", with: "")
        for scalar in controls(inside, allowed: ["\t"]) { problems.append("control character U+\(String(scalar.value, radix: 16))") }
        return problems
    }

    /// The content lines of an iCalendar text, unfolded octet by octet (RFC 5545 § 3.1): a CRLF followed by a space
    /// joins two lines. (String functions compare Characters, and a space before a combining mark is one Character
    /// with it.)
    static func unfold(_ ics: String) -> [String] {
        var lines: [String] = []
        var line: [UInt8] = []
        let bytes = Array(ics.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                if index + 2 < bytes.count, bytes[index + 2] == 0x20 {
                    index += 3
                    continue
                }
                lines.append(String(decoding: line, as: UTF8.self))
                line = []
                index += 2
                continue
            }
            line.append(bytes[index])
            index += 1
        }
        if !line.isEmpty { lines.append(String(decoding: line, as: UTF8.self)) }
        return lines
    }

    /// Problems of a Markdown text: raw HTML, link syntax, headings other than `headings`, a block a value started, a
    /// table row with more or fewer cells than its header, control characters.
    static func markdownProblems(_ markdown: String, headings: [String]) -> [String] {
        var problems: [String] = []
        let scalars = Array(markdown.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            let escaped = index > 0 && scalars[index - 1] == "\\" && (index < 2 || scalars[index - 2] != "\\")
            if scalar == "<", index + 1 < scalars.count,
                scalars[index + 1].properties.isAlphabetic || "/!?".unicodeScalars.contains(scalars[index + 1])
            {
                problems.append("raw HTML at \(index)")
            }
            if (scalar == "[" || scalar == "]" || scalar == "`") && !escaped { problems.append("unescaped \(scalar) at \(index)") }
        }
        if markdown.replacingOccurrences(of: "\\://", with: "").contains("://") { problems.append("a bare URL") }
        var tableColumns: Int?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("#") && !headings.contains(where: { line.hasPrefix($0) }) { problems.append("a heading: \(line)") }
            let content = line.hasPrefix("- ") ? String(line.dropFirst(2)) : line
            if content.first.map({ ">=+~ \t".contains($0) }) == true || content.hasPrefix("- ") || content.hasPrefix("* ")
                || content.wholeMatch(of: /[0-9]+[.)]( .*)?/) != nil
            {
                problems.append("a block begins: \(line)")
            }
            if line.hasPrefix("|") {
                let cells = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count - 1
                if let columns = tableColumns, cells != columns { problems.append("a table row with \(cells) cells: \(line)") }
                tableColumns = tableColumns ?? cells
            } else {
                tableColumns = nil
            }
        }
        for scalar in controls(markdown, allowed: ["\n"]) { problems.append("control character U+\(String(scalar.value, radix: 16))") }
        return problems
    }

    /// A workflow whose titles and descriptions try to break every document made from it.
    static let definition = #"""
        {
          "id": "hostile", "version": 1, "title": "Böse <script>alert(1)</script>\n# Kopf",
          "ticketPrefix": "HOS",
          "roles": { "clerk": "Sach\"bearbeitung\" [x]; #quot; %%{init: {'securityLevel': 'loose'}}%%" },
          "fields": { "title": { "type": "text", "title": "Titel | [link](javascript:alert(1))" } },
          "initial": { "state": "open", "roles": ["clerk"], "requires": ["title"] },
          "states": {
            "open": {
              "title": "Offen \"A\"\n# B\r\n<b>fett</b> {x} %%{init: {}}%% #35; ;", "owner": "clerk",
              "description": "- Liste\n# Kopf\n<script>x</script>\r\n[a](javascript:b)"
            },
            "done": { "title": "Fertig\\Ende\"\u001b[2J", "final": true }
          },
          "transitions": [
            { "event": "finish", "title": "Fertig: \"ja\"; nein\n[x] <i>\r%%{init: {}}%%", "from": "open", "to": "done", "roles": ["clerk"] }
          ]
        }
        """#

    // MARK: - Documents full of one hostile text

    static let workflow = "systemic-gap-escalation"

    /// A ticket whose every text field, municipality and legal domain holds `text`, as an import could store it.
    static func ticket(_ definition: Definition, _ text: String, id: String = "GAP-2026-0001") -> Ticket {
        var fields: [String: FieldValue] = [:]
        for field in definition.fields {
            switch field.type {
            case .text, .longText: fields[field.id] = .text(text)
            default: break
            }
        }
        fields["municipality"] = .choice(text)  // an id the workflow does not know is shown as it is
        fields["legal_domains"] = .choices([text])
        fields["cases_observed"] = .integer(12)
        return Ticket(
            id: id, workflowID: workflow, version: 1, state: "awaiting_steering", revision: 3, fields: fields, openedAt: Fixtures.start,
            openedBy: "cm.siegburg", updatedAt: Fixtures.start)
    }

    static func meeting(_ text: String) throws -> Meeting {
        Meeting(
            id: 1, workflowID: workflow, date: try #require(LocalDate(parsing: "2026-12-10")), time: "14:00", title: text, place: text,
            submissionDeadline: try #require(LocalDate(parsing: "2026-11-30")))
    }

    /// An agenda with one item and one status row, every text of which is `text`.
    static func agenda(_ text: String, _ kim: Definition? = nil) throws -> Agenda {
        let definition = try kim ?? Fixtures.kimDefinition()
        let rules = try #require(definition.meetings)
        let item = ticket(definition, text)
        return Agenda(
            meeting: try meeting(text), definition: definition, rules: rules,
            items: [
                Agenda.Item(ticket: item, section: rules.sections[0], entered: Fixtures.start, waitingDays: -3, deferrals: 0, number: "4.1")
            ],
            status: [item])
    }

    static func resolutions(_ definition: Definition, _ text: String) -> [MinutesExport.Resolution] {
        [
            MinutesExport.Resolution(
                number: text, item: text, ticket: ticket(definition, text), title: text, kind: text, note: text, noteTitle: text,
                details: [(text, text)], comment: text, vote: .unanimous, responsible: text, due: text)
        ]
    }

    /// Minutes with one decided item, one decision in writing and one correction, every text of which is `text`.
    static func minutes(_ definition: Definition, _ text: String) throws -> MinutesRecord {
        let item = ticket(definition, text)
        let entry = HistoryEntry(
            revision: 4, at: Fixtures.start, actor: "geschaeftsstelle", role: "steering_office", event: "mandate",
            from: "awaiting_steering", to: "in_project_group",
            changes: [
                FieldChange(field: "decision_note", old: nil, new: .text(text)), FieldChange(field: "mandate", old: nil, new: .text(text)),
            ], comment: text, decision: DecisionRecord(meeting: 1, resolution: text))
        let decided = MinutesRecord.Decided(number: "4.1", ticket: item, definition: definition, entry: entry)
        var meeting = try meeting(text)
        meeting.attendance = Attendance(
            seats: [Attendance.Seat(member: BoardMember(name: text, body: text, deputy: text), presence: .deputy)], chair: text,
            minuteTaker: text, start: "14:00", end: "16:00")
        return MinutesRecord(
            meeting: meeting, definition: definition, agenda: [AgendaEntry(meetingID: 1, number: "4.1", ticketID: item.id, issue: 0)],
            decisions: [decided], inWriting: [MinutesRecord.Decided(number: nil, ticket: item, definition: definition, entry: entry)],
            previous: meeting,
            corrections: [
                MeetingDocument(meetingID: 1, kind: .correction, issue: 1, format: "text", createdAt: Fixtures.start, content: text)
            ])
    }

    static func report(_ definition: Definition, _ text: String) -> Report {
        Report(
            definition: definition, from: nil, to: nil, generatedAt: Fixtures.start, openPerStage: [("reported", 7)], months: [],
            stageTimes: [], overdue: [], deferrals: 0,
            breakdowns: [Report.Breakdown(title: text, kind: .choices, counts: [(label: text, count: 9), (label: "-3", count: 2)])])
    }

    static func feedback(_ definition: Definition, _ text: String) -> [FeedbackExport.Entry] {
        [
            FeedbackExport.Entry(
                ticket: ticket(definition, text), reportedOn: LocalDate(Fixtures.start, in: .berlin), decision: text, decidedOn: nil,
                outcome: [(text, text)], reporters: [text], merged: [text])
        ]
    }
}
