import Foundation
import GapFlow

/// How the web front is set up: who may vouch for a user, how long sessions live, what a request may cost.
public struct WebConfiguration: Sendable {
    /// The reverse proxy's address: only its requests may carry ``trustedHeader`` and `X-Forwarded-Proto`.
    public var trustedProxy: String?
    /// The header in which the proxy names the user it has signed in (single sign-on), e.g. `X-Remote-User`.
    public var trustedHeader: String?
    public var sessionLifetime = SessionLifetime()
    /// Largest request body (413 above it).
    public var maximumBody = 1 << 20
    /// Tickets per page of the list.
    public var pageSize = 50
    /// Where the server writes what went wrong inside (the user sees only the kind of failure).
    public var log: @Sendable (String) -> Void = { _ in }

    public init() {}
}

/// The web door: answers HTTP requests with pages generated from the workflow definitions, acting as the
/// logged-in actor with the actor's roles. It holds no state of its own but the login throttle: sessions live in
/// the store, so any number of processes can serve one database.
public final class WebFront: Sendable {
    let engine: Engine
    let texts: PageTexts
    let configuration: WebConfiguration
    let throttle = LoginThrottle()

    static let sessionCookie = "gapflow_session"
    static let loginCookie = "gapflow_login"

    public init(engine: Engine, texts: PageTexts, configuration: WebConfiguration = WebConfiguration()) {
        self.engine = engine
        self.texts = texts
        self.configuration = configuration
    }

    /// Answers one request. Never throws: every failure becomes a page with the status of its kind.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        var response: HTTPResponse
        do {
            response = try route(request)
        } catch let failure as RequestFailure where request.path.hasPrefix("/api/") {
            // A path the API cannot even read (a broken escape) still gets the API's JSON answer.
            response = apiError(APIFailure.badRequest("the path is not valid URL encoding (\(failure.status))"), request: request)
        } catch let failure as RequestFailure {
            response = errorPage(failure, request: request)
        } catch let error as any ExplainedError {
            configuration.log("\(request.method) \(request.path): \(error.summary)")
            response = errorPage(RequestFailure(error.kind), request: request)
        } catch {
            configuration.log("\(request.method) \(request.path): \(error)")
            response = errorPage(.failure, request: request)
        }
        response.headers += Self.securityHeaders
        return response
    }

    /// The answer to a body over the limit.
    public func tooLarge(_ request: HTTPRequest) -> HTTPResponse {
        var response = errorPage(.tooLarge, request: request)
        response.headers += Self.securityHeaders + [("Connection", "close")]
        return response
    }

    static let securityHeaders: [(String, String)] = [
        (
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        ),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
        ("Cache-Control", "no-store"),
    ]

    // MARK: - Routing

    private func route(_ request: HTTPRequest) throws -> HTTPResponse {
        let segments = try Self.segments(of: request.path)
        let method = request.method == "HEAD" ? "GET" : request.method
        func allow(_ methods: String...) throws {
            guard methods.contains(method) else { throw RequestFailure.methodNotAllowed(allowed: methods) }
        }
        switch segments.count {
        case 1 where segments[0] == "healthz":
            try allow("GET")
            _ = try engine.workflowIDs()
            return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array("ok\n".utf8))
        case 2 where segments == ["static", "gapflow.css"]:
            try allow("GET")
            return HTTPResponse(
                status: 200, headers: [("Content-Type", "text/css; charset=utf-8")], body: Array(Stylesheet.css.utf8))
        case 1... where segments[0] == "api":
            do {
                return try api(request, segments: Array(segments.dropFirst()))
            } catch {
                return apiError(error, request: request)
            }
        case 1 where segments[0] == "login":
            try allow("GET", "POST")
            return method == "GET" ? loginForm(request) : try login(request)
        default:
            break
        }
        let visit = try authenticate(request)
        guard let visit else {
            guard method == "GET" else { throw RequestFailure.forbidden }
            let next = request.path + (request.query.isEmpty ? "" : "?" + request.query)
            return Self.redirect("/login?next=" + next.urlEncoded)
        }
        // The route and method are checked first (405 says nothing about the session); then every POST's token.
        func allowPost() throws {
            try allow("POST")
            try visit.checkCSRF()
        }
        switch (segments.first, segments.count) {
        case (nil, _):
            try allow("GET")
            return Self.redirect("/queue")
        case ("logout", 1):
            try allowPost()
            return try logout(visit)
        case ("queue", 1):
            try allow("GET")
            return try queuePage(visit)
        case ("tickets", 1):
            try allow("GET")
            return try ticketListPage(visit)
        case ("tickets", 2):
            try allow("GET")
            return try ticketPage(visit, id: segments[1])
        case ("tickets", 4) where segments[2] == "events":
            try allowPost()
            return try fireEvent(visit, ticketID: segments[1], event: segments[3])
        case ("report", 1):
            try allow("GET")
            return try reportPage(visit)
        case ("new", 1):
            try allow("GET")
            return try chooseWorkflowPage(visit)
        case ("new", 2):
            try allow("GET", "POST")
            if method == "GET" { return try newTicketPage(visit, workflow: segments[1]) }
            try visit.checkCSRF()
            return try openTicket(visit, workflow: segments[1])
        default:
            throw RequestFailure.notFound
        }
    }

    /// The path's segments, percent-decoded; a malformed escape or non-UTF-8 path is a bad request.
    static func segments(of path: String) throws(RequestFailure) -> [String] {
        guard path.hasPrefix("/") else { throw .badRequest }
        return try path.split(separator: "/", omittingEmptySubsequences: true).map { segment throws(RequestFailure) in
            guard let decoded = segment.removingPercentEncoding, decoded.unicodeScalars.allSatisfy({ $0.value >= 0x20 }) else {
                throw .badRequest
            }
            return decoded
        }
    }

    static func redirect(_ location: String, cookies: [String] = []) -> HTTPResponse {
        HTTPResponse(status: 303, headers: [("Location", location)] + cookies.map { ("Set-Cookie", $0) })
    }

    // MARK: - Who is asking

    /// The logged-in actor of a request (by session cookie, or by the trusted proxy's header), or nil.
    private func authenticate(_ request: HTTPRequest) throws -> Visit? {
        let secure = isSecure(request)
        if let header = configuration.trustedHeader, let proxy = configuration.trustedProxy, request.peerAddress == proxy,
            let name = request.header(header)?.trimmingCharacters(in: .whitespaces), !name.isEmpty
        {
            // Single sign-on: the proxy has authenticated the user; the session carries the CSRF token.
            if let id = request.cookies[Self.sessionCookie], let (session, actor) = try engine.session(id: id, lifetime: lifetime),
                actor.name == name || actor.name.lowercased() == name.lowercased()
            {
                return Visit(front: self, request: request, actor: actor, session: session, sessionID: id, secure: secure)
            }
            guard let actor = try? engine.actor(named: name) else { throw RequestFailure.forbidden }
            let (id, session) = try engine.beginSession(for: actor)
            configuration.log("login by proxy header: \(actor.name) from \(clientAddress(request))")
            try engine.recordAdminEvent(
                kind: "login.proxy", actor: actor.name, subject: actor.name, details: [("address", .string(clientAddress(request)))])
            return Visit(
                front: self, request: request, actor: actor, session: session, sessionID: id, secure: secure, newSession: true)
        }
        guard let id = request.cookies[Self.sessionCookie], let (session, actor) = try engine.session(id: id, lifetime: lifetime) else {
            return nil
        }
        return Visit(front: self, request: request, actor: actor, session: session, sessionID: id, secure: secure)
    }

    var lifetime: SessionLifetime { configuration.sessionLifetime }

    /// The browser's address: behind the trusted proxy the one it appended to `X-Forwarded-For` (the last entry; the
    /// ones before it come from the client and prove nothing), else the peer's. Throttling counts per this address,
    /// so that a proxy in front does not make every user one address.
    func clientAddress(_ request: HTTPRequest) -> String {
        guard let proxy = configuration.trustedProxy, request.peerAddress == proxy,
            let forwarded = request.header("X-Forwarded-For")?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
            !forwarded.isEmpty
        else { return request.peerAddress }
        return forwarded
    }

    /// Whether the browser reached us over TLS: only the trusted proxy may say so.
    func isSecure(_ request: HTTPRequest) -> Bool {
        guard let proxy = configuration.trustedProxy, request.peerAddress == proxy else { return false }
        return request.header("X-Forwarded-Proto")?.lowercased() == "https"
    }

    func cookie(_ name: String, _ value: String, secure: Bool, maxAge: Int? = nil) -> String {
        var parts = ["\(name)=\(value)", "Path=/", "HttpOnly", "SameSite=Strict"]
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if secure { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }
}

/// One request of a logged-in actor.
struct Visit {
    let front: WebFront
    let request: HTTPRequest
    let actor: Actor
    let session: WebSession
    let sessionID: String
    let secure: Bool
    /// A session begun for this request (single sign-on): its cookie goes with the response.
    var newSession = false

    var texts: PageTexts { front.texts }

    /// The submitted form (POST body), decoded strictly.
    func form() throws(RequestFailure) -> FormData {
        let type = request.header("Content-Type")?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else { throw .badRequest }
        do { return try FormData(decoding: request.body) } catch { throw .badRequest }
    }

    func query() throws(RequestFailure) -> FormData {
        do { return try FormData(query: request.query) } catch { throw .badRequest }
    }

    /// Every POST carries the session's token in the field `csrf`; a missing or wrong one changes nothing.
    func checkCSRF() throws(RequestFailure) {
        guard let given = try form()["csrf"], SecureRandom.constantTimeEqual(Array(given.utf8), Array(session.csrfToken.utf8)) else {
            throw .forbidden
        }
    }

    /// A page response, with the session cookie when the session is new.
    func respond(_ status: Int, _ html: String) -> HTTPResponse {
        var headers = [("Content-Type", "text/html; charset=utf-8")]
        if newSession { headers.append(("Set-Cookie", front.cookie(WebFront.sessionCookie, sessionID, secure: secure))) }
        return HTTPResponse(status: status, headers: headers, body: Array(html.utf8))
    }

    func redirect(_ location: String) -> HTTPResponse {
        WebFront.redirect(location, cookies: newSession ? [front.cookie(WebFront.sessionCookie, sessionID, secure: secure)] : [])
    }
}

/// A request the web front answers with an error page; nothing was changed.
enum RequestFailure: Error, Equatable {
    case badRequest
    case forbidden
    case notFound
    case methodNotAllowed(allowed: [String])
    case conflict
    case tooLarge
    case unavailable
    case failure

    init(_ kind: ErrorKind) {
        switch kind {
        case .refused, .usage: self = .badRequest
        case .notFound: self = .notFound
        case .conflict: self = .conflict
        case .unavailable: self = .unavailable
        }
    }

    var status: Int {
        switch self {
        case .badRequest: 400
        case .forbidden: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .conflict: 409
        case .tooLarge: 413
        case .unavailable: 503
        case .failure: 500
        }
    }
}
