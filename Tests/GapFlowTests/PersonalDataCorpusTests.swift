import Foundation
import Testing

@testable import GapFlow

/// The guard against the project's corpus of German gap texts (Fixtures/personal-data-corpus): recall on texts with
/// personal data, false alarms on texts without. The figures in the README come from this test's output.
@Suite struct PersonalDataCorpusTests {
    /// One example of the corpus: its text and, for texts with personal data, the categories an officer would flag.
    struct Example {
        let line: Int
        let text: String
        let expected: [String]
    }

    /// Reads a corpus file: examples start with a line "---" (followed by category keys in `with.txt`) and run to the
    /// next one; lines starting with "#" before the first example are comments.
    static func examples(_ name: String) throws -> [Example] {
        let url = Repository.fixtures.appendingPathComponent("personal-data-corpus").appendingPathComponent(name)
        let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        var examples: [Example] = []
        var current: (line: Int, expected: [String], text: [String])?
        func close() {
            guard let open = current else { return }
            var text = open.text
            while text.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { text.removeLast() }
            examples.append(Example(line: open.line, text: text.joined(separator: "\n"), expected: open.expected))
        }
        for (offset, line) in lines.enumerated() {
            if line.hasPrefix("---") {
                close()
                let keys = line.dropFirst(3).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                current = (offset + 1, keys, [])
            } else if current != nil {
                current?.text.append(line)
            }
        }
        close()
        return examples
    }

    @Test func theCorpusHasAtLeastAHundredExamplesOfEachKindAndOnlyKnownCategories() throws {
        let with = try Self.examples("with.txt")
        let without = try Self.examples("without.txt")
        #expect(with.count >= 100)
        #expect(without.count >= 100)
        let known = Set(PersonalDataGuard.Category.allCases.map(\.rawValue))
        for example in with {
            #expect(!example.expected.isEmpty, "with.txt:\(example.line) names no category")
            for key in example.expected { #expect(known.contains(key), "with.txt:\(example.line): unknown category \(key)") }
            #expect(!example.text.isEmpty, "with.txt:\(example.line) is empty")
        }
        for example in without { #expect(!example.text.isEmpty, "without.txt:\(example.line) is empty") }
        // Every category is in the corpus.
        #expect(known.subtracting(with.flatMap(\.expected)).isEmpty)
    }

    /// Recall and false alarms of the guard on a pair of corpus files, with what it missed and what it flagged wrongly.
    struct Score {
        var recall: Double
        var falseAlarms: Double
        var lines: [String]
    }

    static func score(with withName: String, without withoutName: String) throws -> Score {
        let with = try examples(withName)
        let without = try examples(withoutName)
        var missed: [Example] = []
        var categoryHits = 0
        var categoryTotal = 0
        var categoryMisses: [String] = []
        for example in with {
            let found = Set(PersonalDataGuard.matches(in: example.text).map(\.category.rawValue))
            if found.isEmpty { missed.append(example) }
            for key in example.expected {
                categoryTotal += 1
                if found.contains(key) { categoryHits += 1 } else { categoryMisses.append("\(withName):\(example.line) \(key)") }
            }
        }
        var alarms: [(Example, [String])] = []
        for example in without {
            let matches = PersonalDataGuard.matches(in: example.text)
            if !matches.isEmpty {
                alarms.append((example, matches.map { "\($0.category.rawValue) \"\($0.excerpt(of: example.text))\"" }))
            }
        }
        let recall = Double(with.count - missed.count) / Double(with.count)
        let falseAlarms = Double(alarms.count) / Double(without.count)
        var lines = [
            "personal-data corpus \(withName) / \(withoutName): recall \(with.count - missed.count)/\(with.count) = "
                + "\(String(format: "%.1f", recall * 100)) %, false alarms \(alarms.count)/\(without.count) = "
                + "\(String(format: "%.1f", falseAlarms * 100)) %, categories named \(categoryHits)/\(categoryTotal)"
        ]
        lines += missed.map { "missed \(withName):\($0.line): \($0.text)" }
        lines += alarms.map { "false alarm \(withoutName):\($0.0.line): \($0.1.joined(separator: "; "))" }
        lines += categoryMisses.map { "category not named: \($0)" }
        return Score(recall: recall, falseAlarms: falseAlarms, lines: lines)
    }

    @Test func recallIsAtLeast95PercentAndFalseAlarmsAtMost2Percent() throws {
        let score = try Self.score(with: "with.txt", without: "without.txt")
        for line in score.lines { print(line) }
        #expect(score.recall >= 0.95, "recall \(score.recall)")
        #expect(score.falseAlarms <= 0.02, "false alarms \(score.falseAlarms)")
    }

    /// The held-out texts were written after the scanner: their figures are reported, not required (the README gives
    /// them). The first set was measured once (recall 83.3 %, false alarms 1.7 %) and then tuned on; the second was
    /// written after that and is never tuned on.
    @Test(arguments: [("holdout-with.txt", "holdout-without.txt"), ("holdout2-with.txt", "holdout2-without.txt")])
    func theHeldOutTextsAreScoredAndReported(with: String, without: String) throws {
        let score = try Self.score(with: with, without: without)
        for line in score.lines { print(line) }
        #expect(try Self.examples(with).count >= 40)
        #expect(try Self.examples(without).count >= 40)
    }
}
