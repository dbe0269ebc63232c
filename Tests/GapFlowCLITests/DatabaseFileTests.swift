import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

/// What gapflow does with the files it is pointed at: it never creates one through a link, never leaves a broken
/// backup behind, and never turns a file into a database unless asked to create one.
@Suite struct DatabaseFileTests {
    private func size(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    }

    private func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    @Test func aBackupToADanglingLinkIsRefusedAndCreatesNothing() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let target = shell.folder.appendingPathComponent("elsewhere.sqlite").path
        try FileManager.default.createSymbolicLink(
            atPath: shell.folder.appendingPathComponent("backup.sqlite").path, withDestinationPath: target)
        let result = shell.run("backup", "backup.sqlite")
        #expect(result.status == 1)
        #expect(result.errors.contains("already exists"), "\(result.errors)")
        #expect(!exists(target), "the backup was written through the link")
    }

    @Test func anImportOrInitIntoADanglingLinkIsRefusedAndCreatesNothing() throws {
        let shell = Shell()
        try shell.prepareKIM()
        #expect(shell.run("export", "--out", "all.jsonl").status == 0)
        let target = shell.folder.appendingPathComponent("elsewhere.sqlite").path
        let link = shell.folder.appendingPathComponent("new.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let imported = shell.run("import", "all.jsonl", "--db", "new.sqlite")
        #expect(imported.status == 1)
        #expect(imported.errors.contains("symbolic link"), "\(imported.errors)")
        let initialised = shell.run("init", "--workflows", Shell.workflows, "--db", "new.sqlite")
        #expect(initialised.status == 1)
        #expect(initialised.errors.contains("symbolic link"), "\(initialised.errors)")
        #expect(!exists(target), "a database was created through the link")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == target, "the link itself was removed")
    }

    /// A backup that fails half-way (here: the file size limit, as on a full disk) leaves no file behind, so the next
    /// backup to the same name succeeds. Runs the real binary, whose file size limit can be set without affecting
    /// the tests running beside it.
    @Test func aFailedBackupLeavesNothingThatBlocksTheNextOne() throws {
        let gapflow = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gapflow")
        try #require(FileManager.default.isExecutableFile(atPath: gapflow.path), "no gapflow executable at \(gapflow.path)")
        let shell = Shell()
        try shell.prepareKIM()
        for _ in 0..<3 { _ = try shell.openGap() }
        try #require((size(shell.databasePath) ?? 0) > 96 * 1024, "the database must be larger than the file size limit")
        // dash counts `ulimit -f` in blocks of 512 bytes: 64 KB. SIGXFSZ ignored, so a write beyond it fails (EFBIG).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "trap '' XFSZ; ulimit -f 128; exec \"$GAPFLOW\" backup backup.sqlite"]
        process.currentDirectoryURL = shell.folder
        process.environment = ["GAPFLOW": gapflow.path, "GAPFLOW_DB": shell.databasePath, "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 1, "the backup should have failed at the file size limit")
        let backup = shell.folder.appendingPathComponent("backup.sqlite").path
        #expect(!exists(backup), "the failed backup left \(size(backup) ?? 0) bytes at the target")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: shell.folder.path).filter { $0.contains("backup") }
        #expect(leftovers.isEmpty, "left behind: \(leftovers)")

        let retried = shell.run("backup", "backup.sqlite")
        #expect(retried.status == 0, "\(retried.errors)")
        #expect(retried.output.contains("every chain verifies: true"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: shell.folder.path).filter { $0.contains("backup") } == ["backup.sqlite"])
    }

    @Test func anEmptyOrMissingDatabaseFileIsLeftAloneByEveryCommandButTheCreatingOnes() throws {
        let shell = Shell()
        let empty = shell.folder.appendingPathComponent("empty.sqlite").path
        #expect(FileManager.default.createFile(atPath: empty, contents: nil))
        for arguments in [
            ["fire", "GAP-2026-0001", "forward", "--db", "empty.sqlite"], ["list", "--db", "empty.sqlite"],
            ["actor", "add", "x", "--role", "cm", "--db", "empty.sqlite"], ["backup", "copy.sqlite", "--db", "empty.sqlite"],
            ["tick", "--db", "empty.sqlite"],
        ] {
            let result = shell.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.errors.contains("empty.sqlite is an empty file"), "\(arguments): \(result.errors)")
            #expect(result.errors.contains("gapflow init"), "\(arguments): \(result.errors)")
            #expect(size(empty) == 0, "\(arguments) wrote to the empty file")
        }
        #expect(!exists(shell.folder.appendingPathComponent("copy.sqlite").path))
        let missing = shell.run("fire", "GAP-2026-0001", "forward", "--db", "missing.sqlite")
        #expect(missing.status == 1)
        #expect(!exists(shell.folder.appendingPathComponent("missing.sqlite").path))
        // init may make the empty file a database.
        #expect(shell.run("init", "--workflows", Shell.workflows, "--db", "empty.sqlite").status == 0)
        #expect((size(empty) ?? 0) > 0)
        #expect(shell.run("list", "--db", "empty.sqlite").status == 0)
    }
}
