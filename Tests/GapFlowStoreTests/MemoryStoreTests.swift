import Foundation
import GapFlow
import GapFlowSQLite
import Testing

/// What only the memory store does: it has no file, refuses writes in a read, and backs up as an export.
@Suite struct MemoryStoreTests {
    @Test func aReadTransactionRefusesToWriteAndKeepsNothing() throws {
        let harness = try Harness(.memory)
        #expect(harness.store.location == "memory")
        let before = try harness.export()
        #expect(throws: StoreError.self) {
            try harness.store.read { tx in try tx.saveActor(Actor(name: "x", roles: ["cm"]), at: Fixtures.start) }
        }
        #expect(throws: StoreError.self) { try harness.store.read { tx in try tx.nextTicketNumber(prefix: "GAP", year: 2026) } }
        #expect(try harness.export() == before)
    }

    @Test func readersSeeTheLastCommitWhileAWriterWorks() throws {
        let harness = try Harness(.memory)
        let id = try harness.open()
        try harness.store.write { tx throws in
            try tx.insertNotice(id: "n1", ticket: id, kind: "k", role: "cm", payload: "{}", at: Fixtures.start)
            #expect(try harness.store.read { reader in try reader.notices(limit: 10) }.isEmpty)
        }
        #expect(try harness.store.read { reader in try reader.notices(limit: 10) }.map(\.id) == ["n1"])
    }

    @Test func aBackupIsAnExportThatImportsIntoSQLite() throws {
        let harness = try Harness(.memory)
        try Script.lifecycle(harness)
        let path = harness.folder.path("backup.jsonl")
        try harness.store.backup(to: path)
        let text = try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.last == "")
        #expect(Array(lines.dropLast()) == (try harness.export()))

        let restored = try Harness(.sqlite, at: harness.clock.now(), empty: true)
        try restored.engine.importLines(lines)
        #expect(try restored.export() == harness.export())
    }
}
