import Foundation
import Testing

@testable import GapFlow

/// The JSON read models: one encoding for the CLI and the web API, with stable names, ISO dates and explicit nulls.
@Suite struct ReadModelTests {
    private struct Sample: Encodable {
        let zebra: Int
        let apple: String?
        let when: Date
        let day: LocalDate
    }

    @Test func keysKeepTheirDeclaredOrderAbsentValuesAreNullAndDatesAreISO8601() throws {
        let sample = Sample(
            zebra: 1, apple: nil, when: Date(timeIntervalSince1970: 1_795_593_600.25), day: try #require(LocalDate(parsing: "2027-03-11")))
        #expect(
            try JSONValueEncoder.encode(sample)
                == .object([
                    ("zebra", .integer(1)), ("apple", .null), ("when", .string("2026-11-25T08:00:00.250Z")),
                    ("day", .string("2027-03-11")),
                ]))
    }

    @Test func aTicketViewListsFieldsInTheDefinitionsOrderWithStateTitleAndOwner() throws {
        let definition = try Fixtures.kimDefinition()
        let ticket = Ticket(
            id: "GAP-2026-0001", workflowID: definition.id, version: definition.version, state: "reported", revision: 1,
            fields: ["cases_observed": .integer(3), "title": .text("Kita"), "municipality": .choice("Siegburg")],
            openedAt: Fixtures.start, openedBy: "cm.siegburg", updatedAt: Fixtures.start)
        let json = try JSONValueEncoder.encode(TicketView(ticket, definition))
        guard case .object(let members) = json, case .object(let fields)? = members.first(where: { $0.0 == "fields" })?.1 else {
            Issue.record("not an object: \(json)")
            return
        }
        #expect(
            members.map(\.0) == [
                "id", "workflow", "version", "state", "stateTitle", "owner", "final", "revision", "openedAt", "openedBy", "updatedAt",
                "fields",
            ])
        let order = definition.fields.map(\.id)
        #expect(fields.map(\.0) == order.filter(["title", "municipality", "cases_observed"].contains))
        #expect(members.first { $0.0 == "stateTitle" }?.1 == .string(definition.stateTitle("reported")))
        #expect(members.first { $0.0 == "owner" }?.1 == definition.state("reported")?.owner.map(JSONValue.string))
    }

    @Test func aHistoryEntryNamesTheMeetingAndResolutionItWasDecidedAt() throws {
        var entry = HistoryEntry(
            revision: 5, at: Fixtures.start, actor: "geschaeftsstelle", role: "steering_office", event: "mandate",
            from: "awaiting_steering", to: "in_project_group", changes: [FieldChange(field: "due_date", old: nil, new: .text("x"))],
            comment: nil)
        entry.decision = DecisionRecord(meeting: 1, resolution: "2027/1-2")
        let json = try JSONValueEncoder.encode(entry)
        guard case .object(let members) = json else {
            Issue.record("not an object")
            return
        }
        #expect(members.first { $0.0 == "decision" }?.1 == .object([("meeting", .integer(1)), ("resolution", .string("2027/1-2"))]))
        #expect(members.first { $0.0 == "comment" }?.1 == .null)
    }

    @Test func everyEngineRefusalExplainsItselfWithAKindForTheDoors() {
        let cases: [(any ExplainedError, ErrorKind)] = [
            (EngineError.unknownTicket("GAP-1"), .notFound),
            (EngineError.unknownRole("x", known: ["cm"]), .refused),
            (StoreError.conflict(ticket: "GAP-1", expected: 1, actual: 2), .conflict),
            (StoreError.busy(path: "db"), .unavailable),
            (MeetingError.unknownMeeting("7"), .notFound),
            (Rejection(ticketID: "GAP-1", event: "forward", blockers: [.unknownEvent("forward", workflow: "w", available: [])]), .refused),
            (DecisionsRefused(problems: [.init(entry: 1, ticket: "GAP-1", message: "no")]), .refused),
            (ImportError(line: 3, message: "cut off"), .refused),
        ]
        for (error, kind) in cases {
            #expect(error.kind == kind, "\(error)")
            #expect(!error.summary.isEmpty, "\(error)")
        }
        let refused = DecisionsRefused(problems: [
            .init(entry: 1, ticket: "GAP-1", message: "a"), .init(entry: 2, ticket: "GAP-2", message: "b"),
        ])
        #expect(refused.details == ["- entry 1 (GAP-1): a", "- entry 2 (GAP-2): b"])
    }
}
