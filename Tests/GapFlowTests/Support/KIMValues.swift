import Foundation
import GapFlow

/// Values that satisfy a field of the KIM workflow, for data-driven tests over every transition.
enum KIMValues {
    /// Another open ticket that `merged_into` may point at.
    static let otherTicket = "GAP-2026-0099"
    static let references = [otherTicket: ReferencedTicket(workflowID: "systemic-gap-escalation", state: "reported", isFinal: false)]

    static func input(for field: Field, today: LocalDate) -> FieldInput {
        switch field.type {
        case .text, .longText: .text("Text für \(field.title)")
        case .integer(let minimum, _): .text(String(max(minimum ?? 1, 3)))
        case .date: .text(today.adding(days: 60).iso8601)
        case .choice(let choices): .text(choices.values[0].id)
        case .choiceSet(let choices): .text(choices.values[0].id)
        case .ticket: .text(otherTicket)
        }
    }

    /// A ticket standing in `state` with the opening fields set.
    static func ticket(in state: String, fields extra: [String: FieldValue] = [:]) -> Ticket {
        var fields: [String: FieldValue] = [
            "title": .text("Fehlende Kinderbetreuung"), "description": .text("Strukturelle Lücke"),
            "municipality": .choice("Siegburg"),
        ]
        fields.merge(extra) { $1 }
        return Ticket(
            id: "GAP-2026-0001", workflowID: "systemic-gap-escalation", version: 1, state: state, revision: 3, fields: fields,
            openedAt: Fixtures.start, openedBy: "cm.siegburg", updatedAt: Fixtures.start)
    }

    /// Every (state, transition) pair of the definition, for parameterised tests.
    static func pairs(_ definition: Definition) -> [(String, Transition)] {
        definition.states.flatMap { state in definition.transitions(from: state.id).map { (state.id, $0) } }
    }
}
