import Foundation
import GapFlow
import Testing

/// Revisions are gapless, the history only grows outside a purge, and its hash chain is the same in every store.
@Suite struct HistoryConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func revisionsCountTheHistoryWithoutGaps(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let ids = try Script.lifecycle(harness)
        try harness.store.read { tx throws in
            for id in ids {
                let ticket = try #require(try tx.ticket(id))
                let revisions = try tx.history(of: id).map(\.revision)
                #expect(revisions == Array(1...ticket.revision), "\(id)")
                #expect(try tx.chainedHistory(of: id).map(\.entry.revision) == revisions)
            }
            #expect(try tx.history(of: ids[0]).count > 3, "the script moved the ticket along")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theHistoryIsAppendOnlyOutsideAPurge(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let id = try harness.open()
        try harness.engine.fire(
            id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")], comment: "weiter")
        )
        let before = try harness.store.read { tx in try tx.chainedHistory(of: id) }
        let head = try harness.store.read { tx in try tx.historyHead(of: id) }
        #expect(before.count == 2)

        #expect(throws: (any Error).self, "rewriting outside a purge") {
            try harness.store.write { tx in try tx.rewriteHistory(ticket: id, revision: 2, changes: [], comment: nil) }
        }
        let again = HistoryEntry(
            revision: 2, at: harness.clock.now(), actor: "x", role: "cm", event: "forward", from: "reported", to: "ki_review", changes: [],
            comment: "zweimal")
        #expect(throws: (any Error).self, "appending a revision that exists") {
            try harness.store.write { tx in try tx.appendHistory(.linking(again, ticket: id, after: head), ticket: id) }
        }
        #expect(try harness.store.read { tx in try tx.chainedHistory(of: id) } == before)
        #expect(try harness.store.read { tx in try tx.historyHead(of: id) } == head)

        try harness.store.write { tx throws in
            try tx.beginPurge()
            try tx.rewriteHistory(ticket: id, revision: 2, changes: [], comment: nil)
            try tx.endPurge()
            #expect(throws: (any Error).self, "the purge ended") {
                try tx.rewriteHistory(ticket: id, revision: 1, changes: [], comment: "nachher")
            }
        }
        let after = try harness.store.read { tx in try tx.chainedHistory(of: id) }
        #expect(after.map(\.purged) == [false, true])
        #expect(after[1].entry.comment == nil && after[1].changesJSON == "[]")
        #expect(after[1].chainHash == before[1].chainHash && after[1].contentDigest == before[1].contentDigest)
        #expect(after[0] == before[0])
        #expect(throws: (any Error).self, "a purge ends with its transaction") {
            try harness.store.write { tx in try tx.rewriteHistory(ticket: id, revision: 1, changes: [], comment: "später") }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theChainVerifiesAfterALifecycleAndShowsAnEditThroughThePort(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let ids = try Script.lifecycle(harness)
        let report = try harness.engine.verifyHistory()
        #expect(report.findings.isEmpty)
        #expect(report.tickets == 3)
        #expect(report.entries == (try ids.map { try harness.engine.ticket($0).revision }.reduce(0, +)))
        #expect(try harness.engine.history(ids[1]).last?.event == Engine.purgeEvent, "the script purged a ticket")

        // Free text removed without a purge entry after it is found.
        try harness.store.write { tx throws in
            try tx.beginPurge()
            try tx.rewriteHistory(ticket: ids[2], revision: 1, changes: [], comment: nil)
            try tx.endPurge()
        }
        #expect(try harness.engine.verifyHistory().findings.map(\.ticket) == [ids[2]])
    }

    /// Entries written before per-value digests (format 1) verify as they always did beside new ones (format 2),
    /// and an edit of either is found.
    @Test(arguments: StoreKind.allCases)
    func entriesOfBothChainFormatsVerifyAndAnEditOfEitherIsFound(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let id = try harness.open()
        // Entry 2 as GapFlow wrote entries before format 2: one digest over the changes and comment as text.
        try harness.store.write { tx throws in
            let entry = HistoryEntry(
                revision: 2, at: harness.clock.now(), actor: "koordination", role: "cm_coordination", event: "request_info",
                from: "reported", to: "clarification", changes: [FieldChange(field: "query", new: .text("Wie viele?"))], comment: "alt")
            let changes = StoredJSON.encode(entry.changes)
            let digest = HistoryChain.contentDigest(changes: changes, comment: entry.comment)
            let link = HistoryChain.link(
                previous: try #require(try tx.historyHead(of: id)), ticket: id, entry: entry, contentDigest: digest)
            try tx.appendHistory(ChainedEntry(entry: entry, changesJSON: changes, contentDigest: digest, chainHash: link), ticket: id)
            let ticket = try #require(try tx.ticket(id))
            var fields = ticket.fields
            fields["query"] = .text("Wie viele?")
            try tx.updateTicket(
                Ticket(
                    id: id, workflowID: ticket.workflowID, version: ticket.version, state: "clarification", revision: 2, fields: fields,
                    openedAt: ticket.openedAt, openedBy: ticket.openedBy, updatedAt: entry.at), expectedRevision: 1)
        }
        try harness.engine.fire(id, Command(.fire(event: "resubmit"), actor: Fixtures.caseManager, comment: "neu"))
        let chain = try harness.store.read { tx in try tx.chainedHistory(of: id) }
        #expect(chain.map(\.format) == [HistoryChain.perValue, HistoryChain.wholeContent, HistoryChain.perValue])
        #expect(try harness.engine.verifyHistory().verifies)

        for revision in [2, 3] {
            let copy = try Harness(kind, empty: true)
            try copy.engine.importLines(try harness.export())
            try copy.store.write { tx throws in
                try tx.beginPurge()
                try tx.redactHistory(ticket: id, revision: revision, changes: [], comment: "geändert", redactedDigests: [:])
                try tx.endPurge()
            }
            #expect(
                try copy.engine.verifyHistory().findings.map { "\($0.revision): \($0.problem)" } == [
                    "\(revision): the entry's content was changed"
                ])
        }
    }

    @Test func theSameCommandsAtTheSameTimesGiveTheSameChainAndRowsInEveryStore() throws {
        var chains: [StoreKind: [[String?]]] = [:]
        var exports: [StoreKind: [String]] = [:]
        for kind in StoreKind.allCases {
            let harness = try Harness(kind)
            let ids = try Script.lifecycle(harness)
            chains[kind] = try harness.store.read { tx in try ids.map { try tx.chainedHistory(of: $0).map(\.chainHash) } }
            // Every store has an identity of its own (random); everything else is the same.
            exports[kind] = try harness.export().filter { !$0.hasPrefix("{\"table\":\"store_identity\"") }
        }
        let memory = try #require(chains[.memory])
        #expect(memory.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 != nil } })
        #expect(memory == chains[.sqlite])
        #expect(exports[.memory] == exports[.sqlite])
    }
}
