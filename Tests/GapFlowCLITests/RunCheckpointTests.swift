import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

/// `gapflow run --checkpoint-every DURATION --checkpoint-dir DIR`: the timer service signs checkpoints on a schedule.
@Suite struct RunCheckpointTests {
    /// A KIM database with two gaps, and a configuration directory of the test's own (never the real one).
    private func prepared() throws -> (Shell, [String]) {
        let shell = Shell()
        shell.variables["XDG_CONFIG_HOME"] = shell.folder.appendingPathComponent("config").path
        try shell.prepareKIM()
        return (shell, [try shell.openGap(), try shell.openGap(title: "Sprachmittlung fehlt")])
    }

    /// The one `error:` line of a refusal, and that there is only one.
    private func oneError(_ result: Shell.Result) -> String {
        let lines = result.errors.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(lines.count == 1, "\(result.errors)")
        return lines.first.map(String.init) ?? ""
    }

    @Test func theTimerServicesCheckpointOptionsAreCheckedBeforeItStarts() throws {
        let (shell, _) = try prepared()
        for (arguments, status, message) in [
            (["--checkpoint-every", "P1D"], Int32(2), "--checkpoint-every needs --checkpoint-dir DIR"),
            (["--checkpoint-dir", "cp"], 2, "--checkpoint-dir and --key need --checkpoint-every DURATION"),
            (["--checkpoint-every", "P1M", "--checkpoint-dir", "cp"], 2, "an ISO 8601 duration of weeks, days, hours or minutes"),
            (["--checkpoint-every", "PT30S", "--checkpoint-dir", "cp"], 2, "must be from PT1M to P366D"),
            (["--checkpoint-every", "PT6H", "--checkpoint-dir", "cp"], 1, "the checkpoint folder cp does not exist"),
        ] {
            let result = shell.run(["run"] + arguments)
            #expect(result.status == status, "\(arguments)")
            #expect(oneError(result).contains(message), "\(arguments): \(result.errors)")
        }
        #expect(try RunCommand.checkpointInterval("P1W") == 604_800)
        #expect(try RunCommand.checkpointInterval("PT1H30M") == 5400)
        let file = try RunCommand.checkpointFile(in: shell.folder, at: shell.clock.now())
        #expect(file.lastPathComponent == "checkpoint-20261125T080000Z.json")
        #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
        #expect(
            try RunCommand.checkpointFile(in: shell.folder, at: shell.clock.now()).lastPathComponent == "checkpoint-20261125T080000Z-2.json"
        )
    }

    /// The real binary as a service: it signs a checkpoint on start, into the folder, and stops cleanly on SIGTERM.
    @Test func theTimerServiceWritesACheckpointWhenItStarts() throws {
        let gapflow = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gapflow")
        try #require(FileManager.default.isExecutableFile(atPath: gapflow.path), "no gapflow executable at \(gapflow.path)")
        let (shell, _) = try prepared()
        let folder = shell.folder.appendingPathComponent("checkpoints")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = gapflow
        process.arguments = ["run", "--checkpoint-every", "P1D", "--checkpoint-dir", folder.path, "--db", shell.databasePath]
        process.environment = [
            "XDG_CONFIG_HOME": shell.variables["XDG_CONFIG_HOME"] ?? "", "USER": "koordination", "PATH": "/usr/bin:/bin",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Read the log until the service says when the next checkpoint is due (a blocking read, no sleep).
        var log = ""
        while !log.contains("next checkpoint at") {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { break }
            log += String(decoding: data, as: UTF8.self)
        }
        process.terminate()
        process.waitUntilExit()
        #expect(log.contains("wrote \(folder.path)/checkpoint-"), "\(log)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.count == 1 && files.allSatisfy { $0.hasPrefix("checkpoint-") && $0.hasSuffix(".json") }, "\(files)")
        let verified = shell.run("audit", "verify", "--checkpoint", folder.appendingPathComponent(files.first ?? "").path)
        #expect(verified.status == 0, "\(verified.output)\(verified.errors)")
        let log2 = try JSONParser.parse(shell.run("actor", "log", "--json").output)
        #expect(log2.elements?.last?["actor"]?.string == "system")
    }
}
