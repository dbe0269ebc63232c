import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowDocuments

/// User text in Markdown and HTML documents is shown as text: no markup, no links, no headings (issue "Hardening").
@Suite struct MarkdownEscapingTests {

    private let agendaHeadings = ["# Tagesordnung: ", "## TOP ", "### TOP "]

    @Test(arguments: HostileText.samples)
    func markdownDocumentsShowUserTextAsText(text: String) throws {
        let agenda = try HostileText.agenda(text)
        let definition = agenda.definition
        let documents: [(String, String, [String])] = [
            ("agenda", AgendaExport.markdown(agenda), agendaHeadings),
            (
                "minutes",
                MinutesExport.markdown(try HostileText.minutes(definition, text)),
                ["# Niederschrift: ", "## TOP ", "### TOP ", "## Beschlüsse im Umlaufverfahren", "## Beschlussliste", "## Berichtigungen"]
            ),
            (
                "paper", try PaperExport.markdown(HostileText.ticket(definition, text), definition),
                [
                    "# Beschlussvorlage ", "## Betreff", "## Sachverhalt", "## Beschlussvorschlag", "## Finanzielle Auswirkungen",
                    "## Beteiligte Stellen", "## Bisherige Beratungen", "## Auftrag und Lösungsansatz", "## Anlagen",
                ]
            ),
            ("report", ReportExport.markdown(HostileText.report(definition, text), unmasked: false), ["# Bericht: ", "## "]),
            ("feedback", FeedbackExport.markdown(HostileText.feedback(definition, text), definition), ["# Rückmeldung", "## "]),
        ]
        for (name, markdown, headings) in documents {
            #expect(HostileText.markdownProblems(markdown, headings: headings) == [], "\(name):\n\(markdown)")
        }
        // The report's "##" headings are its own: a heading made of user text must not start a line.
        #expect(!ReportExport.markdown(HostileText.report(definition, "x\n# Kopf"), unmasked: false).contains("\n# Kopf"))
    }

    @Test func markdownEscapesWhatWouldBeMarkupAndKeepsTheWords() throws {
        let markdown = AgendaExport.markdown(try HostileText.agenda("<script>alert(1)</script> [klick](javascript:alert(1)) | *fett*"))
        #expect(markdown.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\[klick\\](javascript:alert(1)) \\| \\*fett\\*"))
        #expect(!markdown.contains("<script"))
        // A masked count and ordinary punctuation stay readable.
        let paper = try PaperExport.markdown(
            HostileText.ticket(try Fixtures.kimDefinition(), "Kita-Plätze in Hennef (Sieg): 5 < 12, \"dringend\"."),
            try Fixtures.kimDefinition())
        #expect(paper.contains("\n\nKita-Plätze in Hennef (Sieg): 5 < 12, \"dringend\".\n\n"))
    }

    @Test func theExplanationOfAHostileWorkflowShowsItsTextsAsText() throws {
        let definition = try Fixtures.definition(HostileText.definition)
        let markdown = ExplainExport.markdown(definition)
        let problems = HostileText.markdownProblems(markdown, headings: ["# Böse", "## Who", "## How", "## Offen", "## Fertig"])
        #expect(problems == [], "\(markdown)")
        let html = ExplainExport.html(definition)
        #expect(!html.contains("<script") && !html.contains("<b>") && !html.contains("<i>"))
        #expect(html.contains("&lt;script&gt;x&lt;/script&gt;"))
        #expect(!html.contains("&amp;lt;") && !html.contains("\\["))
    }
}
