import Foundation
import GapFlow
import Testing

/// `gapflow redact`: coordination removes a name from an open gap; the history says who, the audit still verifies,
/// and the name is gone from the database file.
@Suite struct RedactCommandTests {
    static let name = "Herr Yusuf Demir"

    private func gapNamingAPerson(_ shell: Shell) throws -> String {
        try shell.prepareKIM()
        let opened = shell.run(
            "open", "systemic-gap-escalation", "--as", "cm.siegburg", "--set", "title=Sprachkurs für \(Self.name) fehlt",
            "--set", "description=\(Self.name) findet keinen Sprachkurs mit Kinderbetreuung.", "--set", "legal_domains=SGB II")
        try #require(opened.status == 0, "\(opened.errors)")
        let id = opened.output.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(
            shell.run("fire", id, "request_info", "--set", "query=Wie viele Fälle?", "--comment", "Anruf von \(Self.name)").status == 0)
        return id
    }

    @Test func aPassageIsRedactedEverywhereAndTheHistorySaysWhoDidIt() throws {
        let shell = Shell()
        let id = try gapNamingAPerson(shell)
        let check = shell.run("redact", id, "--field", "title", "--text", Self.name, "--reason", "Name eines Klienten", "--check")
        #expect(check.status == 0, "\(check.errors)")
        #expect(check.output.contains("would redact field title (passage) in #1, the ticket, 1 notice; nothing was changed"))
        #expect(shell.run("show", id).output.contains(Self.name))

        let result = shell.run("redact", id, "--field", "title", "--text", Self.name, "--reason", "Name eines Klienten")
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("\(id): redacted field title (passage) in #1, the ticket, 1 notice; recorded as revision 3"))
        #expect(result.errors.contains("note: the passage is still in description, comment #2 of \(id)"))
        #expect(shell.run("redact", id, "--field", "description", "--text", Self.name, "--reason", "Name").status == 0)
        #expect(shell.run("redact", id, "--entry", "2", "--text", Self.name, "--reason", "Name").status == 0)

        #expect(!shell.run("show", id, "--json").output.contains(Self.name))
        #expect(!shell.run("outbox", "list").output.contains(Self.name))
        let history = shell.run("history", id)
        #expect(!history.output.contains(Self.name))
        #expect(history.output.contains("koordination (cm_coordination) [gapflow-test]  redact: stays in Rückfrage"))
        #expect(history.output.contains("redacted a passage of Titel: #1, ticket, 1 notice"))
        #expect(history.output.contains("„Name eines Klienten“"))
        let json = try JSONParser.parse(shell.run("history", id, "--json").output)
        #expect(json.elements?.last?["redaction"]?["entries"]?.elements?.first?["revision"]?.integer == 2)
        #expect(shell.run("audit", "verify").status == 0)
        for suffix in ["", "-wal"] {
            let bytes = FileManager.default.contents(atPath: shell.databasePath + suffix) ?? Data()
            #expect(bytes.range(of: Data(Self.name.utf8)) == nil, "gapflow.sqlite\(suffix) still holds the name")
        }
    }

    @Test func refusedRedactionsExitWithAMessageAndChangeNothing() throws {
        let shell = Shell()
        let id = try gapNamingAPerson(shell)
        let before = shell.snapshot()
        let refused: [([String], Int32, String)] = [
            (
                ["--field", "title", "--text", Self.name, "--reason", "x", "--as", "cm.siegburg"], 1,
                "needs one of the roles cm_coordination, ki_lead"
            ),
            (["--field", "title", "--text", "Frau Schmidt", "--reason", "x"], 1, "the passage does not occur in field \"title\" of \(id)"),
            (["--field", "titel", "--reason", "x"], 1, "has no field \"titel\""),
            (["--entry", "1", "--reason", "x"], 1, "history entry #1 of \(id) has no comment"),
            (["--text", Self.name, "--reason", "x"], 2, "redact needs --field NAME"),
            (["--field", "title", "--text", Self.name], 2, "needs --reason"),
        ]
        for (arguments, status, message) in refused {
            let result = shell.run(["redact", id] + arguments)
            #expect(result.status == status, "\(arguments)")
            #expect(result.errors.contains(message), "\(arguments): \(result.errors)")
        }
        #expect(shell.snapshot() == before)

        try #require(shell.run("fire", id, "resubmit", "--as", "cm.siegburg").status == 0)
        try #require(shell.run("fire", id, "dismiss", "--set", "reason=Einzelfall").status == 0)
        try #require(shell.run("fire", id, "publish", "--set", "feedback=Erledigt").status == 0)
        let closed = shell.run("redact", id, "--field", "title", "--text", Self.name, "--reason", "x")
        #expect(closed.status == 1)
        #expect(closed.errors.contains("\(id) is finished (Abgeschlossen); only open tickets are redacted"))
    }
}
