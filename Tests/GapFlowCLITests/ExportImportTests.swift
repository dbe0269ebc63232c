import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

@Suite struct ExportImportTests {
    @Test func exportAndImportRoundTripEveryRowExactly() throws {
        let shell = Shell()
        _ = try shell.runDemo(into: "demo.sqlite")
        #expect(shell.run("meeting", "add", "--db", "demo.sqlite", "--date", "2026-12-10", "--title", "Dezember").status == 0)
        #expect(shell.run("export", "--format", "jsonl", "--db", "demo.sqlite", "--out", "first.jsonl").status == 0)
        let imported = shell.run("import", "first.jsonl", "--db", "copy.sqlite")
        #expect(imported.status == 0, "\(imported.errors)")
        #expect(imported.output.hasSuffix("every chain verifies: true\n"))
        #expect(shell.run("export", "--format", "jsonl", "--db", "copy.sqlite", "--out", "second.jsonl").status == 0)
        let first = try String(contentsOf: shell.folder.appendingPathComponent("first.jsonl"), encoding: .utf8)
        let second = try String(contentsOf: shell.folder.appendingPathComponent("second.jsonl"), encoding: .utf8)
        #expect(first == second)
        for table in ["store_identity", "definitions", "actors", "tickets", "history", "timers", "meetings", "outbox", "admin_log"] {
            #expect(first.contains("{\"table\":\"\(table)\""), "\(table) is exported")
        }
        #expect(shell.run("list", "--db", "copy.sqlite", "--json").output == shell.run("list", "--db", "demo.sqlite", "--json").output)
    }

    @Test func aCutOffOrForeignImportFileImportsNothing() throws {
        let shell = Shell()
        try shell.prepareKIM()
        _ = try shell.openGap()
        #expect(shell.run("export", "--format", "jsonl", "--out", "full.jsonl").status == 0)
        let full = try String(contentsOf: shell.folder.appendingPathComponent("full.jsonl"), encoding: .utf8)
        try String(full.prefix(full.count * 2 / 3)).write(
            to: shell.folder.appendingPathComponent("cut.jsonl"), atomically: true, encoding: .utf8)
        let cut = shell.run("import", "cut.jsonl", "--db", "new.sqlite")
        #expect(cut.status == 1)
        #expect(cut.errors.contains("the file may be cut off"))
        #expect(!FileManager.default.fileExists(atPath: shell.folder.appendingPathComponent("new.sqlite").path))
        try "{\"hello\": 1}\n".write(to: shell.folder.appendingPathComponent("foreign.jsonl"), atomically: true, encoding: .utf8)
        #expect(shell.run("import", "foreign.jsonl", "--db", "new.sqlite").errors.contains("not a gapflow export"))
        #expect(shell.run("import", "full.jsonl").errors.contains("the database is not empty"))
    }

    @Test func aTamperedExportImportsNothingAndExitsOne() throws {
        let shell = Shell()
        try shell.prepareKIM()
        _ = try shell.openGap()
        #expect(shell.run("export", "--format", "jsonl", "--out", "full.jsonl").status == 0)
        let full = try String(contentsOf: shell.folder.appendingPathComponent("full.jsonl"), encoding: .utf8)
        // The title in the history entry is changed, its hashes left as they were.
        let tampered = full.replacingOccurrences(of: "Kinderbetreuung fehlt", with: "Kinderbetreuung gibt es")
        #expect(tampered != full)
        try tampered.write(to: shell.folder.appendingPathComponent("tampered.jsonl"), atomically: true, encoding: .utf8)
        let result = shell.run("import", "tampered.jsonl", "--db", "copy.sqlite")
        #expect(result.status == 1)
        #expect(result.errors.contains("does not verify"), "\(result.errors)")
        #expect(!FileManager.default.fileExists(atPath: shell.folder.appendingPathComponent("copy.sqlite").path))
    }
}
