import Foundation
import GapFlow

/// Renders a monitoring report as Markdown, CSV, JSON or an accessible HTML page with inline SVG charts.
///
/// Unless the report is internal, small numbers are masked as the workflow's `"smallNumbers"` say (they might point
/// to persons): counts below the threshold are shown as e.g. "<5", medians and percentiles of groups that small are
/// withheld, free-text values given for so few tickets are gathered into one row, and small case counts in a
/// breakdown are gathered under the masked label. Every word comes from the workflow (``Definition/words``).
public enum ReportExport {
    static func count(_ value: Int, _ report: Report, unmasked: Bool) -> String {
        report.definition.smallNumbers.text(value, internal: unmasked)
    }

    /// Business days with at most one decimal, German style ("5,5").
    static func days(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10),\(abs(tenths % 10))"
    }

    /// A median or percentile over `stays`: withheld when the group is small.
    static func days(_ value: Double, stays: Int, _ report: Report, unmasked: Bool) -> String {
        !unmasked && report.definition.smallNumbers.isSmall(stays) ? report.definition.words[.withheld] : days(value)
    }

    static func period(_ report: Report) -> String {
        let date = { (day: LocalDate?) in day.map { report.definition.language == "de" ? $0.german : $0.iso8601 } }
        switch (date(report.from), date(report.to)) {
        case (nil, nil): return report.definition.words[.all]
        case (let from?, nil): return "ab \(from)"
        case (nil, let to?): return "bis \(to)"
        case (let from?, let to?): return "\(from) – \(to)"
        }
    }

    /// A breakdown's rows as a document may show them: free-text values given for few tickets gathered into one row
    /// (they may identify), small case counts gathered under the masked label; as they are when `unmasked`.
    static func rows(_ breakdown: Report.Breakdown, _ report: Report, unmasked: Bool) -> [(label: String, count: Int)] {
        let small = report.definition.smallNumbers
        guard !unmasked else { return breakdown.counts }
        switch breakdown.kind {
        case .freeText:
            let shown = breakdown.counts.filter { !small.isSmall($0.count) }
            let gathered = breakdown.counts.filter { small.isSmall($0.count) }.reduce(0) { $0 + $1.count }
            return shown + (gathered > 0 ? [(report.definition.words[.otherValues], gathered)] : [])
        case .caseCount:
            let isSmall = { (label: String) in Int(label).map(small.isSmall) ?? false }
            let gathered = breakdown.counts.filter { isSmall($0.label) }.reduce(0) { $0 + $1.count }
            return (gathered > 0 ? [(small.shownAs, gathered)] : []) + breakdown.counts.filter { !isSmall($0.label) }
        case .choices, .other:
            return breakdown.counts
        }
    }

    /// The report's tables as (heading, header row, rows): every format renders the same numbers.
    static func tables(_ report: Report, unmasked: Bool) -> [(String, [String], [[String]])] {
        let words = report.definition.words
        let definition = report.definition
        let count = { (value: Int) in Self.count(value, report, unmasked: unmasked) }
        var tables: [(String, [String], [[String]])] = [
            (
                words[.openPerStage], [words[.stage], words[.count]],
                report.openPerStage.map { [definition.stateTitle($0.state), count($0.count)] }
            ),
            (
                words[.months], [words[.month], words[.opened], words[.finished]],
                report.months.map { [$0.month, count($0.opened), count($0.finished)] }
            ),
            (
                words[.stageTimes], [words[.stage], words[.stays], words[.median], words[.percentile90]],
                report.stageTimes.map {
                    [
                        definition.stateTitle($0.state), count($0.stays), days($0.median, stays: $0.stays, report, unmasked: unmasked),
                        days($0.percentile90, stays: $0.stays, report, unmasked: unmasked),
                    ]
                }
            ),
            (
                words[.overdue], [words[.count]] + (unmasked ? [words[.ticket]] : []),
                [[count(report.overdue.count)] + (unmasked ? [report.overdue.joined(separator: ", ")] : [])]
            ),
            (words.deferrals, [words[.count]], [[count(report.deferrals)]]),
        ]
        for breakdown in report.breakdowns {
            tables.append(
                (
                    breakdown.title, [words[.value], words[.count]],
                    rows(breakdown, report, unmasked: unmasked).map { [$0.label, count($0.count)] }
                ))
        }
        return tables
    }

    /// The note a document carries: that small numbers are masked, or that it is for internal use only.
    static func note(_ report: Report, unmasked: Bool) -> String {
        report.definition.words[unmasked ? .internalNote : .smallNumbersNote]
    }

    /// The report as Markdown; titles from the workflow file and values from tickets are escaped
    /// (``Markdown/escape(_:atLineStart:)``).
    public static func markdown(_ report: Report, unmasked: Bool) -> String {
        let words = report.definition.words
        var out = "# \(Markdown.escape(words[.report])): \(Markdown.escape(report.definition.title))\n\n"
        out += "**\(Markdown.escape(words[.period])):** \(period(report)) · \(Timestamp.german(report.generatedAt))\n"
        out += "\n\(Markdown.escape(note(report, unmasked: unmasked), atLineStart: true))\n"
        for (heading, header, rows) in tables(report, unmasked: unmasked) {
            out += "\n## \(Markdown.escape(heading))\n\n| \(header.map(Markdown.cell).joined(separator: " | ")) |\n|"
            out += String(repeating: "---|", count: header.count) + "\n"
            for row in rows { out += "| \(row.map(Markdown.cell).joined(separator: " | ")) |\n" }
        }
        return out
    }

    /// Every table one after another, a heading row before each; semicolons, UTF-8 with BOM, for German Excel.
    public static func csv(_ report: Report, unmasked: Bool) -> String {
        var rows: [[String]] = []
        for (heading, header, body) in tables(report, unmasked: unmasked) {
            rows.append([heading])
            rows.append(header)
            rows += body
            rows.append([])
        }
        return CSV.document(rows)
    }

    public static func json(_ report: Report, unmasked: Bool) -> JSONValue {
        let small = report.definition.smallNumbers
        let number = { (value: Int) -> JSONValue in unmasked || !small.isSmall(value) ? .integer(value) : .string(small.shownAs) }
        return .object([
            ("workflow", .string(report.definition.id)), ("from", report.from.map { .string($0.iso8601) } ?? .null),
            ("to", report.to.map { .string($0.iso8601) } ?? .null), ("generatedAt", .string(Timestamp.iso8601(report.generatedAt))),
            ("internal", .bool(unmasked)),
            ("openPerStage", .object(report.openPerStage.map { ($0.state, number($0.count)) })),
            (
                "months",
                .array(
                    report.months.map {
                        .object([("month", .string($0.month)), ("opened", number($0.opened)), ("finished", number($0.finished))])
                    })
            ),
            (
                "stageTimes",
                .array(
                    report.stageTimes.map {
                        .object([
                            ("state", .string($0.state)), ("stays", number($0.stays)),
                            ("medianBusinessDays", .string(days($0.median, stays: $0.stays, report, unmasked: unmasked))),
                            ("p90BusinessDays", .string(days($0.percentile90, stays: $0.stays, report, unmasked: unmasked))),
                        ])
                    })
            ),
            ("overdue", number(report.overdue.count)), ("deferrals", number(report.deferrals)),
            (
                "breakdowns",
                .array(
                    report.breakdowns.map { breakdown in
                        .object([
                            ("title", .string(breakdown.title)),
                            ("counts", .object(rows(breakdown, report, unmasked: unmasked).map { ($0.label, number($0.count)) })),
                        ])
                    })
            ),
        ])
    }
}

extension ReportExport {
    /// One self-contained, printable page: every chart is inline SVG with a text alternative, and the numbers stand
    /// in a table beside it. Charts draw only counts that may be shown; masked ones ("<5") have no bar.
    public static func html(_ report: Report, unmasked: Bool) -> String {
        let words = report.definition.words
        let definition = report.definition
        var body = "<header>\n<h1>\(HTML.escape("\(words[.report]): \(definition.title)"))</h1>\n<p class=\"meta\">"
        body += HTML.escape("\(words[.period]): \(period(report)) · \(Timestamp.german(report.generatedAt))") + "</p>\n"
        body += "<p>\(HTML.escape(note(report, unmasked: unmasked)))</p>\n"
        body += "</header>\n<main>\n" + sections(report, unmasked: unmasked) + "</main>"
        return HTML.page(title: "\(words.title): \(definition.title)", language: definition.language, body: body)
    }

    /// The report's sections (charts and tables, `<h2>` headings) for a page of its own or another page (the web
    /// front's); they carry no style of their own.
    public static func sections(_ report: Report, unmasked: Bool) -> String {
        let words = report.definition.words
        let definition = report.definition
        let visible = { (value: Int) in unmasked || !definition.smallNumbers.isSmall(value) ? value : 0 }
        var body = ""
        let tables = tables(report, unmasked: unmasked)
        for (index, (heading, header, rows)) in tables.enumerated() {
            body += "<section>\n<h2>\(HTML.escape(heading))</h2>\n"
            if index == 0 {
                body += barChart(
                    id: "stages", title: heading, bars: report.openPerStage.map { (definition.stateTitle($0.state), visible($0.count)) },
                    note: words[.chartNote])
            } else if index == 1 {
                body += flowChart(report, title: words[.flow], visible: visible, unmasked: unmasked, note: words[.chartNote])
            } else if index == 5, let first = report.breakdowns.first {
                body += barChart(
                    id: "breakdown", title: heading,
                    bars: Self.rows(first, report, unmasked: unmasked).map { ($0.label, visible($0.count)) },
                    note: words[.chartNote])
            }
            body += HTML.table(caption: nil, header: header, rows: rows) + "</section>\n"
        }
        return body
    }

    /// The sentence above the report: what is masked, or that it is for internal use.
    public static func explanation(_ report: Report, unmasked: Bool) -> String { note(report, unmasked: unmasked) }

    /// Horizontal bars, one per label.
    static func barChart(id: String, title: String, bars: [(String, Int)], note: String) -> String {
        let maximum = max(1, bars.map(\.1).max() ?? 1)
        let rowHeight = 22
        let height = bars.count * rowHeight + 10
        var svg =
            "<figure>\n<svg role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" width=\"640\" height=\"\(height)\" viewBox=\"0 0 640 \(height)\">\n"
        svg += "<title id=\"\(id)-title\">\(HTML.escape(title))</title>\n<desc id=\"\(id)-desc\">\(HTML.escape(note))</desc>\n"
        for (index, (label, value)) in bars.enumerated() {
            let y = index * rowHeight + 5
            let width = value * 380 / maximum
            svg +=
                "<text x=\"0\" y=\"\(y + 15)\" font-size=\"12\" fill=\"#1a1a1a\">\(HTML.escape(label.count > 34 ? String(label.prefix(33)) + "…" : label))</text>\n"
            svg += "<rect x=\"230\" y=\"\(y + 3)\" width=\"\(width)\" height=\"15\" fill=\"#1f4e79\"/>\n"
            if value > 0 { svg += "<text x=\"\(236 + width)\" y=\"\(y + 15)\" font-size=\"12\" fill=\"#1a1a1a\">\(value)</text>\n" }
        }
        return svg + "</svg>\n<figcaption>\(HTML.escape(note))</figcaption>\n</figure>\n"
    }

    /// A cumulative-flow chart: per month, the tickets standing in each state, stacked.
    static func flowChart(_ report: Report, title: String, visible: (Int) -> Int, unmasked: Bool, note: String) -> String {
        let states = report.definition.states.map(\.id)
        let months = report.months
        guard months.count > 1 else { return "" }
        let totals = months.map { month in states.reduce(0) { $0 + visible(month.standing[$1] ?? 0) } }
        let maximum = max(1, totals.max() ?? 1)
        let width = 640
        let height = 240
        let step = Double(width - 100) / Double(months.count - 1)
        let palette = ["#1f4e79", "#2e75b6", "#9dc3e6", "#548235", "#a9d18e", "#bf9000", "#ffd966", "#7f7f7f", "#c9c9c9", "#843c0c"]
        let legendRows = (states.filter { state in months.contains { ($0.standing[state] ?? 0) > 0 } }.count + 2) / 3
        let total = height + 34 + legendRows * 18
        var svg = "<figure>\n<svg role=\"img\" aria-labelledby=\"flow-title flow-desc\" width=\"\(width)\" height=\"\(total)\" "
        svg += "viewBox=\"0 0 \(width) \(total)\">\n<title id=\"flow-title\">\(HTML.escape(title))</title>\n"
        svg += "<desc id=\"flow-desc\">\(HTML.escape(note))</desc>\n"
        var lower = Array(repeating: 0, count: months.count)
        for (index, state) in states.enumerated() {
            let upper = months.enumerated().map { lower[$0.offset] + visible($0.element.standing[state] ?? 0) }
            guard upper != lower else { continue }
            func point(_ i: Int, _ value: Int) -> String {
                String(format: "%.1f,%.1f", 40 + Double(i) * step, Double(height) - Double(value) * Double(height - 10) / Double(maximum))
            }
            let top = upper.indices.map { point($0, upper[$0]) }
            let bottom = lower.indices.reversed().map { point($0, lower[$0]) }
            svg += "<polygon points=\"\((top + bottom).joined(separator: " "))\" fill=\"\(palette[index % palette.count])\">"
            svg += "<title>\(HTML.escape(report.definition.stateTitle(state)))</title></polygon>\n"
            lower = upper
        }
        for (i, month) in months.enumerated() where i % max(1, months.count / 8) == 0 {
            svg +=
                "<text x=\(String(format: "\"%.1f\"", 40 + Double(i) * step)) y=\"\(height + 18)\" font-size=\"11\" fill=\"#1a1a1a\">\(month.month)</text>\n"
        }
        let shown = states.filter { state in months.contains { ($0.standing[state] ?? 0) > 0 } }
        // The legend: a coloured square per state drawn.
        for (row, state) in shown.enumerated() {
            let color = palette[(states.firstIndex(of: state) ?? 0) % palette.count]
            let x = 40 + (row % 3) * 200
            let y = height + 30 + (row / 3) * 18
            svg += "<rect x=\"\(x)\" y=\"\(y - 10)\" width=\"11\" height=\"11\" fill=\"\(color)\"/>"
            svg +=
                "<text x=\"\(x + 16)\" y=\"\(y)\" font-size=\"11\" fill=\"#1a1a1a\">\(HTML.escape(report.definition.stateTitle(state)))</text>\n"
        }
        svg += "</svg>\n<figcaption>\(HTML.escape(note))</figcaption>\n"
        // The chart's numbers, as a table.
        svg += HTML.table(
            caption: title, header: [""] + shown.map(report.definition.stateTitle),
            rows: months.map { month in [month.month] + shown.map { state in count(month.standing[state] ?? 0, report, unmasked: unmasked) }
            })
        return svg + "</figure>\n"
    }
}
