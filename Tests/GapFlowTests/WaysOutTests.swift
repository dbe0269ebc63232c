import Foundation
import Testing

@testable import GapFlow

/// Ways out of every waiting state (issue 17): declared in the KIM file, and a lint for files that lack them.
@Suite struct WaysOutTests {
    let definition: Definition
    let now = Fixtures.start
    var today: LocalDate { LocalDate(now, in: .berlin) }

    init() throws { definition = try Fixtures.kimDefinition() }

    private func fire(_ event: String, on ticket: Ticket, as actor: Actor, values: [String: FieldInput] = [:]) -> Result<Outcome, Rejection>
    {
        Step.fire(definition, ticket: ticket, command: Command(.fire(event: event), actor: actor, values: values), now: now)
    }

    private var mandated: Ticket {
        KIMValues.ticket(
            in: "in_project_group",
            fields: [
                "project_group": .text("PG Sprache"), "mandate": .text("Konzept"), "due_date": .date(today.adding(days: 5)),
                "decision_note": .text("Beschluss 1/2026"),
            ])
    }

    @Test func theSteeringOfficeExtendsAProjectGroupsDeadlineWithAReasonAndTheTimersFollow() throws {
        let later = today.adding(days: 60)
        let outcome = try fire(
            "extend_deadline", on: mandated, as: Fixtures.office,
            values: ["due_date": .text(later.iso8601), "reason": .text("Abstimmung mit dem Jobcenter dauert an")]
        ).get()
        #expect(outcome.ticket.state == "in_project_group")
        #expect(outcome.ticket.fields["due_date"] == .date(later))
        #expect(outcome.entry.changes.map(\.field) == ["due_date", "reason"])
        #expect(Set(outcome.timers.arm.map(\.timer)) == ["due_soon", "overdue"])
        #expect(outcome.timers.arm.allSatisfy { $0.dueAt > now.addingTimeInterval(40 * 86_400) })
        // Without a reason, or by the project group itself, or to a past date: refused.
        guard
            case .failure(let noReason) = fire(
                "extend_deadline", on: mandated, as: Fixtures.office, values: ["due_date": .text(later.iso8601)])
        else { throw Unexpected.success }
        #expect(noReason.blockers.map(\.code) == [.missingField])
        guard
            case .failure(let byGroup) = fire(
                "extend_deadline", on: mandated, as: Fixtures.projectGroup,
                values: ["due_date": .text(later.iso8601), "reason": .text("x")])
        else { throw Unexpected.success }
        #expect(byGroup.blockers.map(\.code) == [.roleNotAllowed])
        guard
            case .failure(let past) = fire(
                "extend_deadline", on: mandated, as: Fixtures.office,
                values: ["due_date": .text(today.adding(days: -1).iso8601), "reason": .text("x")])
        else { throw Unexpected.success }
        #expect(past.blockers.map(\.code) == [.conditionFailed])
    }

    @Test func aMandateIsWithdrawnToFeedbackOrReassignedToAnotherGroup() throws {
        let withdrawn = try fire(
            "withdraw_mandate", on: mandated, as: Fixtures.office,
            values: ["reason": .text("Gruppe aufgelöst"), "decision_note": .text("Beschluss 2/2026")]
        ).get()
        #expect(withdrawn.ticket.state == "feedback")
        let reassigned = try fire(
            "reassign_mandate", on: mandated, as: Fixtures.office,
            values: ["project_group": .text("PG Arbeit"), "decision_note": .text("Beschluss 3/2026")]  // the due date still lies ahead
        ).get()
        #expect(reassigned.ticket.state == "in_project_group")
        #expect(reassigned.ticket.fields["project_group"] == .text("PG Arbeit"))
    }

    @Test func aQueryIsWithdrawnAndAReportIsWithdrawnByItsReporter() throws {
        let query = KIMValues.ticket(in: "clarification", fields: ["query": .text("Wie viele Fälle?")])
        let back = try fire("withdraw_query", on: query, as: Fixtures.coordinator, values: ["reason": .text("CM hat gewechselt")]).get()
        #expect(back.ticket.state == "reported")
        #expect(back.entry.changes.map(\.field) == ["reason"])
        for state in ["reported", "clarification"] {
            let outcome = try fire(
                "withdraw", on: KIMValues.ticket(in: state), as: Fixtures.caseManager, values: ["reason": .text("Hat sich erledigt")]
            ).get()
            #expect(outcome.ticket.state == "withdrawn")
            #expect(definition.state("withdrawn")?.isFinal == true)
        }
        #expect(throws: Rejection.self) {
            try fire("withdraw", on: KIMValues.ticket(in: "ki_review"), as: Fixtures.caseManager, values: ["reason": .text("x")]).get()
        }
    }

    @Test func theKIMFileHasAWayOutOfEveryWaitingStateBesidesItsHappyPath() {
        let result = DefinitionLoader.load(contentsOf: Repository.kimFile)
        #expect(!result.diagnostics.contains { $0.code == .happyPathOnly })
    }

    @Test func aWaitingStateWhoseOnlyWayOutIsItsOwnersHappyPathIsAWarningWithItsPosition() throws {
        let text = """
            {
              "id": "w", "version": 1, "title": "W", "ticketPrefix": "W",
              "roles": { "clerk": "Clerk", "chief": "Chief" },
              "fields": { "title": { "type": "text", "title": "Title" } },
              "initial": { "state": "waiting", "roles": ["clerk"], "requires": ["title"] },
              "states": {
                "waiting": { "title": "Waiting", "owner": "clerk",
                  "timers": [ { "id": "reminder", "after": { "businessDays": 5 }, "notify": "clerk" } ] },
                "calm": { "title": "Calm", "owner": "clerk" },
                "done": { "title": "Done", "final": true }
              },
              "transitions": [
                { "event": "finish", "title": "Finish", "from": "waiting", "to": "calm", "roles": ["clerk"] },
                { "event": "note", "title": "Note", "from": "waiting", "roles": ["chief"] },
                { "event": "close", "title": "Close", "from": "calm", "to": "done", "roles": ["clerk"] }
              ]
            }
            """
        let result = DefinitionLoader.load(source: Array(text.utf8), file: "w.json")
        let lint = result.diagnostics.filter { $0.code == .happyPathOnly }
        #expect(lint.map { "\($0.path)@\($0.position?.description ?? "-")" } == ["states.waiting@7:5"])
        #expect(lint.allSatisfy { $0.severity == .warning })
        #expect(result.definition != nil, "a warning, not an error")
        // Another role's way out silences it.
        let fixed = text.replacingOccurrences(
            of: #"{ "event": "note", "title": "Note", "from": "waiting", "roles": ["chief"] }"#,
            with: #"{ "event": "drop", "title": "Drop", "from": "waiting", "to": "done", "roles": ["chief"] }"#)
        #expect(!DefinitionLoader.load(source: Array(fixed.utf8), file: "w.json").diagnostics.contains { $0.code == .happyPathOnly })
    }
}
