import Foundation
import Testing

@testable import GapFlow

@Suite struct DefinitionValidatorTests {
    /// `CODE@line:column` for each diagnostic of a fixture file.
    private func diagnostics(_ name: String) -> [String] {
        let result = DefinitionLoader.load(contentsOf: Repository.fixtures.appendingPathComponent("invalid/\(name)"))
        #expect(result.definition == nil)
        return result.diagnostics.map { diagnostic in
            "\(diagnostic.code.rawValue)@" + (diagnostic.position.map { "\($0.line):\($0.column)" } ?? "-")
        }
    }

    @Test func aMissingCommaIsASyntaxErrorWithLineAndColumn() {
        #expect(diagnostics("missing-comma.json") == ["SYNTAX_ERROR@4:3"])
    }

    @Test func aTruncatedFileNamesWhereTheUnclosedStringStarts() {
        #expect(diagnostics("truncated.json") == ["SYNTAX_ERROR@5:24"])
    }

    @Test func misspeltKeysAreReportedWithASuggestion() {
        let result = DefinitionLoader.load(contentsOf: Repository.fixtures.appendingPathComponent("invalid/misspelt-keys.json"))
        let lines = result.diagnostics.map(\.description)
        // Each misspelt key is one problem: not also a missing "title", "transitions" or "owner".
        #expect(diagnostics("misspelt-keys.json") == ["UNKNOWN_KEY@7:42", "UNKNOWN_KEY@10:32", "UNKNOWN_KEY@13:3"])
        #expect(lines.contains { $0.contains("unknown key \"titel\"") && $0.contains("did you mean \"title\"?") })
        #expect(lines.contains { $0.contains("unknown key \"ownr\"") && $0.contains("did you mean \"owner\"?") })
        #expect(lines.contains { $0.contains("unknown key \"tranistions\"") && $0.contains("did you mean \"transitions\"?") })
    }

    @Test func brokenReferencesAreAllReportedAtOnce() {
        #expect(
            diagnostics("broken-references.json") == [
                "TYPE_MISMATCH@3:14", "DUPLICATE_ID@15:5", "UNKNOWN_STATE@18:67", "UNKNOWN_ROLE@19:83", "UNKNOWN_FIELD@19:105",
                "TYPE_MISMATCH@21:46", "TYPE_MISMATCH@23:61",
            ])
    }

    @Test func graphProblemsAreProvenOnTheGraph() {
        #expect(
            diagnostics("bad-graph.json") == [
                "MISSING_OWNER@11:5", "NO_WAY_OUT@11:5", "UNREACHABLE_STATE@12:5", "DUPLICATE_TRANSITION@20:16",
                "FINAL_STATE_HAS_TRANSITIONS@22:53", "PATH_RULE_VIOLATED@25:5",
            ])
    }

    @Test func aPathRuleViolationShowsTheOffendingPath() {
        let result = DefinitionLoader.load(contentsOf: Repository.fixtures.appendingPathComponent("invalid/bad-graph.json"))
        let violation = result.diagnostics.first { $0.code == .pathRuleViolated }
        #expect(violation?.message == "a path reaches \"done\" without passing \"review\": open → done")
        #expect(violation?.hint == "every ticket is reviewed")
    }

    @Test func theKIMFileProvesThatEveryPathIntoClosedPassesFeedback() throws {
        let text = try String(contentsOf: Repository.kimFile, encoding: .utf8)
        // Let "approve" skip the feedback stage: the rule must now fail with that path as proof.
        let broken = text.replacingOccurrences(
            of: "\"from\": \"solution_review\", \"to\": \"feedback\"", with: "\"from\": \"solution_review\", \"to\": \"closed\"")
        #expect(broken != text)
        let result = DefinitionLoader.load(source: Array(broken.utf8), file: "kim.json")
        let violation = try #require(result.diagnostics.first { $0.code == .pathRuleViolated })
        #expect(violation.message.hasSuffix("solution_review → closed"))
    }

    @Test func json5FilesAreAccepted() {
        let result = DefinitionLoader.load(contentsOf: Repository.fixtures.appendingPathComponent("valid/minimal.json5"))
        #expect(result.diagnostics.isEmpty)
        #expect(result.definition?.id == "minimal")
    }

    @Test func aMissingFileIsReportedNotThrown() {
        let result = DefinitionLoader.load(contentsOf: URL(fileURLWithPath: "/nonexistent/workflow.json"))
        #expect(result.diagnostics.map(\.code) == [.fileUnreadable])
    }

    /// A small valid workflow to break in one place: open ──finish──▶ done.
    private static let small = """
        {
          "id": "small", "version": 1, "title": "Small", "ticketPrefix": "SM",
          "roles": { "clerk": "Clerk" },
          "fields": { "title": { "type": "text", "title": "Title" } },
          "initial": { "state": "open", "roles": ["clerk"] },
          "states": {
            "open": { "title": "Open", "owner": "clerk" },
            "done": { "title": "Done", "final": true }
          },
          "transitions": [
            { "event": "finish", "title": "Finish", "from": "open", "to": "done", "roles": ["clerk", "system"] }
          ]
        }
        """

    private func load(_ text: String) -> LoadResult {
        DefinitionLoader.load(source: Array(text.utf8), file: "test.json")
    }

    /// `severity CODE at path: message (hint)` for each diagnostic of a text.
    private func report(_ text: String) -> [String] {
        load(text).diagnostics.map {
            "\($0.severity.rawValue) \($0.code.rawValue) at \($0.path): \($0.message)" + ($0.hint.map { " (\($0))" } ?? "")
        }
    }

    @Test func aFileWithThousandsOfProblemsKeepsTheFirstHundredInFileOrder() {
        let keys = (0..<250).map { "  \"extra\($0)\": 1," }.joined(separator: "\n")
        let text = Self.small.replacingOccurrences(of: "  \"transitions\"", with: keys + "\n  \"transitions\"")
        let result = load(text)
        #expect(result.definition == nil)
        #expect(result.diagnostics.count == 100)
        #expect(result.diagnostics.allSatisfy { $0.code == .unknownKey })
        #expect(result.diagnostics.first?.message == "unknown key \"extra0\"")
        #expect(result.diagnostics.last?.message == "unknown key \"extra99\"")
    }

    @Test func invalidUTF8IsRefusedWithItsByteOffsetLineAndColumn() {
        let bytes = Array("{\n  \"id\": \"x".utf8) + [0xFF] + Array("\",\n}".utf8)
        let result = DefinitionLoader.load(source: bytes, file: "latin1.json")
        #expect(result.diagnostics.map { "\($0.code.rawValue)@\($0.position?.description ?? "-")" } == ["INVALID_UTF8@2:11"])
        #expect(result.diagnostics.first?.message.contains("byte offset 12") == true)
        // A byte order mark is part of the file: offsets count it, columns do not.
        let marked = DefinitionLoader.load(source: [0xEF, 0xBB, 0xBF] + bytes, file: "latin1.json")
        #expect(marked.diagnostics.map { "\($0.code.rawValue)@\($0.position?.description ?? "-")" } == ["INVALID_UTF8@2:11"])
        #expect(marked.diagnostics.first?.message.contains("byte offset 15") == true)
    }

    @Test func aMisspeltStateKeyIsReportedOnceAtTheKeyNotAtEveryCorrectReference() {
        let result = DefinitionLoader.load(contentsOf: Repository.fixtures.appendingPathComponent("invalid/misspelt-state-key.json"))
        #expect(diagnostics("misspelt-state-key.json") == ["UNKNOWN_STATE@11:5"])
        let diagnostic = result.diagnostics.first
        #expect(diagnostic?.path == "states.awaiting_steerng")
        #expect(
            diagnostic?.message
                == "state \"awaiting_steerng\" is never referenced; did you mean \"awaiting_steering\", which 4 places refer to?")
        #expect(diagnostic?.hint == "rename the key to \"awaiting_steering\", the name used on lines 15, 16, 17, 18")
    }

    @Test func aMisspeltReferenceIsStillReportedAtTheReference() {
        // "done" is referred to elsewhere, so the reference is the typo, not the key.
        let text = Self.small.replacingOccurrences(
            of: #"{ "event": "finish""#,
            with: #"{ "event": "drop", "title": "Drop", "from": "open", "to": "dnoe", "roles": ["clerk"] },\#n    { "event": "finish""#)
        #expect(report(text) == [#"error UNKNOWN_STATE at transitions[0].to: unknown state "dnoe" (did you mean "done"?)"#])
    }

    @Test func anUnknownEventGetsNoSuggestionThatIsNotClose() {
        let text = Self.small
            .replacingOccurrences(of: #""event": "finish""#, with: #""event": "evaluate""#)
            .replacingOccurrences(
                of: #""owner": "clerk" }"#, with: #""owner": "clerk", "timers": [{ "id": "late", "after": "P1D", "fire": "escalate" }] }"#)
        #expect(report(text) == [#"error UNKNOWN_EVENT at states.open.timers[0].fire: unknown event "escalate""#])
        let typo = Self.small.replacingOccurrences(
            of: #""owner": "clerk" }"#, with: #""owner": "clerk", "timers": [{ "id": "late", "after": "P1D", "fire": "finsh" }] }"#)
        #expect(report(typo) == [#"error UNKNOWN_EVENT at states.open.timers[0].fire: unknown event "finsh" (did you mean "finish"?)"#])
    }

    @Test func aMisspeltRequiredKeyIsOneUnknownKeyNotAlsoAMissingOne() {
        let text = Self.small.replacingOccurrences(
            of: #""owner": "clerk" }"#,
            with: #""owner": "clerk", "timers": [{ "id": "late", "after": { "businessdays": 10 }, "notify": "clerk" }] }"#)
        #expect(
            report(text) == [
                #"error UNKNOWN_KEY at states.open.timers[0].after.businessdays: unknown key "businessdays" (did you mean "businessDays"?)"#
            ])
        // The same for a timer's "notify" and a state's "owner", which are required in their own way.
        let notify = Self.small.replacingOccurrences(
            of: #""owner": "clerk" }"#, with: #""owner": "clerk", "timers": [{ "id": "late", "after": "P1D", "notfy": "clerk" }] }"#)
        #expect(
            report(notify) == [#"error UNKNOWN_KEY at states.open.timers[0].notfy: unknown key "notfy" (did you mean "notify"?)"#])
        let owner = Self.small.replacingOccurrences(of: #""owner": "clerk" }"#, with: #""Owner": "clerk" }"#)
        #expect(report(owner) == [#"error UNKNOWN_KEY at states.open.Owner: unknown key "Owner" (did you mean "owner"?)"#])
        // A key that is no misspelling of the missing one leaves it missing.
        let unrelated = Self.small.replacingOccurrences(of: #""title": "Open", "#, with: #""label": "Open", "#)
        #expect(
            report(unrelated) == [
                #"error MISSING_KEY at states.open: missing required key "title""#,
                #"error UNKNOWN_KEY at states.open.label: unknown key "label""#,
            ])
    }

    @Test func anOwnerOnAFinalStateIsAWarning() {
        let text = Self.small.replacingOccurrences(of: #""final": true }"#, with: #""final": true, "owner": "clerk" }"#)
        let result = load(text)
        #expect(result.definition != nil)
        #expect(
            report(text) == [
                #"warning FINAL_STATE_HAS_OWNER at states.done.owner: final state "done" has an owner; its tickets are finished and nobody is responsible for them (remove "owner" from the state)"#
            ])
        #expect(result.diagnostics.first?.position == SourcePosition(line: 8, column: 56))
    }

    @Test func everyDiagnosticCodeIsStable() {
        #expect(Diagnostic.Code.unknownState.rawValue == "UNKNOWN_STATE")
        #expect(Diagnostic.Code.unreachableState.rawValue == "UNREACHABLE_STATE")
        #expect(Diagnostic.Code.noWayOut.rawValue == "NO_WAY_OUT")
        #expect(Diagnostic.Code.unknownKey.rawValue == "UNKNOWN_KEY")
        #expect(Diagnostic.Code.duplicateID.rawValue == "DUPLICATE_ID")
        #expect(Diagnostic.Code.invalidUTF8.rawValue == "INVALID_UTF8")
        #expect(Diagnostic.Code.finalStateHasOwner.rawValue == "FINAL_STATE_HAS_OWNER")
    }
}
