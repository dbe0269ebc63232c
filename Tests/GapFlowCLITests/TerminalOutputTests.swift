import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

/// What a ticket's fields hold reaches the admin's terminal as visible text, never as escape sequences.
@Suite struct TerminalOutputTests {
    /// Control characters (C0, DEL, C1) in `text`, apart from line ends.
    static func controls(_ text: String) -> [String] {
        text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }.map {
            "U+" + String($0.value, radix: 16)
        }
    }

    static let title = "\u{1B}]0;pwned\u{07}\u{1B}[31mRot\u{9B}2J\tEnde"

    func prepared() throws -> (Shell, String) {
        let shell = Shell()
        try shell.prepareKIM()
        let opened = shell.run(
            "open", "systemic-gap-escalation", "--as", "cm.siegburg", "--set", "title=\(Self.title)",
            "--set", "description=Zeile 1\rZeile 2\u{1B}[2K\r\nZeile 3", "--set", "legal_domains=SGB VIII")
        try #require(opened.status == 0, "\(opened.errors)")
        let id = opened.output.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(shell.run("fire", id, "forward", "--comment", "weiter\u{1B}[1A\u{1B}[2K").status == 0)
        return (shell, id)
    }

    @Test func listShowAndHistoryPrintControlCharactersVisibly() throws {
        let (shell, id) = try prepared()
        for arguments in [["list"], ["show", id], ["history", id], ["queue", "--as", "ki.leitung"]] {
            let result = shell.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.errors)")
            #expect(Self.controls(result.output) == [], "\(arguments): \(result.output.debugDescription)")
        }
        #expect(shell.run("list").output.contains("^[]0;pwned^G^[[31mRot\u{FFFD}2J^IEnde"))
        let show = shell.run("show", id).output
        #expect(show.contains("^[]0;pwned^G^[[31mRot\u{FFFD}2J^IEnde"))
        #expect(show.contains("Zeile 1^MZeile 2^[[2K^M^JZeile 3"))
        #expect(shell.run("history", id).output.contains("„weiter^[[1A^[[2K“"))
        // JSON keeps the text as stored: it escapes control characters itself.
        let json = try JSONParser.parse(shell.run("show", id, "--json").output)
        #expect(json["fields"]?["title"]?.string == Self.title)
    }
}
