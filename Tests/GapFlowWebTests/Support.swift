import Foundation
import GapFlow
import Testing

@testable import GapFlowWeb

enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let kimFile = root.appendingPathComponent("Workflows/systemic-gap-escalation.json")
    static let textsFile = root.appendingPathComponent("Workflows/texts/web.de.json")
}

/// Scrypt parameters small enough for tests (the stored parameters are read back, so verification follows them).
let cheapHash = PasswordHash.Parameters(logN: 10, r: 8, p: 1)
let password = "ein-langes-passwort"

/// A web front on a fresh in-memory store with the KIM workflow, the usual actors and their passwords.
struct WebFixture {
    static let start = Date(timeIntervalSince1970: 1_795_593_600)  // 2026-11-25 09:00 Berlin

    let engine: Engine
    let clock: ManualClock
    let front: WebFront

    init(configure: (inout WebConfiguration) -> Void = { _ in }) throws {
        clock = ManualClock(Self.start)
        engine = Engine(store: MemoryStore(), clock: clock)
        try engine.register(source: Array(try Data(contentsOf: Repository.kimFile)), file: Repository.kimFile.path)
        let actors = [
            Actor(name: "admin", roles: ["admin"]),
            Actor(name: "koordination", roles: ["cm_coordination"]),
            Actor(name: "cm.siegburg", roles: ["cm"], municipality: "Siegburg"),
            Actor(name: "cm.troisdorf", roles: ["cm"], municipality: "Troisdorf"),
            Actor(name: "ki.leitung", roles: ["ki_lead"]),
            Actor(name: "geschaeftsstelle", roles: ["steering_office"]),
        ]
        for actor in actors { try engine.saveActor(actor, by: actors[0]) }
        for actor in actors { try engine.setPassword(password, for: actor.name, by: actors[0], parameters: cheapHash) }
        var configuration = WebConfiguration()
        configure(&configuration)
        front = WebFront(engine: engine, texts: try PageTexts.load(contentsOf: Repository.textsFile), configuration: configuration)
    }

    /// Opens a gap as `actor` through the engine (not the web), returning its id.
    @discardableResult
    func openGap(by actor: String = "cm.siegburg", municipality: String = "Siegburg", title: String = "Keine Kita-Plätze") throws -> String
    {
        let values: [String: FieldInput] = [
            "title": .text(title), "description": .text("Kinderbetreuung während der Kurse fehlt."), "municipality": .text(municipality),
        ]
        return try engine.open(workflow: "systemic-gap-escalation", Command(.open, actor: try engine.actor(named: actor), values: values))
            .ticket.id
    }

    func browser(address: String = "127.0.0.1") -> Browser { Browser(front: front, address: address) }
}

/// A browser in a test: keeps cookies, follows nothing by itself, and reads the CSRF token of the last page.
final class Browser {
    let front: WebFront
    let address: String
    var cookies: [String: String] = [:]
    var extraHeaders: [String: String] = [:]
    private(set) var last: HTTPResponse?

    init(front: WebFront, address: String) {
        self.front = front
        self.address = address
    }

    @discardableResult
    func get(_ target: String) -> HTTPResponse {
        send(HTTPRequest(method: "GET", path: Self.path(target), query: Self.query(target), headers: headers(), peerAddress: address))
    }

    @discardableResult
    func post(_ target: String, _ fields: [(String, String)], csrf: String? = nil) -> HTTPResponse {
        var pairs = fields
        if let token = csrf ?? csrfToken, !fields.contains(where: { $0.0 == "csrf" }) { pairs.insert(("csrf", token), at: 0) }
        let body = pairs.map { "\($0.0.formEncoded)=\($0.1.formEncoded)" }.joined(separator: "&")
        return postRaw(target, Array(body.utf8))
    }

    @discardableResult
    func postRaw(_ target: String, _ body: [UInt8], contentType: String = "application/x-www-form-urlencoded") -> HTTPResponse {
        var headers = headers()
        headers["Content-Type"] = contentType
        return send(
            HTTPRequest(
                method: "POST", path: Self.path(target), query: Self.query(target), headers: headers, body: body, peerAddress: address))
    }

    func send(_ request: HTTPRequest) -> HTTPResponse {
        let response = front.handle(request)
        for cookie in response.headers("Set-Cookie") {
            let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || cookie.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        last = response
        if let range = response.text.range(of: "name=\"csrf\" value=\"") {
            csrfToken = String(response.text[range.upperBound...].prefix(while: { $0 != "\"" }))
        }
        return response
    }

    /// Logs in through the form; returns the response to the login POST.
    @discardableResult
    func logIn(_ name: String, _ secret: String = password) -> HTTPResponse {
        get("/login")
        return post("/login", [("name", name), ("password", secret)])
    }

    /// The CSRF token of the last page that had a form.
    private(set) var csrfToken: String?

    private func headers() -> [String: String] {
        var headers = extraHeaders
        if !cookies.isEmpty { headers["Cookie"] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        return headers
    }

    private static func path(_ target: String) -> String { String(target.split(separator: "?", maxSplits: 1)[0]) }
    private static func query(_ target: String) -> String {
        let parts = target.split(separator: "?", maxSplits: 1)
        return parts.count > 1 ? String(parts[1]) : ""
    }
}

extension String {
    var formEncoded: String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return (addingPercentEncoding(withAllowedCharacters: allowed) ?? self).replacingOccurrences(of: "%20", with: "+")
    }
}

extension HTTPResponse {
    /// The page's main content without tags, for reading assertions.
    var mainText: String {
        let main = text.range(of: "<main").map { String(text[$0.lowerBound...]) } ?? text
        return main.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
            .replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression)
    }
}
