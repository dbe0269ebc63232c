import Foundation
import GapFlow
import GapFlowSQLite
import Testing

@testable import GapFlowCLI

@Suite("gapflow serve and the accounts behind it")
struct ServeCommandTests {
    @Test func aPasswordIsReadFromStandardInputNeverFromAnArgument() throws {
        let shell = Shell()
        try shell.prepareKIM()
        #expect(shell.run(["actor", "add", "admin", "--role", "admin"]).status == 0)
        let set = shell.run(["actor", "password", "koordination", "--as", "admin"], input: "ein-langes-passwort\n")
        #expect(set.status == 0, "\(set.errors)")
        #expect(set.output.contains("password of koordination set"))
        let engine = Engine(store: try SQLiteStore(path: shell.databasePath))
        #expect(try engine.authenticate(name: "koordination", password: "ein-langes-passwort")?.name == "koordination")

        let asArgument = shell.run(["actor", "password", "koordination", "ein-langes-passwort", "--as", "admin"], input: "")
        #expect(asArgument.status == 2, "a second positional is a usage error: passwords do not go on the command line")
        #expect(shell.run(["actor", "password", "koordination", "--as", "admin"], input: "").status == 2)
        let short = shell.run(["actor", "password", "koordination", "--as", "admin"], input: "kurz\n")
        #expect(short.status == 1)
        #expect(short.errors.contains("shorter than 12 characters"))
        let notAdmin = shell.run(["actor", "password", "ki.leitung", "--as", "koordination"], input: "noch-ein-passwort\n")
        #expect(notAdmin.status == 1)
        #expect(try engine.authenticate(name: "ki.leitung", password: "noch-ein-passwort") == nil)
    }

    @Test func aTokenIsPrintedOnceAndFindsItsActor() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let result = shell.run("actor", "token", "ki.leitung")
        #expect(result.status == 0)
        let token = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.count == 64)
        let engine = Engine(store: try SQLiteStore(path: shell.databasePath))
        #expect(try engine.actor(apiToken: token)?.name == "ki.leitung")
    }

    @Test func badServeOptionsAreUsageErrors() throws {
        let shell = Shell()
        try shell.prepareKIM()
        #expect(shell.run("serve", "--listen", "nirgendwo").status == 2)
        #expect(shell.run("serve", "--listen", "127.0.0.1:99999").status == 2)
        let lonely = shell.run("serve", "--trusted-header", "X-Remote-User")
        #expect(lonely.status == 2)
        #expect(lonely.errors.contains("--trusted-header and --trusted-proxy go together"))
        let withoutDoor = shell.run("serve", "--listen", "127.0.0.1:0")
        #expect(withoutDoor.status == 1, "the library CLI alone has no web front; the gapflow binary joins it")
        #expect(try ServeCommand.address("[::1]:8080") == ("::1", 8080))
        #expect(try ServeCommand.address(":9000") == ("127.0.0.1", 9000))
    }

    @Test func theBinaryServesUntilSIGTERMAndStopsCleanly() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gapflow")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "no gapflow executable at \(binary.path)")
        let child = Process()
        child.executableURL = binary
        child.currentDirectoryURL = Shell.repository
        child.arguments = ["serve", "--db", shell.databasePath, "--listen", "127.0.0.1:0"]
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        try child.run()
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
        var reader = LineReaderForTests(output.fileHandleForReading)
        let printed = reader.next()
        let first = try #require(printed, "the server printed nothing")
        let port = try #require(
            first.split(separator: ":").last.flatMap { UInt16($0.trimmingCharacters(in: CharacterSet(charactersIn: "/"))) })
        #expect(first.contains("serving \(shell.databasePath) on http://127.0.0.1:"))
        let health = try HTTPProbe.get(port: port, path: "/healthz")
        #expect(health.hasPrefix("HTTP/1.1 200"))
        #expect(health.hasSuffix("ok\n"))
        let login = try HTTPProbe.get(port: port, path: "/login")
        #expect(login.contains("<html lang=\"de\">") && login.contains("Anmelden"))
        kill(child.processIdentifier, SIGTERM)
        child.waitUntilExit()
        #expect(child.terminationStatus == 0)
        let rest = Array(AnyIterator { reader.next() })
        #expect(rest.last?.hasSuffix("stopped") == true)
    }
}

/// Lines of a pipe, read as they come.
struct LineReaderForTests {
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

/// One GET over a loopback socket, read to the end.
enum HTTPProbe {
    struct Failed: Error {}

    static func get(port: UInt16, path: String) throws -> String {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failed() }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failed() }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
