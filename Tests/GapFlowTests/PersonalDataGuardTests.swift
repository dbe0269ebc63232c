import Foundation
import Testing

@testable import GapFlow

@Suite struct PersonalDataGuardTests {
    private func patterns(_ text: String) -> [String] { PersonalDataGuard.scan(text, field: "description").map(\.pattern) }

    @Test(arguments: [
        ("Frau Ayşe Yılmaz, geb. 12.03.1985, wartet seit Monaten.", "a name with a date of birth"),
        ("Herr Müller (*03.07.1979) hat keinen Termin bekommen.", "a name with a date of birth"),
        ("Der Antragsteller, geboren am 1.2.1990, erhielt keinen Bescheid.", "a date of birth"),
        ("Rückfragen an m.mustermann@example.org", "an e-mail address"),
        ("Überweisung auf DE89 3704 0044 0532 0130 00 fehlgeschlagen", "an IBAN"),
        ("Rentenversicherungsnummer 12 030585 M 123 liegt vor", "a social insurance number"),
        ("Siehe Az. 51.2-123/2026 beim Jobcenter", "a file number"),
        ("BG-Nummer 12345BG0012345 gesperrt", "a file number"),
        ("Steuer-ID 12 345 678 901 fehlt", "a tax identification number"),
        ("erreichbar unter 02241 / 13-2345", "a phone number"),
        ("Mobil: +49 170 1234567", "a phone number"),
    ])
    func personalDataIsFound(text: String, pattern: String) {
        #expect(patterns(text).first == pattern, "\(text)")
    }

    @Test(arguments: [
        "Die Sitzung am 12.03.2027 hat den Beschluss vertagt.",
        "Nach § 24 AufenthG und § 16a SGB II besteht ein Anspruch.",
        "Kinder unter 3 Jahren, 14 Fälle seit dem 01.01.2026, Frist bis 30.06.2027.",
        "Die Kita-Plätze in Hennef (Sieg) reichen für 120 Kinder nicht aus.",
        "Beschluss 2027/1-3 der Lenkungsgruppe, TOP 4.1",
        "Integrationskurse mit 600 Unterrichtseinheiten, Wartezeit 10 bis 14 Wochen.",
        "Die Beratungsstelle ist telefonisch schlecht erreichbar.",
        "GAP-2026-0042 wurde mit GAP-2026-0007 zusammengeführt.",
    ])
    func ordinaryGapTextRaisesNoWarning(text: String) {
        #expect(patterns(text).isEmpty, "\(text): \(patterns(text))")
    }

    @Test func findingsAreWarningsUnlessStrictOrTheWorkflowRefusesThem() throws {
        let definition = try Fixtures.kimDefinition()
        var values = Fixtures.gapValues
        values["description"] = .text("Familie Kaya, geb. 02.05.1980, Az. 123/45")
        let lenient = try Step.open(
            definition, id: "GAP-2026-0001", command: Command(.open, actor: Fixtures.coordinator, values: values), now: Fixtures.start
        ).get()
        #expect(lenient.warnings.map(\.pattern) == ["a name with a date of birth", "a file number"])
        var strict = Command(.open, actor: Fixtures.coordinator, values: values)
        strict.strict = true
        guard case .failure(let rejection) = Step.open(definition, id: "GAP-2026-0001", command: strict, now: Fixtures.start) else {
            Issue.record("strict mode accepted personal data")
            return
        }
        #expect(rejection.blockers.map(\.code) == [.personalData, .personalData])
        let refusing = try String(contentsOf: Repository.kimFile, encoding: .utf8).replacingOccurrences(
            of: "\"scopeField\": \"municipality\",", with: "\"scopeField\": \"municipality\", \"personalData\": \"refuse\",")
        let refusingDefinition = try Fixtures.definition(refusing)
        #expect(throws: Never.self) {
            try Step.open(
                refusingDefinition, id: "GAP-2026-0001", command: Command(.open, actor: Fixtures.coordinator, values: Fixtures.gapValues),
                now: Fixtures.start
            ).get()
        }
        guard
            case .failure = Step.open(
                refusingDefinition, id: "GAP-2026-0001", command: Command(.open, actor: Fixtures.coordinator, values: values),
                now: Fixtures.start)
        else {
            Issue.record("the workflow's refuse setting was ignored")
            return
        }
    }
}

/// The guard looks for a name only just before a date of birth, so long texts cost no more than short ones.
@Suite struct PersonalDataGuardLongTextTests {
    @Test func aNameBeforeABirthDateIsFoundFarIntoALongTextOfCapitalisedNouns() {
        let nouns = String(repeating: "Mütter Kinder Kurse Träger ", count: 400)
        #expect(PersonalDataGuard.scan(nouns, field: "description").isEmpty)
        let findings = PersonalDataGuard.scan(nouns + "und Max Mustermann, geb. 01.02.1980, fehlt.", field: "description")
        #expect(findings.map(\.pattern) == ["a name with a date of birth"])
        #expect(findings.first?.excerpt.hasPrefix("Max Mustermann") == true)
    }

    @Test func anEMailAddressIsFoundAndARunOfAtSignsIsNot() {
        #expect(
            PersonalDataGuard.scan("Bitte an max.muster@example.org schreiben.", field: "d").map(\.excerpt) == ["max.muster@example.org"])
        #expect(PersonalDataGuard.scan(String(repeating: "a@", count: 5000), field: "d").isEmpty)
    }
}
