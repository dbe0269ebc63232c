import Foundation
import GapFlow

/// `gapflow-bench guard`: the personal-data guard on 1 MB values of several kinds, against one pass of a trivial
/// regular expression over the same text (the cost of merely reading it with ICU) in the same run.
enum GuardBench {
    static func run() {
        let kinds: [(String, String)] = [
            (
                "ordinary German gap text",
                String(repeating: "Mütter mit Kleinkindern können Integrationskurse nicht besuchen. ", count: 16_000)
            ),
            ("capitalised nouns only", String(repeating: "Mütter Kinder Kurse Träger ", count: 40_000)),
            ("one long run of letters", String(repeating: "a", count: 1_000_000)),
            ("'a@' repeated (worst case for e-mail)", String(repeating: "a@", count: 500_000)),
            ("personal data everywhere", String(repeating: "Herr Max Mustermann geb. 01.02.1980, max@example.org. ", count: 18_000)),
        ]
        let trivial = try? NSRegularExpression(pattern: "§")
        print("| 1 MB value | guard | baseline (one trivial ICU pass) | ratio |\n|---|---|---|---|")
        for (name, text) in kinds {
            var findings = 0
            let guardSeconds = seconds { findings = PersonalDataGuard.scan(text, field: "description").count }
            let baseline = seconds { _ = trivial?.matches(in: text, range: NSRange(text.startIndex..., in: text)) }
            print(
                "| \(name) (\(findings) findings) | \(String(format: "%.3f", guardSeconds)) s | \(String(format: "%.3f", baseline)) s "
                    + "| \(String(format: "%.0f", guardSeconds / max(baseline, 1e-9)))× |")
        }
    }
}
