import Foundation
import GapFlow
import GapFlowDocuments

/// The frame every page shares: language, skip link, navigation, the signed-in user and the logout button.
extension WebFront {
    func page(title: String, visit: Visit?, body: String) -> String {
        let escape = HTML.escape
        var header = "<header class=\"site\"><p class=\"site-title\"><a href=\"/\">\(escape(texts[.siteTitle]))</a></p>"
        if let visit {
            let roles = visit.actor.roles.map { roleTitle($0) }.joined(separator: ", ")
            header += """
                <p class="user">\(escape(texts(.signedInAs, ["name": visit.actor.name, "roles": roles])))</p>
                <form method="post" action="/logout" class="logout">\(csrfField(visit))<button type="submit" class="secondary">\(escape(texts[.logout]))</button></form>
                <nav aria-label="\(escape(texts[.navigationLabel]))"><ul>
                <li><a href="/queue">\(escape(texts[.navQueue]))</a></li>
                <li><a href="/tickets">\(escape(texts[.navTickets]))</a></li>
                <li><a href="/new">\(escape(texts[.navNew]))</a></li>
                \(reportable(by: visit.actor).isEmpty ? "" : "<li><a href=\"/report\">\(escape(texts[.navReport]))</a></li>")
                </ul></nav>
                """
        }
        header += "</header>"
        return """
            <!DOCTYPE html>
            <html lang="\(escape(texts.language))">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) – \(escape(texts[.siteTitle]))</title>
            <link rel="stylesheet" href="/static/gapflow.css">
            </head>
            <body>
            <a class="skip-link" href="#main">\(escape(texts[.skipLink]))</a>
            \(header)
            <main id="main" tabindex="-1">
            \(body)
            </main>
            </body>
            </html>

            """
    }

    /// The optional comment of a form, with its error message (personal data found in it) next to it.
    func commentBox(id: String, value: String, error: String?) -> String {
        let escape = HTML.escape
        let message = error.map { "<p class=\"error-message\" id=\"\(id)-error\">\(escape($0))</p>" } ?? ""
        let described = error == nil ? "" : " aria-describedby=\"\(id)-error\" aria-invalid=\"true\""
        return "<div class=\"field\(error == nil ? "" : " field-error")\"><label for=\"\(id)\">\(escape(texts[.ticketComment])) "
            + "<span class=\"optional\">\(escape(texts[.optional]))</span></label>\(message)"
            + "<textarea id=\"\(id)\" name=\"comment\" rows=\"2\"\(described)>\(escape(value))</textarea></div>"
    }

    func csrfField(_ visit: Visit) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(visit.session.csrfToken))\">"
    }

    /// A role's title from the first workflow that declares it.
    func roleTitle(_ role: String) -> String {
        definitions().lazy.compactMap { $0.role(role)?.title }.first ?? role
    }

    /// The newest version of every registered workflow.
    func definitions() -> [Definition] {
        ((try? engine.workflowIDs()) ?? []).compactMap { try? engine.definition($0) }
    }

    /// `24.12.2026, 14:05 Uhr` in Berlin time.
    func dateTime(_ date: Date) -> String {
        let parts = Timestamp.german(date).split(separator: " ").map(String.init)
        guard parts.count == 2 else { return Timestamp.german(date) }
        return texts(.dateTime, ["date": parts[0], "time": parts[1]])
    }

    func date(_ date: Date) -> String { LocalDate(date, in: .berlin).german }

    /// An error summary (GOV.UK pattern): a focusable box at the top listing each problem as a link to its field.
    func errorSummary(_ problems: [(anchor: String?, message: String)]) -> String {
        guard !problems.isEmpty else { return "" }
        let items = problems.map { problem in
            problem.anchor.map { "<li><a href=\"#\(HTML.escape($0))\">\(HTML.escape(problem.message))</a></li>" }
                ?? "<li>\(HTML.escape(problem.message))</li>"
        }
        return """
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
            <h2 id="error-summary-title">\(HTML.escape(texts[.errorSummary]))</h2>
            <ul>\(items.joined())</ul>
            </div>
            """
    }

    // MARK: - Error pages

    func errorPage(_ failure: RequestFailure, request: HTTPRequest) -> HTTPResponse {
        let (title, text): (PageTexts.Key, PageTexts.Key) =
            switch failure {
            case .badRequest: (.badRequestTitle, .badRequestText)
            case .forbidden: (.forbiddenTitle, .forbiddenText)
            case .notFound: (.notFoundTitle, .notFoundText)
            case .methodNotAllowed: (.methodTitle, .methodText)
            case .conflict: (.conflictTitle, .conflictText)
            case .tooLarge: (.tooLargeTitle, .tooLargeText)
            case .unavailable: (.unavailableTitle, .unavailableText)
            case .failure: (.failureTitle, .failureText)
            }
        let body = """
            <h1>\(HTML.escape(texts[title]))</h1>
            <p>\(HTML.escape(texts[text]))</p>
            <p><a href="/queue">\(HTML.escape(texts[.backHome]))</a></p>
            """
        var headers = [("Content-Type", "text/html; charset=utf-8")]
        if case .methodNotAllowed(let allowed) = failure {
            headers.append(("Allow", (allowed + (allowed.contains("GET") ? ["HEAD"] : [])).joined(separator: ", ")))
        }
        return HTTPResponse(status: failure.status, headers: headers, body: Array(page(title: texts[title], visit: nil, body: body).utf8))
    }
}
