import Foundation
import GapFlow
import GapFlowSQLite
import Synchronization

/// `gapflow-bench group`: durable commands from 1 and from 16 threads of one process on one file (group commit,
/// issue 15), and the baseline of plain single-row commits on the same file system in the same run.
enum GroupBench {
    /// Opens `perClient` tickets from each of `clients` threads at once; commands per second.
    static func rate(_ path: String, workflow: String, clients: Int, perClient: Int) throws -> Double {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let engine = Engine(store: try SQLiteStore(path: path, mode: .create))
        try engine.register(source: Array(try Data(contentsOf: URL(fileURLWithPath: workflow))), file: workflow)
        let actor = Actor(name: "bench", roles: ["cm_coordination"])
        try engine.saveActor(actor)
        let values: [String: FieldInput] = [
            "title": .text("Lücke"), "description": .text("Strukturelle Lücke in der Beratung"), "municipality": .text("Siegburg"),
        ]
        let failures = Mutex(0)
        let elapsed = seconds {
            let done = DispatchSemaphore(value: 0)
            for _ in 0..<clients {
                Thread {
                    for _ in 0..<perClient {
                        do {
                            _ = try engine.open(workflow: "systemic-gap-escalation", Command(.open, actor: actor, values: values))
                        } catch {
                            failures.withLock { $0 += 1 }
                        }
                    }
                    done.signal()
                }.start()
            }
            for _ in 0..<clients { done.wait() }
        }
        if failures.withLock({ $0 }) > 0 { throw RawSQLite.Failure(description: "\(failures.withLock { $0 }) commands failed") }
        return Double(clients * perClient) / elapsed
    }

    static func run(_ options: Options) throws {
        let folder = options.directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if options.directory == nil { try? FileManager.default.removeItem(at: folder) } }
        let total = options.items
        let baseline = try baselineCommits(folder.appendingPathComponent("baseline.sqlite").path, count: total)
        let path = folder.appendingPathComponent("group.sqlite").path
        let one = try rate(path, workflow: options.workflow, clients: 1, perClient: total)
        let sixteen = try rate(path, workflow: options.workflow, clients: 16, perClient: total / 16)
        print(
            """
            | figure (`gapflow open`, one transaction each, WAL, synchronous=FULL) | value |
            |---|---|
            | baseline: \(total) plain single-row commits | \(Int(baseline)) commits/s |
            | 1 client: \(total) commands | \(Int(one)) commands/s = \(String(format: "%.2f", one / baseline))× the baseline |
            | 16 clients in one process: \(total / 16 * 16) commands | \(Int(sixteen)) commands/s = \(String(format: "%.2f", sixteen / baseline))× the baseline |
            | **16 clients ÷ 1 client** | **\(String(format: "%.2f", sixteen / one))×** (target ≥ 4×) |
            """)
    }
}
