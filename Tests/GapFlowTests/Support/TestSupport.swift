import Foundation
import GapFlow
import GapFlowSQLite
import Testing

/// Paths of the repository, found from this file so tests run from any working directory.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let kimFile = root.appendingPathComponent("Workflows/systemic-gap-escalation.json")
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
}

/// A unique temporary folder, removed when the value goes away.
final class TemporaryFolder: Sendable {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

enum Fixtures {
    /// 2026-11-25 09:00 in Berlin (08:00 UTC).
    static let start = Date(timeIntervalSince1970: 1_795_593_600)

    static func kimDefinition() throws -> Definition {
        let result = DefinitionLoader.load(contentsOf: Repository.kimFile)
        return try #require(result.definition, "KIM file invalid: \(result.diagnostics)")
    }

    /// Loads a definition from text, failing the test with the diagnostics if it is invalid.
    static func definition(_ text: String) throws -> Definition {
        let result = DefinitionLoader.load(source: Array(text.utf8), file: "test.json")
        return try #require(result.definition, "invalid: \(result.diagnostics.map(\.description))")
    }

    static let coordinator = Actor(name: "koordination", roles: ["cm_coordination"])
    static let caseManager = Actor(name: "cm.siegburg", roles: ["cm"], municipality: "Siegburg")
    static let kiLead = Actor(name: "ki.leitung", roles: ["ki_lead"])
    static let office = Actor(name: "geschaeftsstelle", roles: ["steering_office"])
    static let projectGroup = Actor(name: "pg.sprache", roles: ["project_group"])

    /// Where a test's engine keeps its tickets: the SQLite file (for tests of the store, files, locks and the raw
    /// database), or memory (for tests of the engine alone, which the store conformance suite shows behaves the same).
    enum Store: Sendable, CaseIterable {
        case sqlite, memory
    }

    /// A fresh engine on a fresh store with the KIM workflow and the fixture actors registered; an SQLite store is
    /// the file `test.sqlite` in `folder`.
    static func kimEngine(in folder: TemporaryFolder, clock: ManualClock = ManualClock(start), store kind: Store = .sqlite) throws -> Engine
    {
        let store: any TicketStore =
            switch kind {
            case .sqlite: try SQLiteStore(path: folder.path("test.sqlite"), mode: .create)
            case .memory: MemoryStore()
            }
        let engine = Engine(store: store, clock: clock)
        try engine.register(source: Array(try Data(contentsOf: Repository.kimFile)), file: Repository.kimFile.path)
        for actor in [coordinator, caseManager, kiLead, office, projectGroup] { try engine.saveActor(actor) }
        return engine
    }

    static let gapValues: [String: FieldInput] = [
        "title": .text("Sprachkurse für Eltern mit Kleinkindern fehlen"),
        "description": .text("Kinderbetreuung während Integrationskursen ist im Kreis nicht verfügbar."),
        "municipality": .text("Siegburg"),
    ]
}

extension Command {
    /// The board's decision on `event`, taken in writing under `resolution` (the board's events need one).
    static func decided(_ event: String, by actor: Actor, values: [String: FieldInput], resolution: String) -> Command {
        var command = Command(.fire(event: event), actor: actor, values: values)
        command.decision = DecisionRecord(resolution: resolution)
        return command
    }
}
