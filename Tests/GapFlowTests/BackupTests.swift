import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowSQLite

@Suite struct BackupTests {
    @Test func aBackupTakenWhileAnotherWriterWorksIsConsistent() async throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder)
        var ids: [String] = []
        for _ in 0..<5 {
            let id = try engine.open(
                workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues)
            ).ticket.id
            try engine.fire(id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
            try engine.fire(id, Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Vorschlag")]))
            ids.append(id)
        }
        let path = folder.path("test.sqlite")
        let writer = Task {
            let other = Engine(store: try SQLiteStore(path: path), clock: ManualClock(Fixtures.start))
            for round in 0..<60 {
                try other.fire(
                    ids[round % ids.count],
                    .decided("defer", by: Fixtures.office, values: ["decision_note": .text("r\(round)")], resolution: "U-\(round)"))
            }
        }
        var copies: [String] = []
        for index in 0..<3 {
            let copy = folder.path("backup-\(index).sqlite")
            try engine.store.backup(to: copy)
            copies.append(copy)
        }
        try await writer.value
        for copy in copies {
            let restored = Engine(store: try SQLiteStore(path: copy, mode: .readOnly), clock: ManualClock(Fixtures.start))
            #expect(try restored.verifyHistory().findings.isEmpty)
            for id in ids {
                let ticket = try restored.ticket(id)
                #expect(Step.replay(try restored.history(id))?.revision == ticket.revision)
            }
        }
        #expect(throws: StoreError.self) { try engine.store.backup(to: copies[0]) }
    }
}
