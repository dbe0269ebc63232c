import Foundation
import GapFlow
import Testing

/// The admin log, the database's identity and removing actors behave alike in every store, and checkpoints travel
/// with an export from one store into another.
@Suite struct AdminLogConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func everyAccountChangeIsLoggedInOneVerifiableChain(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let engine = harness.engine
        harness.clock.advance(by: 60)
        try engine.changeRoles(of: "koordination", adding: ["ki_lead"], removing: [], by: Fixtures.admin)
        try engine.saveActor(Actor(name: "koordination", roles: ["ki_lead"], municipality: "Siegburg"), by: Fixtures.admin)
        try engine.saveActor(Actor(name: "koordination", roles: ["ki_lead"], municipality: "Siegburg"), by: Fixtures.admin)  // no change
        try engine.removeActor(named: "pg.sprache", by: Fixtures.admin)
        try engine.recordAdminEvent(kind: "login.failed", actor: nil, subject: "koordination", details: [("from", .string("192.0.2.1"))])

        let log = try engine.adminLog()
        #expect(log.map(\.sequence) == Array(1...log.count))
        #expect(log.prefix(6).allSatisfy { $0.kind == AdminLogKind.actorAdded }, "the harness registers six actors")
        let changes = log.dropFirst(6).map { "\($0.kind) \($0.actor ?? "-") \($0.subject ?? "-") \($0.details)" }
        #expect(
            changes == [
                #"actor.changed admin koordination {"roles":{"old":["cm_coordination"],"new":["cm_coordination","ki_lead"]}}"#,
                #"actor.changed admin koordination {"roles":{"old":["cm_coordination","ki_lead"],"new":["ki_lead"]},"scope":{"old":[],"new":["Siegburg"]}}"#,
                #"actor.removed admin pg.sprache {"roles":["project_group"],"scope":[]}"#,
                #"login.failed - koordination {"from":"192.0.2.1"}"#,
            ])
        let report = try engine.verifyHistory()
        #expect(report.verifies && report.adminLogEntries == 10)
        #expect(try engine.actors().map(\.name).contains("pg.sprache") == false)
    }

    @Test(arguments: StoreKind.allCases)
    func removingAnActorKeepsTheHistoryThatNamesIt(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let ids = try Script.lifecycle(harness)
        let before = try harness.engine.history(ids[0])
        #expect(before.contains { $0.actor == "koordination" })
        try harness.engine.saveActor(Actor(name: "koordination.neu", roles: ["cm_coordination"]), by: Fixtures.admin)
        try harness.engine.removeActor(named: "koordination", by: Fixtures.admin)
        #expect(try harness.engine.history(ids[0]) == before)
        #expect(try harness.engine.verifyHistory().verifies)
        #expect(throws: EngineError.unknownActor("koordination")) { try harness.engine.actor(named: "koordination") }
        // The copy of a store with a removed actor imports and verifies as well.
        let copy = try Harness(kind == .memory ? .sqlite : .memory, at: harness.clock.now(), empty: true)
        try copy.engine.importLines(try harness.export())
        #expect(try copy.engine.history(ids[0]) == before)
    }

    @Test(arguments: StoreKind.allCases)
    func onlyAnAdminChangesActorsAndTheLastAdminStays(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let engine = harness.engine
        let before = try engine.adminLog()
        #expect(throws: EngineError.roleRequired(actor: "koordination", role: "admin", action: "remove actors")) {
            try engine.removeActor(named: "ki.leitung", by: Fixtures.coordinator)
        }
        #expect(throws: EngineError.roleRequired(actor: "an unregistered user", role: "admin", action: "change actors")) {
            try engine.changeRoles(of: "koordination", adding: ["admin"], removing: [])
        }
        #expect(throws: EngineError.lastAdmin(actor: "admin")) { try engine.removeActor(named: "admin", by: Fixtures.admin) }
        #expect(throws: EngineError.lastAdmin(actor: "admin")) {
            try engine.changeRoles(of: "admin", adding: ["cm_coordination"], removing: ["admin"], by: Fixtures.admin)
        }
        #expect(throws: EngineError.lastAdmin(actor: "admin")) {
            try engine.saveActor(Actor(name: "admin", roles: ["cm_coordination"]), by: Fixtures.admin)
        }
        #expect(throws: EngineError.noRoles(actor: "koordination")) {
            try engine.changeRoles(of: "koordination", adding: [], removing: ["cm_coordination"], by: Fixtures.admin)
        }
        #expect(throws: EngineError.self) {
            try engine.changeRoles(of: "koordination", adding: ["pilot"], removing: [], by: Fixtures.admin)
        }
        #expect(throws: EngineError.invalidLogKind("Login Failed")) {
            try engine.recordAdminEvent(kind: "Login Failed", actor: nil, subject: nil)
        }
        #expect(try engine.adminLog() == before, "nothing refused was logged")
        // With a second admin, the first may go.
        try engine.saveActor(Actor(name: "admin2", roles: ["admin"]), by: Fixtures.admin)
        try engine.removeActor(named: "admin", by: Actor(name: "admin2", roles: ["admin"]))
        #expect(try engine.actors().filter { $0.roles.contains("admin") }.map(\.name) == ["admin2"])
    }

    @Test(arguments: StoreKind.allCases)
    func theAdminLogIsAppendOnlyThroughThePortAndFindsItsEntriesByKindAndTime(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let first = try #require(try harness.store.read { tx in try tx.lastAdminLogEntry() })
        #expect(throws: (any Error).self) { try harness.store.write { tx in try tx.appendAdminLog(first) } }
        harness.clock.advance(by: 3600)
        let early = try harness.engine.recordAdminEvent(kind: "login.failed", actor: nil, subject: "koordination")
        harness.clock.advance(by: 3600)
        let late = try harness.engine.recordAdminEvent(kind: "login.failed", actor: nil, subject: "ki.leitung")
        let latest = { (date: Date) in try harness.store.read { tx in try tx.latestAdminLogEntry(kind: "login.failed", atOrBefore: date) } }
        #expect(try latest(harness.clock.now()) == late)
        #expect(try latest(Fixtures.start.addingTimeInterval(5400)) == early)
        #expect(try latest(Fixtures.start) == nil)
        var visited: [Int] = []
        try harness.store.read { tx in try tx.forEachAdminLogEntry(from: 7) { visited.append($0.sequence) } }
        #expect(visited == [7, 8])
    }

    @Test(arguments: StoreKind.allCases, StoreKind.allCases)
    func anImportTakesTheIdentityAndTheAdminLogOfTheExportedDatabase(from source: StoreKind, into target: StoreKind) throws {
        let original = try Harness(source)
        try Script.lifecycle(original)
        let lines = try original.export()
        let copy = try Harness(target, at: original.clock.now(), empty: true)
        #expect(try copy.engine.storeIdentity() != original.engine.storeIdentity(), "every store is created with its own identity")
        try copy.engine.importLines(lines)
        #expect(try copy.engine.storeIdentity() == original.engine.storeIdentity())
        #expect(try copy.engine.adminLog() == original.engine.adminLog())
        // A malformed identity is refused with its line.
        let badIdentity = lines.map {
            $0.hasPrefix("{\"table\":\"store_identity\"") ? $0.replacingOccurrences(of: "\"id\":\"", with: "\"id\":\"X\\n") : $0
        }
        let refused = try Harness(target, empty: true)
        #expect(throws: ImportError.self) { try refused.engine.importLines(badIdentity) }
    }

    @Test(arguments: StoreKind.allCases, StoreKind.allCases)
    func aCheckpointOfTheOriginalVerifiesTheImportedCopy(from source: StoreKind, into target: StoreKind) throws {
        let original = try Harness(source)
        try Script.lifecycle(original)
        let key = try #require(SigningKey.generate())
        let checkpoint = try original.engine.takeCheckpoint(key: key, actor: "admin") { _ in }
        let lines = try original.export()

        let copy = try Harness(target, at: original.clock.now(), empty: true)
        #expect(try copy.engine.storeIdentity() != original.engine.storeIdentity(), "every store is created with its own identity")
        try copy.engine.importLines(lines, checkpoint: TrustedCheckpoint(checkpoint: checkpoint, key: key.publicKey, file: "c.json"))
        #expect(try copy.engine.storeIdentity() == original.engine.storeIdentity())
        #expect(try copy.engine.adminLog() == original.engine.adminLog())
        #expect(try copy.engine.verify(against: checkpoint, trustedKey: key.publicKey, file: "c.json").verifies)
    }

    @Test(arguments: StoreKind.allCases)
    func anImportThatDoesNotExtendItsCheckpointIsRefusedWhole(kind: StoreKind) throws {
        let original = try Harness(.memory)
        let ids = try Script.lifecycle(original)
        let key = try #require(SigningKey.generate())
        let checkpoint = try original.engine.takeCheckpoint(key: key, actor: "admin") { _ in }
        // The last history line of the first ticket edited, its chain recomputed by hand: the chains verify on their own.
        let lines = try original.export()
        var history: [(index: Int, row: ExportRow)] = []
        for (index, line) in lines.enumerated().dropFirst() {
            let row = try ExportFormat.row(from: line, number: index + 1)
            if row.table == "history", row["ticket_id"] == .text(ids[0]) { history.append((index, row)) }
        }
        var forged = lines
        let entries = try original.engine.store.read { tx in try tx.chainedHistory(of: ids[0]) }
        var previous = HistoryChain.genesis
        for (position, chained) in entries.enumerated() {
            var entry = chained.entry
            if position == 0 { entry = entry.withComment("Nachträglich geändert") }
            let digest = HistoryChain.contentDigest(of: entry)  // the per-value form new entries are written in
            let link = HistoryChain.link(previous: previous, ticket: ids[0], entry: entry, contentDigest: digest)
            let row = history[position].row
            forged[history[position].index] = ExportFormat.line(
                for: ExportRow(
                    table: "history",
                    columns: row.columns.map { column in
                        switch column.name {
                        case "comment": (column.name, entry.comment.map(ExportRow.Value.text) ?? .null)
                        case "content_digest": (column.name, .text(digest))
                        case "chain_hash": (column.name, .text(link))
                        default: column
                        }
                    }))
            previous = link
        }
        forged = forged.map { line in
            line.contains("\"table\":\"tickets\"") && line.contains(ids[0])
                ? line.replacingOccurrences(of: entries.last?.chainHash ?? "-", with: previous) : line
        }
        let plain = try Harness(kind, empty: true)
        try plain.engine.importLines(forged)  // nothing in the file itself shows the edit
        let target = try Harness(kind, empty: true)
        let empty = try target.export()
        do {
            try target.engine.importLines(forged, checkpoint: TrustedCheckpoint(checkpoint: checkpoint, key: key.publicKey, file: "c.json"))
            Issue.record("an export that does not extend its checkpoint was imported")
        } catch let error as ImportError {
            #expect(error.message.hasPrefix("the export does not extend the checkpoint c.json: \(ids[0]) at revision"), "\(error)")
        }
        #expect(try target.export() == empty)
    }

    @Test(arguments: StoreKind.allCases)
    func theLatestCheckpointIsFoundByTheTimeItWasTaken(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let key = try #require(SigningKey.generate())
        harness.clock.advance(by: 3600)
        let early = try harness.engine.takeCheckpoint(key: key, actor: "admin") { _ in }
        harness.clock.advance(by: 3600)
        let late = try harness.engine.takeCheckpoint(key: key, actor: "admin") { _ in }
        #expect(try harness.engine.latestCheckpoint()?.root == late.root)
        #expect(try harness.engine.latestCheckpoint(atOrBefore: Fixtures.start.addingTimeInterval(5400))?.root == early.root)
        #expect(try harness.engine.latestCheckpoint(atOrBefore: Fixtures.start) == nil)
        #expect(try harness.engine.latestCheckpoint()?.key == key.publicKey.fingerprint)
    }

}

extension HistoryEntry {
    fileprivate func withComment(_ comment: String) -> HistoryEntry {
        var entry = HistoryEntry(
            revision: revision, at: at, actor: actor, role: role, event: event, from: from, to: to, changes: changes, comment: comment)
        entry.decision = decision
        entry.account = account
        return entry
    }
}
