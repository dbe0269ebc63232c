import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI
@testable import GapFlowSQLite

@Suite struct CLITests {
    // MARK: - Set-up and definitions

    @Test func initRegistersTheWorkflowsOnceAndReportsUnchangedFilesAfterwards() throws {
        let shell = Shell()
        let first = shell.run("init", "--workflows", Shell.workflows)
        #expect(first.status == 0)
        #expect(first.output.contains("registered systemic-gap-escalation version 1"))
        let second = shell.run("init", "--workflows", Shell.workflows)
        #expect(second.output.contains("unchanged  systemic-gap-escalation version 1"))
        let list = try JSONParser.parse(shell.run("workflows", "--json").output)
        #expect(list.elements?.compactMap { $0["workflow"]?.string } == ["case-conference", "systemic-gap-escalation"])
        #expect(list.elements?.first?["openTickets"]?.integer == 0)
    }

    @Test func initWithAnInvalidFileRegistersNothing() throws {
        let shell = Shell()
        let folder = shell.folder.appendingPathComponent("wf")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Shell.workflows + "/systemic-gap-escalation.json", toPath: folder.path + "/kim.json")
        try FileManager.default.copyItem(atPath: Shell.fixtures + "/invalid/bad-graph.json", toPath: folder.path + "/bad.json")
        let result = shell.run("init", "--workflows", folder.path)
        #expect(result.status == 1)
        #expect(result.errors.contains("PATH_RULE_VIOLATED"))
        #expect(!FileManager.default.fileExists(atPath: shell.databasePath))
    }

    @Test func validateAcceptsTheShippedWorkflows() {
        let result = Shell().run("validate", Shell.workflows + "/systemic-gap-escalation.json")
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("ok: "))
    }

    @Test func validateListsEveryProblemWithFileLineColumnAndCode() throws {
        let shell = Shell()
        let file = Shell.fixtures + "/invalid/broken-references.json"
        let result = shell.run("validate", file)
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 8)
        #expect(lines[2] == "\(file):18:67: error: UNKNOWN_STATE at transitions[0].to: unknown state \"finished\"")
        #expect(lines.last == "7 errors in 1 file")

        let json = try JSONParser.parse(shell.run("validate", "--json", Shell.fixtures + "/invalid/missing-comma.json").output)
        let diagnostic = try #require(json.elements?.first?["diagnostics"]?.elements?.first)
        #expect(diagnostic["code"]?.string == "SYNTAX_ERROR")
        #expect(diagnostic["line"]?.integer == 4)
        #expect(diagnostic["column"]?.integer == 3)
    }

    @Test func validateNeverCrashesOnGarbage() throws {
        let shell = Shell()
        let inputs: [[UInt8]] = [
            [], [0xFF, 0xFE], Array("{\"id\": [[[[".utf8), Array("null".utf8), Array("[1,2,3]".utf8), Array("{\"roles\": 5}".utf8),
        ]
        for (index, bytes) in inputs.enumerated() {
            let path = shell.folder.appendingPathComponent("garbage\(index).json").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let result = shell.run("validate", path)
            #expect(result.status == 1, "input \(index)")
            #expect(result.output.contains("error:"), "input \(index)")
        }
        #expect(shell.run("validate", shell.folder.appendingPathComponent("missing.json").path).output.contains("FILE_UNREADABLE"))
    }

    // MARK: - The whole lifecycle

    @Test func aGapTravelsThroughEveryStageOfTheKIMProcessFromTheCommandLine() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let id = try shell.openGap()
        #expect(id == "GAP-2026-0001")
        let duplicate = try shell.openGap(title: "Dieselbe Lücke, zweite Meldung")
        let future = "24.12.2026"
        let steps: [[String]] = [
            ["fire", id, "request_info", "--set", "query=Wie viele Fälle?"],
            ["fire", id, "resubmit", "--as", "cm.siegburg", "--set", "cases_observed=7", "--comment", "7 Fälle seit Januar"],
            ["fire", duplicate, "merge", "--set", "merged_into=\(id)"],
            ["fire", id, "forward"],
            ["fire", id, "table", "--as", "ki.leitung", "--set", "proposal=Projektgruppe beauftragen"],
            ["fire", id, "defer", "--as", "geschaeftsstelle", "--set", "decision_note=Vertagt", "--resolution", "U2026-1"],
            [
                "fire", id, "mandate", "--as", "geschaeftsstelle", "--set", "project_group=PG Sprache", "--set",
                "mandate=Modell entwickeln",
                "--set", "due_date=\(future)", "--set", "decision_note=Beauftragt", "--resolution", "U2026-2",
            ],
            ["fire", id, "submit_solution", "--as", "pg.sprache", "--set", "solution=Kurse mit Betreuung"],
            [
                "fire", id, "revise", "--as", "geschaeftsstelle", "--set", "decision_note=Nachbessern", "--set", "due_date=2027-02-01",
                "--resolution", "U2026-3",
            ],
            ["fire", id, "submit_solution", "--as", "pg.sprache", "--set", "solution=Kurse mit Betreuung, auch linksrheinisch"],
            ["fire", id, "approve", "--as", "geschaeftsstelle", "--set", "decision_note=Beschlossen", "--resolution", "U2026-4"],
            ["fire", id, "publish", "--set", "feedback=Kurse mit Kinderbetreuung gibt es jetzt bei vier Trägern."],
        ]
        for step in steps {
            shell.clock.advance(by: 86_400)
            let result = shell.run(step)
            #expect(result.status == 0, "\(step): \(result.errors)")
        }
        let show = try JSONParser.parse(shell.run("show", id, "--json").output)
        #expect(show["state"]?.string == "closed")
        #expect(show["workflow"]?.string == "systemic-gap-escalation")
        #expect(show["version"]?.integer == 1)
        // One more than the steps: merging the duplicate into it is recorded in its history too (cases added up).
        #expect(show["revision"]?.integer == steps.count + 1)
        #expect(show["fields"]?["observed_in"]?.elements?.compactMap(\.string) == ["Siegburg"])
        #expect(show["fields"]?["due_date"]?.string == "2027-02-01")
        #expect(show["fields"]?["legal_domains"]?.elements?.compactMap(\.string) == ["SGB VIII", "AufenthG"])

        let history = try #require(try JSONParser.parse(shell.run("history", id, "--json").output).elements)
        #expect(
            history.compactMap { $0["event"]?.string } == [
                "open", "request_info", "resubmit", "merge", "forward", "table", "defer", "mandate", "submit_solution", "revise",
                "submit_solution", "approve", "publish",
            ])
        #expect(history[3]["from"]?.string == "reported" && history[3]["to"]?.string == "reported")
        #expect(history[6]["from"]?.string == "awaiting_steering" && history[6]["to"]?.string == "awaiting_steering")
        #expect(history[2]["actor"]?.string == "cm.siegburg" && history[2]["role"]?.string == "cm")
        #expect(history[2]["comment"]?.string == "7 Fälle seit Januar")
        #expect(history[1]["at"]?.string == "2026-11-26T08:00:00.000Z")
        #expect(try JSONParser.parse(shell.run("show", duplicate, "--json").output)["state"]?.string == "merged")
    }

    @Test func listFiltersByStateOwnerAndFieldValue() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let a = try shell.openGap()
        let b = try shell.openGap()
        #expect(shell.run("fire", a, "forward").status == 0)
        let ids = { (arguments: [String]) in
            (try? JSONParser.parse(shell.run(["list", "--json"] + arguments).output).elements?.compactMap { $0["id"]?.string }) ?? nil
        }
        #expect(ids(["--state", "ki_review"]) == [a])
        #expect(ids(["--owner", "cm_coordination"]) == [b])
        #expect(ids(["--where", "legal_domains=AufenthG"]) == [a, b])
        #expect(ids(["--where", "municipality=troisdorf"]) == [])
        #expect(ids(["--open", "--limit", "1"]) == [a])
        #expect(shell.run("list", "--state", "nowhere").status == 2)
    }

    @Test func eventsShowsWhatTheActorMayFireAndWhatItStillNeeds() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let id = try shell.openGap()
        let text = shell.run("events", id).output
        #expect(text.contains("forward       → Prüfung KI-Leitung"))
        #expect(text.contains("needs --set query=…"))
        let asLead = shell.run("events", id, "--as", "ki.leitung").output
        #expect(asLead.contains("ki.leitung may fire no event here; it is up to CM-Koordination"))
        let json = try JSONParser.parse(shell.run("events", id, "--json").output)
        #expect(json.elements?.compactMap { $0["event"]?.string } == ["forward", "request_info", "merge", "dismiss", "withdraw"])
        #expect(json.elements?.first?["ready"]?.bool == true)
    }

    // MARK: - Who acts

    @Test func theActorComesFromAsThenGapflowActorThenTheLoginName() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let id = try shell.openGap()
        shell.variables["USER"] = "ki.leitung"
        #expect(shell.run("fire", id, "forward").status == 1)
        shell.variables["GAPFLOW_ACTOR"] = "koordination"
        #expect(shell.run("fire", id, "forward").status == 0)
        #expect(shell.run("fire", id, "table", "--as", "ki.leitung", "--set", "proposal=Vorschlag").status == 0)
        let history = try JSONParser.parse(shell.run("history", id, "--json").output)
        #expect(history.elements?.compactMap { $0["actor"]?.string } == ["cm.siegburg", "koordination", "ki.leitung"])
    }

    @Test func theDatabaseComesFromDbThenGapflowDbThenTheWorkingFolder() throws {
        let shell = Shell()
        let other = shell.folder.appendingPathComponent("other.sqlite").path
        #expect(shell.run("init", "--workflows", Shell.workflows, "--db", other).status == 0)
        #expect(shell.run("workflows").status == 1)
        shell.variables["GAPFLOW_DB"] = other
        #expect(shell.run("workflows").status == 0)
        #expect(!FileManager.default.fileExists(atPath: shell.databasePath))
    }

    @Test func anActorWithTheRoleOfAnotherMunicipalityIsRefused() throws {
        let shell = Shell()
        try shell.prepareKIM()
        #expect(shell.run("actor", "add", "cm.troisdorf", "--role", "cm", "--municipality", "Troisdorf").status == 0)
        let id = try shell.openGap()
        #expect(shell.run("fire", id, "request_info", "--set", "query=?").status == 0)
        let result = shell.run("fire", id, "resubmit", "--as", "cm.troisdorf")
        #expect(result.status == 1)
        #expect(result.errors.contains("OUT_OF_SCOPE"))
    }

    @Test func textThatLooksLikePersonalDataIsWarnedAboutOrRefusedWithStrict() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let arguments = [
            "open", "systemic-gap-escalation", "--as", "cm.siegburg", "--set", "title=Termine fehlen",
            "--set", "description=Frau Schmidt, geb. 04.05.1977, erreichbar unter s.schmidt@example.org",
        ]
        let strict = shell.run(arguments + ["--strict"])
        #expect(strict.status == 1)
        #expect(strict.errors.contains("[PERSONAL_DATA]"))
        #expect(shell.run("list").output == "no tickets match\n")
        let warned = shell.run(arguments)
        #expect(warned.status == 0)
        // The words come from the workflow file: German for the KIM workflow, naming the field and what was found.
        #expect(
            warned.errors.contains(
                "warning: Im Feld „Beschreibung“ steht anscheinend ein Name mit Geburtsdatum: „Frau Schmidt, geb. 04.05.1977“."))
        #expect(warned.errors.contains("warning: Im Feld „Beschreibung“ steht anscheinend eine E-Mail-Adresse: „s.schmidt@example.org“."))
        #expect(strict.errors.contains("Im Feld „Beschreibung“ steht anscheinend ein Name mit Geburtsdatum"))
    }

    @Test func theCommentOfOpenAndFireIsCheckedForPersonalData() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let opened = shell.run(
            "open", "systemic-gap-escalation", "--as", "cm.siegburg", "--set", "title=Termine fehlen",
            "--set", "description=Termine der Ausländerbehörde fehlen", "--comment", "Rückruf bei Frau Karimi, 0176 23456789")
        #expect(opened.status == 0)
        #expect(opened.errors.contains("warning: Im Feld „Kommentar“ steht anscheinend ein Personenname: „Frau Karimi“."))
        #expect(opened.errors.contains("warning: Im Feld „Kommentar“ steht anscheinend eine Telefonnummer: „0176 23456789“."))
        let id = opened.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let refused = shell.run("fire", id, "request_info", "--set", "query=?", "--comment", "Der Klient ist HIV-positiv.", "--strict")
        #expect(refused.status == 1)
        #expect(refused.errors.contains("[PERSONAL_DATA]"))
        #expect(refused.errors.contains("„Kommentar“"))
    }

    // MARK: - Bad input loses nothing

    @Test func everyRefusedCommandExplainsItselfAndChangesNothing() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let id = try shell.openGap()
        #expect(shell.run("fire", id, "forward").status == 0)
        let before = shell.snapshot()
        let malformed = shell.folder.appendingPathComponent("fields.json").path
        try Data("{\"proposal\": \"Vorschlag\",\n \"legal_domains\": [\"SGB II\"".utf8).write(to: URL(fileURLWithPath: malformed))
        let cases: [([String], Int32, String)] = [
            (["fire", "GAP-2026-0404", "forward"], 1, "there is no ticket GAP-2026-0404"),
            (["fire", id, "accelerate"], 1, "has no event \"accelerate\""),
            (["fire", id, "table", "--as", "ki.leitung"], 1, "requires field \"proposal\""),
            (
                ["fire", id, "table", "--as", "ki.leitung", "--set", "proposal=x", "--set", "legal_domains=SGB X"], 1,
                "\"SGB X\" is not an allowed value"
            ),
            (["fire", id, "table", "--as", "koordination", "--set", "proposal=x"], 1, "ROLE_NOT_ALLOWED"),
            (["fire", id, "table", "--as", "niemand", "--set", "proposal=x"], 1, "there is no actor \"niemand\""),
            (
                ["fire", id, "table", "--as", "ki.leitung", "--set", "proposal=x", "--revision", "1"], 1,
                "expected revision 1, it is now at 2"
            ),
            (["fire", id, "table", "--as", "ki.leitung", "--fields", malformed], 1, "fields.json:2:19: array opened here is never closed"),
            (["fire", id, "table", "--as", "ki.leitung", "--set", "proposal"], 2, "--set takes FIELD=VALUE"),
            (["fire", id], 2, "missing EVENT"),
            (["fire", id, "table", "--colour"], 2, "unknown option --colour"),
            (["fier", id, "table"], 2, "did you mean `gapflow fire`?"),
            (["open", "no-such-workflow", "--set", "title=x"], 1, "there is no workflow \"no-such-workflow\""),
            (["fire", id, "table", "--as", "ki.leitung", "--set", "proposal=x", "--db", "missing.sqlite"], 1, "no database at"),
        ]
        for (arguments, status, message) in cases {
            let result = shell.run(arguments)
            #expect(result.status == status, "\(arguments)")
            #expect(result.errors.contains(message), "\(arguments): \(result.errors)")
            #expect(result.errors.hasPrefix("error: "), "\(arguments)")
        }
        #expect(shell.snapshot() == before)
        #expect(!FileManager.default.fileExists(atPath: shell.folder.appendingPathComponent("missing.sqlite").path))
    }

    @Test func aDatabaseFromANewerGapFlowIsRefusedWithAHint() throws {
        let shell = Shell()
        try shell.prepareKIM()
        try Connection(path: shell.databasePath, readOnly: false, create: false).execute("PRAGMA user_version=999")
        let result = shell.run("list")
        #expect(result.status == 1)
        #expect(result.errors.contains("has schema version 999"))
        #expect(result.errors.contains("hint: update gapflow"))
    }

    // MARK: - Help and demo

    @Test func everyCommandHasHelp() {
        let shell = Shell()
        let overview = shell.run("--help")
        #expect(overview.status == 0)
        for command in CLI.commands {
            #expect(overview.output.contains("  \(command.name)"))
            let help = shell.run(command.name, "--help")
            #expect(help.status == 0)
            #expect(help.output.contains("USAGE: gapflow \(command.name)"))
        }
        #expect(shell.run().status == 2)
    }

    @Test func theDemoBuildsAFreshDatabaseFromTheSamplesAndRefusesToOverwrite() throws {
        let shell = Shell()
        let arguments = [
            "demo", "--db", "demo.sqlite", "--workflows", Shell.workflows, "--samples",
            Shell.repository.appendingPathComponent("samples").path,
        ]
        let result = shell.run(arguments)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("refused, as it should be"))
        let tickets = try #require(try JSONParser.parse(shell.run("list", "--json", "--db", "demo.sqlite").output).elements)
        #expect(tickets.count == 23)
        // Issue 17: a CM for two municipalities, a deputy, a deadline extended, a merge across municipalities that adds
        // up the cases, and a published feedback that reaches every reporter and every CM.
        #expect(result.output.contains("cm.much-eitorf serves Much and Eitorf."))
        #expect(result.output.contains("(koordination.links for koordination as deputy)"))
        #expect(result.output.contains("extend_deadline stays in Bearbeitung Projektgruppe  (geschaeftsstelle)"))
        #expect(result.output.contains("→ GAP-2026-0001 now: Beobachtet in Eitorf, Hennef (Sieg), Siegburg; Anzahl beobachteter Fälle 24"))
        #expect(result.output.contains("✉ reporters: cm.siegburg, cm.hennef, cm.much-eitorf"))
        #expect(result.output.contains("✉ everyone: cm.alfter, cm.hennef, cm.koenigswinter, cm.much-eitorf"))
        let states = Set(tickets.compactMap { $0["state"]?.string })
        #expect(
            states.isSuperset(of: ["reported", "ki_review", "awaiting_steering", "in_project_group", "feedback", "closed", "merged"]))
        #expect(result.output.contains("⏰ escalation    fired escalate → ki_review"))
        let escalated = try JSONParser.parse(shell.run("history", "GAP-2026-0008", "--json", "--db", "demo.sqlite").output)
        #expect(escalated.elements?.last?["actor"]?.string == "system")
        let again = shell.run(arguments)
        #expect(again.status == 1)
        #expect(again.errors.contains("already exists"))
    }
}
