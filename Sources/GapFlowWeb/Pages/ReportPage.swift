import Foundation
import GapFlow
import GapFlowDocuments

/// Bericht: the monitoring report of `gapflow report`, for actors who read every ticket of a workflow (its
/// `"readers"` give one of their roles all tickets in every state). Small numbers stay masked on the web.
extension WebFront {
    /// The workflows whose report the actor may see.
    func reportable(by actor: Actor) -> [Definition] {
        definitions().filter { definition in
            guard let readers = definition.readers else { return actor.roles.contains { definition.role($0) != nil } }
            return readers.contains { $0.tickets == .all && $0.states == nil && $0.roles.contains(where: actor.roles.contains) }
        }
    }

    func reportPage(_ visit: Visit) throws -> HTTPResponse {
        let escape = HTML.escape
        let choices = reportable(by: visit.actor)
        let query = try visit.query()
        guard let definition = choices.first(where: { $0.id == query["workflow"] }) ?? (choices.count == 1 ? choices.first : nil) else {
            guard !choices.isEmpty else { throw RequestFailure.notFound }
            let links = choices.map { "<li><a href=\"/report?workflow=\(escape($0.id.urlEncoded))\">\(escape($0.title))</a></li>" }
            let body = "<h1>\(escape(texts[.reportTitle]))</h1><ul class=\"choices\">\(links.joined())</ul>"
            return visit.respond(200, page(title: texts[.reportTitle], visit: visit, body: body))
        }
        let report = try engine.report(workflow: definition.id)
        let body = """
            <h1>\(escape(texts[.reportTitle])): \(escape(definition.title))</h1>
            <p>\(escape(ReportExport.explanation(report, unmasked: false)))</p>
            <div class="report">\(ReportExport.sections(report, unmasked: false))</div>
            """
        return visit.respond(200, page(title: "\(texts[.reportTitle]): \(definition.title)", visit: visit, body: body))
    }
}
