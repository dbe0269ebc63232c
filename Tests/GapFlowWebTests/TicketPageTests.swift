import Foundation
import GapFlow
import Testing

@testable import GapFlowWeb

@Suite("Pages: queue, ticket, forms, conflicts and read scopes")
struct TicketPageTests {
    @Test func theQueueListsWhatWaitsForTheActorWithItsEvents() throws {
        let fixture = try WebFixture()
        let id = try fixture.openGap()
        let browser = fixture.browser()
        browser.logIn("koordination")
        let page = browser.get("/queue")
        #expect(page.status == 200)
        #expect(page.mainText.contains("1 Vorgänge warten auf Sie, davon 0 überfällig."))
        #expect(page.text.contains("href=\"/tickets/\(id)\""))
        #expect(page.mainText.contains("An KI-Leitung weiterleiten"), "the events the actor may fire, by their titles")
        let kiLead = fixture.browser()
        kiLead.logIn("ki.leitung")
        #expect(kiLead.get("/queue").mainText.contains("Zurzeit wartet kein Vorgang auf Sie."))
    }

    @Test func aCoordinatorForwardsAGapThroughTheTicketPage() throws {
        let fixture = try WebFixture()
        let id = try fixture.openGap()
        let browser = fixture.browser()
        browser.logIn("koordination")
        let page = browser.get("/tickets/\(id)")
        #expect(page.status == 200)
        #expect(page.text.contains("action=\"/tickets/\(id)/events/forward\""))
        #expect(page.text.contains("<label for=\"forward-legal_domains") || page.text.contains("<legend>Rechtskreise"))

        let refused = browser.post("/tickets/\(id)/events/forward", [("revision", "1")])
        #expect(refused.status == 422)
        #expect(refused.text.contains("class=\"error-summary\""))
        #expect(refused.text.contains("href=\"#forward-legal_domains\""), "the summary links to the field")
        #expect(refused.mainText.contains("Füllen Sie „Rechtskreise“ aus."))
        #expect(try fixture.engine.ticket(id).state == "reported", "nothing changed")

        let done = browser.post(
            "/tickets/\(id)/events/forward",
            [("revision", "1"), ("field.legal_domains", "SGB II"), ("field.legal_domains", "SGB VIII"), ("comment", "Bitte prüfen.")])
        #expect(done.status == 303)
        #expect(done.header("Location") == "/tickets/\(id)?done=forward")
        let ticket = try fixture.engine.ticket(id)
        #expect(ticket.state == "ki_review")
        #expect(ticket.fields["legal_domains"] == .choices(["SGB II", "SGB VIII"]))
        let history = try fixture.engine.history(id)
        #expect(history.last?.actor == "koordination", "the web acts as the logged-in actor")
        #expect(history.last?.comment == "Bitte prüfen.")
        let after = browser.get(done.header("Location") ?? "")
        #expect(after.mainText.contains("Erledigt: „An KI-Leitung weiterleiten“."))
        #expect(after.mainText.contains("Prüfung KI-Leitung"))
    }

    @Test func aChangeInBetweenShowsAConflictPageAndOverwritesNothing() throws {
        let fixture = try WebFixture()
        let id = try fixture.openGap()
        let first = fixture.browser()
        first.logIn("koordination")
        first.get("/tickets/\(id)")
        let second = fixture.browser()
        second.logIn("koordination")
        second.get("/tickets/\(id)")

        #expect(first.post("/tickets/\(id)/events/request_info", [("revision", "1"), ("field.query", "Wie viele Fälle?")]).status == 303)
        let late = second.post(
            "/tickets/\(id)/events/dismiss", [("revision", "1"), ("field.reason", "Kein systematisches Problem.")])
        #expect(late.status == 409)
        #expect(late.mainText.contains("Der Vorgang wurde inzwischen geändert"))
        #expect(late.mainText.contains("Kein systematisches Problem."), "the user's own input is shown")
        #expect(late.mainText.contains("Wie viele Fälle?"), "and the current version")
        let ticket = try fixture.engine.ticket(id)
        #expect(ticket.state == "clarification")
        #expect(ticket.fields["reason"] == nil)
    }

    @Test func aFormPostWithoutTheSessionsTokenIsRefusedAndChangesNothing() throws {
        let fixture = try WebFixture()
        let id = try fixture.openGap()
        let browser = fixture.browser()
        browser.logIn("koordination")
        browser.get("/tickets/\(id)")
        let fields = [("revision", "1"), ("field.legal_domains", "SGB II")]
        #expect(browser.post("/tickets/\(id)/events/forward", fields, csrf: "").status == 403)
        #expect(browser.post("/tickets/\(id)/events/forward", fields, csrf: String(repeating: "a", count: 64)).status == 403)
        let other = fixture.browser()
        other.logIn("ki.leitung")
        other.get("/queue")
        let foreignToken = try #require(other.csrfToken)
        #expect(browser.post("/tickets/\(id)/events/forward", fields, csrf: foreignToken).status == 403, "a token of another session")
        #expect(try fixture.engine.ticket(id).revision == 1)
    }

    @Test func aCaseManagerReadsOnlyWhatTheWorkflowFileAllows() throws {
        let fixture = try WebFixture()
        let own = try fixture.openGap(by: "cm.siegburg", municipality: "Siegburg", title: "Eigene Meldung")
        let neighbour = try fixture.openGap(by: "cm.troisdorf", municipality: "Troisdorf", title: "Meldung aus Troisdorf")
        let browser = fixture.browser()
        browser.logIn("cm.siegburg")
        #expect(browser.get("/tickets/\(own)").status == 200)
        let hidden = browser.get("/tickets/\(neighbour)")
        #expect(hidden.status == 404, "exactly as if it did not exist")
        #expect(browser.get("/tickets/GAP-2026-9999").status == 404)
        let list = browser.get("/tickets")
        #expect(list.mainText.contains("Eigene Meldung"))
        #expect(!list.mainText.contains("Meldung aus Troisdorf"))
        #expect(
            browser.post("/tickets/\(neighbour)/events/resubmit", [("revision", "1")]).status == 404,
            "nor can an event be fired on it")

        // Once the feedback is published, every case manager reads it.
        let coordinator = try fixture.engine.actor(named: "koordination")
        try fixture.engine.fire(neighbour, Command(.fire(event: "dismiss"), actor: coordinator, values: ["reason": .text("Einzelfall.")]))
        try fixture.engine.fire(
            neighbour, Command(.fire(event: "publish"), actor: coordinator, values: ["feedback": .text("Kein Handlungsbedarf.")]))
        #expect(browser.get("/tickets/\(neighbour)").status == 200)

        let coordination = fixture.browser()
        coordination.logIn("koordination")
        let all = coordination.get("/tickets")
        #expect(all.mainText.contains("Eigene Meldung") && all.mainText.contains("Meldung aus Troisdorf"))
    }

    @Test func reportingAGapAsksForEveryMissingFieldAtOnceThenOpensIt() throws {
        let fixture = try WebFixture()
        let browser = fixture.browser()
        browser.logIn("cm.siegburg")
        #expect(browser.get("/new").header("Location") == "/new/systemic-gap-escalation", "one workflow: straight to its form")
        let form = browser.get("/new/systemic-gap-escalation")
        #expect(form.status == 200)
        #expect(form.text.contains("<option value=\"Siegburg\" selected>"), "the case manager's municipality is filled in")
        #expect(form.text.contains("<textarea id=\"open-description\""))
        #expect(form.text.contains("type=\"number\""), "an integer field gets a number input")

        let empty = browser.post("/new/systemic-gap-escalation", [("field.municipality", "Siegburg"), ("field.title", "")])
        #expect(empty.status == 422)
        #expect(empty.text.contains("href=\"#open-title\"") && empty.text.contains("href=\"#open-description\""))
        #expect(try fixture.engine.tickets().isEmpty)

        let malformed = browser.post(
            "/new/systemic-gap-escalation",
            [
                ("field.title", "Titel"), ("field.description", "Text"), ("field.municipality", "Siegburg"),
                ("field.cases_observed", "viele"),
            ])
        #expect(malformed.status == 422)
        #expect(malformed.mainText.contains("Geben Sie bei „Anzahl beobachteter Fälle“ eine ganze Zahl ein."))
        #expect(malformed.text.contains("value=\"viele\""), "what the user typed stays in the form")

        let created = browser.post(
            "/new/systemic-gap-escalation",
            [
                ("field.title", "Keine Sprachkurse am Abend"),
                ("field.description", "Berufstätige können tagsüber nicht.\r\nZweite Zeile."),
                ("field.municipality", "Siegburg"), ("field.cases_observed", "7"),
            ])
        #expect(created.status == 303)
        let id = try #require(try fixture.engine.tickets().first?.id)
        #expect(created.header("Location") == "/tickets/\(id)?opened=1")
        let ticket = try fixture.engine.ticket(id)
        #expect(
            ticket.fields["description"] == .text("Berufstätige können tagsüber nicht.\nZweite Zeile."), "CR LF from the browser kept as LF"
        )
        #expect(ticket.fields["cases_observed"] == .integer(7))
        #expect(ticket.openedBy == "cm.siegburg")
    }

    @Test func personalDataIsShownNextToTheFieldAndNeedsAConfirmation() throws {
        let fixture = try WebFixture()
        let browser = fixture.browser()
        browser.logIn("cm.siegburg")
        browser.get("/new/systemic-gap-escalation")
        let fields = [
            ("field.title", "Wartezeiten bei der Ausländerbehörde"),
            ("field.description", "Rückfragen bitte an max.mustermann@example.org schicken."), ("field.municipality", "Siegburg"),
        ]
        let warned = browser.post("/new/systemic-gap-escalation", fields)
        #expect(warned.status == 422)
        #expect(
            warned.mainText.contains("Im Feld „Beschreibung“ steht anscheinend eine E-Mail-Adresse: „max.mustermann@example.org“."),
            "in the words of the workflow file's personalData message")
        #expect(warned.text.contains("href=\"#open-description\""))
        #expect(warned.text.contains("name=\"confirm\""))
        #expect(try fixture.engine.tickets().isEmpty)
        let confirmed = browser.post("/new/systemic-gap-escalation", fields + [("confirm", "1")])
        #expect(confirmed.status == 303, "the KIM file warns rather than refuses: the user may confirm")
        #expect(try fixture.engine.tickets().count == 1)
    }

    @Test func theTicketPageShowsFactsFieldsAndTheHistoryInGerman() throws {
        let fixture = try WebFixture()
        let id = try fixture.openGap()
        let coordinator = try fixture.engine.actor(named: "koordination")
        fixture.clock.advance(by: 3600)
        try fixture.engine.fire(id, Command(.fire(event: "request_info"), actor: coordinator, values: ["query": .text("Seit wann?")]))
        let browser = fixture.browser()
        browser.logIn("cm.siegburg")
        let page = browser.get("/tickets/\(id)")
        #expect(page.status == 200)
        let text = page.mainText
        #expect(text.contains("Rückfrage"))
        #expect(text.contains("Seit wann?"))
        #expect(text.contains("25.11.2026, 10:00 Uhr"), "German date and Berlin time")
        #expect(text.contains("koordination als CM-Koordination"))
        #expect(page.text.contains("<time datetime=\"2026-11-25T09:00:00.000Z\">"), "machine-readable time beside it")
        #expect(page.text.contains("action=\"/tickets/\(id)/events/resubmit\""), "the case manager may answer the query")
        #expect(!page.text.contains("events/forward"), "but not forward it")
    }

    @Test func theListFiltersBySearchAndStateAndPages() throws {
        let fixture = try WebFixture { $0.pageSize = 2 }
        for index in 1...5 { try fixture.openGap(title: "Lücke Nummer \(index)") }
        try fixture.openGap(title: "Wohnungsmarkt angespannt")
        let browser = fixture.browser()
        browser.logIn("koordination")
        let search = browser.get("/tickets?q=wohnungsmarkt")
        #expect(search.mainText.contains("1 Vorgänge gefunden."))
        let first = browser.get("/tickets?state=reported")
        #expect(first.mainText.contains("6 Vorgänge gefunden."))
        #expect(first.mainText.contains("Seite 1 von 3"))
        #expect(first.text.contains("href=\"/tickets?state=reported&amp;page=2\""))
        #expect(browser.get("/tickets?state=closed").mainText.contains("Keine Vorgänge gefunden."))
        try fixture.openGap(by: "cm.troisdorf", municipality: "Troisdorf", title: "Aus Troisdorf")
        let troisdorf = browser.get("/tickets?scope=Troisdorf")
        #expect(troisdorf.mainText.contains("1 Vorgänge gefunden.") && troisdorf.mainText.contains("Aus Troisdorf"))
        #expect(troisdorf.text.contains("<label for=\"filter-scope\">Kommune</label>"), "the filter is titled by the workflow's field")
    }

    @Test func coordinationSeesSimilarTicketsAndMergesWithOneButton() throws {
        let fixture = try WebFixture()
        let first = try fixture.openGap(title: "Keine Kinderbetreuung während der Integrationskurse")
        let second = try fixture.openGap(title: "Kinderbetreuung während der Integrationskurse fehlt")
        try fixture.openGap(title: "Wohnungsmarkt")
        let browser = fixture.browser()
        browser.logIn("koordination")
        let page = browser.get("/tickets/\(second)")
        #expect(page.mainText.contains("Ähnliche offene Vorgänge"))
        #expect(page.text.contains("name=\"field.merged_into\" value=\"\(first)\""))
        #expect(page.mainText.contains("gleiche Wörter"), "why it is similar, in German")
        let merged = browser.post("/tickets/\(second)/events/merge", [("revision", "1"), ("field.merged_into", first)])
        #expect(merged.status == 303)
        #expect(try fixture.engine.ticket(second).state == "merged")
        #expect(try fixture.engine.ticket(second).fields["merged_into"] == .ticket(first))

        let caseManager = fixture.browser()
        caseManager.logIn("cm.siegburg")
        #expect(!caseManager.get("/tickets/\(first)").mainText.contains("Ähnliche offene Vorgänge"), "only for who may merge")
    }
}

@Suite("Personal data in a comment")
struct CommentPersonalDataTests {
    @Test func aFindingInTheCommentStandsNextToTheCommentBox() throws {
        let fixture = try WebFixture()
        let id = try fixture.openGap()
        let browser = fixture.browser()
        browser.logIn("koordination")
        browser.get("/tickets/\(id)")
        let warned = browser.post(
            "/tickets/\(id)/events/forward", [("revision", "1"), ("field.legal_domains", "SGB II"), ("comment", "Frau Karimi rief an.")])
        #expect(warned.status == 422)
        #expect(warned.text.contains("href=\"#forward-comment\""), "the summary links to the comment box")
        #expect(warned.text.contains("<p class=\"error-message\" id=\"forward-comment-error\">"))
        #expect(warned.mainText.contains("Im Feld „Kommentar“ steht anscheinend"))
        #expect(try fixture.engine.ticket(id).state == "reported")
    }
}

@Suite("Paging the queue")
struct QueuePagingTests {
    @Test func aLongQueueIsShownAPageAtATime() throws {
        let fixture = try WebFixture { $0.pageSize = 2 }
        for index in 1...5 { try fixture.openGap(title: "Meldung \(index)") }
        let browser = fixture.browser()
        browser.logIn("koordination")
        let first = browser.get("/queue")
        #expect(first.mainText.contains("5 Vorgänge warten auf Sie"))
        #expect(first.text.components(separatedBy: "<tr").count - 2 == 2, "two rows and the header")
        #expect(first.text.contains("href=\"/queue?page=2\""))
        let last = browser.get("/queue?page=3")
        #expect(last.mainText.contains("Seite 3 von 3"))
        #expect(last.text.components(separatedBy: "<tr").count - 2 == 1)
        #expect(browser.get("/queue?page=99").mainText.contains("Seite 3 von 3"), "past the end shows the last page")
    }
}

@Suite("Bericht")
struct ReportPageTests {
    @Test func coordinationSeesTheMaskedReportAndACaseManagerDoesNot() throws {
        let fixture = try WebFixture()
        for index in 1...3 { try fixture.openGap(title: "Meldung \(index)") }
        let browser = fixture.browser()
        browser.logIn("koordination")
        #expect(browser.get("/queue").text.contains("href=\"/report\""), "in the navigation for who may see it")
        let page = browser.get("/report")
        #expect(page.status == 200)
        #expect(page.mainText.contains("Bericht: Bearbeitung systematischer Lücken"))
        #expect(page.mainText.contains("Offene Vorgänge je Stufe"))
        #expect(page.mainText.contains("Gemeldet &lt;5"), "three open tickets are a small number")
        #expect(!page.text.contains("<style"), "no inline style: the page's Content-Security-Policy allows none")

        let caseManager = fixture.browser()
        caseManager.logIn("cm.siegburg")
        #expect(!caseManager.get("/queue").text.contains("href=\"/report\""))
        #expect(caseManager.get("/report").status == 404)
    }
}
