import Foundation
import GapFlow
import GapFlowDocuments

/// Form inputs generated from a workflow's field declarations, and the submitted form read back into engine input.
///
/// Each field type has one input: text → text box, long text → text area, enum → select (with the file's groups),
/// set → check boxes, date → date input, integer → number input, ticket reference → text box. Titles,
/// descriptions and limits come from the definition file; every input has a label, a hint and, after a refusal,
/// its error message, joined by `aria-describedby`.
struct FieldForm {
    let front: WebFront
    let definition: Definition
    /// Makes ids unique on a page with several forms (one per event).
    let prefix: String

    var texts: PageTexts { front.texts }

    func inputID(_ field: String) -> String { "\(prefix)-\(field)" }

    /// The inputs for `fields`, showing `values` (what was submitted, or what the ticket holds) and `errors` by field.
    func inputs(
        _ fields: [String], required: Set<String>, values: [String: [String]], errors: [String: String]
    ) -> String {
        fields.compactMap { definition.field($0) }.map { field in
            input(field, required: required.contains(field.id), values: values[field.id] ?? [], error: errors[field.id])
        }.joined(separator: "\n")
    }

    func input(_ field: Field, required: Bool, values: [String], error: String?) -> String {
        let escape = HTML.escape
        let id = inputID(field.id)
        let name = "field.\(field.id)"
        var hints: [String] = []
        // Hints are joined into one line: a description from the file without a full stop gets one, so they do not run together.
        if let description = field.description {
            hints.append(description.last.map { ".!?:".contains($0) } == true ? description : description + ".")
        }
        switch field.type {
        case .text(let maximum?), .longText(let maximum?): hints.append(texts(.maxLength, ["maximum": String(maximum)]))
        case .integer(let minimum?, let maximum?):
            hints.append(texts(.range, ["minimum": String(minimum), "maximum": String(maximum)]))
        case .integer(let minimum?, nil): hints.append(texts(.minimum, ["minimum": String(minimum)]))
        case .integer(nil, let maximum?): hints.append(texts(.maximum, ["maximum": String(maximum)]))
        case .date: hints.append(texts[.dateHint])
        case .ticket: hints.append(texts(.ticketHint, ["example": "\(definition.ticketPrefix)-2026-0001"]))
        default: break
        }
        let hintID = "\(id)-hint"
        let errorID = "\(id)-error"
        var describedBy: [String] = []
        if !hints.isEmpty { describedBy.append(hintID) }
        if error != nil { describedBy.append(errorID) }
        let described = describedBy.isEmpty ? "" : " aria-describedby=\"\(describedBy.joined(separator: " "))\""
        let invalid = error == nil ? "" : " aria-invalid=\"true\""
        let label = escape(field.title) + (required ? "" : " <span class=\"optional\">\(escape(texts[.optional]))</span>")
        let hint = hints.isEmpty ? "" : "<div class=\"hint\" id=\"\(hintID)\">\(hints.map(escape).joined(separator: " "))</div>"
        let message = error.map { "<p class=\"error-message\" id=\"\(errorID)\">\(escape($0))</p>" } ?? ""
        let value = escape(values.first ?? "")
        let control: String
        switch field.type {
        case .text(let maximum):
            let limit = maximum.map { " maxlength=\"\($0)\"" } ?? ""
            control = "<input type=\"text\" id=\"\(id)\" name=\"\(name)\" value=\"\(value)\"\(limit)\(described)\(invalid)>"
        case .ticket:
            control =
                "<input type=\"text\" id=\"\(id)\" name=\"\(name)\" value=\"\(value)\" spellcheck=\"false\"\(described)\(invalid)>"
        case .longText:
            control = "<textarea id=\"\(id)\" name=\"\(name)\" rows=\"6\"\(described)\(invalid)>\(value)</textarea>"
        case .integer(let minimum, let maximum):
            let bounds = (minimum.map { " min=\"\($0)\"" } ?? "") + (maximum.map { " max=\"\($0)\"" } ?? "")
            control =
                "<input type=\"number\" inputmode=\"numeric\" step=\"1\" id=\"\(id)\" name=\"\(name)\" value=\"\(value)\"\(bounds)\(described)\(invalid)>"
        case .date:
            control = "<input type=\"date\" id=\"\(id)\" name=\"\(name)\" value=\"\(value)\"\(described)\(invalid)>"
        case .choice(let choices):
            control =
                "<select id=\"\(id)\" name=\"\(name)\"\(described)\(invalid)>"
                + "<option value=\"\">\(escape(texts[.choose]))</option>" + options(choices, selected: Set(values)) + "</select>"
        case .choiceSet(let choices):
            // The first box carries the field's id, so an error summary's link to the field focuses it (GOV.UK).
            let boxes = choices.values.enumerated().map { index, choice in
                let boxID = index == 0 ? id : "\(id)-\(index)"
                let checked = values.contains(choice.id) ? " checked" : ""
                return
                    "<div class=\"checkbox\"><input type=\"checkbox\" id=\"\(boxID)\" name=\"\(name)\" value=\"\(escape(choice.id))\"\(checked)>"
                    + "<label for=\"\(boxID)\">\(escape(choice.title))</label></div>"
            }.joined()
            // A set is a group of check boxes: the legend labels the group.
            return """
                <div class="field\(error == nil ? "" : " field-error")"><fieldset\(described)>
                <legend>\(label)</legend>\(hint)\(message)\(boxes)<input type="hidden" name="\(name)" value="">
                </fieldset></div>
                """
        }
        return
            "<div class=\"field\(error == nil ? "" : " field-error")\"><label for=\"\(id)\">\(label)</label>\(hint)\(message)\(control)</div>"
    }

    private func options(_ choices: Choices, selected: Set<String>) -> String {
        let escape = HTML.escape
        func option(_ value: Choices.Value) -> String {
            "<option value=\"\(escape(value.id))\"\(selected.contains(value.id) ? " selected" : "")>\(escape(value.title))</option>"
        }
        guard !choices.groups.isEmpty else { return choices.values.map(option).joined() }
        var html = choices.values.filter { $0.group == nil }.map(option).joined()
        for group in choices.groups {
            html +=
                "<optgroup label=\"\(escape(group.title))\">"
                + choices.values.filter { $0.group == group.id }.map(option).joined() + "</optgroup>"
        }
        return html
    }

    /// The submitted values of `fields`, as the engine takes them, and the fields whose input is malformed (with
    /// the message to show). An empty input means "not given"; a set's hidden empty input lets it be cleared.
    func read(_ form: FormData, fields: [String]) -> (values: [String: FieldInput], errors: [String: String]) {
        var values: [String: FieldInput] = [:]
        var errors: [String: String] = [:]
        for id in fields {
            guard let field = definition.field(id), form.has("field.\(id)") else { continue }
            let given = form.all("field.\(id)")
            let input: FieldInput
            switch field.type {
            case .choiceSet:
                let items = given.filter { !$0.isEmpty }
                if items.isEmpty { continue }
                input = .json(
                    JSONNode(
                        .array(items.map { JSONNode(.string($0), at: SourcePosition(line: 1, column: 1)) }),
                        at: SourcePosition(line: 1, column: 1)))
            default:
                let text = given.first ?? ""
                if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { continue }
                input = .text(text)
            }
            switch field.type.value(from: input) {
            case .success: values[id] = input
            case .failure(let problem): errors[id] = message(problem, field: field)
            }
        }
        return (values, errors)
    }

    /// What was submitted, by field, to show again in the form.
    static func submitted(_ form: FormData, fields: [String]) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: fields.map { ($0, form.all("field.\($0)").filter { !$0.isEmpty }) })
    }

    func message(_ problem: FieldValueError, field: Field) -> String {
        let name = ["field": field.title]
        switch problem {
        case .tooLong(let maximum, let actual):
            return texts(.invalidTooLong, ["field": field.title, "maximum": String(maximum), "actual": String(actual)])
        case .notAnInteger: return texts(.invalidInteger, name)
        case .outOfRange: return texts(.invalidRange, name)
        case .notADate: return texts(.invalidDate, name)
        case .notAllowed: return texts(.invalidChoice, name)
        case .lineBreakInText: return texts(.invalidLineBreak, name)
        case .notATicketID: return texts(.invalidTicket, name)
        case .wrongKind, .emptyElement: return texts(.invalidOther, name)
        }
    }

    /// A refusal's reasons in the page's words, each with the field it is about.
    func messages(_ rejection: Rejection) -> [(field: String?, message: String)] {
        rejection.blockers.map { blocker in
            let field = blocker.subject.flatMap { definition.field($0) }
            let name = ["field": field?.title ?? ""]
            let message: String
            switch blocker.code {
            case .missingField: message = texts(.blockerMissing, name)
            case .roleNotAllowed, .notAMember: message = texts[.blockerRole]
            case .outOfScope: message = texts[.blockerScope]
            case .notInSourceState, .unknownEvent: message = texts[.blockerState]
            case .invalidReference: message = texts(.blockerReference, name)
            case .conditionFailed: message = texts[.blockerCondition]
            case .meetingDecision: message = texts[.blockerMeetingDecision]
            case .personalData: return (blocker.subject, blocker.message)  // worded by the workflow file's "personalData"
            case .unknownField, .fieldNotSettable, .invalidValue: message = texts(.invalidOther, name)
            }
            return (field?.id, message)
        }
    }

    /// A field's value as the pages show it: titles for choices, German dates.
    static func display(_ value: FieldValue, field: Field?) -> String {
        switch value {
        case .choice(let id): return field?.type.choices?.value(id)?.title ?? id
        case .choices(let ids): return ids.map { field?.type.choices?.value($0)?.title ?? $0 }.joined(separator: ", ")
        case .date(let date): return date.german
        case .integer(let number): return String(number)
        case .text(let text), .ticket(let text): return text
        }
    }
}
