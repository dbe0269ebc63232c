import Foundation
import GapFlow
import GapFlowDocuments

/// Lücke melden: a form built from a workflow's opening (required fields first, then the optional ones it sets).
/// The personal-data check runs before saving; the actor fixes the text or confirms it (unless the workflow refuses).
extension WebFront {
    /// The workflows the actor may open tickets in.
    func openable(by actor: Actor) -> [Definition] {
        definitions().filter { $0.opening.roles.contains(where: actor.roles.contains) }
    }

    func chooseWorkflowPage(_ visit: Visit) throws -> HTTPResponse {
        let escape = HTML.escape
        let choices = openable(by: visit.actor)
        if choices.count == 1, let only = choices.first { return visit.redirect("/new/\(only.id.urlEncoded)") }
        var body = "<h1>\(escape(texts[.newTitle]))</h1>"
        if choices.isEmpty {
            body += "<p>\(escape(texts[.newNothing]))</p>"
        } else {
            body +=
                "<p>\(escape(texts[.newChoose]))</p><ul class=\"choices\">"
                + choices.map { "<li><a href=\"/new/\(escape($0.id.urlEncoded))\">\(escape($0.title))</a></li>" }.joined() + "</ul>"
        }
        return visit.respond(200, page(title: texts[.newTitle], visit: visit, body: body))
    }

    private func openingDefinition(_ visit: Visit, workflow: String) throws -> Definition {
        guard let definition = openable(by: visit.actor).first(where: { $0.id == workflow }) else { throw RequestFailure.notFound }
        return definition
    }

    func newTicketPage(
        _ visit: Visit, workflow: String, values: [String: [String]] = [:], problems: [(field: String?, message: String)] = [],
        comment: String = "", confirmable: Bool = false, status: Int = 200
    ) throws -> HTTPResponse {
        let escape = HTML.escape
        let definition = try openingDefinition(visit, workflow: workflow)
        let form = FieldForm(front: self, definition: definition, prefix: "open")
        let opening = definition.opening
        let optional = opening.sets.filter { !opening.requires.contains($0) }
        var prefilled = values
        // A case manager of one municipality has it filled in for them.
        let members = definition.scopeMembers(visit.actor.scope)
        if values.isEmpty, let scope = definition.scopeField, !visit.actor.scope.isEmpty, members.count == 1 {
            prefilled[scope] = members
        }
        let errors = Dictionary(
            problems.compactMap { problem in problem.field.map { ($0, problem.message) } }, uniquingKeysWith: { a, _ in a })
        let confirm =
            confirmable
            ? "<div class=\"checkbox\"><input type=\"checkbox\" id=\"open-confirm\" name=\"confirm\" value=\"1\">"
                + "<label for=\"open-confirm\">\(escape(texts[.personalDataConfirm]))</label></div>" : ""
        let heading = texts(.newHeading, ["workflow": definition.title])
        let body = """
            \(errorSummary(problems.map { ($0.field.map { "open-\($0)" } ?? "open-comment", $0.message) }))
            <h1>\(escape(heading))</h1>
            <form method="post" action="/new/\(escape(definition.id.urlEncoded))" novalidate>
            \(csrfField(visit))
            \(form.inputs(opening.requires + optional, required: Set(opening.requires), values: prefilled, errors: errors))
            \(commentBox(id: "open-comment", value: comment, error: errors[Self.commentField]))
            \(confirm)
            <button type="submit">\(escape(texts[.newSubmit]))</button>
            </form>
            """
        return visit.respond(status, page(title: heading, visit: visit, body: body))
    }

    func openTicket(_ visit: Visit, workflow: String) throws -> HTTPResponse {
        let definition = try openingDefinition(visit, workflow: workflow)
        let form = try visit.form()
        let opening = definition.opening
        let fields = opening.requires + opening.sets.filter { !opening.requires.contains($0) }
        let fieldForm = FieldForm(front: self, definition: definition, prefix: "open")
        let (values, errors) = fieldForm.read(form, fields: fields)
        let comment = (form["comment"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let submitted = FieldForm.submitted(form, fields: fields)
        func again(_ problems: [(field: String?, message: String)], confirmable: Bool = false) throws -> HTTPResponse {
            try newTicketPage(
                visit, workflow: workflow, values: submitted, problems: problems, comment: comment, confirmable: confirmable, status: 422)
        }
        // Every missing required field at once, with the malformed ones.
        var problems: [(field: String?, message: String)] = fields.compactMap { field in errors[field].map { (Optional(field), $0) } }
        for field in opening.requires where values[field] == nil && errors[field] == nil {
            problems.append((field, texts(.blockerMissing, ["field": definition.field(field)?.title ?? field])))
        }
        problems.sort { a, b in (fields.firstIndex(of: a.field ?? "") ?? .max) < (fields.firstIndex(of: b.field ?? "") ?? .max) }
        if !problems.isEmpty { return try again(problems) }
        let findings = personalDataFindings(values: values, comment: comment, definition: definition)
        let confirmed = form["confirm"] == "1" && !definition.refusesPersonalData
        if !findings.isEmpty && !confirmed { return try again(findings, confirmable: !definition.refusesPersonalData) }
        var command = Command(.open, actor: visit.actor, values: values, comment: comment.isEmpty ? nil : comment)
        command.strict = !confirmed
        do {
            let outcome = try engine.open(workflow: definition.id, command)
            return visit.redirect("/tickets/\(outcome.ticket.id.urlEncoded)?opened=1")
        } catch let rejection as Rejection {
            return try again(fieldForm.messages(rejection))
        }
    }
}
