import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowDocuments

/// Seeded mutations of definition files: the parser and validator never crash and always answer with a definition
/// or diagnostics. (How their time grows with the input belongs in the benchmark, not in a timed unit test.)
@Suite struct FuzzTests {
    private func mutate(_ bytes: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var data = bytes
        switch Int.random(in: 0..<7, using: &random) {
        case 0:  // flip bytes
            for _ in 0..<Int.random(in: 1...8, using: &random) where !data.isEmpty {
                data[Int.random(in: 0..<data.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            }
        case 1:  // truncate
            data = Array(data.prefix(Int.random(in: 0...data.count, using: &random)))
        case 2:  // delete a slice (keys, values, brackets)
            let start = Int.random(in: 0..<max(1, data.count), using: &random)
            data.removeSubrange(start..<min(data.count, start + Int.random(in: 1...40, using: &random)))
        case 3:  // duplicate a slice (duplicated keys and members)
            let start = Int.random(in: 0..<max(1, data.count), using: &random)
            let slice = data[start..<min(data.count, start + Int.random(in: 1...120, using: &random))]
            data.insert(contentsOf: slice, at: Int.random(in: 0...data.count, using: &random))
        case 4:  // wrong types: turn a string into a number or an array
            if let quote = data.indices.filter({ data[$0] == UInt8(ascii: "\"") }).randomElement(using: &random) {
                data.replaceSubrange(
                    quote...quote, with: Array(["[", "42", "{", "true", "null"].randomElement(using: &random)?.utf8 ?? "[".utf8))
            }
        case 5:  // deep nesting
            let depth = Int.random(in: 100...2000, using: &random)
            data = Array(repeating: UInt8(ascii: "["), count: depth) + data
        default:  // a huge string
            let huge = "\"" + String(repeating: "x", count: Int.random(in: 10_000...200_000, using: &random)) + "\""
            data.insert(contentsOf: Array(huge.utf8), at: Int.random(in: 0...data.count, using: &random))
        }
        return data
    }

    @Test func mutatedDefinitionsAlwaysGetADefinitionOrDiagnostics() throws {
        let original = Array(try Data(contentsOf: Repository.kimFile))
        var random = SeededRandom(seed: 2026)
        var diagnosed = 0
        // A few thousand in the suite; GAPFLOW_FUZZ_CASES=100000 for the long run (samples/fuzz.sh).
        let cases = ProcessInfo.processInfo.environment["GAPFLOW_FUZZ_CASES"].flatMap(Int.init) ?? 2000
        for round in 0..<cases {
            let input = mutate(original, &random)
            let result = DefinitionLoader.load(source: input, file: "fuzz-\(round).json")
            #expect(result.definition != nil || !result.errors.isEmpty, "round \(round)")
            if result.definition == nil { diagnosed += 1 }
        }
        #expect(diagnosed > cases * 2 / 3)
    }

    /// Seeded hostile texts (formula prefixes, control characters, markup, wide graphemes) in every export: no cell a
    /// spreadsheet would run, no raw control character or over-long line in iCalendar, no markup in Markdown.
    @Test func hostileTextsComeOutOfEveryExportAsText() throws {
        let definition = try Fixtures.kimDefinition()
        var random = SeededRandom(seed: 2027)
        let cases = ProcessInfo.processInfo.environment["GAPFLOW_FUZZ_CASES"].flatMap(Int.init).map { $0 / 10 } ?? 300
        var meetings: [Meeting] = []
        for round in 0..<cases {
            let text = HostileText.random(&random)
            let agenda = try HostileText.agenda(text, definition)
            let csvs = [
                AgendaExport.csv(agenda), MinutesExport.csv(definition: definition, resolutions: HostileText.resolutions(definition, text)),
                ReportExport.csv(HostileText.report(definition, text), unmasked: true),
            ]
            for csv in csvs {
                #expect(HostileText.formulaCells(csv).isEmpty, "round \(round): \(text.debugDescription)")
            }
            let markdown = AgendaExport.markdown(agenda)
            #expect(
                HostileText.markdownProblems(markdown, headings: ["# Tagesordnung: ", "## TOP ", "### TOP "]) == [],
                "round \(round): \(text.debugDescription)")
            meetings.append(
                Meeting(
                    id: round + 1, workflowID: definition.id, date: agenda.meeting.date.adding(days: round),
                    time: round % 2 == 0 ? "09:30" : nil,
                    title: text, place: HostileText.random(&random), submissionDeadline: agenda.meeting.submissionDeadline))
        }
        let ics = CalendarExport.icalendar(meetings, calendarName: HostileText.random(&random), now: Fixtures.start, database: "0123abcd")
        #expect(HostileText.icalendarProblems(ics) == [])
        #expect(ics.components(separatedBy: "BEGIN:VEVENT").count == cases + 1)
    }

    @Test func bytesThatAreNotUTF8AreRefusedAtTheFirstSuchByteAndNeverReplaced() throws {
        let original = Array(try Data(contentsOf: Repository.kimFile))
        var random = SeededRandom(seed: 8)
        func isUTF8(_ bytes: ArraySlice<UInt8>) -> Bool { String(validating: bytes, as: UTF8.self) != nil }
        for round in 0..<400 {
            var input = original
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                input[Int.random(in: 0..<input.count, using: &random)] = UInt8.random(in: 0x80...0xFF, using: &random)
            }
            let result = DefinitionLoader.load(source: input, file: "fuzz-\(round).json")
            let refusal = result.diagnostics.first { $0.code.rawValue == "INVALID_UTF8" }
            guard !isUTF8(input[...]) else {
                #expect(refusal == nil, "round \(round)")
                continue
            }
            let diagnostic = try #require(refusal, "round \(round): \(result.diagnostics.first?.description ?? "accepted")")
            #expect(result.diagnostics.count == 1)
            // The first invalid byte: everything before it is UTF-8, and no character can be read from it.
            let offset = try #require(
                diagnostic.message.split(separator: " ").drop { $0 != "offset" }.dropFirst().first.flatMap { Int($0) },
                "round \(round): \(diagnostic.message)")
            #expect(isUTF8(input[..<offset]), "round \(round)")
            #expect(!(1...4).contains { offset + $0 <= input.count && isUTF8(input[..<(offset + $0)]) }, "round \(round)")
            let lineStart = input[..<offset].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            #expect(diagnostic.position?.line == 1 + input[..<offset].count { $0 == 0x0A }, "round \(round)")
            #expect(diagnostic.position?.column == 1 + input[lineStart..<offset].count { $0 & 0xC0 != 0x80 }, "round \(round)")
        }
    }
}
