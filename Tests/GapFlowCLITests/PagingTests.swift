import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

/// `list` and `queue` show a page, never the whole database, and go on after a cursor (issue 15).
@Suite struct PagingTests {
    private func ids(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("GAP-") }.map(String.init)
        }
    }

    @Test func theListGoesOnAfterTheLastTicketOfAPage() throws {
        let shell = Shell()
        _ = try shell.runDemo(into: "demo.sqlite")
        let all = ids(shell.run("list", "--db", "demo.sqlite").output)
        try #require(all.count > 6)
        let first = shell.run("list", "--limit", "3", "--db", "demo.sqlite")
        #expect(ids(first.output) == Array(all.prefix(3)))
        #expect(first.errors.contains("--after \(all[2])"), "a full page says how to get the next: \(first.errors)")
        let second = shell.run("list", "--limit", "3", "--after", all[2], "--db", "demo.sqlite")
        #expect(ids(second.output) == Array(all[3..<6]))
        let rest = shell.run("list", "--after", all[5], "--db", "demo.sqlite")
        #expect(ids(rest.output) == Array(all.dropFirst(6)))
        #expect(!rest.errors.contains("--after"), "the last page is not full")
        let unknown = shell.run("list", "--after", "GAP-1999-0001", "--db", "demo.sqlite")
        #expect(unknown.status != 0 && unknown.errors.contains("GAP-1999-0001"))
    }

    @Test func theQueueGoesOnAfterTheLastTicketOfAPage() throws {
        let shell = Shell()
        _ = try shell.runDemo(into: "demo.sqlite")
        let all = ids(shell.run("queue", "--as", "koordination", "--db", "demo.sqlite").output)
        try #require(all.count > 2)
        let first = shell.run("queue", "--as", "koordination", "--limit", "2", "--db", "demo.sqlite")
        #expect(ids(first.output) == Array(all.prefix(2)))
        #expect(first.errors.contains("--after \(all[1])"))
        let second = shell.run("queue", "--as", "koordination", "--after", all[1], "--db", "demo.sqlite")
        #expect(ids(second.output) == Array(all.dropFirst(2)))
    }
}
