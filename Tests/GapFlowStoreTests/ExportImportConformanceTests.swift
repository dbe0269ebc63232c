import Foundation
import GapFlow
import Testing

/// An export of any store imports into a fresh store of any kind, all or nothing, and exports the same again.
@Suite struct ExportImportConformanceTests {
    private func tables(_ lines: [String]) throws -> [String] {
        try lines.enumerated().dropFirst().map { try ExportFormat.row(from: $1, number: $0 + 1).table }
    }

    @Test(arguments: StoreKind.allCases, StoreKind.allCases)
    func anExportImportsIntoAFreshStoreAndExportsTheSameLines(from source: StoreKind, into target: StoreKind) throws {
        let original = try Harness(source)
        try Script.lifecycle(original)
        let lines = try original.export()
        #expect(Set(try tables(lines)) == Set(ExportFormat.tables), "the script fills every table")

        let copy = try Harness(target, at: original.clock.now(), empty: true)
        try copy.engine.importLines(lines)
        #expect(try copy.export() == lines)
        #expect(try copy.engine.verifyHistory().findings.isEmpty)

        // The copy goes on exactly where the original stands: the next ticket, its timers and notices.
        for harness in [original, copy] {
            let id = try harness.open("Nach dem Umzug")
            try harness.engine.fire(id, Command(.fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("?")]))
            _ = try harness.engine.addMeeting(
                workflow: Fixtures.workflow, date: try Fixtures.date("2029-06-07"), time: nil, title: "Juni", place: nil)
        }
        #expect(try copy.export() == original.export())
    }

    @Test(arguments: StoreKind.allCases)
    func anImportIntoAStoreThatIsNotEmptyIsRefusedAndChangesNothing(kind: StoreKind) throws {
        let original = try Harness(.memory)
        try Script.lifecycle(original)
        let lines = try original.export()
        let target = try Harness(kind)
        let before = try target.export()
        #expect(throws: ImportError(line: 0, message: "the database is not empty; import into a new database")) {
            try target.engine.importLines(lines)
        }
        #expect(try target.export() == before)
    }

    @Test(arguments: StoreKind.allCases)
    func aCutOffLineIsRefusedWithItsNumberAndNothingIsImported(kind: StoreKind) throws {
        let original = try Harness(kind == .memory ? .sqlite : .memory)
        try Script.lifecycle(original)
        var lines = try original.export()
        let cut = try #require(try tables(lines).lastIndex(of: "history")) + 1  // index in `lines`
        lines[cut] = String(lines[cut].prefix(lines[cut].count / 2))
        lines.removeSubrange((cut + 1)...)

        let target = try Harness(kind, empty: true)
        let empty = try target.export()
        #expect(try tables(empty) == ["store_identity"], "an empty store holds only its identity")
        do {
            try target.engine.importLines(lines)
            Issue.record("a cut-off file was imported")
        } catch let error as ImportError {
            #expect(error.line == cut + 1)
            #expect(error.message.contains("cut off"), "\(error)")
        }
        #expect(try target.store.read { tx in try tx.isEmpty() })
        #expect(try target.export() == empty)
    }

    @Test(arguments: StoreKind.allCases)
    func rowsThatBreakAReferenceOrNameAnUnknownColumnAreRefusedWithTheirLine(kind: StoreKind) throws {
        let original = try Harness(.memory)
        try Script.lifecycle(original)
        let lines = try original.export()
        let tables = try tables(lines)

        // Without its tickets, the first history row refers to nothing.
        let orphaned = lines.enumerated().filter { $0.offset == 0 || tables[$0.offset - 1] != "tickets" }.map(\.element)
        let firstHistory = try #require(try self.tables(orphaned).firstIndex(of: "history")) + 2  // a line number
        let target = try Harness(kind, empty: true)
        let empty = try target.export()
        do {
            try target.engine.importLines(orphaned)
            Issue.record("history without tickets was imported")
        } catch let error as ImportError {
            #expect(error.line == firstHistory)
            #expect(error.message.hasPrefix("history: ") && error.message.contains("FOREIGN KEY constraint failed"), "\(error)")
        }
        #expect(try target.export() == empty)

        var unknown = lines
        let actorLine = try #require(tables.firstIndex(of: "actors")) + 1
        unknown[actorLine] = unknown[actorLine].replacingOccurrences(of: "\"name\":", with: "\"nickname\":")
        #expect(throws: ImportError(line: actorLine + 1, message: "actors: no column \"nickname\"")) {
            try target.engine.importLines(unknown)
        }
        #expect(try target.export() == empty)
    }

    @Test(arguments: StoreKind.allCases)
    func aBackupNeverOverwritesAFile(kind: StoreKind) throws {
        let harness = try Harness(kind)
        _ = try harness.open()
        let path = harness.folder.path("backup")
        try harness.store.backup(to: path)
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(!written.isEmpty)
        #expect(throws: StoreError.self) { try harness.store.backup(to: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == written)
    }
}
