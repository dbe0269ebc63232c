import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowDocuments

@Suite struct DiagramTests {
    let definition: Definition

    init() throws {
        definition = try Fixtures.kimDefinition()
    }

    @Test func mermaidHasEveryStateAndTransitionWithItsTitles() {
        let mermaid = DiagramExport.mermaid(definition)
        #expect(mermaid.hasPrefix("stateDiagram-v2\n"))
        for state in definition.states {
            #expect(mermaid.contains("state \"\(state.title.replacingOccurrences(of: ":", with: "#58;"))"), "\(state.id)")
            #expect(mermaid.contains(" as \(state.id)\n"))
        }
        for transition in definition.transitions {
            for source in transition.from {
                #expect(
                    mermaid.contains(
                        "    \(source) --> \(transition.target(from: source)): \(transition.title.replacingOccurrences(of: ":", with: "#58;"))"
                    ))
            }
        }
        #expect(mermaid.contains("    [*] --> reported\n"))
        #expect(mermaid.contains("    closed --> [*]\n") && mermaid.contains("    merged --> [*]\n"))
        #expect(mermaid.contains("Frist#58; 10 Arbeitstage vor Frist – an Projektgruppe"))
        // Every line is a statement Mermaid knows: a state, an edge, or a class.
        for line in mermaid.split(separator: "\n").dropFirst() {
            #expect(line.hasPrefix("    state \"") || line.contains(" --> ") || line.hasPrefix("    class"), "\(line)")
        }
    }

    @Test func dotIsAcceptedByGraphviz() throws {
        let dot = DiagramExport.dot(
            definition,
            annotations: DiagramExport.Annotations(
                counts: ["reported": (3, 1)], path: [("reported", "ki_review", "forward")], current: "ki_review"))
        #expect(
            dot.contains(
                "\"reported\" -> \"ki_review\" [label=\"An KI-Leitung weiterleiten [CM-Koordination]\", color=\"#1f4e79\", penwidth=2.5];"))
        #expect(dot.contains("\"reported\" -> \"ki_review\" [label=\"Automatisch an KI-Leitung eskaliert [Timer]\", style=dashed];"))
        #expect(dot.contains("offen: <5, überfällig: <5"), "small counts are masked unless internal")
        var internalFigures = DiagramExport.Annotations(counts: ["reported": (3, 1)])
        internalFigures.unmasked = true
        #expect(DiagramExport.dot(definition, annotations: internalFigures).contains("offen: 3, überfällig: 1"))
        #expect(dot.contains("\"closed\" [label=\"Abgeschlossen\", peripheries=2];"))
        // Every line is a statement of the DOT grammar, and braces and quotes balance.
        let lines = dot.split(separator: "\n")
        #expect(lines.first == "digraph \"systemic-gap-escalation\" {" && lines.last == "}")
        for line in lines.dropFirst().dropLast() {
            #expect(line.hasPrefix("    ") && line.hasSuffix("];") || line.hasSuffix(";"), "\(line)")
            #expect(line.replacingOccurrences(of: "\\\"", with: "").filter { $0 == "\"" }.count % 2 == 0, "\(line)")
        }
        // Graphviz itself, where it is installed (.ci/run installs it; a fresh machine may not have it).
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/dot") else { return }
        let graphviz = Process()
        graphviz.executableURL = URL(fileURLWithPath: "/usr/bin/dot")
        graphviz.arguments = ["-Tsvg", "-o", "/dev/null"]
        let input = Pipe()
        graphviz.standardInput = input
        try graphviz.run()
        try input.fileHandleForWriting.write(contentsOf: Data(dot.utf8))
        try input.fileHandleForWriting.close()
        graphviz.waitUntilExit()
        #expect(graphviz.terminationStatus == 0)
    }

    @Test func theREADMEShowsTheCurrentKIMDiagram() throws {
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(
            readme.contains("```mermaid\n" + DiagramExport.mermaid(definition) + "```"),
            "regenerate it with `gapflow diagram Workflows/systemic-gap-escalation.json`")
    }

    @Test func theExplanationSaysWhoDoesWhatAndWhichDeadlinesApply() {
        let text = ExplainExport.markdown(definition)
        #expect(
            text.contains(
                "## Vorlage Lenkungsgruppe\n\nDie Lücke wartet auf die nächste Sitzung der Lenkungsgruppe.\n\n**Zuständig:** Geschäftsstelle der Lenkungsgruppe"
            ))
        #expect(
            text.contains(
                "- **Vertagen** (Geschäftsstelle der Lenkungsgruppe) bleibt in dieser Stufe; benötigt: Beschlussvermerk (jeweils neu)"))
        #expect(
            text.contains(
                "- **Projektgruppe beauftragen** (Geschäftsstelle der Lenkungsgruppe) führt zu *Bearbeitung Projektgruppe*; benötigt: Projektgruppe, Auftrag, Frist, Beschlussvermerk (jeweils neu); Bedingung: die Frist muss in der Zukunft liegen"
            ))
        #expect(text.contains("- Nach 20 Arbeitstagen: Nachricht an KI-Leitung; löst aus „Automatisch an KI-Leitung eskaliert“"))
        #expect(text.contains("- Jede Meldung endet mit einer Rückmeldung an die CMs. (geprüft am Ablauf)"))
        let html = ExplainExport.html(definition)
        #expect(html.contains("<li><strong>Vertagen</strong> (Geschäftsstelle der Lenkungsgruppe) bleibt in dieser Stufe;"))
        #expect(html.components(separatedBy: "<ul>").count == html.components(separatedBy: "</ul>").count)
    }
}
