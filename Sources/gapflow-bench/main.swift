import Foundation
import GapFlow
import GapFlowDocuments
import GapFlowSQLite

/// gapflow-bench: figures for the README, each against a baseline measured in the same run on the same file system.
///
///     swift run -c release gapflow-bench timers [--pending 1000000] [--due 100000] [--dir DIR] [--json]
///     swift run -c release gapflow-bench export [--pending 1000000] [--dir DIR]
///     swift run -c release gapflow-bench guard
///     swift run -c release gapflow-bench web [--pending 100000]
///     swift run -c release gapflow-bench group [--items 2000]
///     swift run -c release gapflow-bench reads [--pending 1000000] [--dir DIR] [--reuse] [--runs 5]
///     swift run -c release gapflow-bench stores [--commands 2000]
///
/// It starts itself as child processes (`_startup`, `_catchup`) so that each figure's memory is that process's own.

struct Options {
    var pending = 1_000_000
    var due = 100_000
    var small = 10_000
    var directory: URL?
    var json = false
    var workflow = "Workflows/systemic-gap-escalation.json"
    var items = 500
    /// `reads`: use the database already in --dir instead of building it again.
    var reuse = false
    /// `reads`: processes per command (the median is shown).
    var runs = 5
}

/// The real clock moved by a fixed offset, so populated timers can be made due without waiting.
struct OffsetClock: WallClock {
    let offset: TimeInterval
    func now() -> Date { Date().addingTimeInterval(offset) }
}

enum Memory {
    /// Resident and peak resident memory of this process, in KiB (Linux /proc).
    static func resident() -> (current: Int, peak: Int) {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func value(_ key: String) -> Int {
            status.split(separator: "\n").first { $0.hasPrefix(key) }
                .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? 0
        }
        return (value("VmRSS:"), value("VmHWM:"))
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The moment the populated due timers fall due: one day from now.
let dueReference = Date().addingTimeInterval(86_400)

/// Creates a GapFlow database with `pending` pending timers, `due` of them due before `dueReference`.
func populate(_ path: String, workflow: String, pending: Int, due: Int, withTimers: Bool = true) throws {
    try? FileManager.default.removeItem(atPath: path)
    let engine = Engine(store: try SQLiteStore(path: path, mode: .create))
    try engine.register(source: Array(try Data(contentsOf: URL(fileURLWithPath: workflow))), file: workflow)
    let raw = try RawSQLite(path: path)
    try raw.execute("PRAGMA synchronous=OFF; BEGIN")
    let opened = Timestamp.iso8601(Date())
    let fields = #"{"description":{"text":"Strukturelle Lücke"},"municipality":{"choice":"Siegburg"},"title":{"text":"Lücke"}}"#
    let reference = Int(dueReference.timeIntervalSince1970 * 1000)
    for index in 0..<pending {
        let id = "GAP-2026-\(String(index + 1).leftPadded(to: 7))"
        try raw.run(
            "INSERT INTO tickets(id, workflow_id, version, state, revision, fields, opened_at, opened_by, updated_at) VALUES(?,?,?,?,?,?,?,?,?)",
            [id, "systemic-gap-escalation", 1, "reported", 1, fields, opened, "bench", opened])
        guard withTimers else { continue }
        // The due ones lie in the hour before the reference; the rest from a day after it on.
        let dueMs = index < due ? reference - 3_600_000 + index * 3_600_000 / max(1, due) : reference + 86_400_000 + index * 1000
        try raw.run(
            "INSERT INTO timers(ticket_id, state, timer, armed_at, armed_revision, due_ms) VALUES(?,?,?,?,?,?)",
            [id, "reported", "reminder", opened, 1, dueMs])
    }
    try raw.execute("COMMIT; PRAGMA wal_checkpoint(TRUNCATE)")
}

/// The baseline: `count` single-row transactions, `BEGIN IMMEDIATE … COMMIT`, WAL, synchronous=FULL.
func baselineCommits(_ path: String, count: Int) throws -> Double {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    let raw = try RawSQLite(path: path)
    try raw.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL")
    try raw.execute("CREATE TABLE notices(id TEXT PRIMARY KEY, ticket TEXT NOT NULL, payload TEXT NOT NULL)")
    let payload = String(repeating: "x", count: 400)
    let elapsed = try seconds {
        for index in 0..<count {
            try raw.execute("BEGIN IMMEDIATE")
            try raw.run("INSERT INTO notices(id, ticket, payload) VALUES(?,?,?)", ["n\(index)", "GAP-2026-\(index)", payload])
            try raw.execute("COMMIT")
        }
    }
    return Double(count) / elapsed
}

/// Adds `count` tickets waiting for the steering group, each with the history entry that brought it there (chained,
/// as commands need it), and a meeting; through the store port, in one transaction.
func addAgendaItems(_ path: String, count: Int) throws {
    let store = try SQLiteStore(path: path)
    let entered = Date().addingTimeInterval(-86_400)
    try store.write { tx in
        for index in 0..<count {
            let id = "GAP-2025-\(String(index + 1).leftPadded(to: 4))"
            let fields: [String: FieldValue] = [
                "cases_observed": .integer(7), "description": .text("Strukturelle Lücke"),
                "legal_domains": .choices(["SGB II", "AufenthG"]),
                "municipality": .choice("Troisdorf"), "proposal": .text("Die Lenkungsgruppe beauftragt eine Projektgruppe."),
                "target_group": .text("Neu Zugewanderte"), "title": .text("Lücke \(index + 1)"),
            ]
            try tx.insertTicket(
                Ticket(
                    id: id, workflowID: "systemic-gap-escalation", version: 1, state: "awaiting_steering", revision: 1, fields: fields,
                    openedAt: entered, openedBy: "bench", updatedAt: entered))
            let entry = HistoryEntry(
                revision: 1, at: entered, actor: "bench", role: "ki_lead", event: "table", from: "ki_review", to: "awaiting_steering",
                changes: [], comment: nil)
            try tx.appendHistory(.linking(entry, ticket: id, after: nil), ticket: id)
        }
    }
    let engine = Engine(store: store)
    try engine.addMeeting(
        workflow: "systemic-gap-escalation", date: LocalDate(Date(), in: .berlin).adding(days: 30), time: "14:00", title: "Sitzung",
        place: nil)
}

/// Child: the agenda of the next meeting, rendered as Markdown, HTML and CSV, from opening the store on.
func agendaExport(_ path: String) throws {
    var items = 0
    var bytes = 0
    let elapsed = try seconds {
        let engine = Engine(store: try SQLiteStore(path: path))
        let agenda = try engine.agenda(for: try engine.meeting("next", workflow: "systemic-gap-escalation"))
        items = agenda.items.count
        bytes = AgendaExport.markdown(agenda).utf8.count + AgendaExport.html(agenda).utf8.count + AgendaExport.csv(agenda).utf8.count
    }
    print(
        JSONValue.object([("seconds", .string(String(format: "%.4f", elapsed))), ("items", .integer(items)), ("bytes", .integer(bytes))])
            .compact)
}

/// Child, baseline: the same rows read with one plain indexed query, no GapFlow code.
func agendaBaseline(_ path: String) throws {
    var rows = 0
    let elapsed = try seconds {
        let raw = try RawSQLite(path: path)
        rows = try raw.count(
            "SELECT t.fields, (SELECT max(at) FROM history h WHERE h.ticket_id = t.id) FROM tickets t WHERE t.workflow_id = 'systemic-gap-escalation' AND t.state IN ('awaiting_steering', 'solution_review')"
        )
    }
    print(JSONValue.object([("seconds", .string(String(format: "%.4f", elapsed))), ("rows", .integer(rows))]).compact)
}

func agenda(_ options: Options) throws {
    let folder = options.directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-bench-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { if options.directory == nil { try? FileManager.default.removeItem(at: folder) } }
    let log = { (text: String) in FileHandle.standardError.write(Data((text + "\n").utf8)) }
    let path = folder.appendingPathComponent("agenda.sqlite").path
    log("populating \(options.pending) tickets and \(options.items) agenda items …")
    try populate(path, workflow: options.workflow, pending: options.pending, due: 0, withTimers: false)
    try addAgendaItems(path, count: options.items)
    var runs: [Double] = []
    var baselines: [Double] = []
    var items = 0
    for _ in 0..<5 {
        let result = try child("_agenda", path)
        runs.append(Double(result["seconds"] ?? "0") ?? 0)
        items = Int(result["items"] ?? "0") ?? 0
        baselines.append(Double(try child("_agenda_baseline", path)["seconds"] ?? "0") ?? 0)
    }
    let median = runs.sorted()[runs.count / 2]
    let baseline = baselines.sorted()[baselines.count / 2]
    print(
        """
        | figure (median of 5 processes) | value |
        |---|---|
        | agenda of a meeting with \(items) items, \(options.pending) tickets in the database: open, select, render Markdown + HTML + CSV | \(String(format: "%.1f", median * 1000)) ms (target < 100 ms) |
        | baseline: the same rows by one plain SQLite query | \(String(format: "%.1f", baseline * 1000)) ms |
        | **agenda ÷ baseline** | **\(String(format: "%.1f", baseline > 0 ? median / baseline : 0))×** the time |
        """)
}

/// `gapflow show` and `gapflow list --state` as whole processes against the big database, next to `gapflow --help`
/// (the cost of starting the executable at all). Needs the release `gapflow` next to this executable.
func wholeProcesses(_ path: String, tickets: Int) throws -> [(String, Double)] {
    let gapflow = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.deletingLastPathComponent().appendingPathComponent(
        "gapflow")
    guard FileManager.default.isExecutableFile(atPath: gapflow.path) else {
        FileHandle.standardError.write(
            Data("no gapflow next to gapflow-bench: run `swift build -c release` for the process figures\n".utf8))
        return []
    }
    func median(_ arguments: [String]) throws -> Double {
        var times: [Double] = []
        for _ in 0..<5 {
            let process = Process()
            process.executableURL = gapflow
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            times.append(
                try seconds {
                    try process.run()
                    process.waitUntilExit()
                } * 1000)
        }
        return times.sorted()[2]
    }
    return [
        ("`gapflow --help` (starting the executable)", try median(["--help"])),
        ("`gapflow show GAP-2026-0500000`, 1,000,000 tickets", try median(["show", "GAP-2026-0500000", "--db", path])),
        (
            "`gapflow list --state reported --limit 100`, 1,000,000 tickets",
            try median(["list", "--state", "reported", "--limit", "100", "--db", path])
        ),
    ]
}

/// Child: open the store and start the scheduler; report time until it is armed and resident memory.
func startup(_ path: String) throws {
    var armed: Date?
    let before = Memory.resident()
    let elapsed = try seconds {
        let engine = Engine(store: try SQLiteStore(path: path))
        let scheduler = Scheduler(engine: engine, recheckInterval: 3600)
        scheduler.start()
        scheduler.waitUntilIdle()
        armed = scheduler.armedAt
        scheduler.stop()
    }
    let after = Memory.resident()
    print(
        JSONValue.object([
            ("seconds", .string(String(format: "%.4f", elapsed))), ("rssKiB", .integer(after.current)), ("peakKiB", .integer(after.peak)),
            ("rssBeforeKiB", .integer(before.current)), ("armed", .bool(armed != nil)),
        ]).compact)
}

/// Child: fire every due timer, each in its own transaction, as `gapflow run` does after downtime.
func catchUp(_ path: String) throws {
    let engine = Engine(store: try SQLiteStore(path: path), clock: OffsetClock(offset: 86_400 + 60))
    var fired = 0
    let elapsed = try seconds { fired = try engine.fireDueTimers { _ in } }
    let memory = Memory.resident()
    print(
        JSONValue.object([
            ("seconds", .string(String(format: "%.4f", elapsed))), ("fired", .integer(fired)), ("peakKiB", .integer(memory.peak)),
        ]).compact)
}

func child(_ mode: String, _ path: String) throws -> [String: String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    process.arguments = [mode, path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0, let node = try? JSONParser.parse(Array(data)), let members = node.members else {
        throw RawSQLite.Failure(description: "\(mode) failed: \(String(decoding: data, as: UTF8.self))")
    }
    var result: [String: String] = [:]
    for member in members {
        switch member.value.value {
        case .string(let text): result[member.key] = text
        case .number(_, let literal): result[member.key] = literal
        case .bool(let flag): result[member.key] = String(flag)
        default: break
        }
    }
    return result
}

func timers(_ options: Options) throws {
    let folder = options.directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-bench-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { if options.directory == nil { try? FileManager.default.removeItem(at: folder) } }
    let log = { (text: String) in FileHandle.standardError.write(Data((text + "\n").utf8)) }

    log("folder: \(folder.path)")
    log("baseline: \(options.due) single-row SQLite transactions (WAL, synchronous=FULL) …")
    let baseline = try baselineCommits(folder.appendingPathComponent("baseline.sqlite").path, count: options.due)

    let big = folder.appendingPathComponent("timers-big.sqlite").path
    let small = folder.appendingPathComponent("timers-small.sqlite").path
    log("populating \(options.pending) tickets with a pending timer each (\(options.due) due) …")
    let populateSeconds = try seconds { try populate(big, workflow: options.workflow, pending: options.pending, due: options.due) }
    log("populating \(options.small) for comparison …")
    try populate(small, workflow: options.workflow, pending: options.small, due: 0)

    log("scheduler start-up …")
    let startBig = try child("_startup", big)
    let startSmall = try child("_startup", small)
    log("catch-up: firing \(options.due) due timers …")
    let catchUpResult = try child("_catchup", big)

    let processes = try wholeProcesses(big, tickets: options.pending)
    let fired = Int(catchUpResult["fired"] ?? "0") ?? 0
    let catchUpSeconds = Double(catchUpResult["seconds"] ?? "0") ?? 0
    let rate = catchUpSeconds > 0 ? Double(fired) / catchUpSeconds : 0
    let ratio = baseline > 0 ? rate / baseline : 0
    let rssBig = Int(startBig["rssKiB"] ?? "0") ?? 0
    let rssSmall = Int(startSmall["rssKiB"] ?? "0") ?? 0

    if options.json {
        print(
            JSONValue.object([
                ("pendingTimers", .integer(options.pending)), ("dueTimers", .integer(options.due)),
                ("populateSeconds", .string(String(format: "%.1f", populateSeconds))),
                ("startupSeconds", .string(startBig["seconds"] ?? "")), ("startupRssKiB", .integer(rssBig)),
                ("startupSecondsSmall", .string(startSmall["seconds"] ?? "")), ("startupRssKiBSmall", .integer(rssSmall)),
                ("catchUpFired", .integer(fired)), ("catchUpSeconds", .string(String(format: "%.2f", catchUpSeconds))),
                ("catchUpPerSecond", .integer(Int(rate))), ("catchUpPeakKiB", .integer(Int(catchUpResult["peakKiB"] ?? "0") ?? 0)),
                ("baselineCommitsPerSecond", .integer(Int(baseline))), ("ratio", .string(String(format: "%.2f", ratio))),
            ]).pretty)
        return
    }
    print(
        """
        | figure | value |
        |---|---|
        | scheduler start-up, \(options.pending) pending timers | \(startBig["seconds"] ?? "?") s, \(rssBig / 1024) MiB resident |
        | scheduler start-up, \(options.small) pending timers | \(startSmall["seconds"] ?? "?") s, \(rssSmall / 1024) MiB resident |
        | catch-up: \(fired) due timers, in batches | \(String(format: "%.2f", catchUpSeconds)) s = \(Int(rate)) timers/s = \(String(format: "%.3f", rate > 0 ? 1000 / rate : 0)) ms per timer, peak \((Int(catchUpResult["peakKiB"] ?? "0") ?? 0) / 1024) MiB |
        | baseline: \(options.due) plain single-row SQLite commits (WAL, FULL) | \(Int(baseline)) commits/s |
        | **catch-up rate ÷ baseline** | **\(String(format: "%.2f", ratio))×** (target ≥ 0.5×) |
        """)
    for (name, milliseconds) in processes { print("| \(name) | \(String(format: "%.1f", milliseconds)) ms (median of 5 processes) |") }
}

func parse(_ arguments: [String]) -> Options? {
    var options = Options()
    var index = 0
    while index < arguments.count {
        let argument = arguments[index]
        let value = index + 1 < arguments.count ? arguments[index + 1] : nil
        switch argument {
        case "--pending": options.pending = value.flatMap(Int.init) ?? options.pending
        case "--due": options.due = value.flatMap(Int.init) ?? options.due
        case "--small": options.small = value.flatMap(Int.init) ?? options.small
        case "--items": options.items = value.flatMap(Int.init) ?? options.items
        case "--runs": options.runs = max(1, value.flatMap(Int.init) ?? options.runs)
        case "--dir": options.directory = value.map { URL(fileURLWithPath: $0) }
        case "--workflow": options.workflow = value ?? options.workflow
        case "--json":
            options.json = true
            index -= 1
        case "--reuse":
            options.reuse = true
            index -= 1
        default: return nil
        }
        index += 2
    }
    return options
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "_startup" where arguments.count == 2: try startup(arguments[1])
    case "_catchup" where arguments.count == 2: try catchUp(arguments[1])
    case "_agenda" where arguments.count == 2: try agendaExport(arguments[1])
    case "_workload" where arguments.count == 4:
        try Workload.run(database: arguments[1], acknowledgements: arguments[2], seed: UInt64(arguments[3]) ?? 1)
    case "_agenda_baseline" where arguments.count == 2: try agendaBaseline(arguments[1])
    case "_concurrent_workload" where arguments.count == 3:
        try Workload.runConcurrent(database: arguments[1], acknowledgements: arguments[2])
    case "_timer_backlog" where arguments.count == 3: try Workload.fireBacklog(database: arguments[1], acknowledgements: arguments[2])
    case "suite":
        guard var options = parse(Array(arguments.dropFirst())) else {
            print("usage: gapflow-bench suite [--items N] [--dir DIR]")
            exit(2)
        }
        if !arguments.contains("--items") { options.items = 300 }
        try Suite.run(options)
    case "agenda":
        guard let options = parse(Array(arguments.dropFirst())) else {
            print("usage: gapflow-bench agenda [--pending N] [--items N] [--dir DIR]")
            exit(2)
        }
        try agenda(options)
    case "populate" where arguments.count == 4:
        // For profiling by hand: populate PATH PENDING DUE, then `_catchup PATH` under a profiler.
        try populate(arguments[1], workflow: Options().workflow, pending: Int(arguments[2]) ?? 0, due: Int(arguments[3]) ?? 0)
    case "guard": GuardBench.run()
    case "stores":
        // Durable commands per second, SQLite and PostgreSQL, 1, 4 and 16 clients (run from the repository).
        let commands = arguments.count == 3 && arguments[1] == "--commands" ? Int(arguments[2]) : arguments.count == 1 ? 2000 : nil
        guard let commands, commands > 0 else {
            print("usage: gapflow-bench stores [--commands N]   (run from the repository: it reads Workflows/ and samples/)")
            exit(2)
        }
        try StoreBench.run(commands: commands, directory: nil)
    case "web":
        guard let options = parse(Array(arguments.dropFirst())) else {
            print("usage: gapflow-bench web [--pending TICKETS] [--dir DIR]   (run from the repository: it reads Workflows/)")
            exit(2)
        }
        try WebBench.run(options)
    case "export":
        guard let options = parse(Array(arguments.dropFirst())) else {
            print("usage: gapflow-bench export [--pending N] [--dir DIR]")
            exit(2)
        }
        try ExportBench.run(options)
    case "group":
        guard var options = parse(Array(arguments.dropFirst())) else {
            print("usage: gapflow-bench group [--items N] [--dir DIR]   (run from the repository: it reads Workflows/)")
            exit(2)
        }
        if !arguments.contains("--items") { options.items = 2000 }
        try GroupBench.run(options)
    case "reads":
        guard let options = parse(Array(arguments.dropFirst())) else {
            print("usage: gapflow-bench reads [--pending N] [--dir DIR] [--reuse]   (run from the repository: it reads Workflows/)")
            exit(2)
        }
        try ReadsBench.run(options)
    case "timers":
        guard let options = parse(Array(arguments.dropFirst())) else {
            print("usage: gapflow-bench timers [--pending N] [--due N] [--small N] [--dir DIR] [--workflow FILE] [--json]")
            exit(2)
        }
        try timers(options)
    default:
        print("usage: gapflow-bench timers [--pending N] [--due N] [--small N] [--dir DIR] [--workflow FILE] [--json]")
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("gapflow-bench: \(error)\n".utf8))
    exit(1)
}
