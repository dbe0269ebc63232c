import Dispatch
import Foundation
import GapFlow
import GapFlowSQLite
import GapFlowWeb
import Synchronization

/// `gapflow-bench web`: 50 concurrent logged-in sessions against `gapflow serve`'s front on loopback, on a database of
/// 100,000 tickets: latency of the queue and ticket pages, and the rate of event POSTs against the rate of the same
/// commands through the engine (what one `gapflow fire` does, without starting a process) in the same run.
enum WebBench {
    static let municipalities = [
        "Alfter", "Bad Honnef", "Bornheim", "Eitorf", "Hennef (Sieg)", "Königswinter", "Lohmar", "Meckenheim", "Much",
        "Neunkirchen-Seelscheid", "Niederkassel", "Rheinbach", "Ruppichteroth", "Sankt Augustin", "Siegburg", "Swisttal",
        "Troisdorf", "Wachtberg", "Windeck",
    ]
    static let states = [
        "reported", "clarification", "ki_review", "awaiting_steering", "in_project_group", "solution_review", "feedback", "closed",
        "closed",
    ]

    static func run(_ options: Options) throws {
        let tickets = options.pending == Options().pending ? 100_000 : options.pending
        let sessions = 50
        let folder = options.directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-web-bench")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("web.sqlite").path
        log("populating \(tickets) tickets …")
        try populate(path, workflow: options.workflow, tickets: tickets)

        let engine = Engine(store: try SQLiteStore(path: path))
        let admin = Actor(name: "admin", roles: ["admin"])
        try engine.saveActor(admin)
        try engine.saveActor(Actor(name: "koordination", roles: ["cm_coordination"]), by: admin)
        let cheap = PasswordHash.Parameters(logN: 10, r: 8, p: 1)  // logins are not what is measured
        try engine.setPassword("bench-passwort-1", for: "koordination", by: admin, parameters: cheap)
        for place in municipalities {
            let name = "cm.\(place.lowercased().filter(\.isLetter))"
            try engine.saveActor(Actor(name: name, roles: ["cm"], municipality: place), by: admin)
            try engine.setPassword("bench-passwort-1", for: name, by: admin, parameters: cheap)
        }
        let server = try WebServer.start(
            engine: engine, texts: URL(fileURLWithPath: "Workflows/texts/web.de.json"), host: "127.0.0.1", port: 0)
        defer { server.stop() }
        log("serving on port \(server.port); \(sessions) sessions")

        // Reads: each session is a case manager of one municipality, alternating their queue and one of their tickets.
        // Logins happen before the clock starts: every session waits at the gate until all are logged in.
        let perSession = 200
        let queueTimes = Mutex<[Double]>([])
        let ticketTimes = Mutex<[Double]>([])
        let failures = Atomic<Int>(0)
        let readGate = Gate(parties: sessions)
        onThreads(sessions) { index in
            let place = municipalities[index % municipalities.count]
            var arrived = false
            let ids = Array(
                (0..<tickets).lazy.filter { $0 % municipalities.count == index % municipalities.count }.prefix(500).map(ticketID))
            do {
                let client = try Client(port: server.port)
                try client.logIn("cm.\(place.lowercased().filter(\.isLetter))", "bench-passwort-1")
                readGate.arrive()
                arrived = true
                var mine: ([Double], [Double]) = ([], [])
                for round in 0..<perSession {
                    let isQueue = round % 2 == 0
                    let target = isQueue ? "/queue" : "/tickets/\(ids[(round / 2) % ids.count])"
                    let (status, elapsed) = try client.timed("GET", target)
                    if status != 200, failures.add(1, ordering: .relaxed).oldValue == 0 { log("first failed GET: \(status) \(target)") }
                    if isQueue { mine.0.append(elapsed) } else { mine.1.append(elapsed) }
                }
                queueTimes.withLock { $0 += mine.0 }
                ticketTimes.withLock { $0 += mine.1 }
            } catch {
                log("a reading session failed: \(error)")
                failures.add(1, ordering: .relaxed)
                if !arrived { readGate.arrive() }
            }
        }
        let readSeconds = Double(DispatchTime.now().uptimeNanoseconds - readGate.openedAt) / 1e9

        // Writes: coordination sessions fire "request_info" on distinct reported tickets, each with its revision.
        let reported = (0..<tickets).filter { states[$0 % states.count] == "reported" }.map(ticketID)
        let postsPerSession = min(40, reported.count / (2 * sessions))
        let posted = Atomic<Int>(0)
        let postGate = Gate(parties: sessions)
        onThreads(sessions) { index in
            var arrived = false
            do {
                let client = try Client(port: server.port)
                try client.logIn("koordination", "bench-passwort-1")
                _ = try client.timed("GET", "/tickets/\(reported[index * postsPerSession])")  // the page the form is on
                postGate.arrive()
                arrived = true
                for round in 0..<postsPerSession {
                    let id = reported[index * postsPerSession + round]
                    let (status, _) = try client.timed(
                        "POST", "/tickets/\(id)/events/request_info",
                        form: [("csrf", client.csrf), ("revision", "1"), ("field.query", "Seit wann?")])
                    if status == 303 {
                        posted.add(1, ordering: .relaxed)
                    } else {
                        if failures.add(1, ordering: .relaxed).oldValue == 0 { log("first failed POST: \(status) for \(id)") }
                    }
                }
            } catch {
                log("a posting session failed: \(error)")
                failures.add(1, ordering: .relaxed)
                if !arrived { postGate.arrive() }
            }
        }
        let postSeconds = Double(DispatchTime.now().uptimeNanoseconds - postGate.openedAt) / 1e9
        let postRate = Double(posted.load(ordering: .relaxed)) / postSeconds

        // Baseline in the same run: the same command through the engine, one after another (a durable commit each).
        let coordinator = try engine.actor(named: "koordination")
        let rest = reported.dropFirst(sessions * postsPerSession).prefix(500)
        let engineSeconds = try seconds {
            for id in rest {
                try engine.fire(
                    id,
                    Command(.fire(event: "request_info"), actor: coordinator, values: ["query": .text("Seit wann?")], expectedRevision: 1))
            }
        }
        let engineRate = Double(rest.count) / engineSeconds

        func percentile(_ values: [Double], _ p: Double) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return 0 }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)] * 1000
        }
        let queue = queueTimes.withLock { $0 }
        let ticket = ticketTimes.withLock { $0 }
        print(
            """
            web front, \(tickets) tickets, \(sessions) concurrent sessions on loopback (release build, one process):
              queue page (a case manager's):  p50 \(format(percentile(queue, 0.5))) ms  p99 \(format(percentile(queue, 0.99))) ms  (\(queue.count) requests)
              ticket page:                    p50 \(format(percentile(ticket, 0.5))) ms  p99 \(format(percentile(ticket, 0.99))) ms  (\(ticket.count) requests)
              reads overall: \(format(Double(queue.count + ticket.count) / readSeconds)) pages/s
              event POSTs: \(format(postRate))/s (\(posted.load(ordering: .relaxed)) in \(format(postSeconds)) s)
              the same command through the engine, one after another: \(format(engineRate))/s
              POST rate / engine rate: \(format(postRate / engineRate))
              failed requests: \(failures.load(ordering: .relaxed))
            """)
    }

    static func ticketID(_ index: Int) -> String { "GAP-2026-\(String(index + 1).leftPadded(to: 7))" }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    static func log(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    /// Tickets spread over the states and the 19 municipalities, each with its opening history entry (chained as
    /// the engine would chain it) and, while open, a reminder timer.
    static func populate(_ path: String, workflow: String, tickets: Int) throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let engine = Engine(store: try SQLiteStore(path: path, mode: .create))
        try engine.register(source: Array(try Data(contentsOf: URL(fileURLWithPath: workflow))), file: workflow)
        // Through the engine for one ticket, to copy its history row's shape; then plain SQL for the rest.
        let raw = try RawSQLite(path: path)
        try raw.execute("PRAGMA synchronous=OFF; BEGIN")
        let openedAt = Timestamp.truncated(Date().addingTimeInterval(-30 * 86_400))
        let opened = Timestamp.iso8601(openedAt)
        let due = Int(Date().addingTimeInterval(7 * 86_400).timeIntervalSince1970 * 1000)
        for index in 0..<tickets {
            let id = ticketID(index)
            let state = states[index % states.count]
            let place = municipalities[index % municipalities.count]
            let fields =
                #"{"description":{"text":"Kinderbetreuung während der Integrationskurse fehlt in mehreren Kommunen."},"#
                + #""municipality":{"choice":"\#(place)"},"title":{"text":"Lücke \#(index + 1): Kinderbetreuung"}}"#
            let reporter = "cm.\(place.lowercased().filter(\.isLetter))"
            // The opening entry, chained as the engine chains it (a history without its chain takes no more events).
            let entry = HistoryEntry(
                revision: 1, at: openedAt, actor: reporter, role: "cm", event: "open", from: nil, to: state,
                changes: [
                    FieldChange(field: "title", new: .text("Lücke \(index + 1): Kinderbetreuung")),
                    FieldChange(
                        field: "description", new: .text("Kinderbetreuung während der Integrationskurse fehlt in mehreren Kommunen.")),
                    FieldChange(field: "municipality", new: .choice(place)),
                ], comment: nil)
            let chained = ChainedEntry.linking(entry, ticket: id, after: nil)
            try raw.run(
                "INSERT INTO tickets(id, workflow_id, version, state, revision, fields, opened_at, opened_by, updated_at, history_head) VALUES(?,?,?,?,?,?,?,?,?,?)",
                [id, "systemic-gap-escalation", 1, state, 1, fields, opened, reporter, opened, chained.chainHash ?? ""])
            try raw.run(
                "INSERT INTO history(ticket_id, revision, at, actor, role, event, from_state, to_state, changes, content_digest, chain_hash, chain_format) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    id, 1, opened, reporter, "cm", "open", NSNull(), state, chained.changesJSON, chained.contentDigest ?? "",
                    chained.chainHash ?? "", chained.format,
                ])
            if state != "closed" {
                try raw.run(
                    "INSERT INTO timers(ticket_id, state, timer, armed_at, armed_revision, due_ms) VALUES(?,?,?,?,?,?)",
                    [id, state, "reminder", opened, 1, due + index])
            }
        }
        try raw.execute("COMMIT; PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// One browser session over one keep-alive connection: cookies, the CSRF token of the last page, nothing else.
    final class Client {
        let port: UInt16
        var socket: Int32 = -1
        var cookies: [String: String] = [:]
        var csrf = ""

        init(port: UInt16) throws {
            self.port = port
            try connectSocket()
        }

        /// Opens the connection, as a browser does again when the server closed an idle one (its 30 s timeout).
        private func connectSocket() throws {
            if socket >= 0 { close(socket) }
            pending = []
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard socket >= 0, connected == 0 else { throw BenchError("cannot connect to port \(port)") }
        }

        deinit { close(socket) }

        func logIn(_ name: String, _ password: String) throws {
            _ = try timed("GET", "/login")
            let (status, _) = try timed("POST", "/login", form: [("csrf", csrf), ("name", name), ("password", password)])
            guard status == 303, cookies["gapflow_session"] != nil else { throw BenchError("login of \(name) failed: \(status)") }
        }

        /// Sends one request and reads the whole answer; returns its status and the seconds it took. A connection the
        /// server closed while it was idle is opened again once.
        func timed(_ method: String, _ target: String, form: [(String, String)]? = nil) throws -> (Int, Double) {
            do {
                return try exchange(method, target, form: form)
            } catch let error as BenchError where error.description == "connection closed" || error.description == "send failed" {
                try connectSocket()
                return try exchange(method, target, form: form)
            }
        }

        private func exchange(_ method: String, _ target: String, form: [(String, String)]?) throws -> (Int, Double) {
            let body = form.map { pairs in
                pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            }
            var request = "\(method) \(target) HTTP/1.1\r\nHost: bench\r\n"
            if !cookies.isEmpty { request += "Cookie: " + cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") + "\r\n" }
            if let body {
                request += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            } else {
                request += "\r\n"
            }
            let start = DispatchTime.now().uptimeNanoseconds
            let bytes = Array(request.utf8)
            guard bytes.withUnsafeBytes({ send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
                throw BenchError("send failed")
            }
            let (status, headers, text) = try readResponse()
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            for header in headers where header.lowercased().hasPrefix("set-cookie:") {
                let pair = header.dropFirst("set-cookie:".count).split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                let name = pair[0].trimmingCharacters(in: .whitespaces)
                cookies[name] = pair.count > 1 && !pair[1].isEmpty ? String(pair[1]) : nil
            }
            if let range = text.range(of: "name=\"csrf\" value=\"") {
                csrf = String(text[range.upperBound...].prefix { $0 != "\"" })
            }
            return (status, elapsed)
        }

        private var pending: [UInt8] = []

        private func readResponse() throws -> (Int, [String], String) {
            var buffer = [UInt8](repeating: 0, count: 65536)
            func fill() throws {
                let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { throw BenchError("connection closed") }
                pending += buffer[0..<count]
            }
            let separator: [UInt8] = [13, 10, 13, 10]
            var end: Int?
            while end == nil {
                end = pending.indices.dropLast(3).first { pending[$0..<$0 + 4].elementsEqual(separator) }
                if end == nil { try fill() }
            }
            guard let headerEnd = end else { throw BenchError("no header") }
            let head = String(decoding: pending[..<headerEnd], as: UTF8.self).components(separatedBy: "\r\n")
            let status = head.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
            let length =
                head.first { $0.lowercased().hasPrefix("content-length:") }.flatMap {
                    Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
                } ?? 0
            while pending.count < headerEnd + 4 + length { try fill() }
            let body = String(decoding: pending[(headerEnd + 4)..<(headerEnd + 4 + length)], as: UTF8.self)
            pending.removeFirst(headerEnd + 4 + length)
            return (status, Array(head.dropFirst()), body)
        }
    }

    /// Runs `body` on `count` threads of its own at once (Dispatch's `concurrentPerform` would run only as many as
    /// there are cores, and a session waiting at the gate would wait for sessions that never start).
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let done = DispatchGroup()
        for index in 0..<count {
            done.enter()
            let thread = Thread {
                body(index)
                done.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        done.wait()
    }

    /// Lets `parties` threads go on together, and notes when it opened (the start of the measured time).
    final class Gate: Sendable {
        private let parties: Int
        private let arrived = Mutex(0)
        private let opened = Mutex<UInt64>(0)
        private let open = DispatchSemaphore(value: 0)

        init(parties: Int) { self.parties = parties }

        var openedAt: UInt64 { opened.withLock { $0 } }

        func arrive() {
            let count = arrived.withLock { value -> Int in
                value += 1
                return value
            }
            if count == parties {
                opened.withLock { $0 = DispatchTime.now().uptimeNanoseconds }
                for _ in 0..<parties { open.signal() }
            }
            open.wait()
        }
    }

    struct BenchError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
