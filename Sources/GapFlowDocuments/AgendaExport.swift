import Foundation
import GapFlow

/// Renders an agenda (*Tagesordnung*) as Markdown, HTML, CSV for Excel, or JSON.
///
/// Every label comes from the workflow's titles (German for the KIM workflow); dates are written as the
/// workflow's language writes them (24.12.2026) except in JSON, which uses ISO 8601. Case counts below the
/// workflow's threshold are masked (e.g. "<5") unless the agenda is `unmasked` (internal figures).
public enum AgendaExport {
    /// One numbered point of the agenda.
    struct Point {
        enum Kind {
            case fixed
            case status
            case section([Agenda.Item])
        }

        let number: Int
        let title: String
        let kind: Kind
        /// What the meeting rules' `"public"` calls this point: `openingItems`, `statusItem`, `closingItems`, or the section's id.
        let publicName: String
    }

    static func points(_ agenda: Agenda) -> [Point] {
        var points: [Point] = []
        for title in agenda.rules.openingItems {
            points.append(Point(number: points.count + 1, title: title, kind: .fixed, publicName: "openingItems"))
        }
        if let status = agenda.rules.statusItem {
            points.append(Point(number: points.count + 1, title: status.title, kind: .status, publicName: "statusItem"))
        }
        for section in agenda.rules.sections {
            let items = agenda.items.filter { $0.section.id == section.id }
            points.append(Point(number: points.count + 1, title: section.title, kind: .section(items), publicName: section.id))
        }
        // A supplement holds only the points of the items it adds, numbered as on the agenda.
        if agenda.issue > 0 {
            return points.filter { point in
                if case .section(let items) = point.kind { return !items.isEmpty }
                return false
            }
        }
        for title in agenda.rules.closingItems {
            points.append(Point(number: points.count + 1, title: title, kind: .fixed, publicName: "closingItems"))
        }
        return points
    }

    /// Every substantive item with its number, e.g. `4.2`: the second item under point 4.
    public static func numbered(_ agenda: Agenda) -> [(top: String, item: Agenda.Item)] {
        agenda.items.map { ($0.number, $0) }
    }

    /// The document's heading: the agenda, or its numbered supplement or urgent item.
    static func heading(_ agenda: Agenda) -> String {
        let words = agenda.definition.words
        let base = "\(words.agenda): \(agenda.meeting.title)"
        guard agenda.issue > 0 else { return base }
        return "\(agenda.urgent ? words[.urgent] : words[.supplement]) \(agenda.issue) · \(base)"
    }

    /// A field's value as documents show it: titles for choices, dates in the workflow's language, and case counts
    /// masked when small unless `unmasked`.
    static func value(_ ticket: Ticket, _ field: String, _ definition: Definition, unmasked: Bool = false) -> String {
        guard let value = ticket.fields[field] else { return "" }
        if case .integer(let number) = value, definition.smallNumbers.fields.contains(field) {
            return definition.smallNumbers.text(number, internal: unmasked)
        }
        let spec = definition.field(field)
        switch value {
        case .date(let date): return definition.language == "de" ? date.german : date.iso8601
        case .choice(let id): return spec?.type.choices?.value(id)?.title ?? id
        case .choices(let ids): return ids.map { spec?.type.choices?.value($0)?.title ?? $0 }.joined(separator: ", ")
        default: return value.plainText
        }
    }

    /// A field's value as JSON: as stored, except a small case count, which is the masked text unless `unmasked`.
    static func json(_ value: FieldValue, field: String, _ definition: Definition, unmasked: Bool) -> JSONValue {
        if !unmasked, case .integer(let number) = value, definition.smallNumbers.fields.contains(field),
            definition.smallNumbers.isSmall(number)
        {
            return .string(definition.smallNumbers.shownAs)
        }
        return value.json
    }

    static func date(_ date: LocalDate, _ definition: Definition) -> String {
        definition.language == "de" ? date.german : date.iso8601
    }

    static func when(_ meeting: Meeting, _ definition: Definition, _ words: Vocabulary) -> String {
        date(meeting.date, definition) + (meeting.time.map { ", \($0)\(words.oClock.isEmpty ? "" : " " + words.oClock)" } ?? "")
    }

    // MARK: - Markdown

    /// The agenda as Markdown; every text from the meeting, the tickets and the workflow file is escaped
    /// (``Markdown/escape(_:atLineStart:)``).
    public static func markdown(_ agenda: Agenda, unmasked: Bool = false) -> String {
        let definition = agenda.definition
        let words = definition.words
        let md = { (text: String) in Markdown.escape(text) }
        var out = "# \(md(heading(agenda)))\n\n"
        out += "**\(words.meetingOn)** \(md(when(agenda.meeting, definition, words)))"
        if let place = agenda.meeting.place { out += " · **\(words.place):** \(md(place))" }
        out += " · **\(words.deadline):** \(date(agenda.meeting.submissionDeadline, definition))\n"
        if unmasked { out += "\n\(Markdown.escape(words[.internalNote], atLineStart: true))\n" }
        for point in points(agenda) {
            out += "\n## \(words.item) \(point.number) \(md(point.title))\n"
            switch point.kind {
            case .fixed:
                break
            case .status:
                if agenda.status.isEmpty {
                    out += "\n\(words.noItems)\n"
                    continue
                }
                let (header, rows) = statusTable(agenda, words, unmasked: unmasked)
                out +=
                    "\n| \(header.map(Markdown.cell).joined(separator: " | ")) |\n|" + String(repeating: "---|", count: header.count) + "\n"
                for row in rows { out += "| \(row.map(Markdown.cell).joined(separator: " | ")) |\n" }
            case .section(let items):
                if items.isEmpty { out += "\n\(words.noItems)\n" }
                for item in items {
                    out +=
                        "\n### \(words.item) \(item.number) \(md(value(item.ticket, "title", definition))) (\(md(item.ticket.id)))\n\n"
                    for field in agenda.rules.itemFields {
                        let text = value(item.ticket, field, definition, unmasked: unmasked)
                        if !text.isEmpty { out += "- **\(md(definition.field(field)?.title ?? field)):** \(md(text))\n" }
                    }
                    out += "- **\(words.entered):** \(date(LocalDate(item.entered, in: definition.calendar.timeZone), definition))"
                    out += " · **\(words.waitingDays):** \(item.waitingDays) · **\(words.deferrals):** \(item.deferrals)\n"
                }
            }
        }
        return out
    }

    /// The status item's table (*Beschlusskontrolle*): ticket, title, the stage when it lists several states, and the
    /// item's fields; the overdue date (`"overdue"`) of a ticket past it at the meeting is marked.
    static func statusTable(_ agenda: Agenda, _ words: Vocabulary, unmasked: Bool) -> (header: [String], rows: [[String]]) {
        let definition = agenda.definition
        let item = agenda.rules.statusItem
        let fields = item?.fields ?? []
        let stages = (item?.states.count ?? 0) > 1
        let header = [words.ticket, words.title] + (stages ? [words[.stage]] : []) + fields.map { definition.field($0)?.title ?? $0 }
        let rows = agenda.status.map { ticket in
            let overdue = agenda.isOverdue(ticket)
            return [ticket.id, value(ticket, "title", definition)]
                + (stages ? [definition.state(ticket.state)?.title ?? ticket.state] : [])
                + fields.map { field in
                    let text = value(ticket, field, definition, unmasked: unmasked)
                    return overdue && field == item?.overdueField ? "\(text) (\(words[.overdueTickets]))" : text
                }
        }
        return (header, rows)
    }

    // MARK: - CSV for Excel

    /// One row per substantive item; semicolons, CRLF, UTF-8 with byte-order mark, as German Excel opens it
    /// (``CSV/cell(_:)`` neutralises cells a spreadsheet would run).
    public static func csv(_ agenda: Agenda, unmasked: Bool = false) -> String {
        let definition = agenda.definition
        let words = definition.words
        let header =
            [words.item, words.ticket, words.section, words.title] + agenda.rules.itemFields.map { definition.field($0)?.title ?? $0 }
            + [words.entered, words.waitingDays, words.deferrals]
        var rows = [header]
        for (top, item) in numbered(agenda) {
            rows.append(
                [top, item.ticket.id, item.section.title, value(item.ticket, "title", definition)]
                    + agenda.rules.itemFields.map { value(item.ticket, $0, definition, unmasked: unmasked) }
                    + [
                        date(LocalDate(item.entered, in: definition.calendar.timeZone), definition), String(item.waitingDays),
                        String(item.deferrals),
                    ])
        }
        return CSV.document(rows)
    }

    // MARK: - JSON

    /// The stable JSON form (documented in Sources/GapFlow/GapFlow.docc/AgendaJSON.md): ISO 8601 dates, field values as stored.
    public static func json(_ agenda: Agenda, unmasked: Bool = false) -> JSONValue {
        let meeting = agenda.meeting
        let definition = agenda.definition
        let ticketJSON = { (ticket: Ticket) in Self.ticketJSON(ticket, definition, unmasked: unmasked) }
        return .object([
            ("schema", .string("gapflow-agenda/1")), ("workflow", .string(definition.id)),
            (
                "meeting",
                .object([
                    ("id", .integer(meeting.id)), ("title", .string(meeting.title)), ("date", .string(meeting.date.iso8601)),
                    ("time", meeting.time.map(JSONValue.string) ?? .null), ("place", meeting.place.map(JSONValue.string) ?? .null),
                    ("submissionDeadline", .string(meeting.submissionDeadline.iso8601)),
                ])
            ),
            (
                "points",
                .array(
                    points(agenda).map { point in
                        var members: [(String, JSONValue)] = [("number", .integer(point.number)), ("title", .string(point.title))]
                        switch point.kind {
                        case .fixed:
                            members.append(("kind", .string("fixed")))
                        case .status:
                            members.append(("kind", .string("status")))
                            members.append(("tickets", .array(agenda.status.map(ticketJSON))))
                            members.append(("overdue", .array(agenda.status.filter(agenda.isOverdue).map { .string($0.id) })))
                        case .section(let items):
                            members.append(("kind", .string("section")))
                            members.append(
                                (
                                    "items",
                                    .array(
                                        items.map { item in
                                            .object([
                                                ("number", .string("\(item.number)")),
                                                ("ticket", ticketJSON(item.ticket)),
                                                ("entered", .string(Timestamp.iso8601(item.entered))),
                                                ("waitingDays", .integer(item.waitingDays)),
                                                ("deferrals", .integer(item.deferrals)),
                                            ])
                                        })
                                ))
                        }
                        return .object(members)
                    })
            ),
            ("internal", .bool(unmasked)),
        ])
    }

    static func ticketJSON(_ ticket: Ticket, _ definition: Definition, unmasked: Bool) -> JSONValue {
        .object([
            ("id", .string(ticket.id)), ("state", .string(ticket.state)), ("revision", .integer(ticket.revision)),
            (
                "fields",
                .object(
                    definition.fields.compactMap { field in
                        ticket.fields[field.id].map { (field.id, json($0, field: field.id, definition, unmasked: unmasked)) }
                    })
            ),
        ])
    }
}

extension AgendaExport {
    /// The default base of the objects' URLs when none is given: not served by GapFlow, but well-formed.
    public static let defaultOParlBase = "https://gapflow.invalid/oparl/v1"

    /// The agenda as an OParl 1.1 list (`data`, `pagination`, `links`) of objects for a council information system:
    /// the Meeting with its AgendaItems embedded (each with `order`), a Consultation per substantive item and the
    /// Paper it consults, and the Location. Every id and reference is a URL under `baseURL`; every object has
    /// `created` and `modified` (the meeting's from the store, a paper's from its ticket, else `now`). An item is
    /// `public` only where the workflow's meeting rules say its point is (``MeetingRules/publicPoints``).
    public static func oparl(_ agenda: Agenda, baseURL: String = defaultOParlBase, now: Date = Date()) -> JSONValue {
        let meeting = agenda.meeting
        let definition = agenda.definition
        let schema = "https://schema.oparl.org/1.1/"
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let body = "\(base)/body/\(percentEncoded(definition.id))"
        let meetingID = "\(body)/meeting/\(meeting.id)"
        let stamp = { (date: Date?) in JSONValue.string(Timestamp.iso8601(date ?? now)) }
        let (created, modified) = (stamp(meeting.createdAt), stamp(meeting.modifiedAt ?? meeting.createdAt))
        var start = meeting.date.iso8601
        if let time = meeting.time {
            let calendar = definition.calendar
            let seconds = (Int(time.prefix(2)) ?? 0) * 3600 + (Int(time.suffix(2)) ?? 0) * 60
            let offset = calendar.timeZone.secondsFromGMT(for: calendar.instant(meeting.date, secondsOfDay: seconds)) / 60
            start +=
                "T\(time):00\(offset >= 0 ? "+" : "-")\(String(abs(offset) / 60).leftPadded(to: 2)):\(String(abs(offset) % 60).leftPadded(to: 2))"
        }
        var items: [JSONValue] = []
        var consultations: [JSONValue] = []
        var papers: [JSONValue] = []
        for point in points(agenda) {
            let isPublic = agenda.rules.publicPoints.contains(point.publicName)
            items.append(
                .object([
                    ("id", .string("\(meetingID)/item/\(point.number)")), ("type", .string(schema + "AgendaItem")),
                    ("meeting", .string(meetingID)), ("number", .string(String(point.number))), ("order", .integer(items.count + 1)),
                    ("name", .string(point.title)), ("public", .bool(isPublic)), ("created", created), ("modified", modified),
                ]))
            guard case .section(let entries) = point.kind else { continue }
            for item in entries {
                let ticket = item.ticket
                let paperID = "\(body)/paper/\(percentEncoded(ticket.id))"
                let itemID = "\(meetingID)/item/\(item.number)"
                let consultationID = "\(meetingID)/consultation/\(percentEncoded(ticket.id))"
                items.append(
                    .object([
                        ("id", .string(itemID)), ("type", .string(schema + "AgendaItem")), ("meeting", .string(meetingID)),
                        ("number", .string(item.number)), ("order", .integer(items.count + 1)),
                        ("name", .string(value(ticket, "title", definition))), ("public", .bool(isPublic)),
                        ("consultation", .string(consultationID)), ("created", created), ("modified", modified),
                    ]))
                consultations.append(
                    .object([
                        ("id", .string(consultationID)), ("type", .string(schema + "Consultation")), ("paper", .string(paperID)),
                        ("agendaItem", .string(itemID)), ("meeting", .string(meetingID)), ("authoritative", .bool(true)),
                        ("role", .string(item.section.title)), ("created", created), ("modified", modified),
                    ]))
                papers.append(
                    .object([
                        ("id", .string(paperID)), ("type", .string(schema + "Paper")), ("body", .string(body)),
                        ("name", .string(value(ticket, "title", definition))), ("reference", .string(ticket.id)),
                        ("date", .string(LocalDate(item.entered, in: definition.calendar.timeZone).iso8601)),
                        ("paperType", .string(definition.words.paper)), ("consultation", .array([.string(consultationID)])),
                        ("created", stamp(ticket.openedAt)), ("modified", stamp(ticket.updatedAt)),
                    ]))
            }
        }
        var members: [(String, JSONValue)] = [
            ("id", .string(meetingID)), ("type", .string(schema + "Meeting")), ("name", .string(meeting.title)),
            ("meetingState", .string(meeting.status.rawValue)), ("cancelled", .bool(meeting.status == .cancelled)),
            ("start", .string(start)),
        ]
        var data: [JSONValue] = []
        if let place = meeting.place {
            let locationID = "\(meetingID)/location"
            members.append(("location", .string(locationID)))
            data.append(
                .object([
                    ("id", .string(locationID)), ("type", .string(schema + "Location")), ("description", .string(place)),
                    ("created", created), ("modified", modified),
                ]))
        }
        members += [("agendaItem", .array(items)), ("created", created), ("modified", modified)]
        data = [.object(members)] + data + consultations + papers
        return .object([
            ("data", .array(data)),
            (
                "pagination",
                .object([
                    ("totalElements", .integer(data.count)), ("elementsPerPage", .integer(data.count)), ("currentPage", .integer(1)),
                    ("totalPages", .integer(1)),
                ])
            ),
            ("links", .object([])),
        ])
    }

    /// A path segment with everything but unreserved characters percent-encoded (RFC 3986).
    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
