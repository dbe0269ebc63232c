import Foundation
import GapFlow

/// `gapflow-bench export`: `gapflow export` of a large database as a whole process, its time against reading the same
/// rows with plain SQLite in the same run, and its peak memory (which must stay flat in the number of tickets).
enum ExportBench {
    static func run(_ options: Options) throws {
        let folder = options.directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if options.directory == nil { try? FileManager.default.removeItem(at: folder) } }
        let log = { (text: String) in FileHandle.standardError.write(Data((text + "\n").utf8)) }
        let database = folder.appendingPathComponent("export.sqlite").path
        log("populating \(options.pending) tickets, each with a history entry and a timer …")
        try populate(database, workflow: options.workflow, pending: options.pending, due: 0)
        try addHistory(database, tickets: options.pending)

        log("baseline: reading every exported row with plain SQLite …")
        let raw = try RawSQLite(path: database)
        var rows = 0
        let baseline = try seconds {
            for table in ExportFormat.tables { rows += try raw.count("SELECT * FROM \(table)") }
        }

        log("gapflow export as a process …")
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.deletingLastPathComponent()
            .appendingPathComponent("gapflow")
        let output = folder.appendingPathComponent("export.jsonl").path
        let process = Process()
        process.executableURL = executable
        process.arguments = ["export", "--format", "jsonl", "--out", output, "--db", database]
        process.standardOutput = FileHandle.nullDevice
        let elapsed = try seconds {
            try process.run()
            process.waitUntilExit()
        }
        guard process.terminationStatus == 0 else { throw RawSQLite.Failure(description: "gapflow export failed") }
        var usage = rusage()
        getrusage(Int32(RUSAGE_CHILDREN.rawValue), &usage)
        let peakMiB = Double(usage.ru_maxrss) / 1024
        let size = (try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        print(
            """
            | figure | value |
            |---|---|
            | `gapflow export --format jsonl --out FILE`, \(options.pending) tickets (\(rows) rows, \(size / 1_048_576) MiB written) | \(String(format: "%.1f", elapsed)) s, peak \(String(format: "%.0f", peakMiB)) MiB resident |
            | baseline: plain SQLite reading the same \(rows) rows | \(String(format: "%.2f", baseline)) s |
            | **export time ÷ baseline** | **\(String(format: "%.1f", elapsed / max(baseline, 1e-9)))×** (peak memory target < 100 MiB) |
            """)
    }

    /// One `open` history entry per ticket, chained as GapFlow chains them, so the export carries the history too.
    static func addHistory(_ path: String, tickets: Int) throws {
        let raw = try RawSQLite(path: path)
        try raw.execute("PRAGMA synchronous=OFF; BEGIN")
        let at = Date()
        for index in 0..<tickets {
            let id = "GAP-2026-\(String(index + 1).leftPadded(to: 7))"
            let entry = HistoryEntry(
                revision: 1, at: at, actor: "bench", role: "cm", event: "open", from: nil, to: "reported",
                changes: [FieldChange(field: "title", old: nil, new: .text("Lücke"))], comment: nil)
            let chained = ChainedEntry.linking(entry, ticket: id, after: nil)
            try raw.run(
                """
                INSERT INTO history(ticket_id, revision, at, actor, role, event, to_state, changes, content_digest, chain_hash)
                VALUES(?,?,?,?,?,?,?,?,?,?)
                """,
                [
                    id, 1, Timestamp.iso8601(at), "bench", "cm", "open", "reported", chained.changesJSON, chained.contentDigest ?? "",
                    chained.chainHash ?? "",
                ])
            try raw.run("UPDATE tickets SET history_head = ? WHERE id = ?", [chained.chainHash ?? "", id])
        }
        try raw.execute("COMMIT; PRAGMA wal_checkpoint(TRUNCATE)")
    }
}
