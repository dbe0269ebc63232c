import Dispatch
import Foundation
import Synchronization
import Testing

@testable import GapFlow
@testable import GapFlowCLI
@testable import GapFlowPostgres

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Several `gapflow` processes on one PostgreSQL database, as on several machines: three timer services and two web
/// servers, due timers and concurrent event POSTs, and one timer service killed with SIGKILL in the middle.
///
/// Scaled for the test suite (240 timers and 80 POSTs, some seconds); `GAPFLOW_MULTINODE_SCALE=full` runs the issue's
/// scale (10,000 due timers and 1,000 POSTs), as recorded in Benchmarks.md.
@Suite(.enabled(if: PostgresServer.uri != nil, "no PostgreSQL test server"))
struct MultiNodeTests {
    static let full = ProcessInfo.processInfo.environment["GAPFLOW_MULTINODE_SCALE"] == "full"
    static let dueTickets = full ? 5_000 : 120
    static let postedTickets = full ? 1_000 : 80

    /// `@unchecked Sendable`: its properties are constants, and `Process` may be asked and signalled from any thread.
    final class Node: @unchecked Sendable {
        let process = Process()
        let log: URL

        init(_ arguments: [String], log: URL) throws {
            self.log = log
            let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gapflow")
            try #require(FileManager.default.isExecutableFile(atPath: binary.path), "no gapflow executable at \(binary.path)")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.executableURL = binary
            process.arguments = arguments
            process.currentDirectoryURL = Shell.repository
            process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "GAPFLOW_DB" }
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
        }

        var text: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        /// Waits (at most `seconds`) until the log holds a line for which `match` is true, and returns it.
        func waitForLine(_ seconds: Double, _ match: (Substring) -> Bool) -> Substring? {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let line = text.split(separator: "\n").first(where: match) { return line }
                if !process.isRunning { return nil }
                _ = poll(nil, 0, 10)
            }
            return nil
        }
    }

    @Test func threeTimerServicesAndTwoServersLoseNothingWhenOneIsKilled() throws {
        let (uri, drop) = try PostgresServer.schema()
        defer { drop() }
        let shell = Shell()
        shell.variables["GAPFLOW_DB"] = uri
        try shell.prepareKIM()
        let token = shell.run("actor", "token", "koordination").output.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(token.count == 64)

        // Tickets reported two months ago: their reminder and escalation are overdue; and tickets reported now.
        shell.clock.set(Date().addingTimeInterval(-60 * 86_400))
        for index in 0..<Self.dueTickets { _ = try shell.openGap(title: "Überfällig \(index)") }
        shell.clock.set(Date())
        let posted = try (0..<Self.postedTickets).map { index in try shell.openGap(title: "Neu \(index)") }
        let engine = Engine(store: try PostgresStore(connectionString: uri), clock: SystemClock())
        let due = try engine.pendingTimers(dueBy: Date(), limit: 100_000)
        #expect(due.count == 2 * Self.dueTickets)

        let folder = shell.folder
        let servers = try (0..<2).map { index in
            try Node(["serve", "--listen", "127.0.0.1:0", "--db", uri], log: folder.appendingPathComponent("serve-\(index).log"))
        }
        let runners = try (0..<3).map { index in
            try Node(["run", "--recheck", "1", "--db", uri], log: folder.appendingPathComponent("run-\(index).log"))
        }
        defer { for node in servers + runners where node.process.isRunning { kill(node.process.processIdentifier, SIGKILL) } }
        let addresses = try servers.map { server in
            let line = try #require(server.waitForLine(60) { $0.contains(" serving ") }, "the server did not start: \(server.text)")
            return String(try #require(line.split(separator: " ").last))
        }

        // The POSTs go to both servers at once while the timer services fire; one of these is killed meanwhile.
        let acknowledged = Mutex<[String: Int]>([:])
        let refused = Mutex<[String]>([])
        let killer = DispatchQueue(label: "killer")
        killer.async {
            _ = runners[0].waitForLine(30) { $0.contains(": fired ") || $0.contains(": notified ") }
            kill(runners[0].process.processIdentifier, SIGKILL)
        }
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for (index, ticket) in posted.enumerated() where index % 8 == worker {
                let url = URL(string: addresses[index % 2] + "api/tickets/\(ticket)/events/forward")
                guard let url else { continue }
                var request = URLRequest(url: url)
                request.httpMethod = "POST"
                request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(#"{"revision": 1, "fields": {"legal_domains": "SGB II"}}"#.utf8)
                let done = DispatchSemaphore(value: 0)
                URLSession.shared.dataTask(with: request) { data, response, _ in
                    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                    let body = data.flatMap { try? JSONParser.parse(String(decoding: $0, as: UTF8.self)) }
                    if status == 200, let revision = body?["revision"]?.integer {
                        acknowledged.withLock { $0[ticket] = revision }
                    } else {
                        refused.withLock { $0.append("\(ticket): \(status) \(data.map { String(decoding: $0, as: UTF8.self) } ?? "")") }
                    }
                    done.signal()
                }.resume()
                done.wait()
            }
        }
        killer.sync {}
        runners[0].process.waitUntilExit()
        #expect(runners[0].process.terminationReason == .uncaughtSignal)

        // The two timer services left take over what the killed one had not finished.
        let deadline = Date().addingTimeInterval(Self.full ? 900 : 60)
        while try !engine.pendingTimers(dueBy: Date(), limit: 1).isEmpty, Date() < deadline { _ = poll(nil, 0, 50) }
        #expect(try engine.pendingTimers(dueBy: Date(), limit: 10).isEmpty, "every due timer was handled")
        for node in servers + runners.dropFirst() {
            kill(node.process.processIdentifier, SIGTERM)
            node.process.waitUntilExit()
            #expect(node.process.terminationStatus == 0, "\(node.text)")
        }

        // Every POST was acknowledged (no node serving them died), and every acknowledged event is in its history.
        let refusals = refused.withLock { $0 }
        #expect(refusals.isEmpty, "\(refusals.count) refused, the first: \(refusals.first ?? "")")
        #expect(acknowledged.withLock { $0.count } == Self.postedTickets)
        for (ticket, revision) in acknowledged.withLock({ $0 }) {
            let entry = try engine.history(ticket).first { $0.revision == revision }
            #expect(entry?.event == "forward" && entry?.actor == "koordination", "\(ticket) lost its acknowledged event")
        }
        // Each due timer was handled once: once in the timer table, at most once in the logs of all nodes together.
        for timer in due {
            let now = try engine.timers(of: timer.ticketID).first { $0.id == timer.id }
            #expect(now?.status != .pending && now?.doneAt != nil, "timer \(timer.id)")
        }
        var seen: [String: Int] = [:]
        var perNode: [Int] = []
        for runner in runners {
            let lines = runner.text.split(separator: "\n").filter { $0.contains(": fired ") || $0.contains(": notified ") }
            perNode.append(lines.count)
            for line in lines {
                let key = line.split(separator: " ").dropFirst().prefix(2).joined(separator: " ")
                seen[key, default: 0] += 1
            }
        }
        #expect(perNode.allSatisfy { $0 > 0 }, "every node fired some (the killed one before it died): \(perNode)")
        #expect(seen.values.allSatisfy { $0 == 1 }, "a timer fired twice: \(seen.filter { $0.value > 1 })")
        #expect(!seen.isEmpty && seen.count <= due.count)
        // Nothing applied twice: every ticket is the replay of its gapless history, and every chain verifies.
        for ticket in try engine.tickets() {
            let history = try engine.history(ticket.id)
            #expect(history.map(\.revision) == Array(1...history.count), "\(ticket.id)")
            let replay = Step.replay(history)
            #expect(replay?.state == ticket.state && replay?.fields == ticket.fields, "\(ticket.id)")
        }
        let audit = shell.run("audit", "verify")
        #expect(audit.status == 0, "\(audit.output)\(audit.errors)")
    }
}
