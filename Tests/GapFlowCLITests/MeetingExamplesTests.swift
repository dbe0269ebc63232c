import Foundation
import Testing

/// Keeps the committed meeting examples in `samples/meeting-2027/` current: the script that made them must make
/// exactly the same files again.
@Suite struct MeetingExamplesTests {
    @Test func theCommittedMeetingExamplesAreWhatTheScriptProduces() throws {
        let samples = Shell.repository.appendingPathComponent("samples")
        let committed = samples.appendingPathComponent("meeting-2027")
        // The test runner sits in the build folder next to the gapflow executable.
        let gapflow = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gapflow")
        try #require(FileManager.default.isExecutableFile(atPath: gapflow.path), "no gapflow executable at \(gapflow.path)")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-examples-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }

        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/bin/bash")
        script.arguments = [samples.appendingPathComponent("make-meeting-examples.sh").path, output.path]
        script.environment = ProcessInfo.processInfo.environment.merging(["GAPFLOW": gapflow.path]) { $1 }
        script.standardOutput = FileHandle.nullDevice
        try script.run()
        script.waitUntilExit()
        try #require(script.terminationStatus == 0)

        let produced = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        #expect(produced.count >= 9)
        for name in produced {
            let expected = try Data(contentsOf: committed.appendingPathComponent(name))
            let actual = try Data(contentsOf: output.appendingPathComponent(name))
            #expect(actual == expected, "samples/meeting-2027/\(name) is out of date: run samples/make-meeting-examples.sh")
        }
    }
}
