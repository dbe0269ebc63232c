import Foundation
import GapFlow

extension SQLiteTransaction {
    func chainedHistory(of ticket: String) throws(StoreError) -> [ChainedEntry] {
        let rows = try connection.query(
            """
            SELECT revision, changes, content_digest, chain_hash, chain_backfilled, purged, chain_format, redacted_digests
            FROM history WHERE ticket_id = ? ORDER BY revision
            """,
            [.text(ticket)])
        let entries = try history(of: ticket)
        var result: [ChainedEntry] = []
        for (row, entry) in zip(rows, entries) {
            guard let redacted = ValuePlace.decode(row[7].text) else {
                throw StoreError.damaged(path: path, what: "redacted digests of \(ticket) revision \(entry.revision)")
            }
            result.append(
                ChainedEntry(
                    entry: entry, changesJSON: row[1].text ?? "", contentDigest: row[2].text, chainHash: row[3].text,
                    backfilled: row[4].integer == 1, purged: row[5].integer == 1, format: row[6].integer ?? HistoryChain.wholeContent,
                    redactedDigests: redacted))
        }
        return result
    }

    func historyHead(of ticket: String) throws(StoreError) -> String? {
        try connection.query("SELECT history_head FROM tickets WHERE id = ?", [.text(ticket)]).first?.first?.text
    }

    func ticketIDs() throws(StoreError) -> [String] {
        try connection.query("SELECT id FROM tickets ORDER BY opened_at, id").compactMap { $0[0].text }
    }

    /// Computes the chain for entries written before the chain existed, marking them as computed afterwards.
    func backfillChains() throws(StoreError) -> Int {
        let tickets = try connection.query("SELECT DISTINCT ticket_id FROM history WHERE chain_hash IS NULL").compactMap { $0[0].text }
        guard !tickets.isEmpty else { return 0 }
        try beginPurge()  // the only way past the append-only trigger, inside this transaction
        var count = 0
        for ticket in tickets {
            var previous = HistoryChain.genesis
            for chained in try chainedHistory(of: ticket) {
                let digest =
                    chained.contentDigest ?? HistoryChain.contentDigest(changes: chained.changesJSON, comment: chained.entry.comment)
                let link = HistoryChain.link(previous: previous, ticket: ticket, entry: chained.entry, contentDigest: digest)
                if chained.chainHash == nil {
                    try connection.query(
                        "UPDATE history SET content_digest = ?, chain_hash = ?, chain_backfilled = 1 WHERE ticket_id = ? AND revision = ?",
                        [.text(digest), .text(link), .text(ticket), .integer(chained.entry.revision)])
                    count += 1
                }
                previous = chained.chainHash ?? link
            }
            try connection.query("UPDATE tickets SET history_head = ? WHERE id = ?", [.text(previous), .text(ticket)])
        }
        try endPurge()
        return count
    }
}
