import Dispatch
import Foundation
import Testing

/// The real-browser walk (`Tests/Browser/browser_walk.py`): Debian's headless Chromium, driven by selenium, walks one
/// gap through a real `gapflow serve` from report to published feedback, only through the pages, and axe-core checks
/// every page type for WCAG 2.1 A/AA. It needs the virtual environment that `samples/browser-setup.sh` creates.
@Suite struct BrowserTests {
    static let python = Repository.root.appendingPathComponent(".build/browser-venv/bin/python")
    static let script = Repository.root.appendingPathComponent("Tests/Browser/browser_walk.py")
    /// Far above the walk's 40 s, for a machine that builds while it tests; only a hung browser reaches it.
    static let limit = 300

    @Test func aGapWalksFromReportToFeedbackThroughThePagesAndAxeFindsNoViolation() throws {
        // The binary `swift test` built beside the test runner (.build/debug/gapflow).
        let gapflow = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gapflow")
        try #require(FileManager.default.isExecutableFile(atPath: gapflow.path), "no gapflow executable at \(gapflow.path)")
        // The first run on a machine makes the virtual environment itself (PyPI), so the README's one test command
        // is all it takes; the Debian packages it needs are the README's prerequisites (and .ci/run installs them).
        if !FileManager.default.isExecutableFile(atPath: Self.python.path) {
            let (status, text) = try Self.run(Repository.root.appendingPathComponent("samples/browser-setup.sh"), [])
            try #require(status == 0, "samples/browser-setup.sh could not prepare the browser tests:\n\(text)")
        }

        let (status, text) = try Self.run(Self.python, [Self.script.path, "--gapflow", gapflow.path])
        #expect(status == 0, "the browser walk failed (exit \(status)):\n\(text)")
        // Its summary (duration, pages checked) in the test log.
        if status == 0 { print("browser walk: \(text.trimmingCharacters(in: .whitespacesAndNewlines))") }
    }

    /// Runs a program from the repository's folder; returns its exit status and everything it printed.
    static func run(_ program: URL, _ arguments: [String], in directory: URL = Repository.root) throws -> (Int32, String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-browser-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else { return (-1, "cannot write \(log.path)") }
        defer { try? FileManager.default.removeItem(at: log) }
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // A watchdog, not a wait: it only acts if the program hangs past the limit.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(limit), execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        try output.close()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}
