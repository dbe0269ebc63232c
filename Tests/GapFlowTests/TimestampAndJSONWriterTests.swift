import Foundation
import Testing

@testable import GapFlow

@Suite struct TimestampAndJSONWriterTests {
    @Test func timestampsRoundTripAtMillisecondPrecision() throws {
        for seconds in [0.0, 1_795_593_600.123, 1_798_756_199.999, 4_102_444_800.5] {
            let date = Date(timeIntervalSince1970: seconds)
            let text = Timestamp.iso8601(date)
            #expect(Timestamp.parse(text) == Timestamp.truncated(date), "\(text)")
        }
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 1_795_593_600.123)) == "2026-11-25T08:00:00.123Z")
        for bad in ["2026-11-25T08:00:00Z", "2026-13-25T08:00:00.000Z", "2026-11-25 08:00:00.000Z", "2026-11-25T24:00:00.000Z", ""] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
        #expect(Timestamp.german(Date(timeIntervalSince1970: 1_795_593_600)) == "25.11.2026 09:00")
    }

    @Test func stringsAreEscapedOnlyWhereJSONNeedsIt() throws {
        let texts = ["Kommune", "Rückmeldung – „Zitat“", "a\"b\\c", "line\nbreak\ttab", "\u{2028}", "\u{1}"]
        for text in texts {
            let written = JSONValue.string(text).compact
            #expect(try JSONParser.parse(written).string == text, "\(written)")
        }
        #expect(JSONValue.string("Rückmeldung").compact == "\"Rückmeldung\"")
        #expect(JSONValue.string("a\"b").compact == #""a\"b""#)
        #expect(JSONValue.string("\u{2028}").compact == #""\u2028""#)
    }
}
