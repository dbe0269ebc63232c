import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

@Suite struct MeetingCommandTests {
    /// A database with two gaps waiting for the steering group and a December meeting.
    private func prepared() throws -> (Shell, [String]) {
        let shell = Shell()
        try shell.prepareKIM()
        var ids: [String] = []
        for title in ["Kinderbetreuung fehlt", "Sprachmittlung fehlt"] {
            let id = try shell.openGap(title: title)
            #expect(shell.run("fire", id, "forward").status == 0)
            #expect(shell.run("fire", id, "table", "--as", "ki.leitung", "--set", "proposal=Projektgruppe beauftragen").status == 0)
            ids.append(id)
        }
        let added = shell.run(
            "meeting", "add", "--date", "10.12.2026", "--time", "14:00", "--title", "4. Sitzung der Lenkungsgruppe 2026", "--place",
            "Kreishaus")
        try #require(added.status == 0, "\(added.errors)")
        #expect(added.output == "meeting 1: 4. Sitzung der Lenkungsgruppe 2026, 10.12.2026 (Antragsfrist 30.11.2026)\n")
        return (shell, ids)
    }

    /// ``prepared()`` with the agenda published and the clock at the meeting's day, 10 December 2026, 17:00.
    private func held() throws -> (Shell, [String]) {
        let (shell, ids) = try prepared()
        let published = shell.run("agenda", "publish", "--meeting", "1")
        try #require(published.status == 0, "\(published.errors)")
        #expect(published.output == "published the agenda of meeting 1 with 2 items; it is stored as sent\n")
        shell.clock.set(Date(timeIntervalSince1970: 1_796_918_400))
        return (shell, ids)
    }

    private func write(_ shell: Shell, _ name: String, _ text: String) -> String {
        let path = shell.folder.appendingPathComponent(name).path
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test func aWholeMeetingCycleRunsFromTheCommandLine() throws {
        let (shell, ids) = try prepared()
        let agenda = shell.run("agenda", "--format", "md")
        #expect(agenda.output.contains("### TOP 4.1 Kinderbetreuung fehlt (\(ids[0]))"))
        #expect(shell.run("agenda", "--format", "html", "--out", "agenda.html").status == 0)
        #expect(shell.run("agenda", "--format", "csv", "--out", "agenda.csv").status == 0)
        #expect(shell.run("agenda", "--meeting", "next", "--format", "decisions", "--out", "decisions.json").status == 0)
        #expect(shell.run("agenda", "publish", "--meeting", "1").status == 0)
        shell.clock.set(Date(timeIntervalSince1970: 1_796_918_400))  // the meeting's day

        // The office fills in the template after the meeting.
        var template = try String(contentsOf: shell.folder.appendingPathComponent("decisions.json"), encoding: .utf8)
        template = template.replacingOccurrences(
            of: "\"ticket\": \"\(ids[0])\",\n      \"title\": \"Kinderbetreuung fehlt\",\n      \"event\": null",
            with: "\"ticket\": \"\(ids[0])\",\n      \"title\": \"Kinderbetreuung fehlt\",\n      \"event\": \"defer\"")
        template = template.replacingOccurrences(of: "\"set\": {}", with: "\"set\": {\"decision_note\": \"Beschlossen\"}")
        template = template.replacingOccurrences(
            of: "\"ticket\": \"\(ids[1])\",\n      \"title\": \"Sprachmittlung fehlt\",\n      \"event\": null",
            with: "\"ticket\": \"\(ids[1])\",\n      \"title\": \"Sprachmittlung fehlt\",\n      \"event\": \"direct_measure\"")
        _ = write(shell, "filled.json", template)
        let check = shell.run("decisions", "apply", "filled.json", "--check", "--as", "geschaeftsstelle")
        #expect(check.status == 0, "\(check.errors)")
        #expect(check.output.hasSuffix("check passed: 2 decisions would be applied; nothing was changed\n"))
        #expect(try JSONParser.parse(shell.run("show", ids[1], "--json").output)["state"]?.string == "awaiting_steering")
        let applied = shell.run("decisions", "apply", "filled.json", "--as", "geschaeftsstelle")
        #expect(applied.status == 0, "\(applied.errors)")
        #expect(applied.output.contains("applied 2026/1-2  \(ids[1])  direct_measure: awaiting_steering → feedback"))
        let minutes = shell.run("minutes", "--meeting", "1", "--format", "md")
        #expect(minutes.output.contains("| 2026/1-1 | 4.1 | Kinderbetreuung fehlt (\(ids[0])) | Vertagen – Beschlossen |"))
        #expect(minutes.output.contains("**Entwurf – noch nicht genehmigt**"))
        #expect(shell.run("minutes", "--meeting", "1", "--format", "csv").output.hasPrefix("\u{FEFF}Nr.;"))
        #expect(shell.run("minutes", "--meeting", "1", "--format", "html").output.contains("<html lang=\"de\">"))
        // The deferred item waits for the next meeting, which does not exist yet.
        #expect(shell.run("meeting", "add", "--date", "2027-03-11", "--title", "1. Sitzung 2027").status == 0)
        #expect(shell.run("agenda", "--meeting", "2").output.contains("TOP 4.1 Kinderbetreuung fehlt"))
        let ics = shell.run("meeting", "ics")
        #expect(ics.output.contains("SUMMARY:1. Sitzung 2027\r\n"))
    }

    @Test func personalDataInADecisionsCommentIsWarnedAbout() throws {
        let (shell, ids) = try held()
        let file = write(
            shell, "decided.json",
            """
            {
              "meeting": 1,
              "decisions": [
                { "ticket": "\(ids[0])", "event": "defer", "set": { "decision_note": "Vertagt" },
                  "comment": "Rücksprache mit Frau Karimi, Tel. 0176 23456789" }
              ]
            }
            """)
        let result = shell.run("decisions", "apply", file, "--as", "geschaeftsstelle")
        #expect(result.status == 0, "\(result.errors)")
        #expect(
            result.errors.contains("warning: entry 1 (\(ids[0])): Im Feld „Kommentar“ steht anscheinend ein Personenname: „Frau Karimi“."))
        #expect(result.errors.contains("steht anscheinend eine Telefonnummer"))
        #expect(!shell.run("decisions", "apply", file, "--check", "--json", "--as", "geschaeftsstelle").output.contains("warnings"))
    }

    @Test func aBadDecisionsFileIsRefusedAsAWholeWithEveryProblemListed() throws {
        let (shell, ids) = try held()
        let file = write(
            shell, "bad.json",
            """
            {
              "meeting": 1,
              "decisions": [
                { "ticket": "\(ids[0])", "event": "direct_measure", "set": { "decision_note": "gut" } },
                { "ticket": "GAP-2026-0999", "event": "defer", "set": { "decision_note": "x" } },
                { "ticket": "\(ids[1])", "event": "approve", "set": { "decision_note": "x" } },
                { "ticket": "\(ids[1])", "event": "mandate", "set": { "decision_note": "x" } },
                { "ticket": "\(ids[0])", "event": "defer", "set": { "decision_note": "x" } }
              ]
            }
            """)
        let before = shell.snapshot()
        let result = shell.run("decisions", "apply", file, "--as", "geschaeftsstelle")
        #expect(result.status == 1)
        let lines = result.errors.split(separator: "\n").map(String.init)
        #expect(lines.first == "error: 4 problems in the decisions; none was applied:")
        #expect(lines.contains("  - entry 2 (GAP-2026-0999): ticket GAP-2026-0999 is not on the agenda of meeting 1"))
        #expect(
            lines.contains { $0.hasPrefix("  - entry 3 (\(ids[1])): event \"approve\" is not possible in state \"awaiting_steering\"") })
        #expect(lines.contains { $0.hasPrefix("  - entry 4 (\(ids[1])): ticket \(ids[1]) is decided twice") })
        #expect(lines.contains("  - entry 5 (\(ids[0])): ticket \(ids[0]) is decided twice (also entry 1)"))
        #expect(shell.snapshot() == before)
    }

    @Test func malformedDecisionsFilesAreRefusedWithTheirPosition() throws {
        let (shell, ids) = try prepared()
        let before = shell.snapshot()
        let truncated = write(shell, "truncated.json", "{\n  \"meeting\": 1,\n  \"decisions\": [\n    { \"ticket\": \"\(ids[0])\", \"ev")
        #expect(shell.run("decisions", "apply", truncated, "--as", "geschaeftsstelle").errors.contains("truncated.json:4:"))
        let latin1 = shell.folder.appendingPathComponent("latin1.json").path
        // "Lücke" as ISO-8859-1 (ü = 0xFC), as an old Windows editor might save it.
        let bytes =
            Array("{\"meeting\": 1, \"decisions\": [{\"ticket\": \"\(ids[0])\", \"comment\": \"L".utf8) + [0xFC] + Array("cke\"}]}".utf8)
        _ = FileManager.default.createFile(atPath: latin1, contents: Data(bytes))
        let encoding = shell.run("decisions", "apply", latin1, "--as", "geschaeftsstelle")
        #expect(encoding.status == 1)
        #expect(encoding.errors.contains("not valid UTF-8"))
        let typo = write(shell, "typo.json", "{\"meeting\": 1, \"decisions\": [{\"ticket\": \"\(ids[0])\", \"evnt\": \"defer\"}]}")
        #expect(shell.run("decisions", "apply", typo).errors.contains("entry 1: unknown key \"evnt\" (did you mean \"event\"?)"))
        let noMeeting = write(
            shell, "nomeeting.json",
            "{\"meeting\": 9, \"decisions\": [{\"ticket\": \"\(ids[0])\", \"event\": \"defer\", \"set\": {\"decision_note\": \"x\"}}]}")
        #expect(shell.run("decisions", "apply", noMeeting, "--as", "geschaeftsstelle").errors.contains("there is no meeting 9"))
        let twice = write(
            shell, "twice.json",
            "{\"meeting\": 1, \"decisions\": [{\"ticket\": \"\(ids[0])\", \"event\": \"defer\",\n \"event\": \"reject\"}]}")
        let repeated = shell.run("decisions", "apply", twice, "--as", "geschaeftsstelle")
        #expect(repeated.status == 1)
        #expect(repeated.errors.contains("twice.json:2:2: \"event\" is given twice (first at 1:"), "\(repeated.errors)")
        #expect(shell.snapshot() == before)
    }

    @Test func meetingMistakesGetClearMessages() throws {
        let (shell, _) = try prepared()
        #expect(shell.run("meeting", "add", "--date", "2026-12-10", "--title", "x").errors.contains("meeting 1 is already on 10.12.2026"))
        #expect(shell.run("meeting", "add", "--date", "2020-01-01", "--title", "x").errors.contains("is in the past"))
        #expect(shell.run("meeting", "add", "--date", "31.02.2027", "--title", "x").status == 2)
        #expect(shell.run("agenda", "--meeting", "7").errors.contains("there is no meeting 7"))
        #expect(shell.run("agenda", "--format", "pdf").status == 2)
        let empty = Shell()
        try empty.prepareKIM()
        #expect(empty.run("agenda").errors.contains("no meeting of \"systemic-gap-escalation\" lies ahead"))
    }

    @Test func theFeedbackReachesTheReportersOfMergedGapsToo() throws {
        let shell = Shell()
        try shell.prepareKIM()
        #expect(shell.run("actor", "add", "cm.troisdorf", "--role", "cm", "--municipality", "Troisdorf").status == 0)
        let survivor = try shell.openGap(title: "Kinderbetreuung fehlt")
        let duplicate = shell.run(
            "open", "systemic-gap-escalation", "--as", "cm.troisdorf", "--set", "title=Keine Betreuung während der Kurse",
            "--set", "description=Wie in Siegburg"
        ).output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(shell.run("fire", duplicate, "merge", "--set", "merged_into=\(survivor)").status == 0)
        #expect(shell.run("fire", survivor, "dismiss", "--set", "reason=Lösung gefunden").status == 0)
        let report = shell.run("feedback-report", "--format", "md").output
        // Reporters by role and municipality, in the workflow's words, never by login name.
        #expect(
            report.contains(
                "- **Gemeldet von:** Case Managerin / Case Manager, Siegburg; Case Managerin / Case Manager, Troisdorf\n"
                    + "- **Zusammengeführte Meldungen:** \(duplicate)"))
        #expect(!report.contains("cm.siegburg") && !report.contains("cm.troisdorf"))
        let history = try JSONParser.parse(shell.run("history", duplicate, "--json").output).elements?.last
        #expect(history?["changes"]?.elements?.first?["new"]?.string == survivor)
        #expect(shell.run("feedback-report", "--municipality", "Troisdorf").output.contains(survivor) == false)
    }

    @Test func theFeedbackReportNamesTheOutcomeInWordsDatedByTheMeetingAndCoversPublishedGapsInAPeriod() throws {
        let (shell, ids) = try held()
        #expect(shell.run("agenda", "--meeting", "1", "--format", "decisions", "--out", "decisions.json").status == 0)
        var template = try String(contentsOf: shell.folder.appendingPathComponent("decisions.json"), encoding: .utf8)
        template = template.replacingOccurrences(
            of: "\"ticket\": \"\(ids[1])\",\n      \"title\": \"Sprachmittlung fehlt\",\n      \"event\": null",
            with: "\"ticket\": \"\(ids[1])\",\n      \"title\": \"Sprachmittlung fehlt\",\n      \"event\": \"direct_measure\"")
        template = template.replacingOccurrences(of: "\"set\": {}", with: "\"set\": {\"decision_note\": \"Beschlossen\"}")
        _ = write(shell, "filled.json", template)
        // The office records the meeting's decisions five days after it.
        shell.clock.advance(by: 5 * 86_400)
        let applied = shell.run("decisions", "apply", "filled.json", "--as", "geschaeftsstelle")
        #expect(applied.status == 0, "\(applied.errors)")
        let sentence = "**Ergebnis:** Ein Mitglied der Lenkungsgruppe ergreift eine Maßnahme. (10.12.2026)"
        let open = shell.run("feedback-report", "--format", "md").output
        #expect(open.contains(sentence), "\(open)")
        #expect(!open.contains("Maßnahme eines Mitglieds") && !open.contains("15.12.2026"))

        // Published, the gap leaves the feedback stage, but a period still shows it, dated by the meeting.
        let published = shell.run("fire", ids[1], "publish", "--set", "feedback=Es gibt einen Pool.")
        #expect(published.status == 0, "\(published.errors)")
        #expect(!shell.run("feedback-report").output.contains(ids[1]))
        let period = shell.run("feedback-report", "--from", "01.12.2026", "--to", "31.12.2026")
        #expect(period.status == 0 && period.output.contains("(\(ids[1]))") && period.output.contains(sentence), "\(period.output)")
        #expect(!period.output.contains("(\(ids[0]))"))
        #expect(!shell.run("feedback-report", "--from", "11.12.2026").output.contains(ids[1]))
        let html = shell.run("feedback-report", "--to", "10.12.2026", "--format", "html").output
        #expect(html.contains("Ein Mitglied der Lenkungsgruppe ergreift eine Maßnahme. (10.12.2026)"), "\(html)")
        let backwards = shell.run("feedback-report", "--from", "31.12.2026", "--to", "01.12.2026")
        #expect(backwards.status == 2 && backwards.errors.contains("--to 01.12.2026 is before --from 31.12.2026"), "\(backwards.errors)")
        #expect(shell.run("feedback-report", "--from", "gestern").status == 2)
    }

    @Test func aMeetingWithALineBreakInItsTitleOrADeadlineAfterItIsRefused() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let broken = shell.run("meeting", "add", "--date", "2027-03-11", "--title", "Sitzung\r\nX-INJECTED:1")
        #expect(broken.status == 1 && broken.errors.hasPrefix("error: ") && broken.errors.contains("title"), "\(broken.errors)")
        #expect(!broken.errors.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        let place = shell.run("meeting", "add", "--date", "2027-03-11", "--title", "Sitzung", "--place", "Saal\u{1B}[2J")
        #expect(place.status == 1 && place.errors.contains("place"), "\(place.errors)")
        let late = shell.run("meeting", "add", "--date", "2027-03-11", "--title", "Sitzung", "--deadline", "2027-03-12")
        #expect(late.status == 1 && late.errors.contains("deadline"), "\(late.errors)")
        #expect(shell.run("meeting", "list").output.hasPrefix("no meetings"))
    }

    // MARK: - The meeting's record

    private func decide(_ shell: Shell, _ name: String, _ meeting: String, _ entries: [String]) -> Shell.Result {
        let file = write(shell, name, "{\(meeting), \"decisions\": [\(entries.joined(separator: ", "))]}")
        return shell.run("decisions", "apply", file, "--as", "geschaeftsstelle")
    }

    /// Every export of a frozen document, by format.
    private func exports(_ shell: Shell, _ command: String, db: String? = nil) -> [String] {
        let formats = command == "agenda" ? ["md", "html", "csv", "json"] : ["md", "html", "csv"]
        return formats.map { format in
            shell.run([command, "--meeting", "1", "--format", format] + (db.map { ["--db", $0] } ?? [])).output
        }
    }

    @Test func frozenAgendaAndMinutesExportTheSameBytesAfterLaterChangesAPurgeAndAnImport() throws {
        let (shell, ids) = try held()
        let agenda = exports(shell, "agenda")
        #expect(agenda[0].contains("### TOP 4.1 Kinderbetreuung fehlt") && agenda[0].contains("### TOP 4.2 Sprachmittlung fehlt"))
        let decided = decide(
            shell, "decided.json", "\"meeting\": 1",
            [
                """
                {"ticket": "\(ids[0])", "event": "mandate", "set": {"project_group": "PG Sprache", "mandate": "Kurse mit Kinderbetreuung planen",
                 "due_date": "2027-04-30", "decision_note": "Die Projektgruppe Sprache wird beauftragt."}}
                """,
                """
                {"ticket": "\(ids[1])", "event": "direct_measure", "set": {"decision_note": "Das Jobcenter beauftragt einen Sprachmittlerpool."},
                 "comment": "Das Jobcenter war nicht vertreten."}
                """,
            ])
        #expect(decided.status == 0, "\(decided.errors)")
        // The agenda is what was sent, though both items are decided now.
        #expect(exports(shell, "agenda") == agenda)
        let draft = shell.run("minutes", "--meeting", "1").output
        #expect(draft.contains("- **Auftrag:** Kurse mit Kinderbetreuung planen\n"))
        #expect(draft.contains("- **Anmerkung:** Das Jobcenter war nicht vertreten.\n"))
        #expect(draft.contains("\n## TOP 2 Genehmigung der Niederschrift der letzten Sitzung\n"))
        let approved = shell.run("minutes", "approve", "--meeting", "1")
        #expect(approved.status == 0, "\(approved.errors)")
        let minutes = exports(shell, "minutes")
        #expect(!minutes[0].contains("Entwurf") && minutes[0].contains("| 2026/1-1 | 4.1 | Kinderbetreuung fehlt"))

        // Later: the project group's solution is sent back with a new due date (in writing); the other gap is closed
        // and, after the retention period, purged.
        #expect(shell.run("fire", ids[0], "submit_solution", "--as", "pg.sprache", "--set", "solution=Kurse").status == 0)
        let revised = shell.run(
            "fire", ids[0], "revise", "--as", "geschaeftsstelle", "--resolution", "U2026-1", "--set", "due_date=2027-09-30", "--set",
            "decision_note=Nachbessern")
        #expect(revised.status == 0, "\(revised.errors)")
        #expect(shell.run("fire", ids[1], "publish", "--set", "feedback=Es gibt einen Pool.").status == 0)
        #expect(shell.run("actor", "add", "admin", "--role", "admin").status == 0)
        shell.clock.advance(by: 3 * 366 * 86_400)
        let purged = shell.run("purge", "--as", "admin")
        #expect(purged.status == 0, "\(purged.errors)")
        #expect(try JSONParser.parse(shell.run("show", ids[1], "--json").output)["fields"]?["title"] == nil)
        #expect(exports(shell, "agenda") == agenda)
        #expect(exports(shell, "minutes") == minutes)

        // An export imported into a new database gives the same bytes too.
        #expect(shell.run("export", "--format", "jsonl", "--out", "all.jsonl").status == 0)
        #expect(shell.run("import", "all.jsonl", "--db", "copy.sqlite").status == 0)
        #expect(exports(shell, "agenda", db: "copy.sqlite") == agenda)
        #expect(exports(shell, "minutes", db: "copy.sqlite") == minutes)
    }

    @Test func decisionsTwiceBeforeTheMeetingOrForACancelledMeetingAreRefusedAndChangeNothing() throws {
        let (shell, ids) = try prepared()
        let entry = "{\"ticket\": \"\(ids[0])\", \"event\": \"defer\", \"set\": {\"decision_note\": \"Vertagt\"}}"
        var before = shell.snapshot()
        let draft = decide(shell, "d1.json", "\"meeting\": 1", [entry])
        #expect(draft.status == 1 && draft.errors.hasPrefix("error: meeting 1 is draft; this needs a meeting whose agenda is published"))
        #expect(draft.errors.contains("hint: publish the agenda first: `gapflow agenda publish --meeting ID`"))
        #expect(shell.run("agenda", "publish", "--meeting", "1").status == 0)
        before = shell.snapshot()
        let early = decide(shell, "d2.json", "\"meeting\": 1", [entry])
        #expect(early.status == 1)
        #expect(
            early.errors.hasPrefix(
                "error: meeting 1 takes place on 10.12.2026; its decisions can be entered from that day on (today is 25.11.2026)"))
        #expect(shell.snapshot() == before)

        shell.clock.set(Date(timeIntervalSince1970: 1_796_918_400))
        #expect(decide(shell, "d3.json", "\"meeting\": 1", [entry]).status == 0)
        #expect(
            shell.run("history", ids[0]).output.contains("      Beschluss 2026/1-1 (4. Sitzung der Lenkungsgruppe 2026, 10.12.2026)\n"))
        before = shell.snapshot()
        let other = "{\"ticket\": \"\(ids[1])\", \"event\": \"defer\", \"set\": {\"decision_note\": \"Vertagt\"}}"
        let twice = decide(shell, "d4.json", "\"meeting\": 1", [other, entry])
        #expect(twice.status == 1)
        #expect(twice.errors.contains("  - entry 2 (\(ids[0])): TOP 4.1 was already decided at this meeting (resolution 2026/1-1)"))
        #expect(shell.snapshot() == before)

        // The office cannot fire the board's decision as a plain command.
        let plain = shell.run("fire", ids[1], "reject", "--as", "geschaeftsstelle", "--set", "reason=x", "--set", "decision_note=y")
        #expect(plain.status == 1 && plain.errors.contains("\"reject\" (Ablehnen) is decided only at a meeting or in writing"))
        #expect(shell.snapshot() == before)

        #expect(shell.run("meeting", "add", "--date", "2027-03-11", "--title", "März").status == 0)
        let cancelled = shell.run("meeting", "cancel", "2")
        #expect(cancelled.output == "meeting 2: März, 11.03.2027 (Antragsfrist 01.03.2027), cancelled, sequence 1\n")
        shell.clock.set(Date(timeIntervalSince1970: 1_796_918_400 + 92 * 86_400))
        let forCancelled = decide(shell, "d5.json", "\"meeting\": 2", [other])
        #expect(forCancelled.status == 1 && forCancelled.errors.hasPrefix("error: meeting 2 was cancelled"))
    }

    @Test func aMeetingIsEditedAndCancelledAndTheCalendarKeepsItsUIDAndRaisesItsSequence() throws {
        let (shell, _) = try prepared()
        let ics = { shell.run("meeting", "ics").output.replacingOccurrences(of: "\r\n ", with: "") }
        let identity = try Engine(store: StoreFactory.open(shell.databasePath, mode: .readOnly)).storeIdentity()
        #expect(ics().contains("UID:meeting-1-systemic-gap-escalation-\(identity)@gapflow\r\n"))
        #expect(ics().contains("SEQUENCE:0\r\nSTATUS:CONFIRMED\r\n"))
        let moved = shell.run("meeting", "edit", "1", "--date", "2026-12-17", "--time", "10:00", "--place", "Rathaus")
        #expect(moved.status == 0, "\(moved.errors)")
        #expect(moved.output == "meeting 1: 4. Sitzung der Lenkungsgruppe 2026, 17.12.2026 (Antragsfrist 07.12.2026), draft, sequence 1\n")
        #expect(ics().contains("SEQUENCE:1\r\nSTATUS:CONFIRMED\r\nDTSTART;TZID=Europe/Berlin:20261217T100000\r\n"))
        #expect(ics().contains("LOCATION:Rathaus\r\nDESCRIPTION:Antragsfrist: 07.12.2026\r\n"))
        #expect(shell.run("meeting", "cancel", "1").status == 0)
        #expect(
            ics().contains(
                "UID:meeting-1-systemic-gap-escalation-\(identity)@gapflow\r\nDTSTAMP:20261125T080000Z\r\nSEQUENCE:2\r\nSTATUS:CANCELLED\r\n"
            ))
        #expect(shell.run("meeting", "list").output.contains(" cancelled "))
        let again = shell.run("meeting", "edit", "1", "--title", "x")
        #expect(again.status == 1 && again.errors.hasPrefix("error: meeting 1 was cancelled"))
    }

    @Test func theRegisterAttendanceAndVotesReachTheMinutesFromTheCommandLine() throws {
        let (shell, ids) = try held()
        #expect(shell.run("meeting", "member-add", "A. Landrat", "--body", "Rhein-Sieg-Kreis", "--deputy", "B. Dezernentin").status == 0)
        let added = shell.run("meeting", "member-add", "C. Leiterin", "--body", "Jobcenter Rhein-Sieg")
        #expect(added.output.contains("C. Leiterin") && added.output.contains("Jobcenter Rhein-Sieg"))
        #expect(shell.run("meeting", "member-add", "X").status == 2)
        let recorded = shell.run(
            "meeting", "attendance", "1", "--absent", "C. Leiterin", "--deputized", "A. Landrat", "--chair", "B. Dezernentin",
            "--minute-taker", "F. Protokoll", "--start", "14:00", "--end", "15:30")
        #expect(recorded.output == "meeting 1: 1 of 2 members present or represented; not quorate\n", "\(recorded.errors)")
        let badVote = decide(
            shell, "bad.json", "\"meeting\": 1",
            ["{\"ticket\": \"\(ids[0])\", \"event\": \"defer\", \"set\": {\"decision_note\": \"x\"}, \"vote\": {\"for\": -1}}"])
        #expect(badVote.status == 1 && badVote.errors.contains("entry 1: \"vote\" must be \"unanimous\""))
        let decided = decide(
            shell, "vote.json", "\"meeting\": 1",
            [
                "{\"ticket\": \"\(ids[0])\", \"event\": \"defer\", \"set\": {\"decision_note\": \"Vertagt\"}, \"vote\": \"unanimous\"}"
            ])
        #expect(decided.status == 0, "\(decided.errors)")
        let minutes = shell.run("minutes", "--meeting", "1").output
        #expect(minutes.contains("- **Beschlussfähigkeit:** nicht beschlussfähig (1/2 Mitglieder anwesend oder vertreten)"))
        #expect(minutes.contains("| A. Landrat | Rhein-Sieg-Kreis | vertreten durch B. Dezernentin |"))
        #expect(minutes.contains("- **Abstimmung:** einstimmig"))
    }
}
