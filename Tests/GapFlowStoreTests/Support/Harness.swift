import Foundation
import GapFlow
import GapFlowSQLite
import Synchronization
import Testing

@testable import GapFlowPostgres

/// Every implementation of the store port; each conformance test runs once per case.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite, postgres

    /// Every store there is to test: PostgreSQL only when a test server is there (see ``PostgresTestServer``),
    /// which says so loudly when it is not.
    static var allCases: [StoreKind] { PostgresTestServer.uri == nil ? [.memory, .sqlite] : [.memory, .sqlite, .postgres] }

    var testDescription: String { rawValue }

    /// A fresh, empty store of this kind; an SQLite file lives in `folder`, a PostgreSQL store in a schema of its
    /// own (named after the folder), which the folder drops when it goes away.
    func makeStore(in folder: TemporaryFolder) throws -> any TicketStore {
        switch self {
        case .memory: MemoryStore()
        case .sqlite: try SQLiteStore(path: folder.path("store.sqlite"), mode: .create)
        case .postgres: try PostgresStore(connectionString: try folder.postgresURI(), mode: .create)
        }
    }
}

/// The PostgreSQL server the tests use: `GAPFLOW_TEST_POSTGRES` (a libpq URI, set by `.ci/run`), else the
/// throw-away cluster that `samples/postgres-test-server.sh` starts (shared by every test, started once).
enum PostgresTestServer {
    static let uri: String? = {
        if let given = ProcessInfo.processInfo.environment["GAPFLOW_TEST_POSTGRES"], !given.isEmpty { return given }
        let script = Repository.root.appendingPathComponent("samples/postgres-test-server.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        var reason = ""
        do {
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            let problem = errors.fileHandleForReading.readDataToEndOfFile()
            let status = exitStatus(of: process)
            let uri = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if status == 0, PostgresStore.isConnectionURI(uri) { return uri }
            reason = String(decoding: problem, as: UTF8.self)
        } catch {
            reason = "\(error)"
        }
        let banner = String(repeating: "!", count: 100)
        FileHandle.standardError.write(
            Data(
                """
                \(banner)
                !!! THE POSTGRESQL STORE IS NOT TESTED: no PostgreSQL server could be started for the tests.
                !!! Set GAPFLOW_TEST_POSTGRES to a libpq URI, or install Debian's postgresql (see samples/postgres-test-server.sh).
                !!! \(reason.trimmingCharacters(in: .whitespacesAndNewlines))
                \(banner)

                """.utf8))
        return nil
    }()

    /// Runs `sql` on the test database itself (outside any test's schema).
    static func execute(_ sql: String) throws {
        guard let uri else { return }
        try PGConnection(conninfo: uri, location: "test server").execute(sql)
    }
}

/// Paths of the repository, found from this file so tests run from any working directory.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let kimFile = root.appendingPathComponent("Workflows/systemic-gap-escalation.json")
}

/// A unique temporary folder, removed when the value goes away.
final class TemporaryFolder: Sendable {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-store-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// The schema a PostgreSQL store of this folder lives in.
    var schema: String { "test_" + url.lastPathComponent.suffix(36).replacingOccurrences(of: "-", with: "").lowercased() }

    /// The test server's URI with the search_path set to this folder's schema (created by the store's migration).
    func postgresURI() throws -> String {
        guard let uri = PostgresTestServer.uri else { throw StoreError.missing(path: "the PostgreSQL test server") }
        usesPostgres.withLock { $0 = true }
        return uri + (uri.contains("?") ? "&" : "?") + "options=-csearch_path%3D" + schema
    }

    private let usesPostgres = Mutex(false)

    deinit {
        try? FileManager.default.removeItem(at: url)
        if usesPostgres.withLock({ $0 }) { try? PostgresTestServer.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE") }
    }
}

/// One fresh store of one kind with an engine on a manual clock: by default with the KIM workflow and its actors.
final class Harness {
    let kind: StoreKind
    let folder = TemporaryFolder()
    let clock: ManualClock
    let store: any TicketStore
    let engine: Engine

    init(_ kind: StoreKind, at start: Date = Fixtures.start, empty: Bool = false) throws {
        self.kind = kind
        clock = ManualClock(start)
        store = try kind.makeStore(in: folder)
        engine = Engine(store: store, clock: clock)
        if !empty {
            try engine.register(source: Array(try Data(contentsOf: Repository.kimFile)), file: Repository.kimFile.path)
            for actor in Fixtures.actors { try engine.saveActor(actor) }
        }
    }

    /// Opens a KIM ticket as the coordinator and returns its id.
    func open(_ title: String = "Sprachkurse für Eltern mit Kleinkindern fehlen") throws -> String {
        var values = Fixtures.gapValues
        values["title"] = .text(title)
        return try engine.open(workflow: Fixtures.workflow, Command(.open, actor: Fixtures.coordinator, values: values)).ticket.id
    }

    /// The whole store in the export format.
    func export() throws -> [String] { try engine.exportLines() }
}

enum Fixtures {
    static let workflow = "systemic-gap-escalation"
    /// 2026-11-25 09:00 in Berlin (08:00 UTC), a Wednesday.
    static let start = Date(timeIntervalSince1970: 1_795_593_600)
    static let day: TimeInterval = 86_400

    static let coordinator = Actor(name: "koordination", roles: ["cm_coordination"])
    static let caseManager = Actor(name: "cm.siegburg", roles: ["cm"], municipality: "Siegburg")
    static let kiLead = Actor(name: "ki.leitung", roles: ["ki_lead"])
    static let office = Actor(name: "geschaeftsstelle", roles: ["steering_office"])
    static let projectGroup = Actor(name: "pg.sprache", roles: ["project_group"])
    static let admin = Actor(name: "admin", roles: ["admin"])
    static let actors = [coordinator, caseManager, kiLead, office, projectGroup, admin]

    static let gapValues: [String: FieldInput] = [
        "title": .text("Sprachkurse für Eltern mit Kleinkindern fehlen"),
        "description": .text("Kinderbetreuung während Integrationskursen ist im Kreis nicht verfügbar."),
        "municipality": .text("Siegburg"),
    ]

    static func date(_ text: String) throws -> LocalDate { try #require(LocalDate(parsing: text)) }
}

/// One scripted life of three tickets that touches every table: a meeting and its decisions, timers that notify,
/// fire and are cancelled, notices delivered and failed, a passage redacted, a ticket closed and purged after the
/// retention period.
enum Script {
    /// Runs the script on `harness` (whose clock must stand at ``Fixtures/start``) and returns the tickets' ids.
    @discardableResult
    static func lifecycle(_ harness: Harness) throws -> [String] {
        let engine = harness.engine
        let clock = harness.clock
        // A login and an API token (their digests travel in the export; web sessions do not). Fixed values, not a
        // fresh salt and token, so that every store's export of the script is the same.
        try harness.store.write { tx in
            try tx.setPassword(
                "scrypt$10$8$1$BwcHBwcHBwcHBwcHBwcHBw==$CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=", actor: Fixtures.coordinator.name)
            try tx.setAPIToken(digest: SecureRandom.digest(of: "script-token"), actor: Fixtures.kiLead.name)
        }
        let a = try harness.open("Kinderbetreuung fehlt")
        try engine.fire(a, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
        try engine.fire(a, Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Vorschlag")]))
        let meeting = try engine.addMeeting(
            workflow: Fixtures.workflow, date: try Fixtures.date("2026-12-10"), time: "14:00", title: "Lenkungsgruppe", place: "Siegburg")

        clock.advance(by: Fixtures.day)
        let b = try harness.open("Dolmetscher fehlen")
        try engine.fire(
            b, Command(.fire(event: "request_info"), actor: Fixtures.coordinator, values: ["query": .text("Wie viele Fälle?")]))
        try engine.fire(b, Command(.fire(event: "resubmit"), actor: Fixtures.caseManager, comment: "ergänzt"))
        try engine.fire(b, Command(.fire(event: "dismiss"), actor: Fixtures.coordinator, values: ["reason": .text("Einzelfall")]))
        try engine.fire(b, Command(.fire(event: "publish"), actor: Fixtures.coordinator, values: ["feedback": .text("Rückmeldung")]))

        clock.advance(by: Fixtures.day)
        let c = try harness.open("Beratung in Leichter Sprache fehlt")
        _ = try engine.redact(
            c, RedactionRequest(target: .field("title"), passage: "Leichter Sprache", reason: "Probe"), actor: Fixtures.coordinator)
        // The agenda is published (frozen), the meeting held and its decision recorded, a second decision taken in
        // writing, the minutes approved and corrected; another meeting is moved and cancelled.
        try engine.publishAgenda(meeting.id) { agenda in [("md", "agenda: \(agenda.items.map(\.number))")] }
        let spare = try engine.addMeeting(
            workflow: Fixtures.workflow, date: try Fixtures.date("2027-01-14"), time: nil, title: "Januar", place: nil)
        try engine.editMeeting(spare.id, MeetingChanges(date: try Fixtures.date("2027-01-21")))
        try engine.cancelMeeting(spare.id)
        try engine.saveBoardMember(BoardMember(name: "A. Landrat", body: "Kreis", deputy: "B. Vertreterin"), workflow: Fixtures.workflow)
        clock.advance(by: 13 * Fixtures.day)  // 10 December: the meeting
        try engine.recordAttendance(
            meeting.id, absent: [], deputized: ["A. Landrat"], chair: "B. Vertreterin", minuteTaker: "C. Protokoll", start: "14:00",
            end: "15:00")
        var deferral = Decision(
            entry: 1, ticket: a, event: "defer", values: ["decision_note": .text("Vertagt")], comment: nil, resolution: nil)
        deferral.vote = .counted(yes: 1, no: 0, abstentions: 0)
        _ = try engine.applyDecisions([deferral], meeting: meeting.id, actor: Fixtures.office, check: false)
        _ = try engine.applyDecisions(
            [
                Decision(
                    entry: 1, ticket: a, event: "direct_measure", values: ["decision_note": .text("Jobcenter handelt")], comment: nil,
                    resolution: "7/2026")
            ], meeting: nil, actor: Fixtures.office, check: false)
        try engine.approveMinutes(meeting.id) { record in [("md", "minutes: \(record.decisions.count)")] }
        try engine.correctMinutes(meeting.id, text: "Tippfehler") { record in [("md", "corrected: \(record.corrections.count)")] }

        let notices = try engine.noticesToDeliver()
        if let first = notices.first { try engine.markDelivered(first.id) }
        if notices.count > 1 { try engine.markFailed(notices[1].id, error: "mail server down", retryAfter: 600) }

        clock.advance(by: 45 * Fixtures.day)  // reminders and c's escalation become due
        try engine.fireDueTimers()

        clock.advance(by: 2 * 366 * Fixtures.day)  // b has been closed for longer than the retention period
        _ = try engine.purge(actor: Fixtures.admin, check: true)
        _ = try engine.purge(actor: Fixtures.admin, check: false)
        return [a, b, c]
    }
}

/// An error a test throws to end a transaction.
struct Abort: Error {}

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
