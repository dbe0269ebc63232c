import Foundation
import GapFlow
import Testing

@testable import GapFlowCLI

/// `import-csv`: Excel's CSV (semicolons, UTF-8 with or without BOM, German dates), all rows or none.
@Suite struct ImportCSVTests {
    private let maps = [
        "--map", "Titel=title", "--map", "Beschreibung=description", "--map", "Kommune=municipality", "--map", "Fälle=cases_observed",
        "--map", "Rechtskreise=legal_domains",
    ]

    private func write(_ shell: Shell, _ name: String, _ text: String, bom: Bool = false) throws -> String {
        let url = shell.folder.appendingPathComponent(name)
        try Data((bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)).write(to: url)
        return url.path
    }

    @Test(arguments: [true, false])
    func anExcelListIsImportedAsOneTicketPerRow(bom: Bool) throws {
        let shell = Shell()
        try shell.prepareKIM()
        let file = try write(
            shell, "liste.csv",
            "Titel;Beschreibung;Kommune;Fälle;Rechtskreise\r\n"
                + "Keine Kinderbetreuung;\"Kurse; ohne \"\"Betreuung\"\"\";Siegburg;4;SGB II,AufenthG\r\n"
                + "Lange Wartezeiten;Termine dauern;Troisdorf;7;\r\n", bom: bom)
        let result = shell.run(["import-csv", file, "--workflow", "systemic-gap-escalation", "--as", "koordination"] + maps)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("opened 2 tickets: GAP-2026-0001 … GAP-2026-0002"))
        let show = try JSONParser.parse(shell.run("show", "GAP-2026-0001", "--json").output)
        #expect(show["fields"]?["description"]?.string == "Kurse; ohne \"Betreuung\"")
        #expect(show["fields"]?["legal_domains"]?.elements?.compactMap(\.string) == ["SGB II", "AufenthG"])
    }

    @Test func everyRefusedRowIsListedWithLineAndColumnAndNothingIsOpened() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let file = try write(
            shell, "liste.csv",
            "Titel;Beschreibung;Kommune;Fälle;Rechtskreise\n" + "A;Text;Siegburg;3;\n" + "B;Text;Bonn;3;\n" + "A;Text;Siegburg;3;\n"
                + "C;Text;Siegburg;null;SGB XX\n" + "D;Text;Siegburg\n")
        let result = shell.run(["import-csv", file, "--workflow", "systemic-gap-escalation", "--as", "koordination"] + maps)
        #expect(result.status == 1)
        #expect(result.errors.contains("liste.csv:4: the row repeats line 2"))
        #expect(result.errors.contains("liste.csv:6: the row has 3 cells, the header 5"))
        #expect(shell.run("list", "--json").output.filter { !$0.isWhitespace } == "[]")
        // With the structural problems fixed, the values are checked: every refused row, with its column.
        let values = try write(
            shell, "werte.csv",
            "Titel;Beschreibung;Kommune;Fälle;Rechtskreise\nA;Text;Siegburg;3;\nB;Text;Bonn;3;\nC;Text;Siegburg;null;SGB XX\n")
        let checked = shell.run(["import-csv", values, "--workflow", "systemic-gap-escalation", "--as", "koordination"] + maps)
        #expect(checked.status == 1)
        #expect(checked.errors.contains("werte.csv:3, column \"Kommune\""))
        #expect(checked.errors.contains("werte.csv:4, column \"Fälle\""))
        #expect(checked.errors.contains("werte.csv:4, column \"Rechtskreise\""))
        #expect(shell.run("list", "--json").output.filter { !$0.isWhitespace } == "[]")
        #expect(
            shell.run(
                "open", "systemic-gap-escalation", "--as", "koordination", "--set", "title=x", "--set", "description=y", "--set",
                "municipality=Siegburg"
            ).output.contains("GAP-2026-0001"))
    }

    @Test func aWrongOrUnmappedColumnIsRefused() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let file = try write(shell, "liste.csv", "Titel;Beschreibung;Kommune;Fälle;Rechtskreise;Nr.\nA;B;Siegburg;3;;1\n")
        let base = ["import-csv", file, "--workflow", "systemic-gap-escalation", "--as", "koordination"]
        let unmapped = shell.run(base + maps)
        #expect(unmapped.status == 2 && unmapped.errors.contains("column \"Nr.\" of liste.csv is neither mapped nor ignored"))
        let wrong = shell.run(base + maps + ["--ignore", "Nr.", "--map", "Gemeinde=municipality"])
        #expect(wrong.status == 2 && wrong.errors.contains("liste.csv has no column \"Gemeinde\""))
        #expect(shell.run(base + maps + ["--ignore", "Nr."]).status == 0)
    }
}
