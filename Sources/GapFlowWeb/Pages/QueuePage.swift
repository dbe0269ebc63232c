import Foundation
import GapFlow
import GapFlowDocuments

/// Meine Aufgaben and Vorgänge: what waits for the actor (the rule of `gapflow queue`), and every ticket the actor
/// may read, filtered and paged.
extension WebFront {
    func queuePage(_ visit: Visit) throws -> HTTPResponse {
        let escape = HTML.escape
        // The counts come from the store's counts per state; only the entries up to the page shown are read, in
        // queue order from the store's indexes, so the first page costs the same however many tickets wait.
        let size = try engine.queueSize(for: visit.actor)
        var body = "<h1>\(escape(texts[.queueTitle]))</h1>"
        guard size.count > 0 else {
            body += "<p>\(escape(texts[.queueEmpty]))</p>"
            return visit.respond(200, page(title: texts[.queueTitle], visit: visit, body: body))
        }
        body += "<p>\(escape(texts(.queueCount, ["count": String(size.count), "overdue": String(size.overdue)])))</p>"
        let pageSize = configuration.pageSize
        let pages = max(1, (size.count + pageSize - 1) / pageSize)
        let pageNumber = min(max(1, Int(try visit.query()["page"] ?? "1") ?? 1), pages)
        let entries = try engine.queue(for: visit.actor, limit: pageNumber * pageSize)
        let rows = entries.dropFirst((pageNumber - 1) * pageSize).prefix(pageSize).map { entry -> String in
            let definition = entry.definition
            let events = entry.events.compactMap { event in definition.transitions.first { $0.event == event }?.title }
            let deadline = entry.nextDeadline.map(date) ?? texts[.none]
            let flag = entry.overdue ? " <strong class=\"overdue\">\(escape(texts[.overdue]))</strong>" : ""
            return """
                <tr\(entry.overdue ? " class=\"is-overdue\"" : "")><th scope="row"><a href="/tickets/\(escape(entry.ticket.id))">\(escape(entry.ticket.id))</a></th>
                <td>\(escape(headline(entry.ticket, definition)))</td>
                <td>\(escape(definition.stateTitle(entry.ticket.state)))</td>
                <td class="date">\(escape(deadline))\(flag)</td>
                <td class="date">\(escape(date(entry.entered))) (\(escape(days(since: entry.entered))))</td>
                <td>\(escape(events.joined(separator: ", ")))</td></tr>
                """
        }
        body += """
            <table class="list"><caption class="visually-hidden">\(escape(texts[.queueTitle]))</caption>
            <thead><tr><th scope="col">\(escape(texts[.columnTicket]))</th><th scope="col">\(escape(texts[.columnTitle]))</th>
            <th scope="col">\(escape(texts[.columnState]))</th><th scope="col">\(escape(texts[.columnDeadline]))</th>
            <th scope="col">\(escape(texts[.columnWaiting]))</th><th scope="col">\(escape(texts[.columnEvents]))</th></tr></thead>
            <tbody>\(rows.joined(separator: "\n"))</tbody></table>
            """
        body += pagination(path: "/queue", query: try visit.query(), page: pageNumber, pages: pages)
        return visit.respond(200, page(title: texts[.queueTitle], visit: visit, body: body))
    }

    /// Links to the previous and next page, keeping the other parameters of the query.
    func pagination(path: String, query: FormData, page pageNumber: Int, pages: Int) -> String {
        guard pages > 1 else { return "" }
        let escape = HTML.escape
        func link(_ number: Int, _ label: PageTexts.Key, _ rel: String) -> String {
            var parameters = query.pairs.filter { $0.name != "page" }
            parameters.append(("page", String(number)))
            let href = path + "?" + parameters.map { "\($0.name.urlEncoded)=\($0.value.urlEncoded)" }.joined(separator: "&")
            return "<a href=\"\(escape(href))\" rel=\"\(rel)\">\(escape(texts[label]))</a>"
        }
        return "<nav class=\"pagination\" aria-label=\"\(escape(texts[.listPagination]))\"><p>"
            + (pageNumber > 1 ? link(pageNumber - 1, .listPrevious, "prev") + " " : "")
            + escape(texts(.listPage, ["page": String(pageNumber), "pages": String(pages)]))
            + (pageNumber < pages ? " " + link(pageNumber + 1, .listNext, "next") : "") + "</p></nav>"
    }

    func ticketListPage(_ visit: Visit) throws -> HTTPResponse {
        let escape = HTML.escape
        let query = try visit.query()
        let state = query["state"].flatMap { $0.isEmpty ? nil : $0 }
        let owner = query["owner"].flatMap { $0.isEmpty ? nil : $0 }
        let scope = query["scope"].flatMap { $0.isEmpty ? nil : $0 }
        let search = (query["q"] ?? "").trimmingCharacters(in: .whitespaces)
        let openOnly = query["open"] == "1"
        let requestedPage = max(1, Int(query["page"] ?? "1") ?? 1)
        var matches: [(Ticket, Definition)] = []
        let words = search.lowercased().split(separator: " ").map(String.init)
        try engine.forEachTicket(TicketFilter()) { ticket, definition in
            guard definition.mayRead(ticket, actor: visit.actor) else { return }
            if let state, ticket.state != state { return }
            let current = definition.state(ticket.state)
            if openOnly, current?.isFinal == true { return }
            if let owner, current?.owner != owner { return }
            if let scope {
                guard let field = definition.scopeField, ticket.fields[field]?.plainText == scope else { return }
            }
            if !words.isEmpty {
                let text = ([ticket.id] + ticket.fields.values.map { FieldForm.display($0, field: nil) }).joined(separator: " ")
                    .lowercased()
                guard words.allSatisfy(text.contains) else { return }
            }
            matches.append((ticket, definition))
        }
        matches.reverse()  // newest first
        let pageSize = configuration.pageSize
        let pages = max(1, (matches.count + pageSize - 1) / pageSize)
        let pageNumber = min(requestedPage, pages)
        let shown = matches.dropFirst((pageNumber - 1) * pageSize).prefix(pageSize)

        let definitions = definitions()
        var states: [(String, String)] = []
        for definition in definitions {
            for state in definition.states where !states.contains(where: { $0.0 == state.id }) { states.append((state.id, state.title)) }
        }
        var owners: [(String, String)] = []
        for definition in definitions {
            for role in definition.roles
            where !owners.contains(where: { $0.0 == role.id }) && definition.states.contains(where: { $0.owner == role.id }) {
                owners.append((role.id, role.title))
            }
        }
        // The scope field (the municipality, in the KIM file) of the first workflow that has one, by its own title.
        let scopeField = definitions.lazy.compactMap { definition in definition.scopeField.flatMap { definition.field($0) } }.first
        let scopes = scopeField?.type.choices?.values.map { ($0.id, $0.title) } ?? []
        func select(_ name: String, _ label: String, _ options: [(String, String)], _ selected: String?) -> String {
            let items = options.map { "<option value=\"\(escape($0.0))\"\($0.0 == selected ? " selected" : "")>\(escape($0.1))</option>" }
            return "<div class=\"field\"><label for=\"filter-\(name)\">\(escape(label))</label>"
                + "<select id=\"filter-\(name)\" name=\"\(name)\"><option value=\"\">\(escape(texts[.listAny]))</option>\(items.joined())</select></div>"
        }
        var body = """
            <h1>\(escape(texts[.listTitle]))</h1>
            <form method="get" action="/tickets" class="filters" role="search" aria-label="\(escape(texts[.listFilter]))">
            \(select("state", texts[.listState], states, state))
            \(select("owner", texts[.listOwner], owners, owner))
            \(scopeField.map { select("scope", $0.title, scopes, scope) } ?? "")
            <div class="field"><label for="filter-q">\(escape(texts[.listSearch]))</label>
            <input type="search" id="filter-q" name="q" value="\(escape(search))"></div>
            <div class="checkbox"><input type="checkbox" id="filter-open" name="open" value="1"\(openOnly ? " checked" : "")>
            <label for="filter-open">\(escape(texts[.listOpenOnly]))</label></div>
            <button type="submit">\(escape(texts[.listApply]))</button>
            </form>
            <p role="status">\(escape(texts(.listResults, ["count": String(matches.count)])))</p>
            """
        guard !shown.isEmpty else {
            body += "<p>\(escape(texts[.listNone]))</p>"
            return visit.respond(200, page(title: texts[.listTitle], visit: visit, body: body))
        }
        let rows = shown.map { ticket, definition in
            let owner = definition.state(ticket.state)?.owner.flatMap { definition.role($0)?.title } ?? texts[.none]
            return """
                <tr><th scope="row"><a href="/tickets/\(escape(ticket.id))">\(escape(ticket.id))</a></th>
                <td>\(escape(headline(ticket, definition)))</td><td>\(escape(definition.stateTitle(ticket.state)))</td>
                <td>\(escape(owner))</td><td>\(escape(date(ticket.openedAt)))</td></tr>
                """
        }
        body += """
            <table class="list"><caption class="visually-hidden">\(escape(texts[.listTitle]))</caption>
            <thead><tr><th scope="col">\(escape(texts[.columnTicket]))</th><th scope="col">\(escape(texts[.columnTitle]))</th>
            <th scope="col">\(escape(texts[.columnState]))</th><th scope="col">\(escape(texts[.columnOwner]))</th>
            <th scope="col">\(escape(texts[.columnOpened]))</th></tr></thead>
            <tbody>\(rows.joined(separator: "\n"))</tbody></table>
            """
        body += pagination(path: "/tickets", query: query, page: pageNumber, pages: pages)
        return visit.respond(200, page(title: texts[.listTitle], visit: visit, body: body))
    }

    /// A ticket's line in lists: its first one-line text field (the title, in the KIM file), else its id.
    func headline(_ ticket: Ticket, _ definition: Definition) -> String {
        for field in definition.fields {
            if case .text = field.type, case .text(let text)? = ticket.fields[field.id], !text.isEmpty { return text }
        }
        return ticket.id
    }

    func days(since date: Date) -> String {
        let count = max(0, Int(engine.clock.now().timeIntervalSince(date) / 86_400))
        return count == 1 ? texts[.oneDay] : texts(.days, ["count": String(count)])
    }
}
