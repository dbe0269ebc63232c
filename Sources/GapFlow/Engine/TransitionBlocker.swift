/// One reason why a command cannot be carried out, as data: a stable code, a message and the names involved.
public struct TransitionBlocker: Sendable, Equatable, CustomStringConvertible {
    /// Stable, machine-readable reasons.
    public enum Code: String, Sendable {
        case unknownEvent = "UNKNOWN_EVENT"
        case notInSourceState = "NOT_IN_SOURCE_STATE"
        case roleNotAllowed = "ROLE_NOT_ALLOWED"
        case outOfScope = "OUT_OF_SCOPE"
        case unknownField = "UNKNOWN_FIELD"
        case fieldNotSettable = "FIELD_NOT_SETTABLE"
        case invalidValue = "INVALID_VALUE"
        case missingField = "MISSING_FIELD"
        case invalidReference = "INVALID_REFERENCE"
        case conditionFailed = "CONDITION_FAILED"
        case personalData = "PERSONAL_DATA"
        case notAMember = "NOT_A_MEMBER"
        case meetingDecision = "MEETING_DECISION"
    }

    public let code: Code
    public let message: String
    /// The field, role or state the blocker is about, where there is one.
    public let subject: String?

    public var description: String { message }

    /// The workflow has no event of this name at all.
    static func unknownEvent(_ event: String, workflow: String, available: [String]) -> TransitionBlocker {
        let list = available.isEmpty ? "none" : available.map { "\"\($0)\"" }.joined(separator: ", ")
        return TransitionBlocker(
            code: .unknownEvent, message: "workflow \"\(workflow)\" has no event \"\(event)\"; events from here: \(list)",
            subject: event)
    }

    /// The event is a decision of the board: it is recorded only as a meeting's decision or one in writing.
    static func meetingDecision(event: String, title: String) -> TransitionBlocker {
        TransitionBlocker(
            code: .meetingDecision,
            message: "\"\(event)\" (\(title)) is decided only at a meeting or in writing (circulation), "
                + "and recorded with its resolution number; record it with `gapflow decisions apply`",
            subject: event)
    }

    /// The event exists, but not from the ticket's current state.
    static func notInSourceState(event: String, current: String, sources: [String]) -> TransitionBlocker {
        TransitionBlocker(
            code: .notInSourceState,
            message:
                "event \"\(event)\" is not possible in state \"\(current)\" (only from \(sources.map { "\"\($0)\"" }.joined(separator: ", ")))",
            subject: current)
    }

    /// The actor holds none of the roles allowed (or not the role asked for).
    static func roleNotAllowed(actor: String, asked: String?, held: [String], allowed: [String], action: String) -> TransitionBlocker {
        let allowedList = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
        let message: String
        if let asked, !held.contains(asked) {
            message = "actor \"\(actor)\" does not hold role \"\(asked)\""
        } else if let asked {
            message = "role \"\(asked)\" may not \(action) (allowed: \(allowedList))"
        } else {
            let heldList = held.isEmpty ? "no roles" : "roles " + held.map { "\"\($0)\"" }.joined(separator: ", ")
            message = "actor \"\(actor)\" has \(heldList), but only \(allowedList) may \(action)"
        }
        return TransitionBlocker(code: .roleNotAllowed, message: message, subject: asked)
    }

    /// The actor is restricted to one municipality and the ticket belongs to another.
    static func outOfScope(actor: String, municipality: String, field: String, value: String?) -> TransitionBlocker {
        TransitionBlocker(
            code: .outOfScope,
            message:
                "actor \"\(actor)\" works for \"\(municipality)\"; this ticket's \(field) is \(value.map { "\"\($0)\"" } ?? "not set")",
            subject: field)
    }

    /// The value of a field that must name a registered project group names none.
    static func unknownGroup(_ field: String, value: String, known: [String]) -> TransitionBlocker {
        let list = known.isEmpty ? "none registered" : known.map { "\"\($0)\"" }.joined(separator: ", ")
        return TransitionBlocker(
            code: .invalidValue, message: "field \"\(field)\": \"\(value)\" is not a registered project group (\(list))", subject: field)
    }

    /// Only members of the group the ticket names may fire the event.
    static func notAMember(actor: String, group: String?, event: String) -> TransitionBlocker {
        TransitionBlocker(
            code: .notAMember,
            message: group.map { "only members of project group \"\($0)\" may fire \"\(event)\"; \(actor) is not one" }
                ?? "\"\(event)\" needs a project group, and this ticket names none",
            subject: group)
    }

    static func unknownField(_ field: String, hint: String?) -> TransitionBlocker {
        TransitionBlocker(
            code: .unknownField, message: "unknown field \"\(field)\"" + (hint.map { " (\($0))" } ?? ""), subject: field)
    }

    static func fieldNotSettable(_ field: String, event: String, settable: [String]) -> TransitionBlocker {
        let list = settable.isEmpty ? "none" : settable.map { "\"\($0)\"" }.joined(separator: ", ")
        return TransitionBlocker(
            code: .fieldNotSettable, message: "field \"\(field)\" cannot be set by \"\(event)\" (settable: \(list))",
            subject: field)
    }

    static func invalidValue(_ field: String, _ error: FieldValueError) -> TransitionBlocker {
        TransitionBlocker(code: .invalidValue, message: "field \"\(field)\": \(error)", subject: field)
    }

    /// A field the event requires is neither set on the ticket nor given with the command.
    static func missingField(_ field: Field, event: String) -> TransitionBlocker {
        TransitionBlocker(
            code: .missingField,
            message: "\"\(event)\" requires field \"\(field.id)\" (\(field.title)); give it with --set \(field.id)=…",
            subject: field.id)
    }

    static func invalidReference(_ field: String, _ reason: String) -> TransitionBlocker {
        TransitionBlocker(code: .invalidReference, message: "field \"\(field)\": \(reason)", subject: field)
    }

    /// Text looks like personal data and strict mode (or the workflow) refuses it; the message is the workflow's.
    static func personalData(_ finding: PersonalDataGuard.Finding) -> TransitionBlocker {
        TransitionBlocker(code: .personalData, message: finding.message, subject: finding.field ?? "comment")
    }

    /// A guard of the transition is not met; its description from the file says which.
    static func conditionFailed(event: String, description: String) -> TransitionBlocker {
        TransitionBlocker(code: .conditionFailed, message: "\"\(event)\" is blocked: \(description)", subject: nil)
    }
}

/// A refused command: every blocker found, so the user can fix them all at once.
public struct Rejection: Error, Sendable, Equatable, CustomStringConvertible {
    public let ticketID: String?
    public let event: String
    public let blockers: [TransitionBlocker]

    public var description: String {
        let subject = ticketID.map { "ticket \($0)" } ?? "new ticket"
        return "\(event) refused for \(subject): " + blockers.map(\.message).joined(separator: "; ")
    }
}

extension Rejection: ExplainedError {
    public var summary: String {
        let subject = ticketID.map { "ticket \($0)" } ?? "new ticket"
        if blockers.count == 1, let blocker = blockers.first {
            return "\(event) refused for \(subject): \(blocker.message) [\(blocker.code.rawValue)]"
        }
        return "\(event) refused for \(subject) (\(blockers.count) problems):"
    }
    public var details: [String] { blockers.count == 1 ? [] : blockers.map { "- \($0.message) [\($0.code.rawValue)]" } }
    public var hint: String? {
        ticketID.map { "nothing was changed; `gapflow events \($0)` lists what is possible" }
            ?? "nothing was changed; fix the values and run the command again"
    }
}
