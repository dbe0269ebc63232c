import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

@Suite struct SimilarTests {
    @Test func aPlantedNearDuplicateOfASampleGapRanksFirst() throws {
        let shell = Shell()
        _ = try shell.runDemo(into: "demo.sqlite")
        let planted = shell.run(
            "open", "systemic-gap-escalation", "--db", "demo.sqlite", "--as", "cm.siegburg",
            "--set", "title=Seiteneinsteigende Kinder warten auf Schulplätze",
            "--set", "description=Neu zugewanderte Kinder warten monatelang auf einen Platz in einer Vorbereitungsklasse.",
            "--set", "legal_domains=SGB VIII", "--set", "field_of_action=Bildung", "--set", "target_group=Seiteneinsteigende Kinder")
        try #require(planted.status == 0, "\(planted.errors)")
        let id = planted.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let ranking = try #require(try JSONParser.parse(shell.run("similar", id, "--db", "demo.sqlite", "--json").output).elements)
        #expect(ranking.first?["ticket"]?.string == "GAP-2026-0011")
        let reasons = ranking.first?["reasons"]?.elements?.compactMap(\.string) ?? []
        #expect(reasons.contains("Rechtskreise: SGB VIII"))
        #expect(reasons.contains("Kommune: Siegburg"))
        #expect(reasons.contains { $0.hasPrefix("wording") && $0.contains("seiteneinsteigende") })
        #expect((ranking.first?["score"]?.integer ?? 0) > (ranking.dropFirst().first?["score"]?.integer ?? 100))
        #expect(!ranking.contains { $0["ticket"]?.string == id })
    }
}
