import Foundation
import GapFlow
import Testing

/// Case counts under 5 leave the coordination as "<5" in every document and format; `--internal` shows them as they
/// are, and only to an actor (`--as`) whose role the workflow allows (KIM: CM coordination, KI lead).
@Suite struct SmallNumbersCommandTests {
    /// A gap with two observed cases, tabled for the steering group's meeting, and one with twelve.
    private func agendaWithASmallCount(_ shell: Shell) throws -> String {
        try shell.prepareKIM()
        var ids: [String] = []
        for (title, cases) in [("Dolmetscher fehlen", "2"), ("Kita-Plätze fehlen", "12")] {
            let opened = shell.run(
                "open", "systemic-gap-escalation", "--as", "cm.siegburg", "--set", "title=\(title)", "--set", "description=Struktur",
                "--set", "legal_domains=SGB II", "--set", "cases_observed=\(cases)")
            try #require(opened.status == 0, "\(opened.errors)")
            let id = opened.output.trimmingCharacters(in: .whitespacesAndNewlines)
            try #require(shell.run("fire", id, "forward").status == 0)
            try #require(shell.run("fire", id, "table", "--as", "ki.leitung", "--set", "proposal=Vorschlag").status == 0)
            ids.append(id)
        }
        try #require(
            shell.run("meeting", "add", "--date", "10.12.2026", "--title", "Lenkungsgruppe").status == 0)
        return ids[0]
    }

    @Test func everyAgendaFormatMasksASmallCaseCountUnlessInternalForAnAllowedRole() throws {
        let shell = Shell()
        _ = try agendaWithASmallCount(shell)
        for format in ["md", "html", "csv", "json"] {
            let masked = shell.run("agenda", "--format", format)
            #expect(masked.status == 0, "\(format): \(masked.errors)")
            #expect(masked.output.contains("<5") || masked.output.contains("&lt;5"), "\(format)")
            #expect(masked.output.contains("12"), "\(format): counts of 5 and more are shown")
            #expect(!masked.output.contains("Fälle:** 2") && !masked.output.contains("\"cases_observed\": 2"), "\(format)")
            let unmasked = shell.run("agenda", "--format", format, "--internal", "--as", "koordination")
            #expect(unmasked.status == 0, "\(format): \(unmasked.errors)")
            #expect(!unmasked.output.contains("<5") && !unmasked.output.contains("&lt;5"), "\(format)")
        }
        #expect(shell.run("agenda").output.contains("- **Anzahl beobachteter Fälle:** <5"))
        #expect(shell.run("agenda", "--internal", "--as", "ki.leitung").output.contains("- **Anzahl beobachteter Fälle:** 2"))
        #expect(shell.run("agenda", "--internal", "--as", "ki.leitung").output.contains("Nur für den internen Gebrauch"))
        let json = try JSONParser.parse(shell.run("agenda", "--format", "json").output)
        let fields = json["points"]?.elements?[3]["items"]?.elements?.first?["ticket"]?["fields"]
        #expect(fields?["cases_observed"]?.string == "<5")
        #expect(json["internal"]?.value == .bool(false))
    }

    @Test func internalFiguresAreRefusedToRolesTheWorkflowDoesNotAllow() throws {
        let shell = Shell()
        let id = try agendaWithASmallCount(shell)
        let commands: [[String]] = [
            ["agenda"], ["paper", id], ["report"], ["minutes", "--meeting", "1"], ["feedback-report"],
            ["diagram", "systemic-gap-escalation", "--counts"],
        ]
        for command in commands {
            let refused = shell.run(command + ["--internal", "--as", "geschaeftsstelle"])
            #expect(refused.status == 1, "\(command)")
            #expect(
                refused.errors.contains(
                    "geschaeftsstelle may not see internal figures of \"systemic-gap-escalation\": that needs one of the roles cm_coordination, ki_lead"
                ),
                "\(command): \(refused.errors)")
            #expect(refused.output.isEmpty, "\(command)")
            #expect(shell.run(command + ["--internal", "--as", "koordination"]).status == 0, "\(command)")
        }
    }

    @Test func thePaperTheReportAndTheDiagramMaskSmallNumbers() throws {
        let shell = Shell()
        let id = try agendaWithASmallCount(shell)
        #expect(shell.run("paper", id).output.contains("- **Anzahl beobachteter Fälle:** <5"))
        #expect(shell.run("paper", id, "--internal", "--as", "koordination").output.contains("- **Anzahl beobachteter Fälle:** 2"))
        let report = shell.run("report", "--format", "json")
        #expect(try JSONParser.parse(report.output)["openPerStage"]?["awaiting_steering"]?.string == "<5")
        #expect(shell.run("report", "--format", "json", "--internal", "--as", "koordination").output.contains("\"awaiting_steering\": 2"))
        let diagram = shell.run("diagram", "systemic-gap-escalation", "--counts", "--format", "dot")
        #expect(diagram.output.contains("offen: <5"))
        #expect(
            shell.run("diagram", "systemic-gap-escalation", "--counts", "--format", "dot", "--internal", "--as", "koordination").output
                .contains("offen: 2"))
    }
}
