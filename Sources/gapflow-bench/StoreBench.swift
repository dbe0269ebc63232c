import CLibPQ
import Dispatch
import Foundation
import GapFlow
import GapFlowPostgres
import GapFlowSQLite
import Synchronization

/// `gapflow-bench stores`: durable GapFlow commands per second on SQLite and on PostgreSQL with 1, 4 and 16 clients
/// at once, each against raw single-row commits of the same database with as many clients, in the same run.
///
/// A command is what a user's click or a POST costs: opening a ticket, or firing `forward` on it (history entry,
/// timers, outbox, hash chain), each its own durable transaction. PostgreSQL is a durable throw-away cluster
/// (`fsync=on`, `synchronous_commit=on`) that `samples/postgres-test-server.sh` starts on a Unix socket, unless
/// `GAPFLOW_BENCH_POSTGRES` names one (a libpq URI).
enum StoreBench {
    static let clientCounts = [1, 4, 16]

    static func run(commands: Int, directory: URL?) throws {
        let folder = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-stores-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(at: folder) } }
        let uri = try postgresURI()
        let log = { (text: String) in FileHandle.standardError.write(Data((text + "\n").utf8)) }
        var rows: [String] = []
        for clients in clientCounts {
            let path = folder.appendingPathComponent("engine-\(clients).sqlite").path
            let sqlite = try commandsPerSecond(store: try SQLiteStore(path: path, mode: .create), clients: clients, commands: commands)
            log("SQLite, \(clients) clients: \(Int(sqlite)) commands/s")
            let rawSQLite = try rawSQLiteCommits(
                folder.appendingPathComponent("raw-\(clients).sqlite").path, clients: clients, count: commands)
            log("SQLite raw, \(clients) clients: \(Int(rawSQLite)) commits/s")
            let schema = "bench_\(getpid())_\(clients)"
            let scoped = uri + (uri.contains("?") ? "&" : "?") + "options=-csearch_path%3D" + schema
            let postgres = try commandsPerSecond(
                store: try PostgresStore(connectionString: scoped, mode: .create, maxConnections: clients + 2), clients: clients,
                commands: commands)
            log("PostgreSQL, \(clients) clients: \(Int(postgres)) commands/s")
            let rawPostgres = try rawPostgresCommits(uri, schema: schema, clients: clients, count: commands)
            log("PostgreSQL raw, \(clients) clients: \(Int(rawPostgres)) commits/s")
            try RawPostgres(uri).execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
            rows.append(
                "| \(clients) | \(Int(sqlite)) | \(Int(rawSQLite)) | \(String(format: "%.2f", sqlite / rawSQLite))× "
                    + "| \(Int(postgres)) | \(Int(rawPostgres)) | \(String(format: "%.2f", postgres / rawPostgres))× |")
        }
        print(
            """
            | clients | SQLite: GapFlow commands/s | SQLite: raw commits/s | ratio | PostgreSQL: GapFlow commands/s | PostgreSQL: raw commits/s | ratio |
            |---|---|---|---|---|---|---|
            """)
        for row in rows { print(row) }
    }

    static func postgresURI() throws -> String {
        if let given = ProcessInfo.processInfo.environment["GAPFLOW_BENCH_POSTGRES"], !given.isEmpty { return given }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["samples/postgres-test-server.sh"]
        var environment = ProcessInfo.processInfo.environment
        environment["GAPFLOW_PG_TEST_FSYNC"] = "on"
        environment["GAPFLOW_PG_TEST_DIR"] = "/tmp/gapflow-bench-postgres-\(getuid())"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let status = exitStatus(of: process)
        let uri = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0, PostgresStore.isConnectionURI(uri) else {
            throw RawSQLite.Failure(
                description: "no PostgreSQL server: run from the repository (samples/postgres-test-server.sh) or set GAPFLOW_BENCH_POSTGRES"
            )
        }
        return uri
    }

    /// `commands` commands split over `clients` threads: each opens a ticket, then forwards it, and again.
    static func commandsPerSecond(store: any TicketStore, clients: Int, commands: Int) throws -> Double {
        let engine = Engine(store: store)
        let workflow = URL(fileURLWithPath: "Workflows/systemic-gap-escalation.json")
        try engine.register(source: Array(try Data(contentsOf: workflow)), file: workflow.lastPathComponent)
        let actor = Actor(name: "koordination", roles: ["cm_coordination", "admin"])
        try store.write { tx in try tx.saveActor(actor, at: Date()) }
        let values: [String: FieldInput] = [
            "title": .text("Lücke"), "description": .text("Strukturell"), "municipality": .text("Siegburg"),
        ]
        let failures = Mutex<[String]>([])
        let perClient = max(2, commands / clients)
        let elapsed = seconds {
            onThreads(clients) { _ in
                do {
                    for _ in 0..<(perClient / 2) {
                        let id = try engine.open(workflow: "systemic-gap-escalation", Command(.open, actor: actor, values: values)).ticket
                            .id
                        try engine.fire(id, Command(.fire(event: "forward"), actor: actor, values: ["legal_domains": .text("SGB II")]))
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        if let first = failures.withLock({ $0.first }) { throw RawSQLite.Failure(description: first) }
        return Double(clients * (perClient / 2) * 2) / elapsed
    }

    /// Raw single-row commits of SQLite (WAL, `synchronous=FULL`, `BEGIN IMMEDIATE`), one connection per client.
    static func rawSQLiteCommits(_ path: String, clients: Int, count: Int) throws -> Double {
        let setup = try RawSQLite(path: path)
        try setup.execute("PRAGMA journal_mode=WAL; CREATE TABLE notices(id TEXT PRIMARY KEY, ticket TEXT NOT NULL, payload TEXT NOT NULL)")
        // Each client uses its own connection, on its own thread only.
        nonisolated(unsafe) let connections = try (0..<clients).map { _ in try RawSQLite(path: path) }
        // As long a wait for the write lock as the clients need on a busy machine (the store waits likewise, in its lock).
        for connection in connections { try connection.execute("PRAGMA synchronous=FULL; PRAGMA busy_timeout=120000") }
        return try rawCommits(clients: clients, count: count) { client, index in
            let connection = connections[client]
            try connection.execute("BEGIN IMMEDIATE")
            try connection.run(
                "INSERT INTO notices(id, ticket, payload) VALUES(?,?,?)",
                ["n\(client)-\(index)", "GAP", String(repeating: "x", count: 400)])
            try connection.execute("COMMIT")
        }
    }

    /// Raw single-row commits of PostgreSQL (one `INSERT` each, autocommit, parameters), one connection per client.
    static func rawPostgresCommits(_ uri: String, schema: String, clients: Int, count: Int) throws -> Double {
        let setup = try RawPostgres(uri)
        try setup.execute("CREATE TABLE \(schema).notices(id text PRIMARY KEY, ticket text NOT NULL, payload text NOT NULL)")
        let connections = try (0..<clients).map { _ in try RawPostgres(uri) }
        return try rawCommits(clients: clients, count: count) { client, index in
            try connections[client].insert(
                "INSERT INTO \(schema).notices(id, ticket, payload) VALUES($1, $2, $3)",
                ["n\(client)-\(index)", "GAP", String(repeating: "x", count: 400)])
        }
    }

    static func rawCommits(clients: Int, count: Int, _ commit: @escaping @Sendable (Int, Int) throws -> Void) throws -> Double {
        let failures = Mutex<[String]>([])
        let perClient = max(1, count / clients)
        let elapsed = seconds {
            onThreads(clients) { client in
                do {
                    for index in 0..<perClient { try commit(client, index) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        if let first = failures.withLock({ $0.first }) { throw RawSQLite.Failure(description: first) }
        return Double(clients * perClient) / elapsed
    }
}

/// Runs `body` on `count` threads of its own at once and waits for all: every client is really there at the same
/// time (Dispatch's `concurrentPerform` runs about as many at once as there are cores).
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            body(index)
            group.leave()
        }
        thread.start()
    }
    group.wait()
}

/// Plain libpq for the baseline: no GapFlow code between the caller and the library.
///
/// `@unchecked Sendable`: each benchmark client uses its own connection, on its own thread only.
final class RawPostgres: @unchecked Sendable {
    private let connection: OpaquePointer

    init(_ uri: String) throws {
        guard let connection = PQconnectdb(uri), PQstatus(connection) == CONNECTION_OK else {
            throw RawSQLite.Failure(description: "cannot connect to \(uri)")
        }
        self.connection = connection
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit { PQfinish(connection) }

    func execute(_ sql: String) throws {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else {
            throw RawSQLite.Failure(description: String(cString: PQerrorMessage(connection)))
        }
    }

    func insert(_ sql: String, _ values: [String]) throws {
        let copies = values.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        let result = pointers.withUnsafeBufferPointer { buffer in
            PQexecParams(connection, sql, Int32(values.count), nil, buffer.baseAddress, nil, nil, 0)
        }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else {
            throw RawSQLite.Failure(description: String(cString: PQerrorMessage(connection)))
        }
    }
}

/// Waits for `process` and returns its exit status. Reaps it with `waitpid` itself: Foundation's own watch for the
/// end of a child missed the end of `samples/postgres-test-server.sh` when it had just started a cluster, and
/// `waitUntilExit` then waited forever.
func exitStatus(of process: Process) -> Int32 {
    var status: Int32 = 0
    var result: pid_t
    repeat { result = waitpid(process.processIdentifier, &status, 0) } while result == -1 && errno == EINTR
    if result == process.processIdentifier { return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
    process.waitUntilExit()
    return process.terminationStatus
}
