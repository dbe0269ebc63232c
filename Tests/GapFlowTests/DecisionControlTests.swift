import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowDocuments

/// Tracking what the board decided (*Beschlusskontrolle*, issue 13 part 5): every agenda lists the open resolutions
/// with who is responsible and by when, marks those past their date, and a report to the Land stays open until its
/// answer is recorded; reminders come from the workflow's own timers.
@Suite struct DecisionControlTests {
    private let workflow = "systemic-gap-escalation"
    private let day: TimeInterval = 86_400

    private func date(_ text: String) throws -> LocalDate { try #require(LocalDate(parsing: text)) }

    private func tabled(_ engine: Engine, _ title: String) throws -> String {
        var values = Fixtures.gapValues
        values["title"] = .text(title)
        let id = try engine.open(workflow: workflow, Command(.open, actor: Fixtures.coordinator, values: values)).ticket.id
        try engine.fire(id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        try engine.fire(id, Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Vorschlag")]))
        return id
    }

    /// Decided in writing (*Umlaufverfahren*).
    private func decide(_ engine: Engine, _ id: String, _ event: String, _ values: [String: FieldInput]) throws {
        var values = values
        values["decision_note"] = .text("Beschluss zu \(event)")
        _ = try engine.applyDecisions(
            [Decision(entry: 1, ticket: id, event: event, values: values, comment: nil, resolution: nil)], meeting: nil,
            actor: Fixtures.office, check: false)
    }

    /// Two meetings (10 December 2026, 11 March 2027), a mandate due 15 January 2027 and a report to the Land whose
    /// answer is expected by 30 June 2027.
    private func prepared() throws -> (Engine, ManualClock, [Meeting], mandated: String, reported: String, TemporaryFolder) {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock, store: .memory)
        let meetings = try ["2026-12-10", "2027-03-11"].map {
            try engine.addMeeting(workflow: workflow, date: try date($0), time: "14:00", title: "Sitzung \($0)", place: nil)
        }
        let mandated = try tabled(engine, "Kinderbetreuung fehlt")
        let reported = try tabled(engine, "Fahrtkosten fehlen")
        try decide(
            engine, mandated, "mandate",
            ["project_group": .text("PG Sprache"), "mandate": .text("Modell entwickeln"), "due_date": .text("2027-01-15")])
        try decide(engine, reported, "report_to_state", ["due_date": .text("2027-06-30")])
        return (engine, clock, meetings, mandated, reported, folder)
    }

    @Test func everyAgendaListsTheOpenResolutionsWithWhoAndByWhenAndMarksTheOverdue() throws {
        let (engine, _, meetings, mandated, reported, _) = try prepared()
        #expect(try engine.ticket(reported).state == "reported_to_state")
        let december = try engine.agenda(for: meetings[0])
        let march = try engine.agenda(for: meetings[1])
        for agenda in [december, march] { #expect(agenda.status.map(\.id) == [mandated, reported]) }
        // Before its date the mandate is not overdue; at the March meeting it is, and only it.
        #expect(!december.status.contains(where: december.isOverdue))
        #expect(march.status.filter(march.isOverdue).map(\.id) == [mandated])
        let markdown = AgendaExport.markdown(march)
        #expect(markdown.contains("\n## TOP 3 Stand offener Beschlüsse\n"))
        #expect(markdown.contains("| Vorgang | Titel | Stufe | Projektgruppe | Auftrag | Frist |"))
        #expect(
            markdown.contains(
                "| \(mandated) | Kinderbetreuung fehlt | Bearbeitung Projektgruppe | PG Sprache | Modell entwickeln | 15.01.2027 (überfällig) |"
            ))
        #expect(markdown.contains("| \(reported) | Fahrtkosten fehlen | Meldung an das Land |  |  | 30.06.2027 |"))
        #expect(!AgendaExport.markdown(december).contains("überfällig"))
        #expect(AgendaExport.html(march).contains("<td>15.01.2027 (überfällig)</td>"))
        #expect(AgendaExport.json(march).compact.contains("\"overdue\":[\"\(mandated)\"]"))
    }

    @Test func aReportToTheLandStaysOpenUntilItsAnswerIsRecorded() throws {
        let (engine, _, meetings, _, reported, _) = try prepared()
        // Recording the answer needs its text, and the office (or the KI lead) records it, not the coordination.
        #expect(throws: (any Error).self) {
            try engine.fire(reported, Command(.fire(event: "record_state_answer"), actor: Fixtures.office, values: [:]))
        }
        #expect(throws: (any Error).self) {
            try engine.fire(
                reported,
                Command(.fire(event: "record_state_answer"), actor: Fixtures.coordinator, values: ["state_answer": .text("Antwort")]))
        }
        try engine.fire(
            reported,
            Command(
                .fire(event: "record_state_answer"), actor: Fixtures.office,
                values: ["state_answer": .text("Das Land prüft eine Änderung der Förderrichtlinie.")]))
        #expect(try engine.ticket(reported).state == "feedback")
        #expect(try !engine.agenda(for: meetings[1]).status.map(\.id).contains(reported))
    }

    @Test func aReportToTheLandNeedsTheDateItsAnswerIsExpectedBy() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, clock: ManualClock(Fixtures.start), store: .memory)
        let id = try tabled(engine, "Fahrtkosten fehlen")
        #expect(throws: (any Error).self) { try decide(engine, id, "report_to_state", [:]) }
        #expect(try engine.ticket(id).state == "awaiting_steering")
    }

    @Test func theOfficeIsRemindedBeforeAndAfterTheAnswerIsDue() throws {
        let (engine, clock, _, _, reported, _) = try prepared()
        let pending = try engine.pendingTimers(ticket: reported).filter { $0.state == "reported_to_state" }
        #expect(Set(pending.map(\.timer)) == ["due_soon", "overdue"])
        clock.advance(by: 250 * day)
        let fired = try engine.fireDueTimers().filter { $0.timer.ticketID == reported }
        #expect(fired.map { "\($0.timer.timer):\($0.status.rawValue)" } == ["due_soon:fired", "overdue:fired"])
        #expect(try engine.pendingTimers(ticket: reported).isEmpty)
    }

    @Test func theOverdueMarkMustNameADateField() throws {
        let source = try String(contentsOf: Repository.kimFile, encoding: .utf8)
        let broken = source.replacingOccurrences(of: #""overdue": "due_date""#, with: #""overdue": "mandate""#)
        #expect(broken != source)
        let result = DefinitionLoader.load(source: Array(broken.utf8), file: "kim.json")
        #expect(result.definition == nil)
        #expect(result.diagnostics.contains { $0.path == "meetings.statusItem.overdue" })
    }
}
