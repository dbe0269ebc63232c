import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowDocuments

@Suite struct MeetingTests {
    private let workflow = "systemic-gap-escalation"
    private let day: TimeInterval = 86_400

    private func date(_ text: String) throws -> LocalDate { try #require(LocalDate(parsing: text)) }

    /// A ticket brought to `awaiting_steering` (new gaps for the steering group) at the clock's current time.
    private func tabled(_ engine: Engine, _ title: String = "Lücke") throws -> String {
        var values = Fixtures.gapValues
        values["title"] = .text(title)
        let id = try engine.open(workflow: workflow, Command(.open, actor: Fixtures.coordinator, values: values)).ticket.id
        try engine.fire(id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        try engine.fire(id, Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Vorschlag")]))
        return id
    }

    /// Records a decision in writing (*Umlaufverfahren*): the only way besides a meeting to fire the board's events.
    private func inWriting(_ engine: Engine, _ id: String, _ event: String, _ values: [String: FieldInput]) throws {
        _ = try engine.applyDecisions(
            [Decision(entry: 1, ticket: id, event: event, values: values, comment: nil, resolution: nil)], meeting: nil,
            actor: Fixtures.office, check: false)
    }

    @discardableResult
    private func publish(_ engine: Engine, _ meeting: Meeting) throws -> Agenda {
        try engine.publishAgenda(meeting.id) { [("md", AgendaExport.markdown($0)), ("html", AgendaExport.html($0))] }
    }

    @Test func aMeetingsSubmissionDeadlineDefaultsToTenDaysBeforeAndPastOrDoubleDatesAreRefused() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        let meeting = try engine.addMeeting(
            workflow: workflow, date: try date("2027-03-11"), time: "14:00", title: "1. Sitzung", place: nil)
        #expect(meeting.submissionDeadline == (try date("2027-03-01")))
        #expect(throws: MeetingError.dateInPast(try date("2026-11-24"), today: try date("2026-11-25"))) {
            try engine.addMeeting(workflow: workflow, date: try date("2026-11-24"), time: nil, title: "x", place: nil)
        }
        #expect(throws: MeetingError.overlaps(try date("2027-03-11"), existing: meeting.id)) {
            try engine.addMeeting(workflow: workflow, date: try date("2027-03-11"), time: nil, title: "y", place: nil)
        }
        #expect(throws: MeetingError.invalidTime("25:00")) {
            try engine.addMeeting(workflow: workflow, date: try date("2027-04-01"), time: "25:00", title: "z", place: nil)
        }
        #expect(try engine.meetings().count == 1)
    }

    @Test func anItemBelongsToTheFirstMeetingWhoseDeadlineItMetAndADeferralMovesItOn() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)  // 25 November 2026
        let engine = try Fixtures.kimEngine(in: folder, clock: clock, store: .memory)
        let first = try engine.addMeeting(workflow: workflow, date: try date("2026-12-10"), time: nil, title: "Dezember", place: nil)
        let second = try engine.addMeeting(workflow: workflow, date: try date("2027-03-11"), time: nil, title: "März", place: nil)
        let early = try tabled(engine, "früh")  // 25 November, before the deadline of 30 November
        clock.advance(by: 5 * day)
        let onTheDeadline = try tabled(engine, "am Stichtag")  // 30 November: still in time
        clock.advance(by: 1 * day)
        let late = try tabled(engine, "spät")  // 1 December: next meeting
        #expect(try engine.agenda(for: first).items.map(\.ticket.id) == [early, onTheDeadline])
        #expect(try engine.agenda(for: second).items.map(\.ticket.id) == [late])

        // The December agenda is published after its deadline; on the meeting's day the early item is deferred.
        try publish(engine, first)
        clock.set(BusinessCalendar.weekendsOnly.instant(try date("2026-12-10"), secondsOfDay: 17 * 3600))
        _ = try engine.applyDecisions(
            [Decision(entry: 1, ticket: early, event: "defer", values: ["decision_note": .text("Vertagt")], comment: nil, resolution: nil)],
            meeting: first.id, actor: Fixtures.office, check: false)
        // The published agenda stays as it was sent; the deferred item moves on to March.
        #expect(
            try engine.agenda(for: try engine.meeting(String(first.id), workflow: workflow)).items.map(\.ticket.id) == [
                early, onTheDeadline,
            ])
        let march = try engine.agenda(for: second)
        #expect(march.items.map(\.ticket.id) == [late, early])
        #expect(march.items.map(\.number) == ["4.1", "4.2"])
        #expect(march.items.last?.deferrals == 1)
        #expect(march.items.first?.waitingDays == 100)
    }

    @Test func decisionsAreAppliedAllOrNothing() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock, store: .memory)
        let meeting = try engine.addMeeting(workflow: workflow, date: try date("2026-12-10"), time: nil, title: "Dezember", place: nil)
        let a = try tabled(engine, "a")
        let b = try tabled(engine, "b")
        try publish(engine, meeting)
        clock.advance(by: 15 * day)
        let good = Decision(
            entry: 1, ticket: a, event: "direct_measure", values: ["decision_note": .text("Jobcenter handelt")], comment: nil,
            resolution: nil)
        let noNote = Decision(entry: 2, ticket: b, event: "reject", values: ["reason": .text("Kein Bedarf")], comment: nil, resolution: nil)
        let unknown = Decision(entry: 3, ticket: "GAP-2026-0999", event: "defer", values: [:], comment: nil, resolution: nil)
        let twice = Decision(entry: 4, ticket: a, event: "defer", values: ["decision_note": .text("x")], comment: nil, resolution: nil)
        #expect(
            throws: DecisionsRefused(problems: [
                .init(
                    entry: 2, ticket: b,
                    message: "\"reject\" requires field \"decision_note\" (Beschlussvermerk); give it with --set decision_note=…"),
                .init(entry: 3, ticket: "GAP-2026-0999", message: "ticket GAP-2026-0999 is not on the agenda of meeting \(meeting.id)"),
                .init(entry: 4, ticket: a, message: "ticket \(a) is decided twice (also entry 1)"),
            ])
        ) { try engine.applyDecisions([good, noNote, unknown, twice], meeting: meeting.id, actor: Fixtures.office, check: false) }
        #expect(try engine.ticket(a).state == "awaiting_steering")
        #expect(try engine.history(a).count == 3)

        let fixed = Decision(
            entry: 2, ticket: b, event: "reject", values: ["reason": .text("Kein Bedarf"), "decision_note": .text("Abgelehnt")],
            comment: nil, resolution: "7/2026")
        let checked = try engine.applyDecisions([good, fixed], meeting: meeting.id, actor: Fixtures.office, check: true)
        #expect(checked.map(\.resolution) == ["2026/\(meeting.id)-1", "7/2026"])
        #expect(try engine.ticket(a).state == "awaiting_steering")
        let applied = try engine.applyDecisions([good, fixed], meeting: meeting.id, actor: Fixtures.office, check: false)
        #expect(applied == checked)
        #expect(try engine.ticket(b).state == "feedback")
        #expect(try engine.history(b).last?.decision == DecisionRecord(meeting: meeting.id, resolution: "7/2026"))
        #expect(try engine.decisions(of: meeting.id).map(\.ticket.id) == [a, b])
    }

    @Test func aDecisionNeedsItsOwnNoteNotTheOneLeftFromTheLastDecision() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        let id = try tabled(engine)
        try inWriting(engine, id, "defer", ["decision_note": .text("Vertagt")])
        #expect(throws: DecisionsRefused.self) { try inWriting(engine, id, "direct_measure", [:]) }
        try inWriting(engine, id, "direct_measure", ["decision_note": .text("Maßnahme")])
    }

    @Test func decisionsInWritingAreRecordedWithoutAMeeting() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        let id = try tabled(engine)
        let applied = try engine.applyDecisions(
            [
                Decision(
                    entry: 1, ticket: id, event: "report_to_state",
                    values: ["decision_note": .text("Im Umlaufverfahren"), "due_date": .text("2099-01-01")], comment: nil,
                    resolution: nil)
            ],
            meeting: nil, actor: Fixtures.office, check: false)
        #expect(applied.first?.resolution == "U2026-1")
        #expect(try engine.history(id).last?.decision == DecisionRecord(meeting: nil, resolution: "U2026-1"))
    }

    // MARK: - Exports

    private func agendaWithItems() throws -> (Engine, Agenda, TemporaryFolder) {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        let meeting = try engine.addMeeting(
            workflow: workflow, date: try date("2026-12-10"), time: "14:00", title: "4. Sitzung; Lenkungsgruppe, \"KIM\"",
            place: "Kreishaus Siegburg")
        _ = try tabled(engine, "Kinderbetreuung; \"fehlt\"")
        return (engine, try engine.agenda(for: meeting), folder)
    }

    @Test func theCSVOpensInGermanExcel() throws {
        let (_, agenda, _) = try agendaWithItems()
        let csv = AgendaExport.csv(agenda)
        #expect(csv.hasPrefix("\u{FEFF}TOP;Vorgang;Abschnitt;Titel;Kommune;Rechtskreise;"))
        let lines = csv.dropFirst().components(separatedBy: "\r\n")
        #expect(lines.count == 3 && lines[2].isEmpty)
        #expect(lines[1].hasPrefix("4.1;GAP-2026-0001;Neue systematische Lücken;\"Kinderbetreuung; \"\"fehlt\"\"\";Siegburg;SGB II;"))
        #expect(lines[1].hasSuffix(";25.11.2026;15;0"))
    }

    @Test func theHTMLAgendaIsAnAccessibleSelfContainedPage() throws {
        let (_, agenda, _) = try agendaWithItems()
        let html = AgendaExport.html(agenda)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"de\">"))
        #expect(html.contains("<h1>Tagesordnung: 4. Sitzung; Lenkungsgruppe, &quot;KIM&quot;</h1>"))
        #expect(html.contains("<h2>TOP 4 Neue systematische Lücken</h2>"))
        #expect(html.contains("<th scope=\"row\">Kommune</th><td>Siegburg</td>"))
        #expect(html.contains("@media print"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"))
        for tag in ["section", "table", "tbody", "tr", "h2", "h3", "main", "header"] {
            #expect(html.components(separatedBy: "<\(tag)").count - 1 == html.components(separatedBy: "</\(tag)>").count - 1, "\(tag)")
        }
    }

    @Test func theJSONAgendaHasAStableSchemaWithISODates() throws {
        let (_, agenda, _) = try agendaWithItems()
        let json = try JSONParser.parse(AgendaExport.json(agenda).compact)
        #expect(json.members?.map(\.key) == ["schema", "workflow", "meeting", "points", "internal"])
        let meeting = try #require(json.members?.first { $0.key == "meeting" }?.value.members)
        #expect(meeting.first { $0.key == "date" }?.value.string == "2026-12-10")
        #expect(meeting.first { $0.key == "submissionDeadline" }?.value.string == "2026-11-30")
        let points = try #require(json.members?.first { $0.key == "points" }?.value.elements)
        #expect(points.count == 6)
        let item = points[3].members?.first { $0.key == "items" }?.value.elements?.first
        #expect(item?.members?.first { $0.key == "number" }?.value.string == "4.1")
    }

    @Test func theCalendarIsValidICalendar() throws {
        let (engine, _, _) = try agendaWithItems()
        try engine.addMeeting(
            workflow: workflow, date: try date("2027-03-11"), time: nil,
            title: "1. Sitzung der Lenkungsgruppe des Kommunalen Integrationsmanagements im Rhein-Sieg-Kreis 2027", place: nil)
        let ics = CalendarExport.icalendar(
            try engine.meetings(), calendarName: "Lenkungsgruppe", now: Fixtures.start, database: try engine.storeIdentity())
        let lines = ics.components(separatedBy: "\r\n")
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.dropLast().last == "END:VCALENDAR")
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        #expect(!ics.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(lines.contains("DTSTART;TZID=Europe/Berlin:20261210T140000"))
        #expect(lines.contains("SUMMARY:4. Sitzung\\; Lenkungsgruppe\\, \"KIM\""))
        #expect(lines.contains("DTSTART;VALUE=DATE:20270311"))
        let unfolded = ics.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("SUMMARY:1. Sitzung der Lenkungsgruppe des Kommunalen Integrationsmanagements im Rhein-Sieg-Kreis 2027"))
        #expect(lines.filter { $0.hasPrefix("BEGIN:VEVENT") }.count == 2)
        #expect(lines.contains("DTSTAMP:20261125T080000Z"))
    }

    @Test func theMinutesListEveryResolutionWithWhoIsResponsibleAndTheDueDate() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock, store: .memory)
        let meeting = try engine.addMeeting(workflow: workflow, date: try date("2026-12-10"), time: nil, title: "Dezember", place: nil)
        let id = try tabled(engine, "Sprachkurse")
        try publish(engine, meeting)
        clock.advance(by: 15 * day)
        _ = try engine.applyDecisions(
            [
                Decision(
                    entry: 1, ticket: id, event: "mandate",
                    values: [
                        "project_group": .text("PG Sprache"), "mandate": .text("Modell entwickeln"), "due_date": .text("2027-04-30"),
                        "decision_note": .text("Beauftragt"),
                    ], comment: "Das Jobcenter war nicht vertreten.", resolution: nil)
            ], meeting: meeting.id, actor: Fixtures.office, check: false)
        let definition = try engine.definition(workflow)
        let record = try engine.minutesRecord(meeting.id)
        let markdown = MinutesExport.markdown(record)
        // The agenda's numbering, the fixed points, the mandate's text, the comment; the kind and the note apart.
        #expect(markdown.contains("\n## TOP 1 Eröffnung und Feststellung der Beschlussfähigkeit\n"))
        #expect(markdown.contains("\n### TOP 4.1 Sprachkurse (\(id))\n\n- **Beschluss 2026/\(meeting.id)-1:** Projektgruppe beauftragen\n"))
        #expect(markdown.contains("- **Beschlussvermerk:** Beauftragt\n"))
        #expect(markdown.contains("- **Auftrag:** Modell entwickeln\n"))
        #expect(markdown.contains("- **Anmerkung:** Das Jobcenter war nicht vertreten.\n"))
        #expect(markdown.contains("\n## TOP 6 Verschiedenes\n"))
        #expect(
            markdown.contains(
                "| 2026/\(meeting.id)-1 | 4.1 | Sprachkurse (\(id)) | Projektgruppe beauftragen – Beauftragt | PG Sprache | 30.04.2027 |"))
        #expect(
            MinutesExport.csv(definition: definition, resolutions: MinutesExport.resolutions(record.decisions)).hasPrefix(
                "\u{FEFF}Nr.;TOP;Vorgang;Titel;Art des Beschlusses;Beschluss;Zuständig;Frist\r\n"))
    }

    @Test func aDecisionPaperShowsSmallCountsOnlyAsLessThanFive() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        let id = try tabled(engine, "Sprachmittlung")
        try inWriting(engine, id, "refer_back", ["decision_note": .text("Zurück")])
        try engine.fire(id, Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Neuer Vorschlag")]))
        let (ticket, definition) = try engine.ticketWithDefinition(id)
        var paper = try PaperExport.markdown(ticket, definition)
        #expect(
            paper.hasPrefix(
                "# Beschlussvorlage \(id)\n\n- **Vorlage-Nr.:** \(id)\n- **Federführung:** Geschäftsstelle der Lenkungsgruppe\n\n"
                    + "## Betreff\n\nSprachmittlung\n\n## Beschlussvorschlag\n\nNeuer Vorschlag\n\n## Sachverhalt\n"))
        #expect(paper.hasSuffix("## Anlagen\n\n–\n"))
        #expect(!paper.contains("Anzahl beobachteter Fälle"))
        var withCount = ticket
        withCount.fields["cases_observed"] = .integer(3)
        paper = try PaperExport.markdown(withCount, definition)
        #expect(paper.contains("- **Anzahl beobachteter Fälle:** <5\n"))
        withCount.fields["cases_observed"] = .integer(12)
        #expect(try PaperExport.markdown(withCount, definition).contains("- **Anzahl beobachteter Fälle:** 12\n"))
        #expect(try PaperExport.html(withCount, definition).contains("<html lang=\"de\">"))
    }

    @Test func aDecisionPaperHasTheUsualStructureWithEarlierConsultationsAndTheMandateBesideTheSolution() throws {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock, store: .memory)
        let id = try tabled(engine, "Sprachkurse")
        try inWriting(engine, id, "defer", ["decision_note": .text("Kosten klären")])
        try inWriting(
            engine, id, "mandate",
            [
                "project_group": .text("PG Sprache"), "mandate": .text("Kurse planen"), "due_date": .text("2027-04-30"),
                "decision_note": .text("Beauftragt"),
            ])
        try engine.fire(id, Command(.fire(event: "submit_solution"), actor: Fixtures.projectGroup, values: ["solution": .text("Kurse")]))
        let meeting = try engine.addMeeting(workflow: workflow, date: try date("2026-12-10"), time: nil, title: "Dezember", place: nil)
        let (ticket, definition) = try engine.ticketWithDefinition(id)
        let context = PaperExport.Context(date: try date("2026-11-25"), meeting: meeting, history: try engine.history(id))
        let paper = try PaperExport.markdown(ticket, definition, context: context)
        #expect(paper.contains("- **Datum:** 25.11.2026\n"))
        #expect(paper.contains("- **Beratungsfolge:** Dezember, 10.12.2026\n"))
        #expect(paper.contains("## Beschlussvorschlag\n\nKurse\n"))
        #expect(paper.contains("## Finanzielle Auswirkungen\n\n–\n"))
        #expect(paper.contains("## Beteiligte Stellen\n\n- **Projektgruppe:** PG Sprache\n"))
        #expect(paper.contains("## Bisherige Beratungen\n\n- **25.11.2026 · Beschluss U2026-1:** Vertagen – Kosten klären\n"))
        #expect(paper.contains("## Auftrag und Lösungsansatz\n\n- **Auftrag:** Kurse planen\n- **Lösungsansatz:** Kurse\n"))
        let html = try PaperExport.html(ticket, definition, context: context)
        #expect(html.contains("<h2>Bisherige Beratungen</h2>") && html.contains("<div class=\"letterhead\">"))
    }

    @Test func theFeedbackReportSaysWhatCameOfEachGapInTheFeedbackStage() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        let id = try tabled(engine, "Formulare nur auf Deutsch")
        try inWriting(engine, id, "direct_measure", ["decision_note": .text("Das Jobcenter übersetzt die Formulare.")])
        _ = try tabled(engine, "noch offen")
        let definition = try engine.definition(workflow)
        let tickets = try engine.tickets(TicketFilter(states: ["feedback"])).map { ($0, try engine.history($0.id)) }
        let report = FeedbackExport.markdown(FeedbackExport.entries(tickets, definition), definition)
        #expect(
            report == """
                # Rückmeldung an die CM-Stellen

                ## Formulare nur auf Deutsch (\(id))

                Siegburg, gemeldet am 25.11.2026.

                **Ergebnis:** Ein Mitglied der Lenkungsgruppe ergreift eine Maßnahme. (25.11.2026)

                - **Beschlussvermerk:** Das Jobcenter übersetzt die Formulare.
                - **Gemeldet von:** koordination

                """)
    }

    @Test func theOParlExportNamesMeetingAgendaItemsAndPapers() throws {
        let (_, agenda, _) = try agendaWithItems()
        let oparl = try JSONParser.parse(
            AgendaExport.oparl(agenda, baseURL: "https://ris.example.de/oparl/v1/", now: Fixtures.start).compact)
        let meeting = try #require(oparl["data"]?.elements?.first)
        #expect(meeting["type"]?.string == "https://schema.oparl.org/1.1/Meeting")
        #expect(meeting["id"]?.string == "https://ris.example.de/oparl/v1/body/systemic-gap-escalation/meeting/1")
        #expect(meeting["start"]?.string == "2026-12-10T14:00:00+01:00")
        let items = try #require(meeting["agendaItem"]?.elements)
        #expect(items.compactMap { $0["number"]?.string } == ["1", "2", "3", "4", "4.1", "5", "6"])
        #expect(items.compactMap { $0["order"]?.integer } == [1, 2, 3, 4, 5, 6, 7])
        let paper = try #require(oparl["data"]?.elements?.first { $0["type"]?.string == "https://schema.oparl.org/1.1/Paper" })
        #expect(paper["reference"]?.string == "GAP-2026-0001")
        #expect(paper["body"]?.string == "https://ris.example.de/oparl/v1/body/systemic-gap-escalation")
        #expect(OParlConformance.problems(oparl) == [])
    }
}
