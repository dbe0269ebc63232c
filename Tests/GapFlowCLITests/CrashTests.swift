import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI
@testable import GapFlowSQLite

/// Kills a workload process with SIGKILL at random moments and checks the database after every kill.
/// `samples/crash-test.sh` runs the long version (200 kills and more).
@Suite struct CrashTests {
    /// A few dozen in the test suite; `samples/crash-test.sh` sets GAPFLOW_CRASH_KILLS for the long run.
    static let kills = ProcessInfo.processInfo.environment["GAPFLOW_CRASH_KILLS"].flatMap(Int.init) ?? 24

    @Test func nothingAcknowledgedIsLostAndNothingIsAppliedTwiceAcrossKills() throws {
        let bench = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gapflow-bench")
        try #require(FileManager.default.isExecutableFile(atPath: bench.path), "no gapflow-bench executable at \(bench.path)")
        let shell = Shell()
        try shell.prepareKIM()
        let acknowledgements = shell.folder.appendingPathComponent("acks.txt").path
        var random = SeededRandom(seed: 7)
        for kill in 0..<Self.kills {
            let child = Process()
            child.executableURL = bench
            child.arguments = ["_workload", shell.databasePath, acknowledgements, String(kill + 1)]
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            // Let it work for 50–300 ms of wall time, then kill it mid-flight (the only waiting in the suite: a crash needs a running process).
            let deadline = Date().addingTimeInterval(Double(50 + random.next() % 250) / 1000)
            while Date() < deadline && child.isRunning { _ = poll(nil, 0, 5) }
            Foundation.kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            try check(shell: shell, acknowledgements: acknowledgements, after: kill)
        }
    }

    /// Eight threads of one process writing at once, so that their commands share transactions, killed again and
    /// again: every acknowledged command is there, every ticket is the replay of its gapless history.
    @Test func groupCommitsKilledMidwayLoseNothingAcknowledged() throws {
        let bench = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gapflow-bench")
        try #require(FileManager.default.isExecutableFile(atPath: bench.path), "no gapflow-bench executable at \(bench.path)")
        let shell = Shell()
        try shell.prepareKIM()
        let acknowledgements = shell.folder.appendingPathComponent("group-acks.txt").path
        #expect(FileManager.default.createFile(atPath: acknowledgements, contents: nil))
        var random = SeededRandom(seed: 13)
        for kill in 0..<Self.kills / 2 {
            let child = Process()
            child.executableURL = bench
            child.arguments = ["_concurrent_workload", shell.databasePath, acknowledgements]
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            let size = { ((try? FileManager.default.attributesOfItem(atPath: acknowledgements))?[.size] as? Int) ?? 0 }
            let before = size()
            try child.run()
            // Killed once it is writing (a loaded machine starts it slowly), 0–150 ms into its work.
            let started = Date().addingTimeInterval(30)
            while size() == before && Date() < started && child.isRunning { _ = poll(nil, 0, 5) }
            let deadline = Date().addingTimeInterval(Double(random.next() % 150) / 1000)
            while Date() < deadline && child.isRunning { _ = poll(nil, 0, 5) }
            Foundation.kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            try check(shell: shell, acknowledgements: acknowledgements, after: kill)
        }
        let acks = (try? String(contentsOfFile: acknowledgements, encoding: .utf8)) ?? ""
        #expect(acks.split(separator: "\n").count > 20, "the writers got somewhere between the kills")
    }

    /// A backlog of due timers fired in batches, killed in the middle of batches again and again: every acknowledged
    /// firing is there, no timer fired twice, and each timer's effects are there exactly when it is marked done.
    @Test func timerBatchesKilledMidwayLoseNothingAndFireNothingTwice() throws {
        let bench = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gapflow-bench")
        try #require(FileManager.default.isExecutableFile(atPath: bench.path), "no gapflow-bench executable at \(bench.path)")
        let shell = Shell()
        try shell.prepareKIM()
        let engine = Engine(store: try SQLiteStore(path: shell.databasePath), clock: SystemClock())
        let actor = Actor(name: "koordination", roles: ["cm_coordination"])
        for index in 0..<1500 {
            let values: [String: FieldInput] = [
                "title": .text("Lücke \(index)"), "description": .text("Strukturell"), "municipality": .text("Siegburg"),
            ]
            _ = try engine.open(workflow: "systemic-gap-escalation", Command(.open, actor: actor, values: values))
        }
        let acknowledgements = shell.folder.appendingPathComponent("timer-acks.txt").path
        #expect(FileManager.default.createFile(atPath: acknowledgements, contents: nil))
        var random = SeededRandom(seed: 11)
        for kill in 0..<Self.kills / 2 + 1 {
            let child = Process()
            child.executableURL = bench
            // The last run is not killed: it finishes the backlog.
            child.arguments = ["_timer_backlog", shell.databasePath, acknowledgements]
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            let size = { ((try? FileManager.default.attributesOfItem(atPath: acknowledgements))?[.size] as? Int) ?? 0 }
            let before = size()
            try child.run()
            if kill < Self.kills / 2 {
                // Killed once it is firing (a loaded machine starts it slowly), 0–100 ms after its first batch.
                let started = Date().addingTimeInterval(30)
                while size() == before && Date() < started && child.isRunning { _ = poll(nil, 0, 5) }
                let deadline = Date().addingTimeInterval(Double(random.next() % 100) / 1000)
                while Date() < deadline && child.isRunning { _ = poll(nil, 0, 5) }
                Foundation.kill(child.processIdentifier, SIGKILL)
            }
            child.waitUntilExit()
            try checkTimers(shell: shell, acknowledgements: acknowledgements, after: kill)
        }
        // Finished: 1,500 reminders and 1,500 escalations, each fired once.
        let connection = try Connection(path: shell.databasePath, readOnly: true, create: false)
        #expect(try connection.query("SELECT count(*) FROM timers WHERE status = 'fired'").first?.first?.integer == 3000)
        try check(shell: shell, acknowledgements: acknowledgements, after: Self.kills)
    }

    private func checkTimers(shell: Shell, acknowledgements: String, after kill: Int) throws {
        let connection = try Connection(path: shell.databasePath, readOnly: true, create: false)
        #expect(try connection.query("PRAGMA integrity_check").first?.first?.text == "ok", "after kill \(kill)")
        let acks = ((try? String(contentsOfFile: acknowledgements, encoding: .utf8)) ?? "").split(separator: "\n")
            .compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }
        #expect(Set(acks).count == acks.count, "after kill \(kill): a firing acknowledged twice")
        var status: [Int: String] = [:]
        for row in try connection.query("SELECT id, status FROM timers") {
            if let id = row[0].integer, let text = row[1].text { status[id] = text }
        }
        #expect(acks.allSatisfy { status[$0] == "fired" }, "after kill \(kill): an acknowledged firing is lost")
        // A fired reminder has its notice, a pending one none; a fired escalation moved its ticket.
        let mismatched = try connection.query(
            """
            SELECT count(*) FROM timers t WHERE t.timer = 'reminder' AND t.state = 'reported'
              AND (t.status = 'fired') <> EXISTS (SELECT 1 FROM outbox o WHERE o.id = t.ticket_id || '/t' || t.id || '/1')
            """)
        #expect(mismatched.first?.first?.integer == 0, "after kill \(kill): a reminder's notice without its firing, or the reverse")
        let moved = try connection.query(
            """
            SELECT count(*) FROM timers t JOIN tickets k ON k.id = t.ticket_id WHERE t.timer = 'escalation'
              AND (t.status = 'fired') <> (k.state = 'ki_review')
            """)
        #expect(moved.first?.first?.integer == 0, "after kill \(kill): an escalation's move without its firing, or the reverse")
        let doubled = try connection.query(
            "SELECT count(*) FROM (SELECT count(*) c FROM timers WHERE status = 'fired' GROUP BY ticket_id, state, timer, armed_revision HAVING c > 1)"
        )
        #expect(doubled.first?.first?.integer == 0, "after kill \(kill)")
    }

    private func check(shell: Shell, acknowledgements: String, after kill: Int) throws {
        let connection = try Connection(path: shell.databasePath, readOnly: true, create: false)
        #expect(try connection.query("PRAGMA integrity_check").first?.first?.text == "ok", "after kill \(kill)")
        let engine = Engine(store: try SQLiteStore(path: shell.databasePath), clock: SystemClock())
        // Every acknowledged revision is there.
        let acks = (try? String(contentsOfFile: acknowledgements, encoding: .utf8)) ?? ""
        var acknowledged: [String: Int] = [:]
        for line in acks.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] != "timer", let revision = Int(parts[1]) {
                acknowledged[String(parts[0])] = max(acknowledged[String(parts[0])] ?? 0, revision)
            }
        }
        for (ticket, revision) in acknowledged {
            #expect(try engine.ticket(ticket).revision >= revision, "after kill \(kill): \(ticket) lost revision \(revision)")
        }
        // Nothing applied twice, and every ticket is the replay of its history; the chains verify.
        for ticket in try engine.tickets() {
            let history = try engine.history(ticket.id)
            #expect(history.map(\.revision) == Array(1...max(1, history.count)), "after kill \(kill): \(ticket.id)")
            let replay = Step.replay(history)
            #expect(replay?.state == ticket.state && replay?.fields == ticket.fields, "after kill \(kill): \(ticket.id)")
        }
        #expect(try engine.verifyHistory().findings.isEmpty, "after kill \(kill)")
        // No timer fired twice: at most one fired row per armed timer.
        let doubled = try connection.query(
            "SELECT count(*) FROM (SELECT count(*) c FROM timers WHERE status = 'fired' GROUP BY ticket_id, state, timer, armed_revision HAVING c > 1)"
        )
        #expect(doubled.first?.first?.integer == 0, "after kill \(kill)")
    }
}
