import Foundation
import GapFlow

/// Renders a monitoring report as Markdown, CSV, JSON or an accessible HTML page with inline SVG charts.
///
/// Counts below 5 are shown as "<5" (they might point to persons) unless the report is for internal use.
public enum ReportExport {
    struct Words {
        let title, period, all, openPerStage, stage, count, months, month, opened, finished, stageTimes, stays, median, p90, overdue,
            deferrals, breakdowns, value, small, chartNote, flow: String

        static func forLanguage(_ language: String) -> Words {
            language == "de"
                ? Words(
                    title: "Bericht", period: "Zeitraum", all: "gesamt", openPerStage: "Offene Vorgänge je Stufe", stage: "Stufe",
                    count: "Anzahl",
                    months: "Eröffnet und abgeschlossen je Monat", month: "Monat", opened: "eröffnet", finished: "abgeschlossen",
                    stageTimes: "Bearbeitungszeit je Stufe (Arbeitstage)", stays: "Durchläufe", median: "Median", p90: "90. Perzentil",
                    overdue: "Überfällige Vorgänge", deferrals: "Vertagungen",
                    breakdowns: "Aufschlüsselung der im Zeitraum eröffneten Vorgänge",
                    value: "Wert", small: "Werte unter 5 werden als „<5“ angegeben.",
                    chartNote: "Die Zahlen stehen in der Tabelle neben dem Diagramm.",
                    flow: "Bestand je Stufe am Monatsende")
                : Words(
                    title: "Report", period: "Period", all: "all", openPerStage: "Open tickets per stage", stage: "Stage", count: "Count",
                    months: "Opened and finished per month", month: "Month", opened: "opened", finished: "finished",
                    stageTimes: "Time per stage (business days)", stays: "Stays", median: "Median", p90: "90th percentile",
                    overdue: "Overdue tickets", deferrals: "Deferrals", breakdowns: "Breakdown of tickets opened in the period",
                    value: "Value",
                    small: "Counts below 5 are shown as \"<5\".", chartNote: "The numbers are in the table beside the chart.",
                    flow: "Tickets per stage at the end of each month")
        }
    }

    static func count(_ value: Int, unmasked: Bool) -> String { unmasked || value == 0 || value >= 5 ? String(value) : "<5" }

    /// Business days with at most one decimal, German style ("5,5").
    static func days(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10),\(abs(tenths % 10))"
    }

    static func period(_ report: Report) -> String {
        let date = { (day: LocalDate?) in day.map { report.definition.language == "de" ? $0.german : $0.iso8601 } }
        switch (date(report.from), date(report.to)) {
        case (nil, nil): return Words.forLanguage(report.definition.language).all
        case (let from?, nil): return "ab \(from)"
        case (nil, let to?): return "bis \(to)"
        case (let from?, let to?): return "\(from) – \(to)"
        }
    }

    /// The report's tables as (heading, header row, rows): every format renders the same numbers.
    static func tables(_ report: Report, unmasked: Bool) -> [(String, [String], [[String]])] {
        let words = Words.forLanguage(report.definition.language)
        let definition = report.definition
        var tables: [(String, [String], [[String]])] = [
            (
                words.openPerStage, [words.stage, words.count],
                report.openPerStage.map { [definition.stateTitle($0.state), count($0.count, unmasked: unmasked)] }
            ),
            (
                words.months, [words.month, words.opened, words.finished],
                report.months.map { [$0.month, count($0.opened, unmasked: unmasked), count($0.finished, unmasked: unmasked)] }
            ),
            (
                words.stageTimes, [words.stage, words.stays, words.median, words.p90],
                report.stageTimes.map {
                    [definition.stateTitle($0.state), count($0.stays, unmasked: unmasked), days($0.median), days($0.percentile90)]
                }
            ),
            (
                words.overdue, [words.count] + (unmasked ? ["Vorgänge"] : []),
                [[count(report.overdue.count, unmasked: unmasked)] + (unmasked ? [report.overdue.joined(separator: ", ")] : [])]
            ),
            (words.deferrals, [words.count], [[count(report.deferrals, unmasked: unmasked)]]),
        ]
        for (title, counts) in report.breakdowns {
            tables.append((title, [words.value, words.count], counts.map { [$0.label, count($0.count, unmasked: unmasked)] }))
        }
        return tables
    }

    /// The report as Markdown; titles from the workflow file and values from tickets are escaped
    /// (``Markdown/escape(_:atLineStart:)``).
    public static func markdown(_ report: Report, unmasked: Bool) -> String {
        let words = Words.forLanguage(report.definition.language)
        var out = "# \(words.title): \(Markdown.escape(report.definition.title))\n\n**\(words.period):** \(period(report))"
        out += " · \(Timestamp.german(report.generatedAt))\n"
        if !unmasked { out += "\n\(words.small)\n" }
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
        let number = { (value: Int) -> JSONValue in unmasked || value == 0 || value >= 5 ? .integer(value) : .string("<5") }
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
                            ("state", .string($0.state)), ("stays", number($0.stays)), ("medianBusinessDays", .string(days($0.median))),
                            ("p90BusinessDays", .string(days($0.percentile90))),
                        ])
                    })
            ),
            ("overdue", number(report.overdue.count)), ("deferrals", number(report.deferrals)),
            (
                "breakdowns",
                .array(
                    report.breakdowns.map {
                        .object([("title", .string($0.title)), ("counts", .object($0.counts.map { ($0.label, number($0.count)) }))])
                    })
            ),
        ])
    }
}

extension ReportExport {
    /// One self-contained, printable page: every chart is inline SVG with a text alternative, and the numbers stand
    /// in a table beside it. Charts draw only counts that may be shown; masked ones ("<5") have no bar.
    public static func html(_ report: Report, unmasked: Bool) -> String {
        let words = Words.forLanguage(report.definition.language)
        let definition = report.definition
        let visible = { (value: Int) in unmasked || value >= 5 ? value : 0 }
        var body = "<header>\n<h1>\(HTML.escape("\(words.title): \(definition.title)"))</h1>\n<p class=\"meta\">"
        body += HTML.escape("\(words.period): \(period(report)) · \(Timestamp.german(report.generatedAt))") + "</p>\n"
        if !unmasked { body += "<p>\(HTML.escape(words.small))</p>\n" }
        body += "</header>\n<main>\n"
        let tables = tables(report, unmasked: unmasked)
        for (index, (heading, header, rows)) in tables.enumerated() {
            body += "<section>\n<h2>\(HTML.escape(heading))</h2>\n"
            if index == 0 {
                body += barChart(
                    id: "stages", title: heading, bars: report.openPerStage.map { (definition.stateTitle($0.state), visible($0.count)) },
                    note: words.chartNote)
            } else if index == 1 {
                body += flowChart(report, title: words.flow, visible: visible, note: words.chartNote)
            } else if index == 5 {
                body += barChart(
                    id: "breakdown", title: heading, bars: report.breakdowns.first?.counts.map { ($0.label, visible($0.count)) } ?? [],
                    note: words.chartNote)
            }
            body += HTML.table(caption: nil, header: header, rows: rows) + "</section>\n"
        }
        body += "</main>"
        return HTML.page(title: "\(words.title): \(definition.title)", language: definition.language, body: body)
    }

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
    static func flowChart(_ report: Report, title: String, visible: (Int) -> Int, note: String) -> String {
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
            rows: months.map { month in [month.month] + shown.map { state in count(month.standing[state] ?? 0, unmasked: visible(1) == 1) }
            })
        return svg + "</figure>\n"
    }
}
