import Foundation
import Testing

/// schemathesis (from PyPI, in the tests' virtual environment) fuzzes the JSON API of a real `gapflow serve` from
/// its OpenAPI document, a bounded number of cases per operation: no answer may be a 5xx, and every answer must match
/// the document (status, content type, body schema).
@Suite struct APIFuzzTests {
    static let venv = Repository.root.appendingPathComponent(".build/browser-venv/bin")

    @Test func schemathesisFindsNoServerErrorAndNoAnswerOutsideTheDocument() throws {
        let gapflow = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gapflow")
        try #require(FileManager.default.isExecutableFile(atPath: gapflow.path), "no gapflow executable at \(gapflow.path)")
        if !FileManager.default.isExecutableFile(atPath: Self.venv.appendingPathComponent("schemathesis").path) {
            let (status, text) = try BrowserTests.run(Repository.root.appendingPathComponent("samples/browser-setup.sh"), [])
            try #require(status == 0, "samples/browser-setup.sh could not prepare the API fuzzing:\n\(text)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("fuzz.sqlite").path
        for arguments in [
            ["init", "--db", database], ["actor", "add", "admin", "--role", "admin", "--db", database],
            ["actor", "add", "koordination", "--role", "cm_coordination", "--as", "admin", "--db", database],
            [
                "open", "systemic-gap-escalation", "--as", "koordination", "--db", database, "--set", "title=Keine Abendkurse",
                "--set", "description=Berufstätige können tagsüber nicht.", "--set", "municipality=Siegburg",
            ],
        ] {
            let (status, text) = try BrowserTests.run(gapflow, arguments)
            try #require(status == 0, "gapflow \(arguments.joined(separator: " ")) failed:\n\(text)")
        }
        let (tokenStatus, token) = try BrowserTests.run(gapflow, ["actor", "token", "koordination", "--as", "admin", "--db", database])
        try #require(tokenStatus == 0, "no token: \(token)")

        let server = Process()
        server.executableURL = gapflow
        server.arguments = ["serve", "--db", database, "--listen", "127.0.0.1:0"]
        server.currentDirectoryURL = Repository.root
        let output = Pipe()
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            if server.isRunning { server.terminate() }
            server.waitUntilExit()
        }
        var reader = LineReader(output.fileHandleForReading)
        let first = reader.next()
        let address = try #require(first?.split(separator: " ").last.map(String.init), "the server printed no address")
        let (status, text) = try BrowserTests.run(
            Self.venv.appendingPathComponent("schemathesis"),
            [
                "run", address + "api/openapi.json", "-H", "Authorization: Bearer \(token.trimmingCharacters(in: .whitespacesAndNewlines))",
                "--max-examples", "25", "--seed", "20261125", "--no-color",
                "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance",
            ], in: folder)  // schemathesis keeps a cache in its working folder: the test's own, not the repository
        #expect(status == 0, "schemathesis found problems:\n\(text)")
    }
}

/// The real binary, as systemd runs it.
@Suite struct ServedBinaryTests {
    @Test func theBinaryServesUntilSIGTERMAndStopsCleanly() throws {
        let gapflow = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gapflow")
        try #require(FileManager.default.isExecutableFile(atPath: gapflow.path), "no gapflow executable at \(gapflow.path)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gapflow-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("serve.sqlite").path
        let (initialised, text) = try BrowserTests.run(gapflow, ["init", "--db", database])
        try #require(initialised == 0, "gapflow init failed:\n\(text)")
        let child = Process()
        child.executableURL = gapflow
        child.currentDirectoryURL = Repository.root
        child.arguments = ["serve", "--db", database, "--listen", "127.0.0.1:0"]
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        try child.run()
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
        var reader = LineReader(output.fileHandleForReading)
        let printed = reader.next()
        let first = try #require(printed, "the server printed nothing")
        #expect(first.contains("serving \(database) on http://127.0.0.1:"))
        let port = try #require(
            first.split(separator: ":").last.flatMap { UInt16($0.trimmingCharacters(in: CharacterSet(charactersIn: "/"))) })
        let health = try Loopback.exchange(port, "GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        #expect(health.status == 200 && health.body == "ok\n")
        let login = try Loopback.exchange(port, "GET /login HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        #expect(login.body.contains("<html lang=\"de\">") && login.body.contains("Anmelden"))
        kill(child.processIdentifier, SIGTERM)
        child.waitUntilExit()
        #expect(child.terminationStatus == 0)
        let rest = Array(AnyIterator { reader.next() })
        #expect(rest.last?.hasSuffix("stopped") == true)
    }
}

/// Lines of a pipe, read as they come.
struct LineReader {
    let handle: FileHandle
    var buffer: [UInt8] = []

    init(_ handle: FileHandle) { self.handle = handle }

    mutating func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let data = handle.availableData
            if data.isEmpty { return buffer.isEmpty ? nil : String(decoding: buffer, as: UTF8.self) }
            buffer += data
        }
    }
}
