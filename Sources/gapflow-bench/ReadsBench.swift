import Foundation
import GapFlow
import GapFlowSQLite

/// `gapflow-bench reads`: whole `gapflow` processes against a database of a million tickets (issue 15), each with
/// its wall time and peak resident memory, next to `gapflow --help` (starting the executable at all).
///
/// The fixture is built with bulk SQL (one transaction, the store's own triggers keeping its derived tables): ten
/// years of tickets spread over the KIM workflow's states and municipalities, each with its opening history entry,
/// a reminder for those in states with one (2 % of them due), and titles and descriptions drawn from a vocabulary of
/// 8,000 made-up words, so that a word is shared by a few thousand tickets, as words of real gap reports are.
enum ReadsBench {
    /// State of the ticket with number `index`, by share: 40 % waiting for triage, 25 % closed, the rest in between.
    static func state(_ index: Int) -> String {
        switch index % 100 {
        case 0..<40: "reported"
        case 40..<45: "clarification"
        case 45..<55: "ki_review"
        case 55..<60: "awaiting_steering"
        case 60..<65: "in_project_group"
        case 65..<67: "solution_review"
        case 67..<70: "feedback"
        case 70..<95: "closed"
        default: "merged"
        }
    }

    static let timedStates: Set<String> = ["reported", "clarification", "ki_review", "feedback"]

    static let municipalities = [
        "Alfter", "Bornheim", "Meckenheim", "Rheinbach", "Swisttal", "Wachtberg", "Bad Honnef", "Eitorf", "Hennef", "Königswinter",
        "Lohmar", "Much", "Neunkirchen-Seelscheid", "Ruppichteroth", "Sankt Augustin", "Siegburg", "Windeck", "Niederkassel",
        "Troisdorf",
    ]

    static let domains = ["SGB II", "SGB III", "SGB VIII", "SGB XII", "AufenthG", "AsylbLG"]

    /// 8,000 made-up words of three syllables.
    static let vocabulary: [String] = {
        let syllables = [
            "ka", "ber", "lin", "to", "mus", "del", "ra", "ven", "schu", "pla", "gro", "nik", "fel", "dor", "sa", "mi",
            "tra", "hol", "wes", "gun",
        ]
        var words: [String] = []
        for a in syllables { for b in syllables { for c in syllables { words.append(a + b + c) } } }
        return words
    }()

    static func populate(_ path: String, workflow: String, tickets: Int, now: Date) throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let engine = Engine(store: try SQLiteStore(path: path, mode: .create))
        try engine.register(source: Array(try Data(contentsOf: URL(fileURLWithPath: workflow))), file: workflow)
        try engine.saveActor(Actor(name: "bench.coordination", roles: ["cm_coordination", "ki_lead", "steering_office"]))
        try engine.saveActor(Actor(name: "bench.siegburg", roles: ["cm"], municipality: "Siegburg"))
        let raw = try RawSQLite(path: path)
        try raw.execute("PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; BEGIN")
        var random = SeededRandom(seed: 15)
        func words(_ count: Int) -> String {
            (0..<count).map { _ in vocabulary[Int(random.next() % UInt64(vocabulary.count))] }.joined(separator: " ")
        }
        let start = now.addingTimeInterval(-10 * 365 * 86_400)
        let step = 10 * 365 * 86_400 / Double(max(1, tickets))
        let nowMs = Int(now.timeIntervalSince1970 * 1000)
        for index in 0..<tickets {
            let id = "GAP-2026-\(String(index + 1).leftPadded(to: 7))"
            let state = state(index)
            let opened = Timestamp.iso8601(start.addingTimeInterval(Double(index) * step))
            let municipality = municipalities[index % municipalities.count]
            let domain = domains[index % domains.count]
            let fields =
                #"{"description":{"text":"\#(words(12))"},"legal_domains":{"choices":["\#(domain)"]},"#
                + #""municipality":{"choice":"\#(municipality)"},"title":{"text":"\#(words(3))"}}"#
            try raw.run(
                "INSERT INTO tickets(id, workflow_id, version, state, revision, fields, opened_at, opened_by, updated_at) VALUES(?,?,?,?,?,?,?,?,?)",
                [id, "systemic-gap-escalation", 1, state, 1, fields, opened, "bench", opened])
            try raw.run(
                "INSERT INTO history(ticket_id, revision, at, actor, role, event, from_state, to_state, changes) VALUES(?,?,?,?,?,?,NULL,?,?)",
                [id, 1, opened, "bench", "cm", "open", state, "[]"])
            guard timedStates.contains(state) else { continue }
            // 2 % of the reminders are due (in the last day), the others spread over the next 100 days.
            let due = index % 50 == 0 ? nowMs - 86_400_000 + index % 86_400_000 : nowMs + 3_600_000 + (index * 8_640) % 8_640_000_000
            try raw.run(
                "INSERT INTO timers(ticket_id, state, timer, armed_at, armed_revision, due_ms) VALUES(?,?,?,?,?,?)",
                [id, state, "reminder", opened, 1, due])
        }
        try raw.execute("COMMIT; PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Runs `arguments` as a child process `runs` times: the median wall time and the median CPU time (user +
    /// system) in ms, and the largest peak resident memory in KiB. The child is started by `/usr/bin/time`, which
    /// reports its peak: `ru_maxrss` of a child spawned from this process would count this process's memory, which the
    /// child shares until it starts `gapflow`.
    static func measure(_ executable: String, _ arguments: [String], runs: Int = 5) throws -> (
        milliseconds: Double, cpuMilliseconds: Double, peakKiB: Int
    ) {
        var times: [Double] = []
        var cpu: [Double] = []
        var peak = 0
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-bench-time-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: report) }
        for _ in 0..<runs {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
            process.arguments = ["-f", "%M %U %S", "-o", report, executable] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let elapsed = try seconds {
                try process.run()
                process.waitUntilExit()
            }
            guard process.terminationStatus == 0 else {
                throw RawSQLite.Failure(description: "gapflow \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
            }
            times.append(elapsed * 1000)
            let fields = ((try? String(contentsOfFile: report, encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace)
            if fields.count >= 3 {
                peak = max(peak, Int(fields[0]) ?? 0)
                cpu.append(((Double(fields[1]) ?? 0) + (Double(fields[2]) ?? 0)) * 1000)
            }
        }
        return (times.sorted()[times.count / 2], cpu.isEmpty ? 0 : cpu.sorted()[cpu.count / 2], peak)
    }

    static func run(_ options: Options) throws {
        let folder = options.directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if options.directory == nil { try? FileManager.default.removeItem(at: folder) } }
        let log = { (text: String) in FileHandle.standardError.write(Data((text + "\n").utf8)) }
        let gapflow = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.deletingLastPathComponent()
            .appendingPathComponent("gapflow").path
        guard FileManager.default.isExecutableFile(atPath: gapflow) else {
            throw RawSQLite.Failure(description: "no gapflow next to gapflow-bench: swift build -c release --product gapflow first")
        }
        let path = folder.appendingPathComponent("reads.sqlite").path
        if options.reuse && FileManager.default.fileExists(atPath: path) {
            log("reusing \(path)")
        } else {
            log("populating \(options.pending) tickets in \(path) …")
            let elapsed = try seconds { try populate(path, workflow: options.workflow, tickets: options.pending, now: Date()) }
            log(String(format: "populated in %.0f s", elapsed))
        }
        let middle = "GAP-2026-\(String(options.pending / 2 + 1).leftPadded(to: 7))"
        let commands: [(String, [String])] = [
            ("`gapflow --help` (starting the executable: the baseline)", ["--help"]),
            ("`gapflow queue --as bench.coordination` (first page of 100)", ["queue", "--as", "bench.coordination", "--db", path]),
            ("`gapflow queue --as bench.siegburg` (a municipality's case manager)", ["queue", "--as", "bench.siegburg", "--db", path]),
            ("`gapflow list` (first page of 100)", ["list", "--db", path]),
            ("`gapflow list --open --limit 100`", ["list", "--open", "--limit", "100", "--db", path]),
            (
                "`gapflow list --state reported --limit 100 --after \(middle)`",
                ["list", "--state", "reported", "--limit", "100", "--after", middle, "--db", path]
            ),
            ("`gapflow similar \(middle)`", ["similar", middle, "--db", path]),
            ("`gapflow diagram systemic-gap-escalation --counts`", ["diagram", "systemic-gap-escalation", "--counts", "--db", path]),
            ("`gapflow report`", ["report", "--db", path]),
        ]
        print(
            "| whole process, \(options.pending) tickets (median of \(options.runs)) | wall time | CPU time | peak resident | wall ÷ `--help` |"
        )
        print("|---|---|---|---|---|")
        var baseline = 0.0
        for (name, arguments) in commands {
            log("timing \(arguments.prefix(2).joined(separator: " ")) …")
            let result = try measure(gapflow, arguments, runs: options.runs)
            if baseline == 0 { baseline = result.milliseconds }
            print(
                "| \(name) | \(String(format: "%.1f", result.milliseconds)) ms | \(String(format: "%.1f", result.cpuMilliseconds)) ms | \(result.peakKiB / 1024) MiB | \(String(format: "%.1f", result.milliseconds / baseline))× |"
            )
        }
    }
}
