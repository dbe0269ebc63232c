import Testing

@testable import GapFlow

@Suite struct JSONParserTests {
    private func syntaxError(_ text: String) -> JSONSyntaxError? {
        do {
            _ = try JSONParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func valuesRememberTheirLineAndColumn() throws {
        let node = try JSONParser.parse("{\n  \"a\": [1, \"zwei\"],\n  \"ä\": {\"b\": true}\n}")
        let members = try #require(node.members)
        #expect(members.map(\.key) == ["a", "ä"])
        #expect(members[0].keyPosition == SourcePosition(line: 2, column: 3))
        #expect(members[0].value.elements?[1].position == SourcePosition(line: 2, column: 12))
        #expect(members[1].value.members?[0].value.position == SourcePosition(line: 3, column: 14))
    }

    @Test func json5CommentsTrailingCommasUnquotedKeysAndSingleQuotes() throws {
        let node = try JSONParser.parse("// note\n{ a: 'x', /* block */ b: [1, 2,], c: 0x1F, d: +.5, }")
        let members = try #require(node.members)
        #expect(members.map(\.key) == ["a", "b", "c", "d"])
        #expect(members[0].value.string == "x")
        #expect(members[1].value.elements?.count == 2)
        #expect(members[2].value.integer == 31)
        #expect(members[3].value == JSONNode(.number(0.5, literal: ".5"), at: SourcePosition(line: 2, column: 47)))
    }

    @Test func escapesAreDecoded() throws {
        let node = try JSONParser.parse(#""a\"b\\c\n\u00e4\ud83d\ude00""#)
        #expect(node.string == "a\"b\\c\nä\u{1F600}")
    }

    @Test func duplicateKeysAreKeptForTheCallerToReport() throws {
        let node = try JSONParser.parse(#"{"a": 1, "a": 2}"#)
        #expect(node.members?.map(\.key) == ["a", "a"])
    }

    @Test func syntaxErrorsCarryLineAndColumn() {
        #expect(syntaxError("{\n  \"a\": 1\n  \"b\": 2\n}")?.position == SourcePosition(line: 3, column: 3))
        #expect(syntaxError("[1, 2")?.message == "array opened here is never closed with ']'")
        #expect(syntaxError("{\"a\": tru}")?.position == SourcePosition(line: 1, column: 7))
        #expect(syntaxError("{} x")?.message == "unexpected character 'x' after the end of the document")
        #expect(syntaxError("/* open")?.message == "comment opened here is never closed with '*/'")
        #expect(syntaxError("")?.message == "unexpected end of file, expected a value")
    }

    @Test func invalidUTF8IsReportedWithItsLine() {
        var error: JSONSyntaxError?
        do {
            _ = try JSONParser.parse([0x7B, 0x0A, 0x22, 0xFF, 0x22, 0x7D])
        } catch let caught {
            error = caught
        }
        #expect(error?.position.line == 2)
        #expect(error?.message.contains("UTF-8") == true)
    }

    @Test func theFirstInvalidUTF8ByteIsReportedWithItsOffsetLineAndColumn() {
        func failure(_ bytes: [UInt8]) -> JSONSyntaxError? {
            do {
                _ = try JSONParser.parse(bytes)
                return nil
            } catch {
                return error
            }
        }
        let quote = UInt8(ascii: "\"")
        let cases: [(bytes: [UInt8], offset: Int, line: Int, column: Int)] = [
            ([quote, 0x61, 0xC3, 0x28, quote], 2, 1, 3),  // a lead byte without its continuation
            ([quote, 0xC0, 0xAF, quote], 1, 1, 2),  // an overlong encoding of "/"
            ([quote, 0xED, 0xA0, 0x80, quote], 1, 1, 2),  // an encoded surrogate
            ([quote, 0x61, 0xE2, 0x82], 2, 1, 3),  // cut off at the end of the file
            ([0x5B, 0x31, 0x2C, 0x80, 0x5D], 3, 1, 4),  // a stray continuation byte
            ([0x5B, 0x0A, quote, 0xC3, 0xA4, 0xFF, quote, 0x5D], 5, 2, 3),  // after a valid "ä" on the second line
            ([quote, 0xF5, 0x80, 0x80, 0x80, quote], 1, 1, 2),  // beyond U+10FFFF
        ]
        for (bytes, offset, line, column) in cases {
            let error = failure(bytes)
            #expect(error?.position == SourcePosition(line: line, column: column), "\(bytes)")
            #expect(error?.message.contains("byte offset \(offset)") == true, "\(bytes): \(error?.message ?? "accepted")")
            #expect(error?.message.contains("not valid UTF-8") == true, "\(bytes)")
        }
    }

    @Test func deepNestingIsRefusedInsteadOfOverflowingTheStack() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(syntaxError(deep)?.message == "nesting deeper than \(JSONParser.maximumDepth) levels")
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)).elements?.count == 1)
    }
}
