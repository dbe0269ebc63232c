import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowDocuments

@Suite struct ReportTests {
    private let workflow = "systemic-gap-escalation"

    private func at(_ iso: String) throws -> Date { try #require(Timestamp.parse(iso)) }

    private func open(_ engine: Engine, _ clock: ManualClock, _ when: String, municipality: String) throws -> String {
        clock.set(try at(when))
        var values = Fixtures.gapValues
        values["municipality"] = .text(municipality)
        values["legal_domains"] = .text("SGB II")
        return try engine.open(workflow: workflow, Command(.open, actor: Fixtures.coordinator, values: values)).ticket.id
    }

    private func forward(_ engine: Engine, _ clock: ManualClock, _ id: String, _ when: String) throws {
        clock.set(try at(when))
        try engine.fire(id, Command(.fire(event: "forward"), actor: Fixtures.coordinator))
    }

    /// A small history whose figures are worked out by hand.
    ///
    ///   A: opened Wed 25.11.2026, forwarded Mon 30.11. → 3 business days in "Gemeldet" (26., 27., 30.)
    ///   B: opened Wed 23.12.2026, forwarded Mon 28.12. → 1 business day (24.12. closed, 25./26. holidays, 27. Sunday)
    ///   C: opened Tue 01.12.2026, still "Gemeldet"; its 10-business-day reminder fell due on 15.12. → overdue
    ///   A is overdue too: its reminder in "Prüfung KI-Leitung" fell due 10 business days after 30.11.
    private func example() throws -> (Engine, TemporaryFolder, [String]) {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock, store: .memory)
        let a = try open(engine, clock, "2026-11-25T08:00:00.000Z", municipality: "Siegburg")
        try forward(engine, clock, a, "2026-11-30T08:00:00.000Z")
        let c = try open(engine, clock, "2026-12-01T08:00:00.000Z", municipality: "Troisdorf")
        let b = try open(engine, clock, "2026-12-23T08:00:00.000Z", municipality: "Alfter")
        try forward(engine, clock, b, "2026-12-28T08:00:00.000Z")
        clock.set(try at("2026-12-28T12:00:00.000Z"))
        return (engine, folder, [a, b, c])
    }

    @Test func figuresMatchAHandComputedHistoryIncludingBusinessDaysAcrossChristmas() throws {
        let (engine, _, ids) = try example()
        let report = try engine.report(workflow: workflow)
        #expect(report.openPerStage.map { "\($0.state):\($0.count)" } == ["reported:1", "ki_review:2"])
        #expect(report.months.map { "\($0.month):\($0.opened)/\($0.finished)" } == ["2026-11:1/0", "2026-12:2/0"])
        #expect(report.months.last?.standing == ["reported": 1, "ki_review": 2])
        let reported = try #require(report.stageTimes.first { $0.state == "reported" })
        #expect(reported.stays == 2 && reported.median == 2 && abs(reported.percentile90 - 2.8) < 0.0001)
        #expect(report.overdue == [ids[0], ids[2]])
        #expect(report.breakdowns.first?.title == "Kommune")
        #expect(report.breakdowns.first?.counts.map(\.label) == ["Alfter", "Siegburg", "Troisdorf"])
        #expect(report.breakdowns[1].title == "Kommune: Gebiet")
        #expect(report.breakdowns[1].counts.map { "\($0.label):\($0.count)" } == ["Linksrheinisch:1", "Rechtsrheinisch:1", "Troisdorf:1"])
        let december = try engine.report(workflow: workflow, from: LocalDate(parsing: "01.12.2026"), to: LocalDate(parsing: "31.12.2026"))
        #expect(december.months.map(\.opened) == [2])
    }

    @Test func countsBelowFiveAreShownAsLessThanFiveUnlessInternal() throws {
        let (engine, _, _) = try example()
        let report = try engine.report(workflow: workflow)
        let masked = ReportExport.markdown(report, unmasked: false)
        #expect(masked.contains("| Gemeldet | <5 |"))
        #expect(masked.contains("| Gemeldet | <5 | k. A. | k. A. |"), "the median of two stays is withheld")
        #expect(masked.contains("Werte unter 5 werden als „<5“ angegeben"))
        #expect(!masked.contains("| Gemeldet | 1 |"))
        let unmasked = ReportExport.markdown(report, unmasked: true)
        #expect(unmasked.contains("| Gemeldet | 1 |"))
        #expect(unmasked.contains("| Gemeldet | 2 | 2 | 2,8 |"))
        #expect(unmasked.contains("Nur für den internen Gebrauch"))
        #expect(ReportExport.csv(report, unmasked: false).hasPrefix("\u{FEFF}Offene Vorgänge je Stufe\r\nStufe;Anzahl\r\nGemeldet;<5\r\n"))
        let json = try JSONParser.parse(ReportExport.json(report, unmasked: false).compact)
        #expect(json["openPerStage"]?["reported"]?.string == "<5")
    }

    @Test func theHTMLReportHasChartsWithTextAlternativesAndTheNumbersBesideThem() throws {
        let (engine, _, _) = try example()
        let html = ReportExport.html(try engine.report(workflow: workflow), unmasked: true)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"de\">"))
        #expect(html.contains("<svg role=\"img\" aria-labelledby=\"stages-title stages-desc\""))
        #expect(html.contains("<title id=\"flow-title\">Bestand je Stufe am Monatsende</title>"))
        #expect(html.contains("<caption>Bestand je Stufe am Monatsende</caption>"))
        #expect(html.components(separatedBy: "<figure>").count - 1 == 3)
        #expect(
            html.components(separatedBy: "<figcaption>Die Zahlen stehen in der Tabelle neben dem Diagramm.</figcaption>").count - 1 == 3)
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
    }
}

/// The report keeps stay lengths as a histogram; its quantiles must equal those over the sorted values.
@Suite struct ReportPercentileTests {
    @Test(arguments: 0..<8)
    func histogramQuantilesEqualQuantilesOfTheSortedValues(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed))
        let values = (0..<(1 + Int(random.next() % 40))).map { _ in Int(random.next() % 30) }
        var histogram: [Int: Int] = [:]
        for value in values { histogram[value, default: 0] += 1 }
        let sorted = values.sorted().map(Double.init)
        for p in [0.0, 0.1, 0.5, 0.9, 1.0] {
            let position = p * Double(sorted.count - 1)
            let lower = Int(position.rounded(.down))
            let upper = min(lower + 1, sorted.count - 1)
            let expected = sorted.count > 1 ? sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower)) : sorted[0]
            #expect(abs(Engine.percentile(histogram, p) - expected) < 1e-9, "p=\(p) values=\(values)")
        }
    }
}
