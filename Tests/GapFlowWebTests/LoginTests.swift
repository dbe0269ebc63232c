import Foundation
import GapFlow
import Testing

@testable import GapFlowWeb

@Suite("Logins and sessions")
struct LoginTests {
    @Test func healthAnswersWithoutLogin() throws {
        let fixture = try WebFixture()
        let response = fixture.browser().get("/healthz")
        #expect(response.status == 200)
        #expect(response.text == "ok\n")
    }

    @Test func aPageWithoutLoginRedirectsToTheLoginFormAndComesBackAfterwards() throws {
        let fixture = try WebFixture()
        let browser = fixture.browser()
        let first = browser.get("/tickets?state=reported")
        #expect(first.status == 303)
        #expect(first.header("Location") == "/login?next=%2Ftickets%3Fstate%3Dreported")
        browser.get(first.header("Location") ?? "")
        let login = browser.post("/login?next=%2Ftickets%3Fstate%3Dreported", [("name", "koordination"), ("password", password)])
        #expect(login.status == 303)
        #expect(login.header("Location") == "/tickets?state=reported")
    }

    @Test func aLoginSetsAStrictHttpOnlySessionCookieAndAWrongPasswordSetsNone() throws {
        let fixture = try WebFixture()
        let browser = fixture.browser()
        let wrong = browser.logIn("koordination", "falsch-falsch-falsch")
        #expect(wrong.status == 401)
        #expect(wrong.mainText.contains("Benutzername oder Passwort ist falsch."))
        #expect(browser.cookies[WebFront.sessionCookie] == nil)
        let unknown = browser.logIn("niemand", password)
        #expect(unknown.status == 401, "an unknown name gets the same answer as a wrong password")

        let right = browser.logIn("koordination")
        #expect(right.status == 303)
        let cookie = try #require(right.headers("Set-Cookie").first { $0.hasPrefix(WebFront.sessionCookie + "=") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
        #expect(!cookie.contains("Secure"), "plain HTTP from a browser that is not behind the trusted proxy")
        let id = try #require(browser.cookies[WebFront.sessionCookie])
        #expect(id.count == 64 && id.allSatisfy(\.isHexDigit), "256 bits, hex")
        #expect(browser.get("/queue").status == 200)
    }

    @Test func theSessionCookieIsSecureOnlyWhenTheTrustedProxySaysTLS() throws {
        let fixture = try WebFixture { $0.trustedProxy = "10.0.0.5" }
        let proxied = fixture.browser(address: "10.0.0.5")
        proxied.extraHeaders["X-Forwarded-Proto"] = "https"
        let secure = proxied.logIn("koordination")
        #expect(secure.headers("Set-Cookie").contains { $0.hasPrefix(WebFront.sessionCookie) && $0.contains("Secure") })

        let direct = fixture.browser(address: "10.0.0.9")
        direct.extraHeaders["X-Forwarded-Proto"] = "https"
        let plain = direct.logIn("koordination")
        #expect(!plain.headers("Set-Cookie").contains { $0.contains("Secure") }, "anyone can send the header; only the proxy is believed")
    }

    @Test func aLoginBeginsANewSessionAndEndsThePlantedOne() throws {
        let fixture = try WebFixture()
        let attacker = fixture.browser()
        attacker.logIn("cm.troisdorf")
        let planted = try #require(attacker.cookies[WebFront.sessionCookie])

        let victim = fixture.browser()
        victim.cookies[WebFront.sessionCookie] = planted
        victim.logIn("koordination")
        let fresh = try #require(victim.cookies[WebFront.sessionCookie])
        #expect(fresh != planted)
        #expect(attacker.get("/queue").status == 303, "the session that was sent along at login is over")
        #expect(victim.get("/queue").mainText.contains("Meine Aufgaben"))
    }

    @Test func theLoginFormNeedsItsOwnToken() throws {
        let fixture = try WebFixture()
        let browser = fixture.browser()
        browser.get("/login")
        let forged = browser.post("/login", [("name", "koordination"), ("password", password)], csrf: String(repeating: "0", count: 64))
        #expect(forged.status == 403)
        browser.cookies = [:]
        let cookieless = browser.post("/login", [("name", "koordination"), ("password", password), ("csrf", "x")])
        #expect(cookieless.status == 403)
        #expect(browser.cookies[WebFront.sessionCookie] == nil)
    }

    @Test func logoutEndsTheSession() throws {
        let fixture = try WebFixture()
        let browser = fixture.browser()
        browser.logIn("koordination")
        let id = try #require(browser.cookies[WebFront.sessionCookie])
        browser.get("/queue")
        let out = browser.post("/logout", [])
        #expect(out.status == 303)
        #expect(out.header("Location") == "/login")
        browser.cookies[WebFront.sessionCookie] = id
        #expect(browser.get("/queue").status == 303, "the old id no longer works")
    }

    @Test func sessionsEndWhenIdleAndAfterTheAbsoluteLimit() throws {
        let fixture = try WebFixture { $0.sessionLifetime = SessionLifetime(idle: 30 * 60, absolute: 8 * 3600) }
        let browser = fixture.browser()
        browser.logIn("koordination")
        fixture.clock.advance(by: 29 * 60)
        #expect(browser.get("/queue").status == 200)
        fixture.clock.advance(by: 29 * 60)
        #expect(browser.get("/queue").status == 200, "each request keeps an active session alive")
        fixture.clock.advance(by: 31 * 60)
        #expect(browser.get("/queue").status == 303, "idle for more than 30 minutes")

        browser.logIn("koordination")
        for _ in 0..<20 {
            fixture.clock.advance(by: 25 * 60)
            if browser.get("/queue").status != 200 { break }
        }
        #expect(fixture.clock.now().timeIntervalSince(WebFixture.start) < 8 * 3600 + 2 * 3600)
        #expect(browser.get("/queue").status == 303, "ended after eight hours however active")
    }

    @Test func failedLoginsAreThrottledPerAccountAndPerAddress() throws {
        let fixture = try WebFixture()
        let browser = fixture.browser(address: "192.0.2.1")
        for _ in 0..<5 { #expect(browser.logIn("koordination", "falsch-falsch-falsch").status == 401) }
        let blocked = browser.logIn("koordination")
        #expect(blocked.status == 429, "the right password is not even checked while the account is throttled")
        #expect(blocked.mainText.contains("Zu viele fehlgeschlagene Anmeldeversuche"))
        #expect(fixture.browser(address: "192.0.2.2").logIn("koordination").status == 429, "per account, from anywhere")
        #expect(fixture.browser(address: "192.0.2.2").logIn("ki.leitung").status == 303, "other accounts are not affected")

        fixture.clock.advance(by: 16 * 60)
        #expect(browser.logIn("koordination").status == 303, "after the window the account may try again")

        let guesser = fixture.browser(address: "198.51.100.7")
        for name in ["cm.siegburg", "cm.troisdorf", "ki.leitung", "admin"] {
            for _ in 0..<5 { guesser.logIn(name, "falsch-falsch-falsch") }
        }
        #expect(guesser.logIn("geschaeftsstelle").status == 429, "twenty failures from one address block that address")
    }

    @Test func singleSignOnTakesTheProxysHeaderOnlyFromTheProxy() throws {
        let fixture = try WebFixture {
            $0.trustedProxy = "10.0.0.5"
            $0.trustedHeader = "X-Remote-User"
        }
        let proxied = fixture.browser(address: "10.0.0.5")
        proxied.extraHeaders["X-Remote-User"] = "koordination"
        let page = proxied.get("/queue")
        #expect(page.status == 200)
        #expect(page.text.contains("Angemeldet als koordination"))
        #expect(proxied.cookies[WebFront.sessionCookie] != nil, "a session carries the CSRF token of the forms")

        let spoofed = fixture.browser(address: "10.0.0.6")
        spoofed.extraHeaders["X-Remote-User"] = "admin"
        #expect(spoofed.get("/queue").status == 303, "the header from anyone else is ignored")

        let unknown = fixture.browser(address: "10.0.0.5")
        unknown.extraHeaders["X-Remote-User"] = "niemand"
        #expect(unknown.get("/queue").status == 403)
    }

    @Test func theNextAddressStaysOnThisSite() {
        #expect(WebFront.safeNext("/tickets/GAP-2026-0001") == "/tickets/GAP-2026-0001")
        #expect(WebFront.safeNext("//evil.example/") == nil)
        #expect(WebFront.safeNext("/\\evil.example") == nil)
        #expect(WebFront.safeNext("https://evil.example/") == nil)
        #expect(WebFront.safeNext("/x\r\nSet-Cookie: a=b") == nil)
    }

    @Test func loginsFailedLoginsAndLogoutsGoToTheAdminLog() throws {
        let fixture = try WebFixture()
        let browser = fixture.browser(address: "192.0.2.44")
        browser.logIn("koordination", "falsch-falsch-falsch")
        browser.logIn("koordination")
        browser.get("/queue")
        browser.post("/logout", [])
        let entries = try fixture.engine.adminLog().filter { $0.kind.hasPrefix("log") }
        #expect(entries.map(\.kind) == ["login.failed", "login", "logout"])
        #expect(entries.first?.subject == "koordination" && entries.first?.actor == nil, "a failed login names whom it tried")
        #expect(entries.first?.details.contains("192.0.2.44") == true, "and from where")
        #expect(entries[1].actor == "koordination")
        #expect(try fixture.engine.adminLog().contains { $0.kind == "password.set" && $0.subject == "cm.siegburg" && $0.actor == "admin" })
    }

    @Test func behindTheTrustedProxyThrottlingCountsTheBrowsersAddressNotTheProxys() throws {
        let fixture = try WebFixture { $0.trustedProxy = "10.0.0.5" }
        func browser(_ client: String) -> Browser {
            let browser = fixture.browser(address: "10.0.0.5")
            browser.extraHeaders["X-Forwarded-For"] = "203.0.113.9, \(client)"  // the proxy appends the address it saw
            return browser
        }
        let guesser = browser("198.51.100.7")
        for name in ["cm.siegburg", "cm.troisdorf", "ki.leitung", "admin"] {
            for _ in 0..<5 { guesser.logIn(name, "falsch-falsch-falsch") }
        }
        #expect(guesser.logIn("geschaeftsstelle").status == 429, "twenty failures from one browser block that browser")
        #expect(browser("198.51.100.8").logIn("geschaeftsstelle").status == 303, "not everyone else behind the same proxy")
        let log = try fixture.engine.adminLog().first { $0.kind == "login.failed" }
        #expect(log?.details.contains("198.51.100.7") == true, "the admin log names the browser's address")

        let direct = fixture.browser(address: "192.0.2.50")
        direct.extraHeaders["X-Forwarded-For"] = "198.51.100.8"
        #expect(
            fixture.front.clientAddress(HTTPRequest(method: "GET", path: "/", headers: direct.extraHeaders, peerAddress: "192.0.2.50"))
                == "192.0.2.50", "the header from anyone but the proxy is not believed")
    }
}
