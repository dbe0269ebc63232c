import GapFlow

/// Small helpers for self-contained, accessible HTML pages (WCAG 2.1 AA: `lang`, semantic headings and tables,
/// header cells with scope, contrast well above 4.5:1, readable when printed).
public enum HTML {
    public static func escape(_ text: String) -> String {
        // Most texts need no escaping; checking the bytes is far cheaper than rebuilding the string.
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }) else { return text }
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A text as a CSS string literal: quotes, backslashes and line breaks escaped, and `<` written as `\3C ` so that
    /// no text can close the style element.
    static func cssString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "<": out += "\\3C "
            case ">": out += "\\3E "
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    out += " "
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// The letterhead of a meeting document: the lines the workflow's `meetings.letterhead` gives, or nothing.
    static func letterhead(_ definition: Definition) -> String {
        guard let lines = definition.meetings?.letterhead, !lines.isEmpty else { return "" }
        return "<div class=\"letterhead\">" + lines.map { "<p>\(escape($0))</p>" }.joined() + "</div>\n"
    }

    /// A whole page; `body` is already escaped HTML. Printed, it is A4 with `title` (e.g. the meeting) as a running
    /// header and page numbers in the footer.
    static func page(title: String, language: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(escape(language))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        body { font-family: "Segoe UI", Arial, sans-serif; color: #1a1a1a; background: #fff; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
        h1 { font-size: 1.6rem; margin-bottom: .25rem; } h2 { font-size: 1.25rem; margin-top: 1.8rem; border-bottom: 2px solid #1f4e79; padding-bottom: .2rem; }
        h3 { font-size: 1.05rem; margin-top: 1.2rem; }
        figure { margin: 1rem 0; } figure table { font-size: .85rem; } figcaption { font-size: .9rem; color: #333; }
        .meta { color: #333; } table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
        th, td { border: 1px solid #767676; padding: .3rem .5rem; text-align: left; vertical-align: top; }
        th { background: #e8eef5; } th[scope=row] { width: 14rem; font-weight: 600; } thead + tbody td:first-child { white-space: nowrap; }
        @page { size: A4; margin: 20mm 18mm 20mm 22mm;
          @top-left { content: \(cssString(title)); font: 8pt Arial, sans-serif; color: #444; }
          @bottom-right { content: counter(page) " / " counter(pages); font: 8pt Arial, sans-serif; color: #444; } }
        .letterhead { border-bottom: 1px solid #1f4e79; margin-bottom: 1rem; color: #1f4e79; } .letterhead p { margin: 0; font-size: .9rem; }
        .letterhead p:first-child { font-weight: 600; font-size: 1.05rem; }
        .signatures { display: flex; gap: 3rem; margin-top: 3rem; } .signatures p { flex: 1; } .signatures .line { display: block; border-top: 1px solid #1a1a1a; margin-top: 2.5rem; padding-top: .2rem; }
        @media print { body { margin: 0; max-width: none; font-size: 10.5pt; } h2 { break-after: avoid; } section.item { break-inside: avoid; } a { color: inherit; } }
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    /// A table with a header row; cells are plain text.
    static func table(caption: String?, header: [String], rows: [[String]]) -> String {
        var out = "<table>\n"
        if let caption { out += "<caption>\(escape(caption))</caption>\n" }
        out += "<thead><tr>" + header.map { "<th scope=\"col\">\(escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows { out += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
        return out + "</tbody>\n</table>\n"
    }

    /// A two-column table of labels (row headers) and values.
    static func facts(_ rows: [(String, String)]) -> String {
        "<table>\n<tbody>\n" + rows.map { "<tr><th scope=\"row\">\(escape($0.0))</th><td>\(escape($0.1))</td></tr>\n" }.joined()
            + "</tbody>\n</table>\n"
    }
}

extension AgendaExport {
    /// One self-contained, printable page.
    public static func html(_ agenda: Agenda, unmasked: Bool = false) -> String {
        let definition = agenda.definition
        let words = definition.words
        let meeting = agenda.meeting
        var body = "<header>\n" + HTML.letterhead(definition) + "<h1>\(HTML.escape(heading(agenda)))</h1>\n<p class=\"meta\">"
        body += HTML.escape("\(words.meetingOn) \(when(meeting, definition, words))")
        if let place = meeting.place { body += " · " + HTML.escape("\(words.place): \(place)") }
        body += " · " + HTML.escape("\(words.deadline): \(date(meeting.submissionDeadline, definition))") + "</p>\n"
        if unmasked { body += "<p>\(HTML.escape(words[.internalNote]))</p>\n" }
        body += "</header>\n<main>\n"
        for point in points(agenda) {
            body += "<section>\n<h2>\(HTML.escape("\(words.item) \(point.number) \(point.title)"))</h2>\n"
            switch point.kind {
            case .fixed:
                break
            case .status:
                if agenda.status.isEmpty {
                    body += "<p>\(HTML.escape(words.noItems))</p>\n"
                } else {
                    let (header, rows) = statusTable(agenda, words, unmasked: unmasked)
                    body += HTML.table(caption: nil, header: header, rows: rows)
                }
            case .section(let items):
                if items.isEmpty { body += "<p>\(HTML.escape(words.noItems))</p>\n" }
                for item in items {
                    body += "<section class=\"item\">\n<h3>"
                    body += HTML.escape(
                        "\(words.item) \(item.number) \(value(item.ticket, "title", definition)) (\(item.ticket.id))")
                    body += "</h3>\n"
                    var facts = agenda.rules.itemFields.compactMap { field -> (String, String)? in
                        let text = value(item.ticket, field, definition, unmasked: unmasked)
                        return text.isEmpty ? nil : (definition.field(field)?.title ?? field, text)
                    }
                    facts.append((words.entered, date(LocalDate(item.entered, in: definition.calendar.timeZone), definition)))
                    facts.append((words.waitingDays, String(item.waitingDays)))
                    facts.append((words.deferrals, String(item.deferrals)))
                    body += HTML.facts(facts) + "</section>\n"
                }
            }
            body += "</section>\n"
        }
        body += "</main>"
        return HTML.page(title: heading(agenda), language: definition.language, body: body)
    }
}
