import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI
@testable import GapFlowSQLite

/// `--group`: the files GapFlow creates are readable by their owner only, or by one group too.
@Suite struct FileGroupTests {
    private func stats(_ path: String) -> (mode: mode_t, group: gid_t)? {
        var info = stat()
        return stat(path, &info) == 0 ? (info.st_mode & 0o777, info.st_gid) : nil
    }

    @Test func theDatabaseItsWALBackupsAndExportsAreSharedWithTheGroupGiven() throws {
        let group = try #require(FileGroup.primary)
        let shell = Shell()
        let initialised = shell.run("init", "--workflows", Shell.workflows, "--group", group.name)
        #expect(initialised.status == 0, "\(initialised.errors)")
        #expect(stats(shell.databasePath).map { $0.mode == 0o640 && $0.group == group.id } == true)
        // While a connection is open, SQLite's -wal and -shm files are there: they follow the database.
        let store = try SQLiteStore(path: shell.databasePath)
        for suffix in ["-wal", "-shm"] {
            #expect(stats(shell.databasePath + suffix).map { $0.mode == 0o640 && $0.group == group.id } == true, "\(suffix)")
        }
        _ = store
        #expect(shell.run("backup", "copy.sqlite", "--group", group.name).status == 0)
        #expect(shell.run("export", "--out", "all.jsonl", "--group", group.name).status == 0)
        #expect(shell.run("export", "--out", "private.jsonl").status == 0)
        for (name, mode) in [("copy.sqlite", 0o640), ("all.jsonl", 0o640), ("private.jsonl", 0o600)] as [(String, mode_t)] {
            let found = stats(shell.folder.appendingPathComponent(name).path)
            #expect(found?.mode == mode, "\(name): \(String(found?.mode ?? 0, radix: 8))")
        }
        let imported = shell.run("import", "all.jsonl", "--db", "imported.sqlite", "--group", group.name)
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(stats(shell.folder.appendingPathComponent("imported.sqlite").path)?.mode == 0o640)
    }

    @Test func anUnknownGroupIsRefusedBeforeAnythingIsCreated() throws {
        let shell = Shell()
        let result = shell.run("init", "--workflows", Shell.workflows, "--group", "no-such-group-gapflow")
        #expect(result.status == 1)
        #expect(result.errors.contains("there is no group \"no-such-group-gapflow\""))
        #expect(!FileManager.default.fileExists(atPath: shell.databasePath))
        #expect(shell.run("export", "--group", "no-such-group-gapflow").status == 1)
        #expect(shell.run("export", "--group", "\(FileGroup.primary?.name ?? "root")").status == 2, "--group needs --out")
    }
}
