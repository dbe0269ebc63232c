import Foundation
import Testing

@testable import GapFlow

@Suite struct StepTests {
    let definition: Definition
    let now = Fixtures.start
    var today: LocalDate { LocalDate(now, in: .berlin) }

    init() throws {
        definition = try Fixtures.kimDefinition()
    }

    /// Fires as a recorded decision when `decided` (the board's events need one), else as a plain command.
    private func fire(
        _ event: String, on ticket: Ticket, as actor: Actor, role: String? = nil, values: [String: FieldInput] = [:],
        decided: Bool = true
    ) -> Result<Outcome, Rejection> {
        var command = Command(.fire(event: event), actor: actor, role: role, values: values)
        if decided { command.decision = DecisionRecord(meeting: 1, resolution: "2026/1-1") }
        return Step.fire(definition, ticket: ticket, command: command, now: now, references: KIMValues.references)
    }

    private func codes(_ result: Result<Outcome, Rejection>) -> [TransitionBlocker.Code] {
        guard case .failure(let rejection) = result else { return [] }
        return rejection.blockers.map(\.code)
    }

    private func requiredValues(_ transition: Transition) -> [String: FieldInput] {
        Dictionary(
            uniqueKeysWithValues: transition.needs.compactMap { name in
                definition.field(name).map { (name, KIMValues.input(for: $0, today: today)) }
            })
    }

    // MARK: - Every transition of the KIM workflow

    @Test func everyTransitionSucceedsForItsRoleWithItsRequiredFields() throws {
        for (state, transition) in KIMValues.pairs(definition) {
            let actor = Actor(name: "someone", roles: [transition.roles[0]])
            let result = fire(transition.event, on: KIMValues.ticket(in: state), as: actor, values: requiredValues(transition))
            let outcome = try #require(try? result.get(), "\(state) --\(transition.event)--> \(codes(result))")
            #expect(outcome.ticket.state == transition.target(from: state), "\(state) \(transition.event)")
            #expect(outcome.entry.from == state)
            #expect(outcome.entry.role == transition.roles[0])
            #expect(outcome.ticket.revision == 4)
        }
    }

    @Test func everyTransitionIsRefusedForEveryOtherRole() {
        for (state, transition) in KIMValues.pairs(definition) {
            for role in definition.roles.map(\.id) where !transition.roles.contains(role) {
                let actor = Actor(name: "someone", roles: [role])
                let result = fire(transition.event, on: KIMValues.ticket(in: state), as: actor, values: requiredValues(transition))
                #expect(codes(result) == [.roleNotAllowed], "\(role) firing \(transition.event) in \(state)")
            }
        }
    }

    @Test func everyTransitionIsRefusedWithoutEachOfItsRequiredFields() {
        for (state, transition) in KIMValues.pairs(definition) {
            let actor = Actor(name: "someone", roles: [transition.roles[0]])
            let fresh = transition.requiresNew
            for missing in transition.needs where fresh.contains(missing) || KIMValues.ticket(in: state).fields[missing] == nil {
                var values = requiredValues(transition)
                values[missing] = nil
                let result = fire(transition.event, on: KIMValues.ticket(in: state), as: actor, values: values)
                guard case .failure(let rejection) = result else {
                    Issue.record("\(transition.event) in \(state) fired without \(missing)")
                    continue
                }
                #expect(rejection.blockers.contains { $0.code == .missingField && $0.subject == missing })
            }
        }
    }

    @Test func everyEventIsRefusedFromStatesItDoesNotLeave() {
        for state in definition.states {
            let leaving = Set(definition.transitions(from: state.id).map(\.event))
            for event in Set(definition.transitions.map(\.event)).subtracting(leaving) {
                let result = fire(event, on: KIMValues.ticket(in: state.id), as: Actor(name: "all", roles: definition.roles.map(\.id)))
                #expect(codes(result) == [.notInSourceState], "\(event) from \(state.id)")
            }
        }
    }

    @Test func thePermissionMatrixAllowsExactlyTheDeclaredCombinations() throws {
        let roles = definition.roles.map(\.id) + [Definition.systemRole]
        let events = Array(Set(definition.transitions.map(\.event))).sorted()
        var allowed = 0
        var tried = 0
        for state in definition.states {
            for event in events {
                let transition = definition.transitions(from: state.id).first { $0.event == event }
                let values = transition.map(requiredValues) ?? [:]
                for role in roles {
                    tried += 1
                    let result = fire(event, on: KIMValues.ticket(in: state.id), as: Actor(name: "x", roles: [role]), values: values)
                    let expected = transition?.roles.contains(role) ?? false
                    let succeeded = (try? result.get()) != nil
                    #expect(succeeded == expected, "\(role) × \(event) × \(state.id)")
                    if succeeded { allowed += 1 }
                }
            }
        }
        #expect(tried == definition.states.count * events.count * roles.count)
        #expect(allowed == KIMValues.pairs(definition).map { $0.1.roles.count }.reduce(0, +))
    }

    // MARK: - Specific rules

    @Test func anUnknownEventListsTheEventsAvailableFromTheState() throws {
        let result = fire("accelerate", on: KIMValues.ticket(in: "feedback"), as: Fixtures.coordinator)
        guard case .failure(let rejection) = result else { throw Unexpected.success }
        #expect(rejection.blockers.map(\.code) == [.unknownEvent])
        #expect(
            rejection.blockers[0].message
                == "workflow \"systemic-gap-escalation\" has no event \"accelerate\"; events from here: \"publish\""
        )
    }

    @Test func theBoardsDecisionsAreRefusedAsPlainCommandsAndOnlyThose() throws {
        let values: [String: FieldInput] = ["reason": .text("Kein Bedarf"), "decision_note": .text("Abgelehnt")]
        let plain = fire("reject", on: KIMValues.ticket(in: "awaiting_steering"), as: Fixtures.office, values: values, decided: false)
        guard case .failure(let rejection) = plain else { throw Unexpected.success }
        #expect(rejection.blockers.map(\.code) == [.meetingDecision])
        #expect(rejection.blockers[0].message.hasPrefix("\"reject\" (Ablehnen) is decided only at a meeting or in writing"))
        #expect(
            try fire("reject", on: KIMValues.ticket(in: "awaiting_steering"), as: Fixtures.office, values: values).get().entry.decision
                != nil)
        // An event the workflow does not list under "decisions" needs no record.
        #expect(
            (try? fire(
                "publish", on: KIMValues.ticket(in: "feedback"), as: Fixtures.coordinator, values: ["feedback": .text("Danke")],
                decided: false
            ).get()) != nil)
    }

    @Test func aDeferralKeepsTheTicketInItsStateAndRecordsTheDecision() throws {
        let outcome = try fire(
            "defer", on: KIMValues.ticket(in: "solution_review"), as: Fixtures.office,
            values: ["decision_note": .text("Vertagt auf die nächste Sitzung")]
        ).get()
        #expect(outcome.ticket.state == "solution_review")
        #expect(outcome.entry.from == "solution_review" && outcome.entry.to == "solution_review")
        #expect(outcome.entry.changes == [FieldChange(field: "decision_note", old: nil, new: .text("Vertagt auf die nächste Sitzung"))])
    }

    @Test func aMandateWithADueDateInThePastIsBlockedByTheConditionsGermanDescription() throws {
        let values: [String: FieldInput] = [
            "project_group": .text("PG Sprache"), "mandate": .text("Konzept erarbeiten"), "decision_note": .text("Beschluss 3/2026"),
            "due_date": .text(today.german),
        ]
        let result = fire("mandate", on: KIMValues.ticket(in: "awaiting_steering"), as: Fixtures.office, values: values)
        guard case .failure(let rejection) = result else { throw Unexpected.success }
        #expect(rejection.blockers.map(\.message) == ["\"mandate\" is blocked: die Frist muss in der Zukunft liegen"])
        var later = values
        later["due_date"] = .text(today.adding(days: 1).german)
        #expect(
            try fire("mandate", on: KIMValues.ticket(in: "awaiting_steering"), as: Fixtures.office, values: later).get().ticket.state
                == "in_project_group")
    }

    @Test func aRevisionNeedsANewDueDateOnceTheOldOneHasPassed() throws {
        let ticket = KIMValues.ticket(in: "solution_review", fields: ["due_date": .date(today.adding(days: -1))])
        let stale = fire("revise", on: ticket, as: Fixtures.office, values: ["decision_note": .text("Nachbessern")])
        #expect(codes(stale) == [.conditionFailed])
        let renewed = fire(
            "revise", on: ticket, as: Fixtures.office,
            values: ["decision_note": .text("Nachbessern"), "due_date": .text(today.adding(days: 30).iso8601)])
        #expect(try renewed.get().ticket.state == "in_project_group")
    }

    @Test func everyProblemOfACommandIsReportedAtOnce() throws {
        let result = fire(
            "forward", on: KIMValues.ticket(in: "reported"), as: Fixtures.caseManager,
            values: ["cases_observed": .text("0"), "municipality": .text("Bonn"), "colour": .text("rot")])
        #expect(codes(result) == [.roleNotAllowed, .invalidValue, .unknownField, .fieldNotSettable, .missingField])
    }

    @Test func valuesOutsideTheirListAreRefusedWithTheAllowedValues() throws {
        let result = fire(
            "forward", on: KIMValues.ticket(in: "reported"), as: Fixtures.coordinator, values: ["legal_domains": .text("SGB II,SGB IX")])
        guard case .failure(let rejection) = result else { throw Unexpected.success }
        #expect(rejection.blockers.map(\.code) == [.invalidValue])
        #expect(rejection.blockers[0].message.hasPrefix("field \"legal_domains\": \"SGB IX\" is not an allowed value; allowed: \"SGB II\""))
    }

    @Test func setValuesAreMatchedIgnoringCaseAndKeptInTheFilesOrder() throws {
        let outcome = try fire(
            "forward", on: KIMValues.ticket(in: "reported"), as: Fixtures.coordinator,
            values: ["legal_domains": .text("aufenthg, sgb ii,SGB II")]
        ).get()
        #expect(outcome.ticket.fields["legal_domains"] == .choices(["SGB II", "AufenthG"]))
    }

    @Test func aMergeMustPointAtAnotherOpenTicket() {
        let ticket = KIMValues.ticket(in: "reported")
        let selfReference = fire("merge", on: ticket, as: Fixtures.coordinator, values: ["merged_into": .text(ticket.id)])
        #expect(codes(selfReference) == [.invalidReference])
        let unknown = fire("merge", on: ticket, as: Fixtures.coordinator, values: ["merged_into": .text("GAP-2026-0500")])
        #expect(codes(unknown) == [.invalidReference])
        let closed = Step.fire(
            definition, ticket: ticket,
            command: Command(.fire(event: "merge"), actor: Fixtures.coordinator, values: ["merged_into": .text("gap-2026-0002")]),
            now: now, references: ["GAP-2026-0002": ReferencedTicket(workflowID: definition.id, state: "closed", isFinal: true)])
        guard case .failure(let rejection) = closed else {
            Issue.record("merged into a closed ticket")
            return
        }
        #expect(rejection.blockers.map(\.message) == ["field \"merged_into\": ticket GAP-2026-0002 is already finished (state \"closed\")"])
    }

    @Test func aCaseManagerActsOnlyOnTicketsOfTheirMunicipality() {
        let ticket = KIMValues.ticket(in: "clarification", fields: ["municipality": .choice("Troisdorf")])
        #expect(codes(fire("resubmit", on: ticket, as: Fixtures.caseManager)) == [.outOfScope])
        let own = KIMValues.ticket(in: "clarification")
        #expect((try? fire("resubmit", on: own, as: Fixtures.caseManager).get().ticket.state) == "reported")
    }

    @Test func anActorWithSeveralRolesActsInTheOneTheTransitionAllows() throws {
        let both = Actor(name: "leitung", roles: ["cm_coordination", "ki_lead"])
        let outcome = try fire("table", on: KIMValues.ticket(in: "ki_review"), as: both, values: ["proposal": .text("Vorschlag")]).get()
        #expect(outcome.entry.role == "ki_lead")
        let asked = fire(
            "table", on: KIMValues.ticket(in: "ki_review"), as: both, role: "cm_coordination", values: ["proposal": .text("x")])
        #expect(codes(asked) == [.roleNotAllowed])
        let notHeld = fire(
            "table", on: KIMValues.ticket(in: "ki_review"), as: both, role: "steering_office", values: ["proposal": .text("x")])
        guard case .failure(let rejection) = notHeld else { throw Unexpected.success }
        #expect(rejection.blockers[0].message == "actor \"leitung\" does not hold role \"steering_office\"")
    }

    // MARK: - Opening

    @Test func openingChecksRoleRequiredFieldsAndDefaultsTheMunicipalityToTheActors() throws {
        let values: [String: FieldInput] = ["title": .text("Lücke"), "description": .text("Beschreibung")]
        let outcome = try Step.open(
            definition, id: "GAP-2026-0001", command: Command(.open, actor: Fixtures.caseManager, values: values), now: now
        ).get()
        #expect(outcome.ticket.state == "reported")
        #expect(outcome.ticket.fields["municipality"] == .choice("Siegburg"))
        #expect(outcome.entry.from == nil && outcome.entry.event == "open" && outcome.entry.revision == 1)

        let refused = Step.open(definition, id: "GAP-2026-0002", command: Command(.open, actor: Fixtures.kiLead, values: [:]), now: now)
        guard case .failure(let rejection) = refused else { throw Unexpected.success }
        #expect(rejection.blockers.map(\.code) == [.roleNotAllowed, .missingField, .missingField, .missingField])
    }

    @Test func optionsListOnlyTheEventsTheActorsRolesAllowWithWhatTheyStillNeed() {
        let options = Step.options(definition, ticket: KIMValues.ticket(in: "reported"), actor: Fixtures.coordinator, now: now)
        #expect(options.map(\.transition.event) == ["forward", "request_info", "merge", "dismiss", "withdraw"])
        #expect(options.first?.blockers.map(\.subject) == ["legal_domains"])
        #expect(Step.options(definition, ticket: KIMValues.ticket(in: "reported"), actor: Fixtures.kiLead, now: now).isEmpty)
    }
}

enum Unexpected: Error {
    case success
}
