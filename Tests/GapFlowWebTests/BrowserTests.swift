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
        let missing = [Self.python.path, "/usr/bin/chromium", "/usr/bin/chromedriver"].filter {
            !FileManager.default.isExecutableFile(atPath: $0)
        }
        try #require(
            missing.isEmpty,
            """
            the browser tests need \(missing.joined(separator: ", ")): run samples/browser-setup.sh \
            (after apt-get install chromium chromium-driver python3-venv)
            """)

        let log = FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-browser-\(UUID().uuidString).log")
        try #require(FileManager.default.createFile(atPath: log.path, contents: nil), "cannot write \(log.path)")
        defer { try? FileManager.default.removeItem(at: log) }
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = Self.python
        process.arguments = [Self.script.path, "--gapflow", gapflow.path]
        process.currentDirectoryURL = Repository.root
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // A watchdog, not a wait: it only acts if the walk hangs past the limit.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(Self.limit), execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        try output.close()
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "the browser walk failed (exit \(process.terminationStatus)):\n\(text)")
        // Its summary (duration, pages checked) in the test log.
        if process.terminationStatus == 0 { print("browser walk: \(text.trimmingCharacters(in: .whitespacesAndNewlines))") }
    }
}
