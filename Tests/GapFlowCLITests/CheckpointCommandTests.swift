import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI
@testable import GapFlowSQLite

/// `gapflow audit checkpoint` and `audit verify --checkpoint`, their keys, and what they refuse.
@Suite struct CheckpointCommandTests {
    /// A KIM database with two gaps, and a configuration directory of the test's own (never the real one).
    private func prepared() throws -> (Shell, [String]) {
        let shell = Shell()
        shell.variables["XDG_CONFIG_HOME"] = shell.folder.appendingPathComponent("config").path
        try shell.prepareKIM()
        return (shell, [try shell.openGap(), try shell.openGap(title: "Sprachmittlung fehlt")])
    }

    private func mode(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : nil
    }

    private func write(_ text: String, to path: String, mode: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)
        try #require(descriptor >= 0)
        _ = Array(text.utf8).withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        _ = chmod(path, mode)
    }

    /// The one `error:` line of a refusal, and that there is only one.
    private func oneError(_ result: Shell.Result) -> String {
        let lines = result.errors.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(lines.count == 1, "\(result.errors)")
        return lines.first.map(String.init) ?? ""
    }

    @Test func theFirstCheckpointMakesTheUsersOwnKeyAndALaterVerifyUsesIt() throws {
        let (shell, _) = try prepared()
        let taken = shell.run("audit", "checkpoint", "--out", "first.json")
        #expect(taken.status == 0, "\(taken.errors)")
        #expect(taken.output.hasPrefix("wrote first.json: 2 tickets, 5 admin log entries; root "))
        let folder = shell.folder.appendingPathComponent("config/gapflow").path
        let key = folder + "/checkpoint-key.pem"
        #expect(taken.errors.contains("created the checkpoint key \(key)"))
        #expect(mode(folder) == 0o700 && mode(key) == 0o600)

        let second = shell.run("audit", "checkpoint", "--out", "second.json")
        #expect(second.status == 0 && second.errors.isEmpty, "\(second.errors)")
        let verified = shell.run("audit", "verify", "--checkpoint", "first.json")
        #expect(verified.status == 0, "\(verified.output)\(verified.errors)")
        #expect(verified.output.contains("2 signed tickets, 0 opened since"))
        #expect(verified.output.hasSuffix("every chain verifies and extends the checkpoint\n"))

        let log = try JSONParser.parse(shell.run("actor", "log", "--json").output)
        let checkpoints = (log.elements ?? []).filter { $0["kind"]?.string == "checkpoint.taken" }
        #expect(checkpoints.count == 2)
        #expect(checkpoints.first?["account"]?.string == "gapflow-test")
        #expect(checkpoints.first?["details"]?["key"]?.string?.hasPrefix("SHA256:") == true)

        // An auditor with only the public key verifies the same way.
        let pem = try #require(SigningKey(pem: try String(contentsOfFile: key, encoding: .utf8)))
        try write(pem.publicPEM, to: shell.folder.appendingPathComponent("public.pem").path, mode: 0o644)
        #expect(shell.run("audit", "verify", "--checkpoint", "second.json", "--key", "public.pem").status == 0)
    }

    @Test func aTicketDeletedAfterTheCheckpointIsFoundOnlyWithIt() throws {
        let (shell, ids) = try prepared()
        #expect(shell.run("audit", "checkpoint", "--out", "checkpoint.json").status == 0)
        #expect(shell.run("fire", ids[1], "forward").status == 0)  // a legitimate later event
        let connection = try Connection(path: shell.databasePath, readOnly: false, create: false)
        try connection.execute(
            """
            DROP TRIGGER history_is_append_only_delete;
            DELETE FROM timers WHERE ticket_id = '\(ids[0])'; DELETE FROM outbox WHERE ticket_id = '\(ids[0])';
            DELETE FROM history WHERE ticket_id = '\(ids[0])'; DELETE FROM tickets WHERE id = '\(ids[0])';
            CREATE TRIGGER history_is_append_only_delete BEFORE DELETE ON history
                BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
            """)
        #expect(shell.run("audit", "verify").status == 0)
        let verified = shell.run("audit", "verify", "--checkpoint", "checkpoint.json")
        #expect(verified.status == 1)
        #expect(
            verified.output.contains(
                "NOT AS SIGNED \(ids[0]) at revision 1: the ticket is missing: the checkpoint signed it with 1 entries"))
        #expect(verified.output.hasSuffix(": 1 broken\n"))
        let json = try JSONParser.parse(shell.run("audit", "verify", "--checkpoint", "checkpoint.json", "--json").output)
        #expect(json["findings"]?.elements?.first?["ticket"]?.string == ids[0])
    }

    @Test func badCheckpointFilesAndKeysAreRefusedWithOneMessageAndNothingChanges() throws {
        let (shell, _) = try prepared()
        #expect(shell.run("audit", "checkpoint", "--out", "good.json").status == 0)
        let good = try String(contentsOf: shell.folder.appendingPathComponent("good.json"), encoding: .utf8)
        let open = try #require(SigningKey.generate())
        try write(open.pem, to: shell.folder.appendingPathComponent("key.pem").path, mode: 0o600)
        #expect(shell.run("audit", "checkpoint", "--out", "other-key.json", "--key", "key.pem").status == 0)
        let before = shell.snapshot() + shell.run("actor", "log", "--json").output

        try write(open.pem, to: shell.folder.appendingPathComponent("open.pem").path, mode: 0o640)
        let refusedKey = shell.run("audit", "checkpoint", "--out", "never.json", "--key", "open.pem")
        #expect(refusedKey.status == 1)
        #expect(oneError(refusedKey).contains("can be read or written by others than its owner (mode 0640)"))
        #expect(refusedKey.errors.contains("hint: chmod 600"))
        #expect(!FileManager.default.fileExists(atPath: shell.folder.appendingPathComponent("never.json").path))
        #expect(oneError(shell.run("audit", "verify", "--checkpoint", "good.json", "--key", "open.pem")).contains("mode 0640"))

        let forged = good.replacingOccurrences(of: "\"entries\": 1,", with: "\"entries\": 2,")
        try write(forged, to: shell.folder.appendingPathComponent("forged.json").path, mode: 0o600)
        let truncated = String(good.prefix(good.count / 2))
        try write(truncated, to: shell.folder.appendingPathComponent("truncated.json").path, mode: 0o600)

        let other = Shell()
        other.variables["XDG_CONFIG_HOME"] = shell.variables["XDG_CONFIG_HOME"]
        try other.prepareKIM()
        #expect(other.run("audit", "checkpoint", "--out", shell.folder.appendingPathComponent("foreign.json").path).status == 0)

        for (file, expected) in [
            ("forged.json", "do not match its signed root: the list was changed after it was signed"),
            ("truncated.json", "truncated.json is not a GapFlow checkpoint:"),
            ("other-key.json", "other-key.json was signed by the key \(open.publicKey.fingerprint), not by the trusted key"),
            ("foreign.json", "foreign.json is a checkpoint of another database"),
            ("missing.json", "cannot read the checkpoint missing.json"),
        ] {
            let result = shell.run("audit", "verify", "--checkpoint", file)
            #expect(result.status == 1, "\(file)")
            #expect(oneError(result).contains(expected), "\(file): \(result.errors)")
        }
        #expect(oneError(shell.run("audit", "checkpoint", "--out", "good.json")).contains("good.json already exists"))

        let noKey = Shell()
        noKey.variables["XDG_CONFIG_HOME"] = noKey.folder.appendingPathComponent("config").path
        try noKey.prepareKIM()
        let keyless = noKey.run("audit", "verify", "--checkpoint", shell.folder.appendingPathComponent("good.json").path)
        #expect(keyless.status == 1)
        #expect(oneError(keyless).contains("there is no checkpoint key at"))
        #expect(!FileManager.default.fileExists(atPath: noKey.folder.appendingPathComponent("config").path), "verifying makes no key")
        noKey.variables["XDG_CONFIG_HOME"] = nil
        #expect(oneError(noKey.run("audit", "checkpoint", "--out", "x.json")).contains("neither $XDG_CONFIG_HOME nor $HOME is set"))

        #expect(shell.snapshot() + shell.run("actor", "log", "--json").output == before, "nothing was changed")
        #expect(shell.run("audit", "verify", "--checkpoint", "good.json").status == 0)
    }

    @Test func anImportWithACheckpointRefusesAnExportWithoutASignedTicket() throws {
        let (shell, ids) = try prepared()
        #expect(shell.run("audit", "checkpoint", "--out", "checkpoint.json").status == 0)
        #expect(shell.run("export", "--out", "all.jsonl").status == 0)
        let good = shell.run("import", "all.jsonl", "--db", "copy.sqlite", "--checkpoint", "checkpoint.json")
        #expect(good.status == 0, "\(good.errors)")
        #expect(good.output.contains("extends the checkpoint checkpoint.json"))
        #expect(shell.run("audit", "verify", "--checkpoint", "checkpoint.json", "--db", "copy.sqlite").status == 0)
        #expect(shell.run("actor", "log", "--db", "copy.sqlite").output == shell.run("actor", "log").output)

        let lines = try String(contentsOf: shell.folder.appendingPathComponent("all.jsonl"), encoding: .utf8).split(separator: "\n")
        let without = lines.filter { !$0.contains("\"\(ids[0])\"") }.joined(separator: "\n") + "\n"
        try write(without, to: shell.folder.appendingPathComponent("without.jsonl").path, mode: 0o600)
        #expect(shell.run("import", "without.jsonl", "--db", "plain.sqlite").status == 0, "the file alone shows nothing")
        let refused = shell.run("import", "without.jsonl", "--db", "checked.sqlite", "--checkpoint", "checkpoint.json")
        #expect(refused.status == 1)
        #expect(
            oneError(refused).contains(
                "the export does not extend the checkpoint checkpoint.json: \(ids[0]) at revision 1: the ticket is missing"))
        #expect(!FileManager.default.fileExists(atPath: shell.folder.appendingPathComponent("checked.sqlite").path))
    }
}
