import Foundation
import GapFlow

/// `gapflow-bench guard`: the personal-data guard on 1 MB values of several kinds, each against a plain pass over the
/// same text that counts its Unicode scalars (the least any scanner must do), measured in the same run and the same way.
enum GuardBench {
    /// The target of issue 11: a 1 MB value checked in under 50 ms.
    static let targetMilliseconds = 50.0
    static let runs = 5

    /// `text` repeated until it is 1 MB (1,000,000 bytes of UTF-8, cut at a scalar boundary).
    static func megabyte(_ text: String) -> String {
        var result = String(repeating: text, count: 1_000_000 / max(1, text.utf8.count) + 1)
        while result.utf8.count > 1_000_000 { result.removeLast() }
        return result
    }

    static let kinds: [(String, String)] = [
        (
            "ordinary German gap text",
            megabyte(
                "Mütter mit Kleinkindern können Integrationskurse nicht besuchen; die Sitzung am 12.03.2027 hat nach § 24 "
                    + "AufenthG in 7 Fällen beraten. Die Ausländerbehörde in der Bahnhofstraße vergibt Termine online.\n")
        ),
        ("dense digits", megabyte("0176 1234 02241 13-2345 12.03.2027 4711 0815 123456789012 ")),
        ("digits without spaces", megabyte("1234567890")),
        ("'a@' repeated (worst case for e-mail)", megabyte("a@")),
        ("'@' between long words", megabyte(String(repeating: "x", count: 300) + "@")),
        ("all capitals", megabyte("FRAU KARIMI HERR YILMAZ STRASSE AZR GDB DIALYSE HIV ")),
        ("capitalised nouns only", megabyte("Mütter Kinder Kurse Träger Frau Herr Familie ")),
        ("one long run of letters", megabyte("a")),
        (
            "many Unicode scripts",
            megabyte(
                "العربية Кириллица 中文字符 日本語のテキスト 한국어 עברית ελληνικά हिन्दी 🙂👍🏽 e\u{301}\u{200F}\u{202E}x\u{200B}y ")
        ),
        ("personal data everywhere", megabyte("Frau Ayşe Yılmaz, geb. 01.02.1980, a.b@example.org, 0176 23456789, Hauptstr. 5a. ")),
    ]

    /// Prints, per kind of value, the time of the scanner alone and of the guard as the engine runs it (findings with
    /// their messages), and the baseline's, as CPU time of the measuring thread (best of ``runs``: on a shared machine
    /// wall time mostly measures the neighbours), and the guard's median wall time.
    static func run() {
        // The engine's path: the findings with their messages in the KIM workflow's words.
        let kim = DefinitionLoader.load(contentsOf: URL(fileURLWithPath: "Workflows/systemic-gap-escalation.json")).definition
        let policy = kim?.personalData ?? PersonalDataPolicy()
        if kim == nil { print("(Workflows/systemic-gap-escalation.json not found: messages in neutral words)") }
        print(
            "| 1 MB value | findings | scan, CPU | with messages, CPU | baseline: count the scalars, CPU | ratio | "
                + "with messages, wall (median) |\n|---|---|---|---|---|---|---|")
        var slowest = 0.0
        for (name, text) in kinds {
            var findings = 0
            var scanTimes: [Double] = []
            var guardTimes: [(cpu: Double, wall: Double)] = []
            var baselineTimes: [Double] = []
            for _ in 0..<runs {
                scanTimes.append(measured { findings = PersonalDataGuard.matches(in: text).count }.cpu)
                guardTimes.append(
                    measured { findings = PersonalDataGuard.scan(text, field: "description", title: "Beschreibung", policy: policy).count })
                var scalars = 0
                baselineTimes.append(measured { for _ in text.unicodeScalars { scalars += 1 } }.cpu)
                if scalars == 0 { print("empty text") }
            }
            let scanMs = (scanTimes.min() ?? 0) * 1000
            let guardMs = (guardTimes.map(\.cpu).min() ?? 0) * 1000
            let wallMs = median(guardTimes.map(\.wall)) * 1000
            let baselineMs = (baselineTimes.min() ?? 0) * 1000
            slowest = max(slowest, guardMs)
            print(
                "| \(name) | \(findings) | \(format(scanMs)) ms | \(format(guardMs)) ms | \(format(baselineMs)) ms "
                    + "| \(format(guardMs / max(baselineMs, 1e-6)))× | \(format(wallMs)) ms |")
        }
        print(
            "\nslowest, with messages: \(format(slowest)) ms of CPU per MB (best of \(runs) runs); target < "
                + "\(Int(targetMilliseconds)) ms: "
                + (slowest < targetMilliseconds ? "met" : "NOT met"))
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    /// The CPU time of this thread and the wall time that `body` takes.
    static func measured(_ body: () -> Void) -> (cpu: Double, wall: Double) {
        func threadCPU() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
        let cpu = threadCPU()
        let wall = seconds(body)
        return (threadCPU() - cpu, wall)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
