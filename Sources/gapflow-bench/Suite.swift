import Foundation
import GapFlow
import GapFlowSQLite

/// The engine's figures against raw SQLite on the same file system, in one run.
enum Suite {
    static func log(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    /// N tickets through the whole KIM lifecycle, one command per transaction, synchronous=FULL.
    static func lifecycle(_ path: String, workflow: String, tickets: Int) throws -> (commands: Int, seconds: Double) {
        try? FileManager.default.removeItem(atPath: path)
        let engine = Engine(store: try SQLiteStore(path: path, mode: .create))
        try engine.register(source: Array(try Data(contentsOf: URL(fileURLWithPath: workflow))), file: workflow)
        let actor = Actor(name: "bench", roles: ["cm_coordination", "ki_lead", "steering_office", "project_group"])
        try engine.saveActor(actor)
        let due = LocalDate(Date(), in: .berlin).adding(days: 90).iso8601
        let steps: [(String, [String: FieldInput])] = [
            ("forward", ["legal_domains": .text("SGB II")]), ("table", ["proposal": .text("Vorschlag")]),
            ("mandate", ["project_group": .text("PG"), "mandate": .text("Auftrag"), "due_date": .text(due), "decision_note": .text("B")]),
            ("submit_solution", ["solution": .text("Lösung")]), ("approve", ["decision_note": .text("beschlossen")]),
            ("publish", ["feedback": .text("Ergebnis für die Fallarbeit")]),
        ]
        var commands = 0
        let elapsed = try seconds {
            for index in 0..<tickets {
                let values: [String: FieldInput] = [
                    "title": .text("Lücke \(index)"), "description": .text("Strukturell"), "municipality": .text("Siegburg"),
                ]
                let id = try engine.open(workflow: "systemic-gap-escalation", Command(.open, actor: actor, values: values)).ticket.id
                commands += 1
                for (event, values) in steps {
                    var command = Command(.fire(event: event), actor: actor, values: values)
                    // The board's decisions are recorded with a resolution number (here: one in writing).
                    if ["mandate", "approve"].contains(event) { command.decision = DecisionRecord(resolution: "U-\(index)-\(event)") }
                    try engine.fire(id, command)
                    commands += 1
                }
            }
        }
        return (commands, elapsed)
    }

    /// 10,000 decisions in one transaction.
    static func decisionBatch(_ path: String, workflow: String, count: Int) throws -> Double {
        try populate(path, workflow: workflow, pending: 0, due: 0, withTimers: false)
        try addAgendaItems(path, count: count)
        let engine = Engine(store: try SQLiteStore(path: path))
        let actor = Actor(name: "office", roles: ["steering_office"])
        try engine.saveActor(actor)
        let tickets = try engine.tickets(TicketFilter(states: ["awaiting_steering"]))
        let decisions = tickets.enumerated().map { index, ticket in
            Decision(
                entry: index + 1, ticket: ticket.id, event: "defer", values: ["decision_note": .text("vertagt")], comment: nil,
                resolution: nil)
        }
        return try seconds { _ = try engine.applyDecisions(decisions, meeting: nil, actor: actor, check: false) }
    }

    /// The same number of rows inserted raw in one transaction.
    static func bulkInsert(_ path: String, count: Int) throws -> Double {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let raw = try RawSQLite(path: path)
        try raw.execute(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE decisions(id INTEGER PRIMARY KEY, ticket TEXT, note TEXT)")
        return try seconds {
            try raw.execute("BEGIN IMMEDIATE")
            for index in 0..<count { try raw.run("INSERT INTO decisions(ticket, note) VALUES(?, ?)", ["GAP-\(index)", "vertagt"]) }
            try raw.execute("COMMIT")
        }
    }

    /// A generated workflow of `states` states in a chain, each with a transition onward and one back.
    static func generated(states: Int) -> [UInt8] {
        var text = #"{"id": "gen", "version": 1, "title": "Generiert", "ticketPrefix": "GEN", "roles": {"clerk": "Clerk"},"#
        text += #""fields": {"title": {"type": "text", "title": "Titel"}}, "initial": {"state": "s0", "roles": ["clerk"]}, "states": {"#
        text += (0..<states).map { #""s\#($0)": {"title": "Stufe \#($0)", "owner": "clerk"}"# }.joined(separator: ",")
        text += #", "done": {"title": "Fertig", "final": true}}, "transitions": ["#
        var transitions: [String] = []
        for index in 0..<states {
            let next = index + 1 < states ? "s\(index + 1)" : "done"
            transitions.append(#"{"event": "next", "title": "Weiter", "from": "s\#(index)", "to": "\#(next)", "roles": ["clerk"]}"#)
            if index > 0 {
                transitions.append(
                    #"{"event": "back", "title": "Zurück", "from": "s\#(index)", "to": "s\#(index - 1)", "roles": ["clerk"]}"#)
            }
        }
        return Array((text + transitions.joined(separator: ",") + "]}").utf8)
    }

    static func run(_ options: Options) throws {
        let folder = options.directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-suite-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if options.directory == nil { try? FileManager.default.removeItem(at: folder) } }
        log("lifecycle: \(options.items) tickets × 7 commands …")
        let lifecycle = try lifecycle(
            folder.appendingPathComponent("lifecycle.sqlite").path, workflow: options.workflow, tickets: options.items)
        let rawRate = try baselineCommits(folder.appendingPathComponent("raw.sqlite").path, count: lifecycle.commands)
        let rate = Double(lifecycle.commands) / lifecycle.seconds
        log("decision batch: 10,000 …")
        let batch = try decisionBatch(folder.appendingPathComponent("batch.sqlite").path, workflow: options.workflow, count: 10_000)
        let bulk = try bulkInsert(folder.appendingPathComponent("bulk.sqlite").path, count: 10_000)
        log("parse + validate …")
        let kim = Array(try Data(contentsOf: URL(fileURLWithPath: options.workflow)))
        var parses: [(String, Double)] = []
        func time(_ name: String, _ source: [UInt8], repeats: Int) throws {
            var valid = false
            let elapsed = seconds { for _ in 0..<repeats { valid = DefinitionLoader.load(source: source, file: name).definition != nil } }
            guard valid else { throw RawSQLite.Failure(description: "\(name) did not validate") }
            parses.append((name, elapsed / Double(repeats)))
        }
        try time("KIM file (\(kim.count / 1024) KiB)", kim, repeats: 50)
        for states in [100, 1000, 10_000] { try time("\(states) states", generated(states: states), repeats: states >= 10_000 ? 1 : 5) }
        let memory = Memory.resident()
        if options.json {
            print(
                JSONValue.object([
                    ("lifecycleCommands", .integer(lifecycle.commands)), ("lifecycleCommandsPerSecond", .integer(Int(rate))),
                    ("rawCommitsPerSecond", .integer(Int(rawRate))), ("lifecycleRatio", .string(String(format: "%.2f", rate / rawRate))),
                    ("decisionBatchSeconds", .string(String(format: "%.3f", batch))),
                    ("bulkInsertSeconds", .string(String(format: "%.3f", bulk))),
                    ("decisionRatio", .string(String(format: "%.2f", bulk / batch))),
                    ("parseMilliseconds", .object(parses.map { ($0.0, .string(String(format: "%.2f", $0.1 * 1000))) })),
                    ("peakKiB", .integer(memory.peak)),
                ]).pretty)
            return
        }
        print(
            """
            | figure | value | baseline, same run | ratio (target) |
            |---|---|---|---|
            | durable transitions: \(options.items) tickets × 7 commands, one transaction each, synchronous=FULL | \(Int(rate)) commands/s | \(Int(rawRate)) raw single-row commits/s | **\(String(format: "%.2f", rate / rawRate))×** (≥ 0.8×) |
            | 10,000 decisions in one transaction | \(String(format: "%.3f", batch)) s | raw insert of 10,000 rows in one transaction: \(String(format: "%.3f", bulk)) s | **\(String(format: "%.2f", bulk / batch))×** (≥ 0.5×) |
            """)
        for (name, elapsed) in parses { print("| parse + validate: \(name) | \(String(format: "%.2f", elapsed * 1000)) ms | | |") }
        print("| peak memory of this process | \(memory.peak / 1024) MiB | | |")
    }
}
