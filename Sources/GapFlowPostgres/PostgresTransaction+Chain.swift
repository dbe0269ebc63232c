import Foundation
import GapFlow

extension PostgresTransaction {
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
}
