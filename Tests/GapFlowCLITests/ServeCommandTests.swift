import Foundation
import GapFlow
import GapFlowSQLite
import Testing

@testable import GapFlowCLI

@Suite("gapflow serve and the accounts behind it")
struct ServeCommandTests {
    @Test func aPasswordIsReadFromStandardInputNeverFromAnArgument() throws {
        let shell = Shell()
        try shell.prepareKIM()
        #expect(shell.run(["actor", "add", "admin", "--role", "admin"]).status == 0)
        let set = shell.run(["actor", "password", "koordination", "--as", "admin"], input: "ein-langes-passwort\n")
        #expect(set.status == 0, "\(set.errors)")
        #expect(set.output.contains("password of koordination set"))
        let engine = Engine(store: try SQLiteStore(path: shell.databasePath))
        #expect(try engine.authenticate(name: "koordination", password: "ein-langes-passwort")?.name == "koordination")

        let asArgument = shell.run(["actor", "password", "koordination", "ein-langes-passwort", "--as", "admin"], input: "")
        #expect(asArgument.status == 2, "a second positional is a usage error: passwords do not go on the command line")
        #expect(shell.run(["actor", "password", "koordination", "--as", "admin"], input: "").status == 2)
        let short = shell.run(["actor", "password", "koordination", "--as", "admin"], input: "kurz\n")
        #expect(short.status == 1)
        #expect(short.errors.contains("shorter than 12 characters"))
        let notAdmin = shell.run(["actor", "password", "ki.leitung", "--as", "koordination"], input: "noch-ein-passwort\n")
        #expect(notAdmin.status == 1)
        #expect(try engine.authenticate(name: "ki.leitung", password: "noch-ein-passwort") == nil)
    }

    @Test func aTokenIsPrintedOnceAndFindsItsActor() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let result = shell.run("actor", "token", "ki.leitung")
        #expect(result.status == 0)
        let token = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.count == 64)
        let engine = Engine(store: try SQLiteStore(path: shell.databasePath))
        #expect(try engine.actor(apiToken: token)?.name == "ki.leitung")
    }

    @Test func badServeOptionsAreUsageErrors() throws {
        let shell = Shell()
        try shell.prepareKIM()
        #expect(shell.run("serve", "--listen", "nirgendwo").status == 2)
        #expect(shell.run("serve", "--listen", "127.0.0.1:99999").status == 2)
        let lonely = shell.run("serve", "--trusted-header", "X-Remote-User")
        #expect(lonely.status == 2)
        #expect(lonely.errors.contains("--trusted-header and --trusted-proxy go together"))
        let withoutDoor = shell.run("serve", "--listen", "127.0.0.1:0")
        #expect(withoutDoor.status == 1, "the library CLI alone has no web front; the gapflow binary joins it")
        #expect(try ServeCommand.address("[::1]:8080") == ("::1", 8080))
        #expect(try ServeCommand.address(":9000") == ("127.0.0.1", 9000))
    }
}
