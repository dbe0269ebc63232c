import Foundation
import GapFlow
import Testing

@testable import GapFlowWeb

@Suite("The JSON API")
struct APITests {
    struct Client {
        let fixture: WebFixture
        var token: String?
        var cookie: String?
        var csrf: String?

        func call(_ method: String, _ target: String, json: String? = nil, contentType: String = "application/json") -> (
            HTTPResponse, JSONNode?
        ) {
            var headers: [String: String] = [:]
            if let token { headers["Authorization"] = "Bearer \(token)" }
            if let cookie { headers["Cookie"] = "\(WebFront.sessionCookie)=\(cookie)" }
            if let csrf { headers["X-CSRF-Token"] = csrf }
            if json != nil { headers["Content-Type"] = contentType }
            let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
            let response = fixture.front.handle(
                HTTPRequest(
                    method: method, path: parts[0], query: parts.count > 1 ? parts[1] : "", headers: headers, body: Array((json ?? "").utf8)
                ))
            return (response, try? JSONParser.parse(response.body))
        }
    }

    func client(_ name: String) throws -> (WebFixture, Client) {
        let fixture = try WebFixture()
        let token = try fixture.engine.issueAPIToken(for: name, by: try fixture.engine.actor(named: "admin"))
        return (fixture, Client(fixture: fixture, token: token))
    }

    @Test func aScriptWithATokenReadsWhatTheActorMayRead() throws {
        let (fixture, client) = try client("cm.siegburg")
        let own = try fixture.openGap(by: "cm.siegburg", municipality: "Siegburg")
        let other = try fixture.openGap(by: "cm.troisdorf", municipality: "Troisdorf")
        let (response, body) = client.call("GET", "/api/tickets/\(own)")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        #expect(body?["id"]?.string == own)
        #expect(body?["fields"]?["municipality"]?.string == "Siegburg")
        #expect(client.call("GET", "/api/tickets/\(other)").0.status == 404)
        let (list, page) = client.call("GET", "/api/tickets?limit=10")
        #expect(list.status == 200)
        #expect(page?["total"]?.integer == 1)
        #expect(client.call("GET", "/api/tickets/\(own)/history").1?.elements?.count == 1)
        #expect(client.call("GET", "/api/tickets?limit=0").0.status == 400)
    }

    @Test func withoutCredentialsTheAPIAnswers401InJSON() throws {
        let (fixture, _) = try client("koordination")
        let anonymous = Client(fixture: fixture)
        let (response, body) = anonymous.call("GET", "/api/queue")
        #expect(response.status == 401)
        #expect(response.header("WWW-Authenticate") == "Bearer")
        #expect(body?["error"]?["code"]?.string == "UNAUTHORIZED")
        var forged = anonymous
        forged.token = String(repeating: "f", count: 64)
        #expect(forged.call("GET", "/api/queue").0.status == 401)
    }

    @Test func firingNeedsTheRevisionAndReportsRefusalsAndConflicts() throws {
        let (fixture, client) = try client("koordination")
        let id = try fixture.openGap()
        let refused = client.call("POST", "/api/tickets/\(id)/events/forward", json: #"{"revision": 1}"#)
        #expect(refused.0.status == 422)
        #expect(refused.1?["error"]?["problems"]?.elements?.first?["code"]?.string == "MISSING_FIELD")
        #expect(refused.1?["error"]?["problems"]?.elements?.first?["field"]?.string == "legal_domains")
        let fired = client.call(
            "POST", "/api/tickets/\(id)/events/forward", json: #"{"revision": 1, "fields": {"legal_domains": ["SGB II"]}}"#)
        #expect(fired.0.status == 200)
        #expect(fired.1?["state"]?.string == "ki_review")
        let stale = client.call(
            "POST", "/api/tickets/\(id)/events/forward", json: #"{"revision": 1, "fields": {"legal_domains": ["SGB II"]}}"#)
        #expect(stale.0.status == 409)
        #expect(try fixture.engine.history(id).last?.actor == "koordination")
        #expect(client.call("POST", "/api/tickets/\(id)/events/forward", json: #"{"fields": {}}"#).0.status == 400)
        #expect(client.call("POST", "/api/tickets/\(id)/events/forward", json: "{nope").0.status == 400)
        #expect(
            client.call("POST", "/api/tickets/\(id)/events/forward", json: #"{"revision": 2}"#, contentType: "text/plain").0.status == 415)
        #expect(client.call("GET", "/api/tickets/\(id)/events/forward").0.status == 405)
        #expect(try fixture.engine.ticket(id).revision == 2)
    }

    @Test func openingATicketAnswers201WithItsAddress() throws {
        let (fixture, client) = try client("cm.siegburg")
        let (response, body) = client.call(
            "POST", "/api/workflows/systemic-gap-escalation/tickets",
            json: #"{"fields": {"title": "Keine Abendkurse", "description": "Tagsüber arbeiten sie.", "municipality": "Siegburg"}}"#)
        #expect(response.status == 201)
        let id = try #require(body?["id"]?.string)
        #expect(response.header("Location") == "/api/tickets/\(id)")
        #expect(try fixture.engine.ticket(id).openedBy == "cm.siegburg")
        #expect(client.call("POST", "/api/workflows/unknown/tickets", json: "{}").0.status == 404)
    }

    @Test func aSessionCookiePostNeedsTheCSRFHeader() throws {
        let fixture = try WebFixture()
        let id = try fixture.openGap()
        let browser = fixture.browser()
        browser.logIn("koordination")
        browser.get("/queue")
        var client = Client(fixture: fixture, cookie: browser.cookies[WebFront.sessionCookie])
        #expect(client.call("GET", "/api/queue").0.status == 200)
        let body = #"{"revision": 1, "fields": {"legal_domains": ["SGB II"]}}"#
        #expect(client.call("POST", "/api/tickets/\(id)/events/forward", json: body).0.status == 403)
        client.csrf = browser.csrfToken
        #expect(client.call("POST", "/api/tickets/\(id)/events/forward", json: body).0.status == 200)
    }

    @Test func theOpenAPIDocumentDescribesEveryRoute() throws {
        let fixture = try WebFixture()
        let (response, document) = Client(fixture: fixture).call("GET", "/api/openapi.json")
        #expect(response.status == 200)
        let paths = try #require(document?["paths"]?.members?.map(\.key))
        #expect(
            Set(paths) == [
                "/api/queue", "/api/tickets", "/api/tickets/{id}", "/api/tickets/{id}/history", "/api/tickets/{id}/events",
                "/api/tickets/{id}/events/{event}", "/api/workflows/{workflow}/tickets",
            ])
        #expect(document?["openapi"]?.string == "3.0.3")
    }
}
