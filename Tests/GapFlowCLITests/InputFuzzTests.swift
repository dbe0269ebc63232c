import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

/// Seeded mutations of decisions files and import files: never a crash, always an answer (applied, or refused
/// with an error message), and a refused file changes nothing.
@Suite struct InputFuzzTests {
    static func mutate(_ text: String, _ random: inout SeededRandom) -> Data {
        var bytes = Array(text.utf8)
        for _ in 0...Int.random(in: 0...3, using: &random) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0: bytes[at] ^= UInt8.random(in: 1...255, using: &random)
            case 1: bytes = Array(bytes.prefix(at))
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...30, using: &random)))
            case 3: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 60)], at: Int.random(in: 0...bytes.count, using: &random))
            default: bytes.insert(contentsOf: Array("\"\(String(repeating: "ü", count: 5000))\"".utf8), at: at)
            }
        }
        return Data(bytes)
    }

    @Test func mutatedDecisionsFilesAreAppliedOrRefusedNeverCrash() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let id = try shell.openGap()
        #expect(shell.run("fire", id, "forward").status == 0)
        #expect(shell.run("fire", id, "table", "--as", "ki.leitung", "--set", "proposal=P").status == 0)
        #expect(shell.run("meeting", "add", "--date", "2026-12-10", "--title", "Dezember").status == 0)
        let valid = """
            {"meeting": 1, "decisions": [{"ticket": "\(id)", "event": "defer", "set": {"decision_note": "vertagt"}, "comment": "x"}]}
            """
        let before = shell.snapshot()
        var random = SeededRandom(seed: 11)
        let file = shell.folder.appendingPathComponent("d.json")
        for round in 0..<300 {
            try Self.mutate(valid, &random).write(to: file)
            let result = shell.run("decisions", "apply", file.path, "--check", "--as", "geschaeftsstelle")
            #expect([0, 1, 2].contains(result.status), "round \(round)")
            if result.status != 0 { #expect(result.errors.hasPrefix("error: "), "round \(round): \(result.errors)") }
        }
        #expect(shell.snapshot() == before)
    }

    @Test func mutatedImportFilesImportEverythingOrNothing() throws {
        let shell = Shell()
        try shell.prepareKIM()
        _ = try shell.openGap()
        #expect(shell.run("export", "--format", "jsonl", "--out", "full.jsonl").status == 0)
        let full = try String(contentsOf: shell.folder.appendingPathComponent("full.jsonl"), encoding: .utf8)
        var random = SeededRandom(seed: 12)
        for round in 0..<60 {
            let file = shell.folder.appendingPathComponent("m\(round).jsonl")
            try Self.mutate(full, &random).write(to: file)
            let target = shell.folder.appendingPathComponent("i\(round).sqlite").path
            let result = shell.run("import", file.path, "--db", target)
            #expect([0, 1].contains(result.status), "round \(round)")
            if result.status != 0 {
                #expect(result.errors.hasPrefix("error: "), "round \(round)")
                #expect(!FileManager.default.fileExists(atPath: target), "round \(round): a refused import left a database")
            } else {
                // A mutation inside a value imports; the audit then tells whether the history still verifies.
                #expect([0, 1].contains(shell.run("audit", "verify", "--db", target).status), "round \(round)")
            }
        }
    }

    /// A random text with formula prefixes, control characters, markup and wide graphemes.
    static func hostile(_ random: inout SeededRandom) -> String {
        let prefixes = ["", "=", "+", "-", "@", "\t", "\r", "＝", "#", "<", "[", "%%{", "\u{1B}[2J"]
        let pieces = [
            "Text", "ä", "\"", ";", ",", "\\", "|", "<script>", "[x](javascript:alert(1))", "\r\n", "\r", "\t", "\u{1B}]0;x\u{07}",
            "\u{7F}", "\u{9B}", "👨‍👩‍👧‍👦", "e\u{301}\u{301}", "=1+1", String(repeating: "A\u{301}\u{302}", count: 30),
        ]
        var text = prefixes.randomElement(using: &random) ?? ""
        for _ in 0..<Int.random(in: 1...8, using: &random) { text += pieces.randomElement(using: &random) ?? "" }
        return text
    }

    /// The cells of a semicolon-separated file, quotes removed (RFC 4180).
    static func csvCells(_ text: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var wasQuote = false
        for scalar in text.unicodeScalars.drop(while: { $0 == "\u{FEFF}" }) {
            if quoted {
                if scalar == "\"" {
                    quoted = false
                    wasQuote = true
                } else {
                    cell.unicodeScalars.append(scalar)
                }
                continue
            }
            if scalar == "\"" {
                if wasQuote { cell.unicodeScalars.append("\"") }  // a doubled quote inside a quoted cell
                quoted = true
            } else if scalar == ";" || scalar == "\n" {
                cells.append(cell)
                cell = ""
            } else if scalar != "\r" {
                cell.unicodeScalars.append(scalar)
            }
            wasQuote = false
        }
        return cells
    }

    /// Control characters (C0, DEL, C1) in `text`, apart from the `allowed` ones.
    static func controls(_ text: String, allowed: Set<Unicode.Scalar> = ["\n"]) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) && !allowed.contains($0) }
    }

    @Test func hostileTitlesComeOutOfTheTerminalAndEveryExportAsText() throws {
        let shell = Shell()
        try shell.prepareKIM()
        var random = SeededRandom(seed: 13)
        var meetings = 0
        for round in 0..<20 {
            // A meeting title with a control character is refused; any other is taken as it is.
            let title = Self.hostile(&random)
            let added = shell.run(
                "meeting", "add", "--date", "2027-01-\(String(round + 4).leftPadded(to: 2))", "--title", title, "--place", title)
            let refusable = !Self.controls(title, allowed: []).isEmpty
            #expect((added.status != 0) == refusable, "round \(round): \(title.debugDescription) \(added.errors)")
            if added.status == 0 {
                meetings += 1
            } else {
                #expect(added.errors.hasPrefix("error: ") && Self.controls(added.errors).isEmpty)
            }
            // A ticket's title takes everything but line breaks; its proposal takes everything.
            let text = Self.hostile(&random)
            let oneLine = { (text: String) in String(text.map { $0.isNewline ? " " : $0 }) }
            let opened = shell.run(
                "open", "systemic-gap-escalation", "--as", "cm.siegburg", "--set", "title=\(oneLine(text))", "--set", "description=\(text)",
                "--set", "target_group=\(oneLine(Self.hostile(&random)))", "--set", "legal_domains=SGB II")
            try #require(opened.status == 0, "round \(round): \(opened.errors)")
            let id = opened.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(shell.run("fire", id, "forward", "--comment", text).status == 0)
            #expect(shell.run("fire", id, "table", "--as", "ki.leitung", "--set", "proposal=\(text)").status == 0)
            for arguments in [["show", id], ["history", id]] {
                let result = shell.run(arguments)
                #expect(result.status == 0 && Self.controls(result.output).isEmpty, "round \(round): \(arguments)")
            }
        }
        #expect(meetings > 0)
        let list = shell.run("list")
        #expect(list.status == 0 && Self.controls(list.output).isEmpty)
        let meetingList = shell.run("meeting", "list")
        #expect(Self.controls(meetingList.output).isEmpty)
        let csv = shell.run("agenda", "--meeting", "next", "--format", "csv").output
        let cells = Self.csvCells(csv)
        #expect(cells.count > 14)
        // A cell a spreadsheet would run: a formula prefix first, and not a plain number (a quote mark neutralises it).
        let formulas = cells.filter { cell in
            cell.unicodeScalars.first.map { "=+-@\t\r\n＝＋－＠".unicodeScalars.contains($0) } == true
                && cell.wholeMatch(of: /[+-]?[0-9]+([.,][0-9]+)?/) == nil
        }
        #expect(formulas.isEmpty, "\(formulas)")
        let markdown = shell.run("agenda", "--meeting", "next", "--format", "md").output
        #expect(
            !markdown.contains("<script") && !markdown.replacingOccurrences(of: "\\]", with: "").contains("](")
                && Self.controls(markdown).isEmpty)
        let ics = shell.run("meeting", "ics").output
        #expect(Self.controls(ics.replacingOccurrences(of: "\r\n", with: ""), allowed: ["\t"]).isEmpty)
        #expect(ics.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        #expect(ics.components(separatedBy: "BEGIN:VEVENT").count == meetings + 1)
    }
}
