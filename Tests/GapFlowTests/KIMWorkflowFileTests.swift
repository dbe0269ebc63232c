import Foundation
import Testing

@testable import GapFlow

@Suite struct KIMWorkflowFileTests {
    @Test func theKIMFileIsValidWithoutWarnings() throws {
        let result = DefinitionLoader.load(contentsOf: Repository.kimFile)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        let definition = try #require(result.definition)
        #expect(definition.id == "systemic-gap-escalation")
        #expect(definition.ticketPrefix == "GAP")
    }

    @Test func itHasEveryStateOfTheDomainWithItsGermanTitleAndOwner() throws {
        let definition = try Fixtures.kimDefinition()
        let expected: [(String, String, String?)] = [
            ("reported", "Gemeldet", "cm_coordination"), ("clarification", "Rückfrage", "cm"),
            ("ki_review", "Prüfung KI-Leitung", "ki_lead"), ("awaiting_steering", "Vorlage Lenkungsgruppe", "steering_office"),
            ("in_project_group", "Bearbeitung Projektgruppe", "project_group"),
            ("reported_to_state", "Meldung an das Land", "steering_office"),
            ("solution_review", "Beratung Lösungsansatz", "steering_office"), ("feedback", "Rückmeldung an CMs", "cm_coordination"),
            ("closed", "Abgeschlossen", nil), ("merged", "Zusammengeführt", nil), ("withdrawn", "Zurückgezogen", nil),
        ]
        #expect(definition.states.map(\.id) == expected.map(\.0))
        for (id, title, owner) in expected {
            #expect(definition.state(id)?.title == title)
            #expect(definition.state(id)?.owner == owner)
        }
        #expect(definition.states.filter(\.isFinal).map(\.id) == ["closed", "merged", "withdrawn"])
    }

    @Test func itListsTheNineteenMunicipalitiesAndTheCountyWithTheirAreas() throws {
        let definition = try Fixtures.kimDefinition()
        let choices = try #require(definition.field("municipality")?.type.choices)
        #expect(choices.values.count == 20)
        let byGroup = Dictionary(grouping: choices.values, by: { $0.group ?? "" }).mapValues { $0.map(\.id) }
        #expect(byGroup["linksrheinisch"] == ["Alfter", "Bornheim", "Meckenheim", "Rheinbach", "Swisttal", "Wachtberg"])
        #expect(byGroup["rechtsrheinisch"]?.count == 12)
        #expect(byGroup["troisdorf"] == ["Troisdorf"])
        #expect(byGroup["kreisweit"] == ["kreisweit"])
    }

    @Test func everyWayOutOfTheDomainTableIsATransition() throws {
        let definition = try Fixtures.kimDefinition()
        let ways: [(String, String, String)] = [
            ("reported", "forward", "ki_review"), ("reported", "request_info", "clarification"), ("reported", "merge", "merged"),
            ("reported", "dismiss", "feedback"), ("reported", "escalate", "ki_review"), ("clarification", "resubmit", "reported"),
            ("ki_review", "table", "awaiting_steering"),
            ("ki_review", "resolve", "feedback"), ("ki_review", "return", "reported"),
            ("awaiting_steering", "mandate", "in_project_group"), ("awaiting_steering", "direct_measure", "feedback"),
            ("awaiting_steering", "report_to_state", "reported_to_state"), ("reported_to_state", "record_state_answer", "feedback"),
            ("awaiting_steering", "reject", "feedback"),
            ("awaiting_steering", "defer", "awaiting_steering"), ("awaiting_steering", "refer_back", "ki_review"),
            ("in_project_group", "submit_solution", "solution_review"), ("solution_review", "approve", "feedback"),
            ("solution_review", "revise", "in_project_group"), ("solution_review", "defer", "solution_review"),
            ("feedback", "publish", "closed"),
            // Ways out of waiting states beyond the paper's happy path (issue 17).
            ("in_project_group", "extend_deadline", "in_project_group"), ("in_project_group", "reassign_mandate", "in_project_group"),
            ("in_project_group", "withdraw_mandate", "feedback"), ("clarification", "withdraw_query", "reported"),
            ("reported", "withdraw", "withdrawn"), ("clarification", "withdraw", "withdrawn"),
        ]
        var actual: [String] = []
        for state in definition.states {
            for transition in definition.transitions(from: state.id) {
                actual.append("\(state.id) \(transition.event) \(transition.target(from: state.id))")
            }
        }
        #expect(actual.sorted() == ways.map { "\($0.0) \($0.1) \($0.2)" }.sorted())
    }

    /// Every word users read in an export comes from the workflow file: each file in `Workflows/` gives every word
    /// itself, so none falls back to the built-in table.
    @Test func everyWorkflowFileGivesEveryWordOfTheExports() throws {
        let folder = Repository.root.appendingPathComponent("Workflows")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files == ["case-conference.json", "systemic-gap-escalation.json"])
        for file in files {
            let root = try JSONParser.parse(Array(try Data(contentsOf: folder.appendingPathComponent(file))))
            let given = Set(root["words"]?.members?.map(\.key) ?? [])
            let missing = Vocabulary.Word.allCases.map(\.rawValue).filter { !given.contains($0) }
            #expect(missing.isEmpty, "\(file) does not give the words \(missing)")
        }
    }

    @Test func itSaysWhoMayRedactAndSeeInternalFiguresAndWhichCountsAreSmall() throws {
        let definition = try Fixtures.kimDefinition()
        #expect(definition.redaction == RedactionRules(roles: ["cm_coordination", "ki_lead"], marker: "[geschwärzt]"))
        #expect(
            definition.smallNumbers
                == SmallNumbers(below: 5, shownAs: "<5", fields: ["cases_observed"], internalRoles: ["cm_coordination", "ki_lead"]))
        #expect(definition.meetings?.publicPoints == ["openingItems", "closingItems"])
    }

    @Test func aCaseConferenceNeedsThePersonsConsentAndItsTextIsDeletedAfterAYear() throws {
        let result = DefinitionLoader.load(contentsOf: Repository.root.appendingPathComponent("Workflows/case-conference.json"))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        let definition = try #require(result.definition)
        #expect(definition.retention?.text == "P1Y")
        #expect(definition.field("consent")?.type == .date)
        let schedule = try #require(definition.transitions.first { $0.event == "schedule" })
        #expect(schedule.requires.contains("consent"))
        #expect(definition.smallNumbers.fields.isEmpty)
    }

    @Test func aGermanFileWithoutItsExportWordsIsWarnedAboutAndShowsNeutralEnglishOnes() throws {
        let source = try String(contentsOf: Repository.kimFile, encoding: .utf8)
        let withWords = DefinitionLoader.load(source: Array(source.utf8), file: "kim.json")
        #expect(!withWords.diagnostics.contains { $0.path == "words" }, "the KIM file gives every word")
        let range = try #require(source.range(of: #""words": \{[^}]*\},\n"#, options: .regularExpression))
        let without = DefinitionLoader.load(source: Array(source.replacingCharacters(in: range, with: "").utf8), file: "kim.json")
        let warning = try #require(without.diagnostics.first { $0.path == "words" })
        #expect(warning.severity == .warning)
        let definition = try #require(without.definition, "a missing word is a warning, not an error")
        #expect(definition.words[.agenda] == "Agenda", "no German wording is built into the code")
    }
}
