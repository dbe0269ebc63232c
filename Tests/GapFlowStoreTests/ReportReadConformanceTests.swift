import Foundation
import Testing

@testable import GapFlow

/// The report reads each ticket through ``StoreTransaction/forEachReportTicket(workflow:openedFrom:openedBefore:fields:_:)``
/// (issue 15): a store's own answer (SQLite's one pass over an index joined with the history) gives exactly what the
/// default gives from whole tickets and histories, and the report is the same in every store.
@Suite struct ReportReadConformanceTests {
    /// The scripted life (moves, a deferral, a redaction, a purge, fired timers), then tickets in other municipalities
    /// and with other legal domains, one a minute apart, some moved on.
    private func populate(_ harness: Harness) throws -> [String] {
        var ids = try Script.lifecycle(harness)
        let engine = harness.engine
        for (index, municipality) in ["Troisdorf", "Siegburg", "Lohmar", "Troisdorf"].enumerated() {
            var values = Fixtures.gapValues
            values["municipality"] = .text(municipality)
            values["title"] = .text("Lücke \(index)")
            let id = try engine.open(workflow: Fixtures.workflow, Command(.open, actor: Fixtures.coordinator, values: values)).ticket.id
            ids.append(id)
            harness.clock.advance(by: 60)
            if index % 2 == 0 {
                try engine.fire(
                    id,
                    Command(
                        .fire(event: "forward"), actor: Fixtures.coordinator,
                        values: ["legal_domains": .text(index == 0 ? "SGB II" : "SGB VIII")]))
            }
        }
        return ids
    }

    private func read(
        _ tx: any StoreTransaction, byDefault: Bool, from: Date?, before: Date?, fields: Set<String>
    ) throws -> [ReportTicket] {
        var result: [ReportTicket] = []
        if byDefault {
            try tx.forEachReportTicketReadingEach(
                workflow: Fixtures.workflow, openedFrom: from, openedBefore: before, fields: fields
            ) { result.append($0) }
        } else {
            try tx.forEachReportTicket(workflow: Fixtures.workflow, openedFrom: from, openedBefore: before, fields: fields) {
                result.append($0)
            }
        }
        return result
    }

    @Test(arguments: StoreKind.allCases)
    func theStoresReportReadEqualsTheReadingOfWholeTicketsAndHistories(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let ids = try populate(harness)
        try harness.store.read { tx throws in
            let opened = try ids.compactMap { try tx.ticket($0)?.openedAt }  // the purged one is gone
            try #require(opened.count >= 6)
            let fieldSets: [Set<String>] = [[], ["municipality", "legal_domains"], ["municipality", "title", "no_such_field"]]
            let bounds: [(Date?, Date?)] = [
                (nil, nil), (opened[1], nil), (nil, opened[4]), (opened[1], opened[5]), (opened[4], opened[4]),
                (opened[opened.count - 1].addingTimeInterval(0.001), nil),
            ]
            for fields in fieldSets {
                for (from, before) in bounds {
                    let expected = try read(tx, byDefault: true, from: from, before: before, fields: fields)
                    let found = try read(tx, byDefault: false, from: from, before: before, fields: fields)
                    #expect(
                        found == expected,
                        "fields \(fields.sorted()), from \(String(describing: from)), before \(String(describing: before))")
                }
            }
            // The data set is varied enough to show a wrong answer: every kind of entry and field is in it.
            let all = try read(tx, byDefault: true, from: nil, before: nil, fields: ["municipality", "legal_domains"])
            #expect(all.map(\.id) == ids.filter { id in all.contains { $0.id == id } })
            #expect(all.contains { $0.moves.contains(where: \.redacted) }, "a redaction")
            #expect(all.contains { $0.moves.contains { $0.from == $0.to && !$0.redacted } }, "a deferral")
            #expect(all.contains { $0.moves.count > 3 })
            #expect(Set(all.compactMap { $0.fields["municipality"] }).count >= 3)
            #expect(all.contains { $0.fields["legal_domains"] != nil } && all.contains { $0.fields["legal_domains"] == nil })
        }
    }

    /// The report itself, field by field, as the MemoryStore (which reads whole tickets) gives it after the same life.
    @Test(arguments: StoreKind.allCases.filter { $0 != .memory })
    func theReportIsTheSameInEveryStore(kind: StoreKind) throws {
        func figures(_ harness: Harness) throws -> [String] {
            _ = try populate(harness)
            let periods: [(LocalDate?, LocalDate?)] = [
                (nil, nil), (try Fixtures.date("2026-11-26"), nil), (nil, try Fixtures.date("2026-11-26")),
                (try Fixtures.date("2028-01-01"), try Fixtures.date("2029-12-31")),
            ]
            return try periods.map { from, to in
                let report = try harness.engine.report(workflow: Fixtures.workflow, from: from, to: to)
                return [
                    String(describing: report.openPerStage),
                    report.months.map { "\($0.month) \($0.opened) \($0.finished) \($0.standing.sorted { $0.key < $1.key })" }.joined(
                        separator: ", "), String(describing: report.stageTimes),
                    String(describing: report.overdue), String(report.deferrals), String(describing: report.breakdowns),
                ].joined(separator: "\n")
            }
        }
        let expected = try figures(try Harness(.memory))
        let found = try figures(try Harness(kind))
        #expect(found == expected)
    }

    /// The stock per state at each month's end is each ticket's latest entry before the month ended, counted per
    /// state: walked month by month here, as the report once did it, over two years of moves.
    @Test(arguments: StoreKind.allCases)
    func theStockAtEachMonthsEndIsEachTicketsLatestEntryBeforeIt(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let ids = try populate(harness)
        let report = try harness.engine.report(workflow: Fixtures.workflow)
        let zone = report.definition.calendar.timeZone
        let first = try harness.store.read { tx in try ids.compactMap { try tx.ticket($0)?.openedAt }.min() }
        let ends = Engine.monthEnds(
            from: LocalDate(try #require(first), in: zone), to: LocalDate(harness.clock.now(), in: zone),
            calendar: report.definition.calendar)
        #expect(ends.count > 24)
        var expected: [String: [String: Int]] = [:]
        for id in ids {
            guard let history = try? harness.engine.history(id) else { continue }  // the purged one
            for month in ends {
                if let latest = history.sorted(by: { $0.at < $1.at }).last(where: { $0.at < month.end }) {
                    expected[month.key, default: [:]][latest.to, default: 0] += 1
                }
            }
        }
        #expect(report.months.map(\.month) == ends.map(\.key))
        for month in report.months { #expect(month.standing == (expected[month.month] ?? [:]), "\(month.month)") }
    }
}
