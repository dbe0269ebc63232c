import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowDocuments

/// A meeting's record has a life cycle (draft → agenda published → held → minutes approved, or cancelled); its
/// frozen documents are stored, each agenda item is decided once, and only at the meeting or in writing.
@Suite struct MeetingRecordTests {
    private let workflow = "systemic-gap-escalation"
    private let day: TimeInterval = 86_400

    private func date(_ text: String) throws -> LocalDate { try #require(LocalDate(parsing: text)) }

    /// An engine on a clock at 25 November 2026 with a meeting on 10 December 2026 and two tabled gaps.
    private func prepared(_ store: Fixtures.Store) throws -> (Engine, ManualClock, Meeting, [String], TemporaryFolder) {
        let folder = TemporaryFolder()
        let clock = ManualClock(Fixtures.start)
        let engine = try Fixtures.kimEngine(in: folder, clock: clock, store: store)
        let meeting = try engine.addMeeting(workflow: workflow, date: try date("2026-12-10"), time: "14:00", title: "Dezember", place: nil)
        let ids = try ["Kinderbetreuung fehlt", "Sprachmittlung fehlt"].map { try tabled(engine, $0) }
        return (engine, clock, meeting, ids, folder)
    }

    private func tabled(_ engine: Engine, _ title: String) throws -> String {
        var values = Fixtures.gapValues
        values["title"] = .text(title)
        let id = try engine.open(workflow: workflow, Command(.open, actor: Fixtures.coordinator, values: values)).ticket.id
        try engine.fire(id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        try engine.fire(id, Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Vorschlag")]))
        return id
    }

    private func render(_ agenda: Agenda) -> RenderedDocuments {
        [("md", AgendaExport.markdown(agenda)), ("html", AgendaExport.html(agenda))]
    }

    private func minutes(_ record: MinutesRecord) -> RenderedDocuments {
        [("md", MinutesExport.markdown(record)), ("html", MinutesExport.html(record))]
    }

    private func decide(
        _ engine: Engine, _ meeting: Int?, _ entries: [(String, String)], check: Bool = false
    ) throws -> [AppliedDecision] {
        try engine.applyDecisions(
            entries.enumerated().map { index, entry in
                Decision(
                    entry: index + 1, ticket: entry.0, event: entry.1, values: ["decision_note": .text("Beschluss \(index + 1)")],
                    comment: nil, resolution: nil)
            }, meeting: meeting, actor: Fixtures.office, check: check)
    }

    private func meetingDay(_ clock: ManualClock) throws {
        clock.set(BusinessCalendar.weekendsOnly.instant(try date("2026-12-10"), secondsOfDay: 17 * 3600))
    }

    @Test(arguments: Fixtures.Store.allCases)
    func decisionsNeedAPublishedAgendaAndTheMeetingsDayAndAnItemOnTheAgenda(store: Fixtures.Store) throws {
        let (engine, clock, meeting, ids, _) = try prepared(store)
        #expect(
            throws: MeetingError.wrongStage(meeting: meeting.id, status: .draft, needed: "agenda is published and minutes not yet approved")
        ) {
            try decide(engine, meeting.id, [(ids[0], "defer")])
        }
        let published = try engine.publishAgenda(meeting.id, render: render)
        #expect(published.items.map(\.number) == ["4.1", "4.2"])
        #expect(throws: MeetingError.wrongStage(meeting: meeting.id, status: .published, needed: "agenda is a draft")) {
            try engine.publishAgenda(meeting.id, render: render)
        }
        // Decisions for the meeting of 10 December, entered on 25 November: refused, nothing changed.
        #expect(throws: MeetingError.notYetHeld(meeting: meeting.id, date: try date("2026-12-10"), today: try date("2026-11-25"))) {
            try decide(engine, meeting.id, [(ids[0], "defer")])
        }
        #expect(try engine.history(ids[0]).count == 3)
        // A ticket tabled after publication is not on the agenda.
        let late = try tabled(engine, "Später gemeldet")
        try meetingDay(clock)
        #expect(
            throws: DecisionsRefused(problems: [
                .init(entry: 2, ticket: late, message: "ticket \(late) is not on the agenda of meeting \(meeting.id)")
            ])
        ) { try decide(engine, meeting.id, [(ids[0], "defer"), (late, "defer")]) }
        #expect(try engine.history(ids[0]).count == 3)
        #expect(try decide(engine, meeting.id, [(ids[0], "defer")]).map(\.resolution) == ["2026/\(meeting.id)-1"])
    }

    @Test(arguments: Fixtures.Store.allCases)
    func anItemIsDecidedOncePerMeetingAndTheSecondFileIsRefusedAsAWhole(store: Fixtures.Store) throws {
        let (engine, clock, meeting, ids, _) = try prepared(store)
        try engine.publishAgenda(meeting.id, render: render)
        try meetingDay(clock)
        #expect(try decide(engine, meeting.id, [(ids[0], "defer")]).map(\.resolution) == ["2026/\(meeting.id)-1"])
        let before = try ids.map { try engine.history($0).count }
        #expect(
            throws: DecisionsRefused(problems: [
                .init(entry: 1, ticket: ids[0], message: "TOP 4.1 was already decided at this meeting (resolution 2026/\(meeting.id)-1)")
            ])
        ) { try decide(engine, meeting.id, [(ids[0], "defer"), (ids[1], "direct_measure")]) }
        #expect(try ids.map { try engine.history($0).count } == before)
        // The other item is numbered on, not from 1 again.
        #expect(try decide(engine, meeting.id, [(ids[1], "direct_measure")]).map(\.resolution) == ["2026/\(meeting.id)-2"])
        #expect(try engine.decisions(of: meeting.id).count == 2)
        #expect(try engine.history(ids[1]).last?.decision == DecisionRecord(meeting: meeting.id, resolution: "2026/\(meeting.id)-2"))
    }

    @Test(arguments: Fixtures.Store.allCases)
    func theBoardsEventsAreFiredOnlyAsDecisionsOfAMeetingOrInWriting(store: Fixtures.Store) throws {
        let (engine, _, _, ids, _) = try prepared(store)
        let reject = Command(
            .fire(event: "reject"), actor: Fixtures.office, values: ["reason": .text("Kein Bedarf"), "decision_note": .text("Nein")])
        #expect(throws: Rejection.self) { try engine.fire(ids[0], reject) }
        #expect(try engine.ticket(ids[0]).state == "awaiting_steering")
        // In writing (Umlaufverfahren), numbered on through the year.
        let first = try decide(engine, nil, [(ids[0], "direct_measure")])
        let second = try decide(engine, nil, [(ids[1], "refer_back")])
        #expect((first + second).map(\.resolution) == ["U2026-1", "U2026-2"])
        #expect(try engine.history(ids[1]).last?.decision == DecisionRecord(meeting: nil, resolution: "U2026-2"))
    }

    @Test(arguments: Fixtures.Store.allCases)
    func aSupplementAddsNumberedItemsAndThePublishedAgendaStaysAsSent(store: Fixtures.Store) throws {
        let (engine, clock, meeting, ids, _) = try prepared(store)
        try engine.publishAgenda(meeting.id, render: render)
        let sent = try engine.meetingDocuments(meeting.id)
        let late = try tabled(engine, "Nachgereicht")
        #expect(throws: MeetingError.alreadyOnAgenda(ticket: ids[0], meeting: meeting.id, number: "TOP 4.1")) {
            try engine.supplementAgenda(meeting.id, tickets: [ids[0]], urgent: false, render: render)
        }
        let supplement = try engine.supplementAgenda(meeting.id, tickets: [late], urgent: false, render: render)
        #expect(supplement.issue == 1 && supplement.items.map(\.number) == ["4.3"])
        let documents = try engine.meetingDocuments(meeting.id)
        #expect(Array(documents.prefix(sent.count)) == sent)
        let markdown = try #require(documents.first { $0.kind == .supplement && $0.format == "md" }?.content)
        #expect(markdown.hasPrefix("# Nachtrag 1 · Tagesordnung: Dezember\n"))
        #expect(markdown.contains("### TOP 4.3 Nachgereicht") && !markdown.contains("TOP 4.1") && !markdown.contains("## TOP 1 "))
        let urgent = try engine.supplementAgenda(meeting.id, tickets: [try tabled(engine, "Eilig")], urgent: true, render: render)
        #expect(urgent.issue == 2 && urgent.items.map(\.number) == ["4.4"])
        try meetingDay(clock)
        #expect(try decide(engine, meeting.id, [(late, "defer")]).count == 1)
        // Deciding changed nothing of what was sent.
        #expect(Array(try engine.meetingDocuments(meeting.id).prefix(sent.count)) == sent)
    }

    @Test(arguments: Fixtures.Store.allCases)
    func approvedMinutesAreStoredAndChangeOnlyByADatedCorrection(store: Fixtures.Store) throws {
        let (engine, clock, meeting, ids, _) = try prepared(store)
        try engine.publishAgenda(meeting.id, render: render)
        #expect(throws: MeetingError.notYetHeld(meeting: meeting.id, date: try date("2026-12-10"), today: try date("2026-11-25"))) {
            try engine.approveMinutes(meeting.id, render: minutes)
        }
        try meetingDay(clock)
        _ = try decide(engine, meeting.id, [(ids[0], "direct_measure")])
        #expect(throws: MeetingError.wrongStage(meeting: meeting.id, status: .published, needed: "minutes are approved")) {
            try engine.correctMinutes(meeting.id, text: "x", render: minutes)
        }
        clock.advance(by: 90 * day)
        try engine.approveMinutes(meeting.id, render: minutes)
        let approved = try engine.meetingDocuments(meeting.id).filter { $0.kind == .minutes }
        #expect(approved.map(\.issue) == [1, 1])
        #expect(approved.first?.content.contains("Entwurf") == false)
        // Approved: no further decisions, no second approval.
        #expect(throws: MeetingError.self) { try decide(engine, meeting.id, [(ids[1], "defer")]) }
        #expect(throws: MeetingError.emptyCorrection) { try engine.correctMinutes(meeting.id, text: "  ", render: minutes) }
        clock.advance(by: 7 * day)
        let issue = try engine.correctMinutes(meeting.id, text: "TOP 4.1: Beschlussvermerk ergänzt.", render: minutes)
        #expect(issue == 2)
        let documents = try engine.meetingDocuments(meeting.id)
        #expect(documents.filter { $0.kind == .minutes && $0.issue == 1 } == approved)
        let corrected = try #require(documents.first { $0.kind == .minutes && $0.issue == 2 && $0.format == "md" }?.content)
        #expect(corrected.contains("## Berichtigungen\n\n- **Berichtigung vom 17.03.2027:** TOP 4.1: Beschlussvermerk ergänzt.\n"))
    }

    @Test(arguments: Fixtures.Store.allCases)
    func aMeetingIsMovedEditedAndCancelledAndTheCalendarSaysSo(store: Fixtures.Store) throws {
        let (engine, _, meeting, _, _) = try prepared(store)
        let moved = try engine.editMeeting(meeting.id, MeetingChanges(date: try date("2026-12-17"), place: "Kreishaus"))
        let deadline = try date("2026-12-07")
        #expect(moved.sequence == 1 && moved.place == "Kreishaus" && moved.submissionDeadline == deadline)
        #expect(throws: MeetingError.dateInPast(try date("2026-11-01"), today: try date("2026-11-25"))) {
            try engine.editMeeting(meeting.id, MeetingChanges(date: try date("2026-11-01")))
        }
        let other = try engine.addMeeting(workflow: workflow, date: try date("2027-03-11"), time: nil, title: "März", place: nil)
        let cancelled = try engine.cancelMeeting(other.id)
        #expect(cancelled.status == .cancelled && cancelled.sequence == 1)
        #expect(throws: MeetingError.wrongStage(meeting: other.id, status: .cancelled, needed: "minutes are not approved")) {
            try engine.editMeeting(other.id, MeetingChanges(title: "x"))
        }
        // The date of a cancelled meeting is free again.
        #expect(
            try engine.addMeeting(workflow: workflow, date: try date("2027-03-11"), time: nil, title: "März neu", place: nil).id > other.id)
        let identity = try engine.storeIdentity()
        let words = try engine.definition(workflow).words
        let ics = CalendarExport.icalendar(
            try engine.meetings(), calendarName: "Lenkungsgruppe", now: Fixtures.start, database: identity,
            deadlineWord: { _ in words.deadline }
        ).replacingOccurrences(of: "\r\n ", with: "")
        #expect(
            ics.contains(
                "UID:meeting-\(meeting.id)-\(workflow)-\(identity)@gapflow\r\nDTSTAMP:20261125T080000Z\r\nSEQUENCE:1\r\nSTATUS:CONFIRMED\r\n"
            ))
        #expect(
            ics.contains(
                "UID:meeting-\(other.id)-\(workflow)-\(identity)@gapflow\r\nDTSTAMP:20261125T080000Z\r\nSEQUENCE:1\r\nSTATUS:CANCELLED\r\n")
        )
        #expect(ics.contains("DESCRIPTION:Antragsfrist: 07.12.2026"))
    }

    @Test(arguments: Fixtures.Store.allCases)
    func aCancelledMeetingTakesNoDecisionsAndAMeetingWithDecisionsIsNotCancelled(store: Fixtures.Store) throws {
        let (engine, clock, meeting, ids, _) = try prepared(store)
        try engine.publishAgenda(meeting.id, render: render)
        try meetingDay(clock)
        _ = try decide(engine, meeting.id, [(ids[0], "defer")])
        #expect(throws: MeetingError.wrongStage(meeting: meeting.id, status: .published, needed: "record holds no decisions")) {
            try engine.cancelMeeting(meeting.id)
        }
        let next = try engine.addMeeting(workflow: workflow, date: try date("2027-03-11"), time: nil, title: "März", place: nil)
        try engine.publishAgenda(next.id, render: render)
        try engine.cancelMeeting(next.id)
        clock.set(BusinessCalendar.weekendsOnly.instant(try date("2027-03-11"), secondsOfDay: 17 * 3600))
        #expect(
            throws: MeetingError.wrongStage(
                meeting: next.id, status: .cancelled, needed: "agenda is published and minutes not yet approved")
        ) {
            try decide(engine, next.id, [(ids[0], "defer")])
        }
        #expect(MeetingError.wrongStage(meeting: next.id, status: .cancelled, needed: "").description == "meeting \(next.id) was cancelled")
    }

    @Test(arguments: Fixtures.Store.allCases)
    func theMinutesRecordAttendanceTheQuorumAndTheVoteAsTheRegisterStoodAtTheMeeting(store: Fixtures.Store) throws {
        let (engine, clock, meeting, ids, _) = try prepared(store)
        for (name, body, deputy) in [
            ("Dr. A. Landrat", "Rhein-Sieg-Kreis", "B. Dezernentin"), ("C. Leiterin", "Jobcenter Rhein-Sieg", "D. Vertreter"),
            ("E. Leiter", "Agentur für Arbeit", nil),
        ] as [(String, String, String?)] {
            try engine.saveBoardMember(BoardMember(name: name, body: body, deputy: deputy), workflow: workflow)
        }
        try engine.publishAgenda(meeting.id, render: render)
        #expect(throws: MeetingError.notYetHeld(meeting: meeting.id, date: try date("2026-12-10"), today: try date("2026-11-25"))) {
            try engine.recordAttendance(meeting.id, absent: [], deputized: [], chair: nil, minuteTaker: nil, start: nil, end: nil)
        }
        try meetingDay(clock)
        #expect(throws: MeetingError.noDeputy("E. Leiter")) {
            try engine.recordAttendance(
                meeting.id, absent: [], deputized: ["E. Leiter"], chair: nil, minuteTaker: nil, start: nil, end: nil)
        }
        #expect(throws: MeetingError.notAMember("X")) {
            try engine.recordAttendance(meeting.id, absent: ["X"], deputized: [], chair: nil, minuteTaker: nil, start: nil, end: nil)
        }
        let attendance = try engine.recordAttendance(
            meeting.id, absent: ["E. Leiter"], deputized: ["C. Leiterin"], chair: "Dr. A. Landrat", minuteTaker: "F. Protokoll",
            start: "14:05", end: "16:10")
        #expect(attendance.attending == 2 && attendance.isQuorate)
        var decision = Decision(
            entry: 1, ticket: ids[0], event: "direct_measure", values: ["decision_note": .text("Jobcenter handelt")], comment: nil,
            resolution: nil)
        decision.vote = .counted(yes: 2, no: 0, abstentions: 1)
        var other = Decision(
            entry: 2, ticket: ids[1], event: "defer", values: ["decision_note": .text("Vertagt")], comment: nil, resolution: nil)
        other.vote = .unanimous
        _ = try engine.applyDecisions([decision, other], meeting: meeting.id, actor: Fixtures.office, check: false)
        // The register changes afterwards; the minutes keep it as it stood.
        try engine.removeBoardMember("E. Leiter", workflow: workflow)
        let markdown = MinutesExport.markdown(try engine.minutesRecord(meeting.id))
        #expect(
            markdown.contains("- **Beginn:** 14:05\n- **Ende:** 16:10\n- **Vorsitz:** Dr. A. Landrat\n- **Schriftführung:** F. Protokoll\n")
        )
        #expect(markdown.contains("- **Beschlussfähigkeit:** beschlussfähig (2/3 Mitglieder anwesend oder vertreten)\n"))
        #expect(markdown.contains("| C. Leiterin | Jobcenter Rhein-Sieg | vertreten durch D. Vertreter |"))
        #expect(markdown.contains("| E. Leiter | Agentur für Arbeit | abwesend |"))
        #expect(markdown.contains("- **Abstimmung:** 2 Ja, 0 Nein, 1 Enthaltungen\n"))
        #expect(markdown.contains("- **Abstimmung:** einstimmig\n"))
        #expect(markdown.contains("Vorsitz: Dr. A. Landrat ____________________ · Schriftführung: F. Protokoll ____________________"))
        #expect(try engine.boardMembers(workflow: workflow).map(\.name) == ["C. Leiterin", "Dr. A. Landrat"])
    }

    @Test func printedDocumentsAreA4WithPageNumbersARunningHeaderAndTheBoardsLetterhead() throws {
        let agenda = try HostileText.agenda("Sitzung </style><script>x()</script> \"Mai\"\n")
        let html = AgendaExport.html(agenda)
        #expect(html.contains("@page { size: A4;"))
        #expect(html.contains("@bottom-right { content: counter(page) \" / \" counter(pages);"))
        #expect(
            html.contains(
                "@top-left { content: \"Tagesordnung: Sitzung \\3C /style\\3E \\3C script\\3E x()\\3C /script\\3E  \\\"Mai\\\" \";"))
        #expect(!html.contains("<script") && html.components(separatedBy: "</style>").count == 2)
        #expect(
            html.contains(
                "<div class=\"letterhead\"><p>Rhein-Sieg-Kreis</p><p>Kommunales Integrationsmanagement</p><p>Geschäftsstelle der Lenkungsgruppe</p></div>"
            ))
        let minutes = MinutesExport.html(try HostileText.minutes(agenda.definition, "x"))
        #expect(minutes.contains("<div class=\"letterhead\">") && minutes.contains("@page { size: A4;"))
    }
}
