import Foundation
import GapFlow
import GapFlowDocuments

/// Vorgang: a ticket's state, fields and history, and a form for each event the actor may fire now. The revision the
/// page showed travels in every form, so a change by someone else in between is a conflict page, never an overwrite.
extension WebFront {
    /// What a refused or conflicting submission brings back to the page.
    struct Submission {
        let event: String
        let values: [String: [String]]
        let comment: String
        let problems: [(field: String?, message: String)]
        /// Personal-data findings the actor may confirm (only where the workflow warns rather than refuses).
        let confirmable: Bool
    }

    /// The ticket if `actor` may read it; nil for a ticket the actor may not read, exactly as for one that does not
    /// exist (both doors answer 404).
    func readable(_ id: String, by actor: Actor) throws -> (Ticket, Definition)? {
        let found: (Ticket, Definition)
        do {
            found = try engine.ticketWithDefinition(id)
        } catch let error as any ExplainedError where error.kind == .notFound {
            return nil
        }
        // A deputy reads what the actors they stand in for today read.
        return try engine.actingIdentities(of: actor).contains { found.1.mayRead(found.0, actor: $0) } ? found : nil
    }

    func readableTicket(_ visit: Visit, id: String) throws -> (Ticket, Definition) {
        guard let found = try readable(id, by: visit.actor) else { throw RequestFailure.notFound }
        return found
    }

    func ticketPage(_ visit: Visit, id: String, submission: Submission? = nil, status: Int = 200) throws -> HTTPResponse {
        let escape = HTML.escape
        let (ticket, definition) = try readableTicket(visit, id: id)
        guard ticket.id == id else { return visit.redirect("/tickets/\(ticket.id.urlEncoded)") }
        let query = try visit.query()
        var body = ""
        if let submission {
            body += errorSummary(
                submission.problems.map { problem in
                    (problem.field.map { "\(submission.event)-\($0)" } ?? "event-\(submission.event)", problem.message)
                })
        } else if let done = query["done"], let transition = definition.transitions.first(where: { $0.event == done }) {
            body +=
                "<div class=\"notice\" role=\"status\"><p>\(escape(texts(.ticketDone, ["event": transition.title, "state": definition.stateTitle(ticket.state)])))</p></div>"
        } else if query["opened"] == "1" {
            body += "<div class=\"notice\" role=\"status\"><p>\(escape(texts(.ticketOpenedDone, ["id": ticket.id])))</p></div>"
        }
        body += "<h1><span class=\"ticket-id\">\(escape(ticket.id))</span> \(escape(headline(ticket, definition)))</h1>"

        let state = definition.state(ticket.state)
        let standing = try engine.standing(of: ticket.id)
        var facts: [(String, String)] = [
            (texts[.columnState], definition.stateTitle(ticket.state)),
            (texts[.ticketOwner], state?.owner.flatMap { definition.role($0)?.title } ?? texts[.none]),
            (texts[.ticketOpened], "\(dateTime(ticket.openedAt)), \(ticket.openedBy)"),
            (texts[.ticketRevision], String(ticket.revision)),
        ]
        if let deadline = standing.nextDeadline {
            facts.append((texts[.ticketDeadline], date(deadline) + (standing.overdue ? " – " + texts[.overdue] : "")))
        } else if standing.overdue {
            facts.append((texts[.ticketDeadline], texts[.overdue]))
        }
        body += "<h2>\(escape(texts[.ticketFacts]))</h2>" + definitionList(facts)
        let shownFields = definition.fields.compactMap { field in
            ticket.fields[field.id].map { (field.title, FieldForm.display($0, field: field)) }
        }
        body += "<h2>\(escape(texts[.ticketFields]))</h2>" + definitionList(shownFields, multiline: true)
        let options = try engine.options(ticket.id, actor: visit.actor).filter { option in
            // Events refused for who the actor is (role, scope) are not offered; missing fields are asked for.
            !option.blockers.contains { [.roleNotAllowed, .outOfScope, .notInSourceState].contains($0.code) }
        }
        body += try similarSection(visit, ticket: ticket, definition: definition, options: options)
        body += actionsSection(visit, ticket: ticket, definition: definition, options: options, submission: submission)
        body += try historySection(ticket: ticket, definition: definition)
        return visit.respond(status, page(title: "\(ticket.id) \(headline(ticket, definition))", visit: visit, body: body))
    }

    private func definitionList(_ rows: [(String, String)], multiline: Bool = false) -> String {
        let escape = HTML.escape
        let items = rows.map { "<div><dt>\(escape($0.0))</dt><dd\(multiline ? " class=\"text\"" : "")>\(escape($0.1))</dd></div>" }
        return "<dl class=\"facts\">\(items.joined())</dl>"
    }

    /// For an actor who may join this ticket to another (an event that needs a ticket reference, like "merge"):
    /// the open tickets most like it, why, and a button that fires that event with the reference filled in.
    private func similarSection(_ visit: Visit, ticket: Ticket, definition: Definition, options: [EventOption]) throws -> String {
        let escape = HTML.escape
        let joining = options.compactMap { option -> (Transition, String)? in
            let field = option.transition.needs.first {
                definition.field($0).map { if case .ticket = $0.type { true } else { false } } ?? false
            }
            return field.map { (option.transition, $0) }
        }
        guard let (transition, field) = joining.first else { return "" }
        let similar = try engine.similar(to: ticket.id, limit: 5).filter {
            definition.mayRead($0.ticket, actor: visit.actor) && $0.score > 0
        }
        var html = "<h2>\(escape(texts[.similarTitle]))</h2>"
        guard !similar.isEmpty else { return html + "<p>\(escape(texts[.similarNone]))</p>" }
        html += "<ul class=\"similar\">"
        for candidate in similar {
            let other = candidate.ticket
            let reasons = candidate.matches.map { match -> String in
                switch match {
                case .sharedValues(let field, let values): "\(field): \(values.joined(separator: ", "))"
                case .sameValue(let field, let value): "\(field): \(value)"
                case .wording(let percent, let words):
                    texts(.similarWording, ["percent": String(percent), "words": words.joined(separator: ", ")])
                }
            }
            let score = texts(.similarScore, ["percent": String(Int((candidate.score * 100).rounded()))])
            html += """
                <li><p><a href="/tickets/\(escape(other.id.urlEncoded))">\(escape(other.id))</a> \(escape(headline(other, definition))) \
                (\(escape(definition.stateTitle(other.state)))) – \(escape(score))</p>
                <p class="hint">\(escape(reasons.joined(separator: " · ")))</p>
                <form method="post" action="/tickets/\(escape(ticket.id.urlEncoded))/events/\(escape(transition.event.urlEncoded))">
                \(csrfField(visit))<input type="hidden" name="revision" value="\(ticket.revision)">
                <input type="hidden" name="field.\(escape(field))" value="\(escape(other.id))">
                <button type="submit" class="secondary-action">\(escape(texts(.similarAction, ["event": transition.title, "id": other.id])))</button>
                </form></li>
                """
        }
        return html + "</ul>"
    }

    private func actionsSection(
        _ visit: Visit, ticket: Ticket, definition: Definition, options: [EventOption], submission: Submission?
    ) -> String {
        let escape = HTML.escape
        var html = "<h2>\(escape(texts[.ticketActions]))</h2>"
        guard !options.isEmpty else { return html + "<p>\(escape(texts[.ticketNoActions]))</p>" }
        for option in options {
            let transition = option.transition
            let form = FieldForm(front: self, definition: definition, prefix: transition.event)
            let mine = submission?.event == transition.event ? submission : nil
            let errors = Dictionary(
                (mine?.problems ?? []).compactMap { problem in problem.field.map { ($0, problem.message) } },
                uniquingKeysWith: { first, _ in first })
            let needed = transition.needs
            let optional = transition.sets.filter { !needed.contains($0) }
            var values = mine?.values ?? [:]
            if mine == nil {
                for field in needed + optional where !transition.requiresNew.contains(field) {
                    if let value = ticket.fields[field] { values[field] = Self.formValues(value) }
                }
            }
            let confirm =
                mine?.confirmable == true
                ? "<div class=\"checkbox\"><input type=\"checkbox\" id=\"\(transition.event)-confirm\" name=\"confirm\" value=\"1\">"
                    + "<label for=\"\(transition.event)-confirm\">\(escape(texts[.personalDataConfirm]))</label></div>" : ""
            let commentID = "\(transition.event)-comment"
            html += """
                <section class="action" aria-labelledby="event-\(escape(transition.event))">
                <h3 id="event-\(escape(transition.event))" tabindex="-1">\(escape(transition.title))</h3>
                <form method="post" action="/tickets/\(escape(ticket.id.urlEncoded))/events/\(escape(transition.event.urlEncoded))" novalidate>
                \(csrfField(visit))<input type="hidden" name="revision" value="\(ticket.revision)">
                \(form.inputs(needed + optional, required: Set(needed), values: values, errors: errors))
                \(commentBox(id: commentID, value: mine?.comment ?? "", error: errors[Self.commentField]))
                \(confirm)
                <button type="submit">\(escape(transition.title))</button>
                </form></section>
                """
        }
        return html
    }

    /// A stored value as the form inputs hold it (ISO dates for date inputs, ids for choices).
    static func formValues(_ value: FieldValue) -> [String] {
        switch value {
        case .choices(let ids): ids
        default: [value.plainText]
        }
    }

    private func historySection(ticket: Ticket, definition: Definition) throws -> String {
        let escape = HTML.escape
        let entries = try engine.history(ticket.id)
        let items = entries.reversed().map { entry -> String in
            let title =
                definition.transitions.first { $0.event == entry.event }?.title
                ?? (entry.event == HistoryEntry.openEvent ? texts[.newSubmit] : entry.event)
            let role = definition.role(entry.role)?.title ?? entry.role
            let move =
                entry.from.map { from in
                    from == entry.to
                        ? "" : texts(.historyMove, ["from": definition.stateTitle(from), "to": definition.stateTitle(entry.to)])
                } ?? definition.stateTitle(entry.to)
            var html = """
                <li><p class="when"><time datetime="\(Timestamp.iso8601(entry.at))">\(escape(dateTime(entry.at)))</time></p>
                <p><strong>\(escape(title))</strong>\(move.isEmpty ? "" : " · " + escape(move))</p>
                <p class="who">\(escape(texts(.historyBy, ["actor": entry.actor, "role": role])))</p>
                """
            if !entry.changes.isEmpty {
                let changes = entry.changes.map { change -> String in
                    let field = definition.field(change.field)
                    let value = change.new.map { FieldForm.display($0, field: field) } ?? texts[.historyRemoved]
                    return "<div><dt>\(escape(field?.title ?? change.field))</dt><dd class=\"text\">\(escape(value))</dd></div>"
                }
                html +=
                    "<details><summary>\(escape(texts[.historyChanges]))</summary><dl class=\"facts\">\(changes.joined())</dl></details>"
            }
            if let comment = entry.comment, !comment.isEmpty {
                html += "<p class=\"comment\"><span class=\"label\">\(escape(texts[.historyComment])):</span> \(escape(comment))</p>"
            }
            return html + "</li>"
        }
        return "<h2>\(escape(texts[.ticketHistory]))</h2><ol class=\"timeline\">\(items.joined(separator: "\n"))</ol>"
    }

    // MARK: - Firing an event

    func fireEvent(_ visit: Visit, ticketID: String, event: String) throws -> HTTPResponse {
        let (ticket, definition) = try readableTicket(visit, id: ticketID)
        guard
            let transition = definition.transitions.first(where: { $0.event == event && $0.from.contains(ticket.state) })
                ?? definition.transitions.first(where: { $0.event == event })
        else { throw RequestFailure.notFound }
        let form = try visit.form()
        guard let revision = form["revision"].flatMap(Int.init) else { throw RequestFailure.badRequest }
        let fieldForm = FieldForm(front: self, definition: definition, prefix: event)
        let fields = transition.needs + transition.sets.filter { !transition.needs.contains($0) }
        let (values, errors) = fieldForm.read(form, fields: fields)
        let comment = (form["comment"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let submitted = FieldForm.submitted(form, fields: fields)
        if !errors.isEmpty {
            let problems = fields.compactMap { field in errors[field].map { (field: Optional(field), message: $0) } }
            let submission = Submission(event: event, values: submitted, comment: comment, problems: problems, confirmable: false)
            return try ticketPage(visit, id: ticket.id, submission: submission, status: 422)
        }
        if revision != ticket.revision {
            return try conflictPage(
                visit, ticket: ticket, definition: definition, transition: transition, submitted: submitted, comment: comment)
        }
        // Only the fields this event writes; unchanged values are not sent again.
        let changed = values.filter { id, input in
            guard let current = ticket.fields[id], let field = definition.field(id), case .success(let new?) = field.type.value(from: input)
            else { return true }
            return new != current
        }
        let findings = personalDataFindings(values: changed, comment: comment, definition: definition)
        let confirmed = form["confirm"] == "1" && !definition.refusesPersonalData
        if !findings.isEmpty && !confirmed {
            let submission = Submission(
                event: event, values: submitted, comment: comment, problems: findings, confirmable: !definition.refusesPersonalData)
            return try ticketPage(visit, id: ticket.id, submission: submission, status: 422)
        }
        var command = Command(
            .fire(event: event), actor: visit.actor, values: changed, comment: comment.isEmpty ? nil : comment, expectedRevision: revision)
        command.strict = !confirmed
        do {
            let outcome = try engine.fire(ticket.id, command)
            return visit.redirect("/tickets/\(outcome.ticket.id.urlEncoded)?done=\(event.urlEncoded)")
        } catch let rejection as Rejection {
            let submission = Submission(
                event: event, values: submitted, comment: comment, problems: fieldForm.messages(rejection).map { ($0.field, $0.message) },
                confirmable: false)
            return try ticketPage(visit, id: ticket.id, submission: submission, status: 422)
        } catch StoreError.conflict {
            return try conflictPage(
                visit, ticket: ticket, definition: definition, transition: transition, submitted: submitted, comment: comment)
        }
    }

    /// The findings of the personal-data guard in what is about to be saved, each with the message the workflow file
    /// words; a finding in the comment is about the field "comment" (the comment box of the form).
    func personalDataFindings(values: [String: FieldInput], comment: String, definition: Definition) -> [(field: String?, message: String)]
    {
        var parsed: [String: FieldValue] = [:]
        for (id, input) in values {
            if let field = definition.field(id), case .success(let value?) = field.type.value(from: input) { parsed[id] = value }
        }
        return PersonalDataGuard.scan(parsed, comment: comment.isEmpty ? nil : comment, definition: definition).map { finding in
            (finding.field ?? Self.commentField, finding.message)
        }
    }

    /// The name under which problems of a form's comment box are reported (its id is "PREFIX-comment").
    static let commentField = "comment"

    private func conflictPage(
        _ visit: Visit, ticket: Ticket, definition: Definition, transition: Transition, submitted: [String: [String]], comment: String
    ) throws -> HTTPResponse {
        let escape = HTML.escape
        let current = try engine.ticket(ticket.id)
        let fields = transition.needs + transition.sets.filter { !transition.needs.contains($0) }
        func row(_ title: String, _ value: String) -> String {
            "<div><dt>\(escape(title))</dt><dd class=\"text\">\(escape(value))</dd></div>"
        }
        var yours = fields.compactMap { id in
            submitted[id].flatMap { values in
                values.isEmpty ? nil : row(definition.field(id)?.title ?? id, values.joined(separator: ", "))
            }
        }
        if !comment.isEmpty { yours.append(row(texts[.ticketComment], comment)) }
        let theirs = definition.fields.compactMap { field in
            current.fields[field.id].map { row(field.title, FieldForm.display($0, field: field)) }
        }
        let body = """
            <div class="error-summary" role="alert" tabindex="-1"><h1>\(escape(texts[.conflictTitle]))</h1>
            <p>\(escape(texts[.conflictText]))</p></div>
            <div class="compare">
            <section><h2>\(escape(texts[.conflictYours]))</h2><p><strong>\(escape(transition.title))</strong></p>
            <dl class="facts">\(yours.joined())</dl></section>
            <section><h2>\(escape(texts[.conflictCurrent]))</h2>
            <p>\(escape(texts[.columnState])): <strong>\(escape(definition.stateTitle(current.state)))</strong>, \(escape(texts[.ticketRevision])) \(current.revision)</p>
            <dl class="facts">\(theirs.joined())</dl></section>
            </div>
            <p><a href="/tickets/\(escape(ticket.id.urlEncoded))">\(escape(texts[.conflictReload]))</a></p>
            """
        return visit.respond(409, page(title: texts[.conflictTitle], visit: visit, body: body))
    }
}
