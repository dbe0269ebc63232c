import Foundation
import GapFlow
import Testing

@testable import GapFlowWeb

@Suite("Bad requests get a clear status and change nothing")
struct BadInputTests {
    @Test func malformedFormEncodingAndInvalidUTF8AreBadRequests() throws {
        let fixture = try WebFixture()
        let id = try fixture.openGap()
        let browser = fixture.browser()
        browser.logIn("koordination")
        browser.get("/tickets/\(id)")
        let token = try #require(browser.csrfToken)
        let escape = browser.postRaw("/tickets/\(id)/events/forward", Array("csrf=\(token)&revision=1&field.legal_domains=%zz".utf8))
        #expect(escape.status == 400)
        #expect(escape.mainText.contains("Ungültige Anfrage"))
        let bytes = Array("csrf=\(token)&revision=1&field.legal_domains=".utf8) + [0xC3, 0x28]
        #expect(browser.postRaw("/tickets/\(id)/events/forward", bytes).status == 400)
        let encoded = browser.postRaw("/tickets/\(id)/events/forward", Array("csrf=\(token)&revision=1&x=%C3%28".utf8))
        #expect(encoded.status == 400, "percent-encoded bytes that are not UTF-8")
        let json = browser.postRaw("/tickets/\(id)/events/forward", Array("{}".utf8), contentType: "application/json")
        #expect(json.status == 400)
        #expect(try fixture.engine.ticket(id).revision == 1)
    }

    @Test func unknownPagesAreA404PageInGermanAndWrongMethodsA405() throws {
        let fixture = try WebFixture()
        let browser = fixture.browser()
        browser.logIn("koordination")
        let missing = browser.get("/gibt-es-nicht")
        #expect(missing.status == 404)
        #expect(missing.text.contains("<html lang=\"de\">"))
        #expect(missing.mainText.contains("Seite nicht gefunden"))
        let wrong = browser.post("/queue", [])
        #expect(wrong.status == 405)
        #expect(wrong.header("Allow") == "GET, HEAD")
        #expect(browser.get("/tickets/%E0%A4%A").status == 400, "a broken escape in the path")
        #expect(browser.get("/healthz").status == 200)
    }

    @Test func aFormWithAMissingOrBrokenRevisionIsRefused() throws {
        let fixture = try WebFixture()
        let id = try fixture.openGap()
        let browser = fixture.browser()
        browser.logIn("koordination")
        browser.get("/tickets/\(id)")
        #expect(browser.post("/tickets/\(id)/events/forward", [("field.legal_domains", "SGB II")]).status == 400)
        #expect(browser.post("/tickets/\(id)/events/forward", [("revision", "eins")]).status == 400)
        #expect(browser.post("/tickets/\(id)/events/no_such_event", [("revision", "1")]).status == 404)
        #expect(try fixture.engine.ticket(id).revision == 1)
    }

    @Test func everyPageSendsSecurityHeaders() throws {
        let fixture = try WebFixture()
        for response in [fixture.browser().get("/login"), fixture.browser().get("/nowhere"), fixture.browser().get("/healthz")] {
            #expect(response.header("X-Content-Type-Options") == "nosniff")
            #expect(response.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(response.header("Cache-Control") == "no-store")
        }
    }

    @Test func aDefinitionWithEveryFieldTypeGetsAWorkingForm() throws {
        let fixture = try WebFixture()
        let source = """
            {"id": "every-type", "version": 1, "title": "Alle Feldarten", "language": "de", "ticketPrefix": "ALL",
             "roles": {"cm": {"title": "Case Manager:in"}},
             "fields": {
               "line": {"type": "text", "title": "Zeile", "maxLength": 20},
               "count": {"type": "integer", "title": "Anzahl", "minimum": 1, "maximum": 9},
               "day": {"type": "date", "title": "Tag"},
               "kind": {"type": "enum", "title": "Art", "values": [{"value": "a", "title": "Erste"}, {"value": "b", "title": "Zweite"}]},
               "tags": {"type": "set", "title": "Schlagworte", "values": [{"value": "x", "title": "Iks"}, {"value": "y", "title": "Ypsilon"}]},
               "other": {"type": "ticket", "title": "Bezug"}
             },
             "initial": {"state": "new", "roles": ["cm"], "requires": ["line", "count", "day", "kind", "tags"], "sets": ["other"]},
             "states": {"new": {"title": "Neu", "owner": "cm"}, "done": {"title": "Fertig", "final": true}},
             "transitions": [{"event": "finish", "title": "Abschließen", "from": "new", "to": "done", "roles": ["cm"]}]}
            """
        try fixture.engine.register(source: Array(source.utf8), file: "every-type.json")
        let browser = fixture.browser()
        browser.logIn("cm.siegburg")
        let form = browser.get("/new/every-type")
        #expect(form.status == 200)
        for id in ["open-line", "open-count", "open-day", "open-kind", "open-other"] {
            #expect(form.text.contains("<label for=\"\(id)\">"), "every input is labelled: \(id)")
        }
        #expect(form.text.contains("<legend>Schlagworte"))
        #expect(form.text.contains("maxlength=\"20\"") && form.text.contains("min=\"1\" max=\"9\"") && form.text.contains("type=\"date\""))
        let created = browser.post(
            "/new/every-type",
            [
                ("field.line", "Eine Zeile"), ("field.count", "3"), ("field.day", "2027-03-11"), ("field.kind", "b"), ("field.tags", "x"),
                ("field.tags", "y"),
            ])
        #expect(created.status == 303)
        let ticket = try #require(try fixture.engine.tickets().first { $0.workflowID == "every-type" })
        #expect(ticket.fields["day"] == .date(try #require(LocalDate(parsing: "2027-03-11"))))
        #expect(ticket.fields["tags"] == .choices(["x", "y"]))
        let page = browser.get("/tickets/\(ticket.id)")
        #expect(page.mainText.contains("11.03.2027") && page.mainText.contains("Iks, Ypsilon") && page.mainText.contains("Zweite"))
    }
}

@Suite("The texts file of the pages")
struct PageTextsTests {
    @Test func theShippedFileHasEveryText() throws {
        let texts = try PageTexts.load(contentsOf: Repository.textsFile)
        #expect(texts.language == "de")
        for key in PageTexts.Key.allCases { #expect(texts[key] != key.rawValue, "\(key.rawValue)") }
    }

    @Test func aFileWithAMissingAnUnknownOrAMisspeltTextIsRefusedWithEveryProblem() {
        let source = """
            {"language": "de", "texts": {"nav.queue": "Aufgaben", "nav.qeue": "x", "site.title": 3}, "extra": 1}
            """
        #expect {
            try PageTexts.parse(Array(source.utf8), file: "t.json")
        } throws: { error in
            guard let error = error as? PageTextsError else { return false }
            let problems = error.problems.joined(separator: "\n")
            return problems.contains("1:") && problems.contains("unknown text \"nav.qeue\"") && problems.contains("nav.queue")
                && problems.contains("\"site.title\" must be a non-empty string") && problems.contains("unknown key \"extra\"")
                && problems.contains("missing texts: ")
        }
        #expect(throws: PageTextsError.self) { try PageTexts.parse(Array("{\"language\": ".utf8), file: "t.json") }
    }
}
