import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

/// Seeded mutations of decisions files and import files: never a crash, always an answer (applied, or refused
/// with an error message), and a refused file changes nothing.
@Suite struct InputFuzzTests {
    static func mutate(_ text: String, _ random: inout SeededRandom) -> Data {
        var bytes = Array(text.utf8)
        for _ in 0...Int.random(in: 0...3, using: &random) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0: bytes[at] ^= UInt8.random(in: 1...255, using: &random)
            case 1: bytes = Array(bytes.prefix(at))
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...30, using: &random)))
            case 3: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 60)], at: Int.random(in: 0...bytes.count, using: &random))
            default: bytes.insert(contentsOf: Array("\"\(String(repeating: "ü", count: 5000))\"".utf8), at: at)
            }
        }
        return Data(bytes)
    }

    @Test func mutatedDecisionsFilesAreAppliedOrRefusedNeverCrash() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let id = try shell.openGap()
        #expect(shell.run("fire", id, "forward").status == 0)
        #expect(shell.run("fire", id, "table", "--as", "ki.leitung", "--set", "proposal=P").status == 0)
        #expect(shell.run("meeting", "add", "--date", "2026-12-10", "--title", "Dezember").status == 0)
        let valid = """
            {"meeting": 1, "decisions": [{"ticket": "\(id)", "event": "defer", "set": {"decision_note": "vertagt"}, "comment": "x"}]}
            """
        let before = shell.snapshot()
        var random = SeededRandom(seed: 11)
        let file = shell.folder.appendingPathComponent("d.json")
        for round in 0..<300 {
            try Self.mutate(valid, &random).write(to: file)
            let result = shell.run("decisions", "apply", file.path, "--check", "--as", "geschaeftsstelle")
            #expect([0, 1, 2].contains(result.status), "round \(round)")
            if result.status != 0 { #expect(result.errors.hasPrefix("error: "), "round \(round): \(result.errors)") }
        }
        #expect(shell.snapshot() == before)
    }

    @Test func mutatedImportFilesImportEverythingOrNothing() throws {
        let shell = Shell()
        try shell.prepareKIM()
        _ = try shell.openGap()
        #expect(shell.run("export", "--format", "jsonl", "--out", "full.jsonl").status == 0)
        let full = try String(contentsOf: shell.folder.appendingPathComponent("full.jsonl"), encoding: .utf8)
        var random = SeededRandom(seed: 12)
        for round in 0..<60 {
            let file = shell.folder.appendingPathComponent("m\(round).jsonl")
            try Self.mutate(full, &random).write(to: file)
            let target = shell.folder.appendingPathComponent("i\(round).sqlite").path
            let result = shell.run("import", file.path, "--db", target)
            #expect([0, 1].contains(result.status), "round \(round)")
            if result.status != 0 {
                #expect(result.errors.hasPrefix("error: "), "round \(round)")
                #expect(!FileManager.default.fileExists(atPath: target), "round \(round): a refused import left a database")
            } else {
                // A mutation inside a value imports; the audit then tells whether the history still verifies.
                #expect([0, 1].contains(shell.run("audit", "verify", "--db", target).status), "round \(round)")
            }
        }
    }
}
