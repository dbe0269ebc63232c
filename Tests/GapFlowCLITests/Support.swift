import Foundation
import GapFlow
import Testing

@testable import GapFlowCLI

/// Runs `gapflow` in-process in a temporary working folder, with a manual clock and captured output.
final class Shell {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let workflows = repository.appendingPathComponent("Workflows").path
    static let fixtures = repository.appendingPathComponent("Tests/GapFlowTests/Fixtures").path

    let folder: URL
    let clock = ManualClock(Date(timeIntervalSince1970: 1_795_593_600))  // 2026-11-25 09:00 in Berlin
    var variables: [String: String] = ["USER": "koordination"]
    /// The operating-system account the commands run as (recorded in history entries beside the actor).
    var accountName: String? = "gapflow-test"

    struct Result {
        let status: Int32
        let output: String
        let errors: String
    }

    init() {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    var databasePath: String { folder.appendingPathComponent("gapflow.sqlite").path }

    @discardableResult
    func run(_ arguments: String...) -> Result { run(arguments) }

    @discardableResult
    func run(_ arguments: [String], input: String? = nil) -> Result {
        let output = Output.capture()
        let errors = Output.capture()
        var environment = Environment(
            variables: variables, workingDirectory: folder, clock: clock, output: output, errors: errors, accountName: accountName)
        if let input {
            let pipe = Pipe()
            pipe.fileHandleForWriting.write(Data(input.utf8))
            try? pipe.fileHandleForWriting.close()
            environment.input = pipe.fileHandleForReading
        }
        let status = CLI.run(arguments, environment: environment)
        return Result(status: status, output: output.text, errors: errors.text)
    }

    /// A database with the KIM workflow and one actor per role.
    func prepareKIM() throws {
        try #require(run("init", "--workflows", Shell.workflows).status == 0)
        for (name, role, municipality) in [
            ("koordination", "cm_coordination", nil), ("cm.siegburg", "cm", "Siegburg"), ("ki.leitung", "ki_lead", nil),
            ("geschaeftsstelle", "steering_office", nil), ("pg.sprache", "project_group", nil),
        ] as [(String, String, String?)] {
            let result = run(["actor", "add", name, "--role", role] + (municipality.map { ["--municipality", $0] } ?? []))
            try #require(result.status == 0, "\(result.errors)")
        }
    }

    /// The demo, built from the repository's workflows and samples into `database` in the temporary folder.
    func runDemo(into database: String) throws -> Result {
        let result = run(
            "demo", "--db", database, "--workflows", Shell.workflows, "--samples", Shell.repository.appendingPathComponent("samples").path)
        try #require(result.status == 0, "\(result.errors)")
        return result
    }

    /// Opens a gap as the Siegburg case manager and returns its id.
    func openGap(title: String = "Kinderbetreuung fehlt") throws -> String {
        let result = run(
            "open", "systemic-gap-escalation", "--as", "cm.siegburg", "--set", "title=\(title)",
            "--set", "description=Keine Betreuung während der Kurse", "--set", "legal_domains=SGB VIII,AufenthG")
        try #require(result.status == 0, "\(result.errors)")
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Everything stored, as the CLI shows it: every ticket with its full history.
    func snapshot() -> String {
        let list = run("list", "--json")
        var text = list.output
        if let node = try? JSONParser.parse(list.output), let tickets = node.elements {
            for ticket in tickets {
                if let id = ticket.members?.first(where: { $0.key == "id" })?.value.string { text += run("history", id, "--json").output }
            }
        }
        return text
    }
}
