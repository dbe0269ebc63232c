import Foundation
import Testing

@testable import GapFlow

/// Every delay a definition can declare is bounded (ten years), so no timer arithmetic overflows or runs for long.
@Suite struct DurationLimitTests {
    /// A minimal workflow whose open state has one timer with the given delay.
    private func load(delay: String) -> LoadResult {
        let source = """
            {
              "id": "limits", "version": 1, "title": "Limits", "ticketPrefix": "LIM",
              "roles": { "clerk": "Clerk" },
              "fields": { "title": { "type": "text", "title": "Title" } },
              "initial": { "state": "open", "roles": ["clerk"], "requires": ["title"] },
              "states": {
                "open": { "title": "Open", "owner": "clerk", "timers": [ { "id": "late", "after": \(delay), "notify": "clerk" } ] },
                "done": { "title": "Done", "final": true }
              },
              "transitions": [ { "event": "finish", "title": "Finish", "from": "open", "to": "done", "roles": ["clerk"] } ]
            }
            """
        return DefinitionLoader.load(source: Array(source.utf8), file: "limits.json")
    }

    @Test(arguments: [
        "\"PT9223372036854775807H\"", "\"P999999999999999Y\"", "\"P11Y\"", "\"P3654D\"", "{ \"businessDays\": 100000000 }",
        "{ \"businessDays\": 9223372036854775807 }", "{ \"businessDays\": 2501 }",
    ])
    func delaysLongerThanTenYearsAreRefusedWithTheirPlace(delay: String) {
        let result = load(delay: delay)
        #expect(result.definition == nil)
        #expect(result.diagnostics.contains { $0.code == .invalidValue && $0.path.hasPrefix("states.open.timers[0].after") }, "\(delay)")
    }

    @Test(arguments: ["\"P10Y\"", "\"P3653D\"", "\"PT87672H\"", "{ \"businessDays\": 2500 }", "\"P14D\""])
    func delaysUpToTenYearsAreAccepted(delay: String) {
        #expect(load(delay: delay).definition != nil, "\(load(delay: delay).diagnostics)")
    }

    @Test func applyingAnOversizedDelayNeverTrapsAndStaysWithinTheLimit() throws {
        let calendar = try Fixtures.kimDefinition().calendar
        let start = Fixtures.start
        let huge = try #require(ISODuration("PT9223372036854775807H"))
        let limit = start.addingTimeInterval(Double(Delay.maximumDays + 2) * 86_400)
        #expect(Delay.duration(huge).apply(to: start, calendar: calendar) <= limit)
        #expect(Delay.duration(huge).apply(to: start, calendar: calendar, backwards: true) < start)
        #expect(Delay.businessDays(.max).apply(to: start, calendar: calendar) <= limit.addingTimeInterval(31 * 86_400))
        let years = try #require(ISODuration("P999999999999999Y"))
        #expect(Delay.duration(years).apply(to: start, calendar: calendar) > start)
    }
}
