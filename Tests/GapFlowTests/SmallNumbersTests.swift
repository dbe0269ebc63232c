import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowDocuments

/// Small numbers in the documents the CLI tests do not reach: minutes and feedback that show a case count, the
/// report's medians, free-text values and case-count breakdowns, and OParl's `public` taken from the workflow.
@Suite struct SmallNumbersTests {
    private let workflow = "systemic-gap-escalation"

    /// The KIM file with some of its text replaced (each replacement must match).
    private func kim(_ replacements: [(String, String)]) throws -> (source: String, definition: Definition) {
        var source = try String(contentsOf: Repository.kimFile, encoding: .utf8)
        for (old, new) in replacements {
            #expect(source.contains(old), "\(old)")
            source = source.replacingOccurrences(of: old, with: new)
        }
        return (source, try Fixtures.definition(source))
    }

    private func ticket(_ fields: [String: FieldValue], state: String = "in_project_group") -> Ticket {
        Ticket(
            id: "GAP-2026-0001", workflowID: workflow, version: 1, state: state, revision: 3, fields: fields, openedAt: Fixtures.start,
            openedBy: "cm.siegburg", updatedAt: Fixtures.start)
    }

    @Test func minutesAndFeedbackMaskACaseCountTheyShow() throws {
        let (_, definition) = try kim([
            (#""fields": ["project_group", "mandate", "due_date"]"#, #""fields": ["cases_observed", "mandate", "due_date"]"#),
            (#""outcome": ["decision_note", "solution", "state_answer", "reason"]"#, #""outcome": ["decision_note", "cases_observed"]"#),
        ])
        let ticket = ticket(["title": .text("Lücke"), "cases_observed": .integer(3), "decision_note": .text("beauftragt")])
        let entry = HistoryEntry(
            revision: 3, at: Fixtures.start, actor: "geschaeftsstelle", role: "steering_office", event: "mandate",
            from: "awaiting_steering", to: "in_project_group", changes: [], comment: nil)
        let decided = [MinutesRecord.Decided(number: "4.1", ticket: ticket, definition: definition, entry: entry)]
        let masked = MinutesExport.resolutions(decided)
        #expect(masked.first?.responsible == "<5")
        #expect(MinutesExport.resolutions(decided, unmasked: true).first?.responsible == "3")
        let meeting = Meeting(
            id: 1, workflowID: workflow, date: LocalDate(Fixtures.start, in: .berlin), time: nil, title: "Sitzung", place: nil,
            submissionDeadline: LocalDate(Fixtures.start, in: .berlin))
        #expect(MinutesExport.csv(definition: definition, resolutions: masked).contains(";<5;"))
        let record = MinutesRecord(meeting: meeting, definition: definition, decisions: decided)
        #expect(MinutesExport.markdown(record).contains("| <5 |"))
        #expect(MinutesExport.html(record, unmasked: true).contains("Nur für den internen Gebrauch"))

        let feedback = ticket.fields.merging(["title": .text("Lücke")]) { $1 }
        let entries = FeedbackExport.entries([(self.ticket(feedback, state: "feedback"), [])], definition)
        #expect(FeedbackExport.markdown(entries, definition).contains("- **Anzahl beobachteter Fälle:** <5"))
        #expect(FeedbackExport.html(entries, definition).contains("<td>&lt;5</td>"))
        let unmaskedEntries = FeedbackExport.entries([(self.ticket(feedback, state: "feedback"), [])], definition, unmasked: true)
        #expect(FeedbackExport.markdown(unmaskedEntries, definition, unmasked: true).contains("- **Anzahl beobachteter Fälle:** 3"))
    }

    @Test func theReportGathersFreeTextAndSmallCaseCountsAndWithholdsMediansOfSmallGroups() throws {
        let (source, _) = try kim([
            (
                #""reportBreakdowns": ["municipality", "legal_domains", "target_group", "field_of_action", "source"]"#,
                #""reportBreakdowns": ["target_group", "cases_observed"]"#
            )
        ])
        let engine = Engine(store: MemoryStore(), clock: ManualClock(Fixtures.start))
        try engine.register(source: Array(source.utf8), file: "kim.json")
        try engine.saveActor(Fixtures.coordinator)
        // Six tickets for a named group, one that names a single family, and case counts 2, 3, 7, 7, 7, 7, 7.
        let groups = Array(repeating: "Neuzugewanderte", count: 6) + ["Familie Yilmaz aus Siegburg"]
        for (index, group) in groups.enumerated() {
            var values = Fixtures.gapValues
            values["target_group"] = .text(group)
            values["cases_observed"] = .text(String([2, 3, 7, 7, 7, 7, 7][index]))
            try engine.open(workflow: workflow, Command(.open, actor: Fixtures.coordinator, values: values))
        }
        let report = try engine.report(workflow: workflow)
        let masked = ReportExport.markdown(report, unmasked: false)
        #expect(masked.contains("| Neuzugewanderte | 6 |"))
        #expect(masked.contains("| weitere Angaben | <5 |"))
        #expect(!masked.contains("Yilmaz"))
        #expect(masked.contains("| <5 | <5 |"), "case counts 2 and 3 gathered under the masked label")
        #expect(masked.contains("| 7 | 5 |"))
        #expect(!masked.contains("| 2 | 1 |"))
        let json = try JSONParser.parse(ReportExport.json(report, unmasked: false).compact)
        let breakdowns = try #require(json["breakdowns"]?.elements)
        #expect(breakdowns[0]["counts"]?.members?.map(\.key) == ["Neuzugewanderte", "weitere Angaben"])
        #expect(breakdowns[1]["counts"]?.members?.map(\.key) == ["<5", "7"])
        let unmasked = ReportExport.markdown(report, unmasked: true)
        #expect(unmasked.contains("| Familie Yilmaz aus Siegburg | 1 |") && unmasked.contains("| 2 | 1 |"))
        #expect(ReportExport.csv(report, unmasked: false).contains("weitere Angaben;<5"))
        #expect(!ReportExport.html(report, unmasked: false).contains("Yilmaz"))

        // Medians and percentiles of fewer than five stays are withheld; of five or more they are shown.
        let stays = Report.StageTime(state: "reported", stays: 4, median: 3, percentile90: 7.5)
        let many = Report.StageTime(state: "ki_review", stays: 5, median: 3, percentile90: 7.5)
        let timed = Report(
            definition: report.definition, from: nil, to: nil, generatedAt: Fixtures.start, openPerStage: [], months: [],
            stageTimes: [stays, many], overdue: [], deferrals: 0, breakdowns: [])
        let text = ReportExport.markdown(timed, unmasked: false)
        #expect(text.contains("| Gemeldet | <5 | k. A. | k. A. |"))
        #expect(text.contains("| Prüfung KI-Leitung | 5 | 3 | 7,5 |"))
        let stageTimes = try JSONParser.parse(ReportExport.json(timed, unmasked: false).compact)["stageTimes"]?.elements
        #expect(stageTimes?.first?["medianBusinessDays"]?.string == "k. A.")
    }

    @Test func oparlMarksAsPublicWhatTheWorkflowSays() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        let meeting = try engine.addMeeting(
            workflow: workflow, date: try #require(LocalDate(parsing: "2026-12-10")), time: "14:00", title: "Sitzung", place: nil)
        let id = try engine.open(workflow: workflow, Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)).ticket.id
        try engine.fire(id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        try engine.fire(id, Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Vorschlag")]))
        let agenda = try engine.agenda(for: meeting)
        let flags = { (agenda: Agenda) in
            (try JSONParser.parse(AgendaExport.oparl(agenda).compact)["data"]?.elements?.first?["agendaItem"]?.elements ?? []).map {
                item -> String in
                "\(item["number"]?.string ?? "?"):\(item["public"]?.value == .bool(true))"
            }
        }
        // KIM: only the opening and closing items are public.
        #expect(try flags(agenda) == ["1:true", "2:true", "3:false", "4:false", "4.1:false", "5:false", "6:true"])
        let (_, open) = try kim([(#""public": ["openingItems", "closingItems"]"#, #""public": ["statusItem", "new_gaps"]"#)])
        let rules = try #require(open.meetings)
        let reopened = Agenda(meeting: meeting, definition: open, rules: rules, items: agenda.items, status: agenda.status)
        #expect(try flags(reopened) == ["1:false", "2:false", "3:true", "4:true", "4.1:true", "5:false", "6:false"])
    }

    @Test func theDefinitionKeysAreCheckedLikeEveryOther() throws {
        let (source, _) = try kim([])
        let broken = source.replacingOccurrences(
            of: #""roles": ["cm_coordination", "ki_lead"], "marker": "[geschwärzt]" }"#, with: #""roles": ["cm_cordination"] }"#
        ).replacingOccurrences(of: #""fields": ["cases_observed"], "internalRoles""#, with: #""fields": ["title"], "internalRoles""#)
            .replacingOccurrences(of: #""withheld": "k. A.""#, with: #""withheld": "k. A.", "withold": "x""#)
            .replacingOccurrences(of: #""public": ["openingItems", "closingItems"]"#, with: #""public": ["openingItem"]"#)
        let result = DefinitionLoader.load(source: Array(broken.utf8), file: "kim.json")
        #expect(result.definition == nil)
        let messages = result.errors.map { "\($0.code.rawValue) at \($0.path): \($0.message)" }
        #expect(
            messages.sorted() == [
                "INVALID_VALUE at meetings.public[0]: unknown agenda point \"openingItem\"",
                "MISSING_KEY at redaction: missing required key \"marker\"",
                "TYPE_MISMATCH at smallNumbers.fields[0]: small numbers are counts: \"title\" is text, not integer",
                "UNKNOWN_KEY at words.withold: unknown key \"withold\"",
                "UNKNOWN_ROLE at redaction.roles[0]: unknown role \"cm_cordination\"",
            ], "\(messages)")
    }
}
