import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowDocuments

/// Cells a spreadsheet would run as formulas are neutralised; every cell with a line break is quoted (issue
/// "Hardening", CSV injection).
@Suite struct CSVEscapingTests {

    @Test(arguments: HostileText.samples)
    func noCSVCellRunsAsAFormula(text: String) throws {
        let agenda = try HostileText.agenda(text)
        let definition = agenda.definition
        for (name, csv) in [
            ("agenda", AgendaExport.csv(agenda)),
            ("minutes", MinutesExport.csv(definition: definition, resolutions: HostileText.resolutions(definition, text))),
            ("report", ReportExport.csv(HostileText.report(definition, text), unmasked: true)),
        ] {
            #expect(HostileText.formulaCells(csv).isEmpty, "\(name): \(HostileText.formulaCells(csv))")
            #expect(csv.hasPrefix("\u{FEFF}"), "\(name)")
            // Every record has as many cells as the header: a line break inside a cell is quoted.
            let rows = HostileText.csvRows(csv)
            if name != "report" { #expect(Set(rows.map(\.count)).count == 1, "\(name): \(rows.map(\.count))") }
            // The text itself survives, with its quote mark where it was neutralised.
            #expect(rows.joined().contains(text) || rows.joined().contains("'" + text), "\(name)")
        }
    }

    @Test func aFormulaCellIsQuotedWithAQuoteMarkAndAPlainNegativeNumberStaysANumber() throws {
        let csv = AgendaExport.csv(try HostileText.agenda("=HYPERLINK(\"https://example.org\";\"klick\")"))
        #expect(csv.contains(";\"'=HYPERLINK(\"\"https://example.org\"\";\"\"klick\"\")\";"))
        #expect(csv.contains(";25.11.2026;-3;0\r\n"))
        let report = ReportExport.csv(HostileText.report(try Fixtures.kimDefinition(), "x"), unmasked: true)
        #expect(report.contains("\r\n-3;2\r\n"))
    }

    @Test func aCellWithAWindowsLineBreakIsQuoted() throws {
        let csv = MinutesExport.csv(
            definition: try Fixtures.kimDefinition(),
            resolutions: HostileText.resolutions(try Fixtures.kimDefinition(), "Zeile 1\r\nZeile 2"))
        #expect(csv.contains(";\"Zeile 1\r\nZeile 2\";"))
        #expect(HostileText.csvRows(csv).count == 2)
    }
}
