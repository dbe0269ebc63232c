import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI
@testable import GapFlowSQLite

/// Who did it: `actor add|role|remove` need an admin once there is one, and every change lands in the admin log.
@Suite struct AccountCommandTests {
    /// The KIM database with an admin registered.
    private func prepared() throws -> Shell {
        let shell = Shell()
        try shell.prepareKIM()
        #expect(shell.run("actor", "add", "admin", "--role", "admin").status == 0)
        return shell
    }

    @Test func rolesChangeAndActorsGoOnlyByAnAdminAndEveryChangeIsLogged() throws {
        let shell = try prepared()
        let id = try shell.openGap()  // opened by cm.siegburg
        let refused = shell.run("actor", "role", "koordination", "--add", "ki_lead")
        #expect(refused.status == 1)
        #expect(refused.errors.contains("koordination may not change actors: that needs the role \"admin\""), "\(refused.errors)")
        #expect(shell.run("actor", "remove", "cm.siegburg").status == 1)

        let changed = shell.run("actor", "role", "koordination", "--add", "ki_lead", "--as", "admin")
        #expect(changed.status == 0, "\(changed.errors)")
        #expect(changed.output == "actor koordination: cm_coordination, ki_lead\n")
        #expect(shell.run("actor", "role", "koordination", "--remove", "ki_lead", "--as", "admin").status == 0)
        let removed = shell.run("actor", "remove", "cm.siegburg", "--as", "admin")
        #expect(removed.output == "removed actor cm.siegburg (cm); its history stays\n")
        #expect(shell.run("history", id).output.contains("cm.siegburg"), "the history still names the removed actor")
        #expect(shell.run("audit", "verify").status == 0)
        let last = shell.run("actor", "remove", "admin", "--as", "admin")
        #expect(last.status == 1)
        #expect(last.errors.contains("admin is the last actor with the role \"admin\""), "\(last.errors)")
        #expect(shell.run("actor", "role", "ghost", "--add", "cm", "--as", "admin").errors.contains("there is no actor \"ghost\""))

        let log = try JSONParser.parse(shell.run("actor", "log", "--json").output)
        let entries = log.elements ?? []
        #expect(
            entries.map { "\($0["kind"]?.string ?? "") \($0["actor"]?.string ?? "-") \($0["subject"]?.string ?? "-")" } == [
                "actor.added koordination koordination", "actor.added koordination cm.siegburg", "actor.added koordination ki.leitung",
                "actor.added koordination geschaeftsstelle", "actor.added koordination pg.sprache", "actor.added koordination admin",
                "actor.changed admin koordination", "actor.changed admin koordination", "actor.removed admin cm.siegburg",
            ])
        #expect(entries.allSatisfy { $0["account"]?.string == "gapflow-test" })
        #expect(entries.last?["details"]?["scope"]?.elements?.map { $0.string } == ["Siegburg"])
        let text = shell.run("actor", "log").output
        #expect(text.hasPrefix("#  AT"))
        #expect(text.contains("actor.removed  admin"))
    }

    @Test func optionsOfAnotherSubcommandAreRefused() throws {
        let shell = try prepared()
        for arguments in [
            ["actor", "remove", "koordination", "--role", "cm", "--as", "admin"], ["actor", "add", "x", "--role", "cm", "--add", "cm"],
            ["actor", "log", "--municipality", "Much"], ["actor", "role", "koordination", "--as", "admin"],
            ["actor", "log", "koordination"],
        ] {
            #expect(shell.run(arguments).status == 2, "\(arguments)")
        }
    }

    @Test func anEditedOrTruncatedAdminLogIsFoundByTheAuditAndRefusedByAnImport() throws {
        let shell = try prepared()
        #expect(shell.run("export", "--out", "all.jsonl").status == 0)
        let full = try String(contentsOf: shell.folder.appendingPathComponent("all.jsonl"), encoding: .utf8)
        let tampered = full.replacingOccurrences(of: #"\"roles\":[\"ki_lead\"]"#, with: #"\"roles\":[\"admin\"]"#)
        #expect(tampered != full)
        try tampered.write(to: shell.folder.appendingPathComponent("tampered.jsonl"), atomically: true, encoding: .utf8)
        let imported = shell.run("import", "tampered.jsonl", "--db", "copy.sqlite")
        #expect(imported.status == 1)
        #expect(imported.errors.contains("the admin log does not verify at entry 3"), "\(imported.errors)")

        let connection = try Connection(path: shell.databasePath, readOnly: false, create: false)
        try connection.execute(
            """
            DROP TRIGGER admin_log_is_append_only_update;
            UPDATE admin_log SET actor = 'someone' WHERE sequence = 6;
            """)
        let audit = shell.run("audit", "verify")
        #expect(audit.status == 1)
        #expect(audit.output.contains("BROKEN admin log at entry 6: the chain is broken"))
        #expect(
            audit.output.contains(
                "BROKEN store: the trigger admin_log_is_append_only_update that keeps the admin log append-only was removed"))
    }
}
