import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowSQLite

/// Seeded random durations and texts: a duration is accepted only within the limit and never traps when applied;
/// text with NUL and other control characters is stored and read back whole.
@Suite struct DurationAndTextFuzzTests {
    @Test func randomDurationsAreWithinTheLimitOrRefusedAndNeverTrap() throws {
        var random = SeededRandom(seed: 11)
        let calendar = try Fixtures.kimDefinition().calendar
        let designators: [(String, Bool)] = [("Y", false), ("M", false), ("W", false), ("D", false), ("H", true), ("M", true), ("S", true)]
        for _ in 0..<2000 {
            var text = "P"
            var inTime = false
            for (designator, timePart) in designators where Bool.random(using: &random) {
                if timePart && !inTime {
                    text += "T"
                    inTime = true
                }
                let digits = Int.random(in: 1...20, using: &random)
                text += String((0..<digits).map { _ in Character(String(Int.random(in: 0...9, using: &random))) }) + designator
            }
            guard let duration = ISODuration(text) else { continue }
            let end = Delay.duration(duration).apply(to: Fixtures.start, calendar: calendar)
            // Applied (clamped when over the limit), a delay never lands more than ten years and a few days away.
            #expect(end.timeIntervalSince(Fixtures.start) <= Double(Delay.maximumDays + 3) * 86_400, "\(text)")
            if duration.isWithinLimit { #expect(duration.approximateDays <= Double(Delay.maximumDays)) }
        }
    }

    @Test func textWithControlCharactersRoundTripsThroughTheStore() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder)
        var random = SeededRandom(seed: 12)
        let alphabet: [Character] = ["\u{0}", "\u{1}", "\u{1B}", "\r", "\n", "\t", "a", "ä", "€", "=", "\u{7F}", "\u{85}", " "]
        for _ in 0..<20 {
            let text =
                "Lücke " + String((0..<Int.random(in: 1...60, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? "a" })
            var values = Fixtures.gapValues
            values["description"] = .text(text)
            let id = try engine.open(workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.caseManager, values: values))
                .ticket.id
            #expect(try engine.ticket(id).fields["description"] == .text(text))
        }
        #expect(try engine.verifyHistory().verifies)
    }
}
