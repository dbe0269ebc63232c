import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowDocuments

/// Every HTML document escapes user text through `HTML.escape` (issue "Hardening": verified, not changed).
@Suite struct HTMLEscapingTests {
    @Test func everyHTMLDocumentEscapesAScriptInATitle() throws {
        let text = "<script>alert(1)</script>"
        let agenda = try HostileText.agenda(text)
        let definition = agenda.definition
        let documents = [
            ("agenda", AgendaExport.html(agenda)),
            ("minutes", MinutesExport.html(try HostileText.minutes(definition, text))),
            ("paper", try PaperExport.html(HostileText.ticket(definition, text), definition)),
            ("report", ReportExport.html(HostileText.report(definition, text), unmasked: true)),
            ("feedback", FeedbackExport.html(HostileText.feedback(definition, text), definition)),
        ]
        for (name, html) in documents {
            #expect(!html.contains("<script"), "\(name)")
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(name)")
        }
    }
}
