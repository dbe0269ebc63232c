import Foundation
import GapFlow

/// The JSON API under `/api/`: the same reads and writes as the pages, with the same login (a session cookie, or
/// `Authorization: Bearer TOKEN` from `gapflow actor token`), and the library's read models as bodies — the same
/// encoding as the CLI's `--json`. Described by ``OpenAPIDocument`` at `/api/openapi.json`.
extension WebFront {
    func api(_ request: HTTPRequest, segments: [String]) throws -> HTTPResponse {
        let method = request.method == "HEAD" ? "GET" : request.method
        func allow(_ methods: String...) throws {
            guard methods.contains(method) else { throw APIFailure.methodNotAllowed(methods) }
        }
        if segments == ["openapi.json"] {
            try allow("GET")
            return Self.json(200, OpenAPIDocument.text)
        }
        let caller = try apiCaller(request)
        switch (segments.first, segments.count) {
        case ("queue", 1):
            try allow("GET")
            return try Self.json(200, engine.queue(for: caller.actor))
        case ("tickets", 1):
            try allow("GET")
            return try ticketList(caller, request: request)
        case ("tickets", 2):
            try allow("GET")
            let (ticket, definition) = try apiTicket(caller, id: segments[1])
            return try Self.json(
                200, TicketView(ticket, definition, pendingTimers: try engine.timers(of: ticket.id).filter { $0.status == .pending }))
        case ("tickets", 3) where segments[2] == "history":
            try allow("GET")
            let (ticket, _) = try apiTicket(caller, id: segments[1])
            return try Self.json(200, engine.history(ticket.id))
        case ("tickets", 3) where segments[2] == "events":
            try allow("GET")
            let (ticket, _) = try apiTicket(caller, id: segments[1])
            return try Self.json(200, engine.options(ticket.id, actor: caller.actor).map { EventOptionView($0, from: ticket.state) })
        case ("tickets", 4) where segments[2] == "events":
            try allow("POST")
            try caller.checkCSRF(request)
            return try apiFire(caller, request: request, id: segments[1], event: segments[3])
        case ("workflows", 3) where segments[2] == "tickets":
            try allow("POST")
            try caller.checkCSRF(request)
            return try apiOpen(caller, request: request, workflow: segments[1])
        default:
            throw APIFailure.notFound
        }
    }

    /// Who calls the API: a bearer token, else a session cookie (whose POSTs must echo its token in `X-CSRF-Token`).
    struct APICaller {
        let actor: Actor
        let session: WebSession?

        func checkCSRF(_ request: HTTPRequest) throws(APIFailure) {
            guard let session else { return }
            guard let given = request.header("X-CSRF-Token"),
                SecureRandom.constantTimeEqual(Array(given.utf8), Array(session.csrfToken.utf8))
            else { throw .forbidden }
        }
    }

    private func apiCaller(_ request: HTTPRequest) throws -> APICaller {
        if let authorization = request.header("Authorization") {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer", let actor = try engine.actor(apiToken: String(parts[1])) else {
                throw APIFailure.unauthorized
            }
            return APICaller(actor: actor, session: nil)
        }
        if let id = request.cookies[Self.sessionCookie], let (session, actor) = try engine.session(id: id, lifetime: lifetime) {
            return APICaller(actor: actor, session: session)
        }
        throw APIFailure.unauthorized
    }

    private func apiTicket(_ caller: APICaller, id: String) throws -> (Ticket, Definition) {
        guard let found = try readable(id, by: caller.actor) else { throw APIFailure.notFound }
        return found
    }

    private func ticketList(_ caller: APICaller, request: HTTPRequest) throws -> HTTPResponse {
        let query: FormData
        do { query = try FormData(query: request.query) } catch { throw APIFailure.badRequest("the query is not valid URL encoding") }
        let state = query["state"].flatMap { $0.isEmpty ? nil : $0 }
        let limit =
            try query["limit"].map { text throws(APIFailure) -> Int in
                guard let number = Int(text), (1...1000).contains(number) else {
                    throw .badRequest("limit is a whole number from 1 to 1000")
                }
                return number
            } ?? 100
        let offset =
            try query["offset"].map { text throws(APIFailure) -> Int in
                guard let number = Int(text), number >= 0 else { throw .badRequest("offset is a whole number from 0") }
                return number
            } ?? 0
        var views: [TicketView] = []
        var total = 0
        try engine.forEachTicket(TicketFilter()) { ticket, definition in
            guard definition.mayRead(ticket, actor: caller.actor), state.map({ $0 == ticket.state }) ?? true else { return }
            if total >= offset && views.count < limit { views.append(TicketView(ticket, definition)) }
            total += 1
        }
        return try Self.json(200, TicketPage(total: total, offset: offset, tickets: views))
    }

    /// A page of the ticket list.
    struct TicketPage: Encodable {
        let total: Int
        let offset: Int
        let tickets: [TicketView]
    }

    /// The body of a write: field values (as JSON, like a `--fields` file), an optional comment, and for events the
    /// revision the caller last read.
    private func writeBody(_ request: HTTPRequest, needsRevision: Bool) throws(APIFailure) -> (
        values: [String: FieldInput], comment: String?, revision: Int?, strict: Bool
    ) {
        guard (request.header("Content-Type") ?? "").lowercased().hasPrefix("application/json") else {
            throw .unsupportedMediaType
        }
        let root: JSONNode
        do { root = try JSONParser.parse(request.body) } catch {
            throw .badRequest("the body is not JSON: \(error.message) at \(error.position)")
        }
        guard let members = root.members else { throw .badRequest("the body must be a JSON object") }
        let known = ["fields", "comment", "revision", "confirmPersonalData"]
        if let unknown = members.first(where: { !known.contains($0.key) }) {
            throw .badRequest("unknown key \"\(unknown.key)\" (known: \(known.joined(separator: ", ")))")
        }
        var values: [String: FieldInput] = [:]
        if let fields = root["fields"] {
            guard let entries = fields.members else { throw .badRequest("\"fields\" must be an object of field names and values") }
            for entry in entries { values[entry.key] = .json(entry.value) }
        }
        let comment = try root["comment"].map { node throws(APIFailure) -> String in
            guard let text = node.string else { throw .badRequest("\"comment\" must be a string") }
            return text
        }
        let revision = root["revision"]?.integer
        if needsRevision && revision == nil { throw .badRequest("\"revision\" (the revision you last read) is required") }
        let confirmed = root["confirmPersonalData"]?.bool ?? false
        return (values, comment.flatMap { $0.isEmpty ? nil : $0 }, revision, !confirmed)
    }

    private func apiFire(_ caller: APICaller, request: HTTPRequest, id: String, event: String) throws -> HTTPResponse {
        let (ticket, _) = try apiTicket(caller, id: id)
        let body = try writeBody(request, needsRevision: true)
        var command = Command(
            .fire(event: event), actor: caller.actor, values: body.values, comment: body.comment, expectedRevision: body.revision)
        command.strict = body.strict
        let outcome = try engine.fire(ticket.id, command)
        return try Self.json(200, TicketView(outcome.ticket, try engine.ticketWithDefinition(outcome.ticket.id).1))
    }

    private func apiOpen(_ caller: APICaller, request: HTTPRequest, workflow: String) throws -> HTTPResponse {
        guard let definition = openable(by: caller.actor).first(where: { $0.id == workflow }) else { throw APIFailure.notFound }
        let body = try writeBody(request, needsRevision: false)
        var command = Command(.open, actor: caller.actor, values: body.values, comment: body.comment)
        command.strict = body.strict
        let outcome = try engine.open(workflow: definition.id, command)
        var response = try Self.json(201, TicketView(outcome.ticket, definition))
        response.headers.append(("Location", "/api/tickets/\(outcome.ticket.id)"))
        return response
    }

    // MARK: - Answers

    static func json(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: Array(text.utf8))
    }

    static func json<Value: Encodable>(_ status: Int, _ value: Value) throws -> HTTPResponse {
        json(status, try JSONValueEncoder.encode(value).compact + "\n")
    }

    /// An error as the API reports it: `{"error": {"status", "code", "message", "problems": [...]}}`.
    func apiError(_ error: any Error, request: HTTPRequest) -> HTTPResponse {
        let status: Int
        let code: String
        let message: String
        var problems: [JSONValue] = []
        var headers: [(String, String)] = []
        switch error {
        case let failure as APIFailure:
            (status, code, message) = (failure.status, failure.code, failure.message)
            if case .unauthorized = failure { headers.append(("WWW-Authenticate", "Bearer")) }
            if case .methodNotAllowed(let allowed) = failure { headers.append(("Allow", allowed.joined(separator: ", "))) }
        case let rejection as Rejection:
            (status, code, message) = (422, "REFUSED", rejection.summary)
            problems = rejection.blockers.map { blocker in
                .object([
                    ("code", .string(blocker.code.rawValue)), ("field", blocker.subject.map(JSONValue.string) ?? .null),
                    ("message", .string(blocker.message)),
                ])
            }
        case let explained as any ExplainedError:
            let failure = RequestFailure(explained.kind)
            let codes: [ErrorKind: String] = [
                .refused: "REFUSED", .notFound: "NOT_FOUND", .conflict: "CONFLICT", .unavailable: "UNAVAILABLE", .usage: "BAD_REQUEST",
            ]
            (status, code, message) = (
                failure.status == 400 && explained.kind == .refused ? 422 : failure.status, codes[explained.kind] ?? "FAILURE",
                explained.summary
            )
        default:
            configuration.log("\(request.method) \(request.path): \(error)")
            (status, code, message) = (500, "FAILURE", "the request failed; nothing was changed")
        }
        let body = JSONValue.object([
            (
                "error",
                .object([
                    ("status", .integer(status)), ("code", .string(code)), ("message", .string(message)), ("problems", .array(problems)),
                ])
            )
        ])
        var response = Self.json(status, body.compact + "\n")
        response.headers += headers
        return response
    }
}

/// Why an API request was refused before it reached the engine.
enum APIFailure: Error, Equatable {
    case unauthorized
    case forbidden
    case notFound
    case methodNotAllowed([String])
    case badRequest(String)
    case unsupportedMediaType

    var status: Int {
        switch self {
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .badRequest: 400
        case .unsupportedMediaType: 415
        }
    }

    var code: String {
        switch self {
        case .unauthorized: "UNAUTHORIZED"
        case .forbidden: "FORBIDDEN"
        case .notFound: "NOT_FOUND"
        case .methodNotAllowed: "METHOD_NOT_ALLOWED"
        case .badRequest: "BAD_REQUEST"
        case .unsupportedMediaType: "UNSUPPORTED_MEDIA_TYPE"
        }
    }

    var message: String {
        switch self {
        case .unauthorized: "log in, or send Authorization: Bearer TOKEN (gapflow actor token NAME)"
        case .forbidden: "a POST with a session cookie must carry the session's X-CSRF-Token"
        case .notFound: "no such resource, or not one you may read"
        case .methodNotAllowed(let allowed): "allowed: \(allowed.joined(separator: ", "))"
        case .badRequest(let reason): reason
        case .unsupportedMediaType: "send the body as application/json"
        }
    }
}
