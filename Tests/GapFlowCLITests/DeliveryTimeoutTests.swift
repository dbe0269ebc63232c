import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

/// `outbox deliver` must stop a delivery command at its timeout whatever the command does with its input.
@Suite struct DeliveryTimeoutTests {
    static let message = String(repeating: "Bitte ansehen. ", count: 5_000)

    /// A workflow whose opening sends a notice with a message longer than a pipe's buffer (64 KB).
    static let noticeWorkflow = """
        {
          "id": "notices", "version": 1, "title": "Notices", "ticketPrefix": "N",
          "roles": { "clerk": "Clerk" },
          "fields": { "title": { "type": "text", "title": "Title" } },
          "initial": { "state": "open", "roles": ["clerk"], "requires": ["title"] },
          "states": {
            "open": { "title": "Open", "owner": "clerk", "onEnter": [ { "notify": "clerk", "message": "\(message)" } ] },
            "done": { "title": "Done", "final": true }
          },
          "transitions": [ { "event": "finish", "title": "Finish", "from": "open", "to": "done", "roles": ["clerk"] } ]
        }
        """

    /// A shell with the notice workflow and its clerk, and one ticket whose opening sent the large notice.
    static func shellWithLargeNotice() throws -> Shell {
        let shell = Shell()
        let folder = shell.folder.appendingPathComponent("Workflows")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try noticeWorkflow.write(to: folder.appendingPathComponent("notices.json"), atomically: true, encoding: .utf8)
        try #require(shell.run("init", "--workflows", folder.path).status == 0)
        try #require(shell.run("actor", "add", "clerk", "--role", "clerk").status == 0)
        let opened = shell.run("open", "notices", "--as", "clerk", "--set", "title=Lücke")
        try #require(opened.status == 0, "\(opened.errors)")
        let notice = try #require(try JSONParser.parse(shell.run("outbox", "list", "--json").output).elements?.first)
        try #require((notice["notice"]?["message"]?.string?.utf8.count ?? 0) > 65_536, "the notice must not fit in a pipe's buffer")
        return shell
    }

    /// A notice larger than a pipe's buffer to a command that never reads it: writing it used to block until the
    /// command ended by itself, so the timeout never applied and the notice counted as delivered.
    @Test(.timeLimit(.minutes(1))) func aCommandThatNeverReadsALargeNoticeIsStoppedAtTheTimeout() throws {
        let shell = try Self.shellWithLargeNotice()
        let started = Date()
        let result = shell.run("outbox", "deliver", "--exec", "sleep 5", "--timeout", "0.3")
        #expect(Date().timeIntervalSince(started) < 4, "deliver waited for the command instead of stopping it")
        #expect(result.status == 1)
        #expect(result.output.contains("timed out after 0.3 s"), "\(result.output)")
        let listed = try #require(try JSONParser.parse(shell.run("outbox", "list", "--json").output).elements?.first)
        #expect(listed["deliveredAt"]?.string == nil, "a notice whose delivery timed out is not delivered")
        #expect(listed["attempts"]?.integer == 1)
    }

    /// The non-blocking pipe still hands over the whole notice, a piece at a time, to a command that reads it.
    @Test func aLargeNoticeReachesACommandThatReadsItWhole() throws {
        let shell = try Self.shellWithLargeNotice()
        let result = shell.run("outbox", "deliver", "--exec", "cat > received.json", "--timeout", "20")
        #expect(result.status == 0, "\(result.errors)")
        let received = try JSONParser.parse(Array(try Data(contentsOf: shell.folder.appendingPathComponent("received.json"))))
        #expect(received["message"]?.string == Self.message)
    }
}
