import Foundation
import Testing

@testable import GapFlowCLI

/// The PostgreSQL server of the tests: `GAPFLOW_TEST_POSTGRES`, else the cluster `samples/postgres-test-server.sh`
/// starts (the store tests print the loud message when there is none).
enum PostgresServer {
    static let uri: String? = {
        if let given = ProcessInfo.processInfo.environment["GAPFLOW_TEST_POSTGRES"], !given.isEmpty { return given }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Shell.repository.appendingPathComponent("samples/postgres-test-server.sh").path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let status = exitStatus(of: process)
        let uri = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if status != 0 || !StoreFactory.isPostgres(uri) {
            FileHandle.standardError.write(
                Data("!!! THE POSTGRESQL COMMAND TESTS ARE SKIPPED: no PostgreSQL server could be started\n".utf8))
            return nil
        }
        return uri
    }()

    /// The URI of a schema of its own (created by `gapflow init` or `import`), and a closure that drops it.
    static func schema() throws -> (uri: String, drop: () -> Void) {
        let uri = try #require(uri)
        let name = "cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let drop = {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["psql", "-q", "-d", uri, "-c", "DROP SCHEMA IF EXISTS \(name) CASCADE"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try? process.run()
            process.waitUntilExit()
        }
        return (uri + (uri.contains("?") ? "&" : "?") + "options=-csearch_path%3D" + name, drop)
    }
}

/// `--db postgresql://…`: the same commands on PostgreSQL, and a county moved from SQLite to PostgreSQL and back.
@Suite(.enabled(if: PostgresServer.uri != nil, "no PostgreSQL test server"))
struct PostgresCommandTests {
    @Test func aCountyMovesFromSQLiteToPostgreSQLAndBackUnchanged() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let id = try shell.openGap()
        #expect(shell.run("fire", id, "forward", "--as", "koordination", "--set", "legal_domains=SGB II").status == 0)
        #expect(shell.run("export", "--out", "county.jsonl").status == 0)
        let exported = try String(contentsOf: shell.folder.appendingPathComponent("county.jsonl"), encoding: .utf8)

        let (postgres, drop) = try PostgresServer.schema()
        defer { drop() }
        let imported = shell.run("import", "county.jsonl", "--db", postgres)
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.contains("every chain verifies: true"))
        let verified = shell.run("audit", "verify", "--db", postgres)
        #expect(verified.status == 0, "\(verified.errors)")
        #expect(shell.run("export", "--db", postgres, "--out", "from-postgres.jsonl").status == 0)
        let fromPostgres = try String(contentsOf: shell.folder.appendingPathComponent("from-postgres.jsonl"), encoding: .utf8)
        #expect(fromPostgres == exported)

        // Work goes on in PostgreSQL, then the county moves back into a new SQLite file.
        shell.variables["GAPFLOW_DB"] = postgres
        #expect(shell.run("fire", id, "table", "--as", "ki.leitung", "--set", "proposal=Vorschlag").status == 0)
        #expect(shell.run("export", "--out", "moved.jsonl").status == 0)
        let back = shell.run("import", "moved.jsonl", "--db", "back.sqlite")
        #expect(back.status == 0, "\(back.errors)")
        #expect(shell.run("export", "--db", "back.sqlite", "--out", "back.jsonl").status == 0)
        let moved = try String(contentsOf: shell.folder.appendingPathComponent("moved.jsonl"), encoding: .utf8)
        #expect(try String(contentsOf: shell.folder.appendingPathComponent("back.jsonl"), encoding: .utf8) == moved)

        // A backup of the PostgreSQL database is an export file, verified as it is written.
        let backup = shell.run("backup", "copy.jsonl")
        #expect(backup.status == 0, "\(backup.errors)")
        #expect(backup.output.contains("every chain verifies: true"))
    }

    @Test func aDatabaseThatCannotBeReachedOrCarriesAPasswordIsOneLineAndExitOne() throws {
        let shell = Shell()
        let unreachable = shell.run("list", "--db", "postgresql:///kim?host=/nonexistent-gapflow-socket&port=1")
        #expect(unreachable.status == 1)
        #expect(unreachable.errors.contains("cannot connect to PostgreSQL"), "\(unreachable.errors)")
        let password = shell.run("init", "--workflows", Shell.workflows, "--db", "postgresql://kim:geheim@localhost/kim")
        #expect(password.status == 1)
        #expect(password.errors.contains("~/.pgpass or PGPASSWORD") && !password.errors.contains("geheim"), "\(password.errors)")
        let demo = shell.run(
            "demo", "--db", "postgresql:///kim", "--workflows", Shell.workflows, "--samples",
            Shell.repository.appendingPathComponent("samples").path)
        #expect(demo.status == 1 && demo.errors.contains("fresh SQLite database"), "\(demo.errors)")
        let (postgres, drop) = try PostgresServer.schema()
        defer { drop() }
        let missing = shell.run("list", "--db", postgres)
        #expect(missing.status == 1)
        #expect(missing.errors.contains("no database at \(postgres)"), "\(missing.errors)")
    }

    @Test func aWrongPasswordIsOneLineThatDoesNotRepeatItAndTheRightOneGetsIn() throws {
        let server = try #require(PostgresServer.uri)
        let shell = Shell()
        // The role `gapflow_secret` of the test server must give its password, here from a password file (as
        // ~/.pgpass would), so that nothing puts it on the command line or in the process's environment.
        func uri(password: String) throws -> String {
            let file = shell.folder.appendingPathComponent("pgpass-\(password.count)")
            try Data("*:*:*:gapflow_secret:\(password)\n".utf8).write(to: file)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
            return server.replacingOccurrences(of: "user=gapflow", with: "user=gapflow_secret") + "&passfile=" + file.path
        }
        let wrong = shell.run("list", "--db", try uri(password: "falsch"))
        #expect(wrong.status == 1)
        #expect(wrong.errors.contains("password authentication failed"), "\(wrong.errors)")
        #expect(!wrong.errors.contains("falsch") && wrong.errors.split(separator: "\n").count == 1, "\(wrong.errors)")
        #expect(wrong.output.isEmpty)
        // The right password gets in: the database has no GapFlow schema for this role, which is the next message.
        let right = shell.run("list", "--db", try uri(password: "richtig"))
        #expect(right.status == 1)
        #expect(!right.errors.contains("password authentication failed"), "\(right.errors)")
        #expect(right.errors.contains("no database at"), "\(right.errors)")
    }
}

/// Waits for `process` and returns its exit status. Reaps it with `waitpid` itself: Foundation's own watch for the
/// end of a child missed the end of `samples/postgres-test-server.sh` when it had just started a cluster, and
/// `waitUntilExit` then waited forever.
func exitStatus(of process: Process) -> Int32 {
    var status: Int32 = 0
    var result: pid_t
    repeat { result = waitpid(process.processIdentifier, &status, 0) } while result == -1 && errno == EINTR
    if result == process.processIdentifier { return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
    process.waitUntilExit()
    return process.terminationStatus
}
