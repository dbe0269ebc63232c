import Foundation
import GapFlow
import GapFlowDocuments

/// Logging in and out. The login form is protected against cross-site posting by a token in a cookie that must
/// equal the form's (the double-submit pattern: there is no session yet); a login always begins a new session.
extension WebFront {
    func loginForm(_ request: HTTPRequest, status: Int = 200, problem: String? = nil, name: String = "") -> HTTPResponse {
        let token = request.cookies[Self.loginCookie].flatMap { $0.count == 64 ? $0 : nil } ?? SecureRandom.token()
        let next = (try? FormData(query: request.query))?["next"].flatMap(Self.safeNext) ?? "/queue"
        let escape = HTML.escape
        let body = """
            \(errorSummary(problem.map { [(anchor: "name", message: $0)] } ?? []))
            <h1>\(escape(texts[.loginTitle]))</h1>
            <form method="post" action="/login?next=\(escape(next.urlEncoded))" class="login">
            <input type="hidden" name="csrf" value="\(token)">
            <div class="field"><label for="name">\(escape(texts[.loginName]))</label>
            <input id="name" name="name" type="text" autocomplete="username" spellcheck="false" value="\(escape(name))"></div>
            <div class="field"><label for="password">\(escape(texts[.loginPassword]))</label>
            <input id="password" name="password" type="password" autocomplete="current-password"></div>
            <button type="submit">\(escape(texts[.loginSubmit]))</button>
            </form>
            """
        return HTTPResponse(
            status: status,
            headers: [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Set-Cookie", cookie(Self.loginCookie, token, secure: isSecure(request), maxAge: 3600)),
            ],
            body: Array(page(title: texts[.loginTitle], visit: nil, body: body).utf8))
    }

    func login(_ request: HTTPRequest) throws -> HTTPResponse {
        guard (request.header("Content-Type") ?? "").lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            throw RequestFailure.badRequest
        }
        let form: FormData
        do { form = try FormData(decoding: request.body) } catch { throw RequestFailure.badRequest }
        guard let token = form["csrf"], let expected = request.cookies[Self.loginCookie],
            SecureRandom.constantTimeEqual(Array(token.utf8), Array(expected.utf8))
        else { throw RequestFailure.forbidden }
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = form["password"] ?? ""
        let now = engine.clock.now()
        let address = clientAddress(request)
        if let wait = throttle.wait(account: name, address: address, now: now) {
            configuration.log("login throttled: \"\(name)\" from \(address)")
            try engine.recordAdminEvent(
                kind: "login.throttled", actor: nil, subject: name, details: [("address", .string(address))])
            let minutes = String(max(1, Int((wait / 60).rounded(.up))))
            return loginForm(request, status: 429, problem: texts(.loginThrottled, ["minutes": minutes]), name: name)
        }
        guard !name.isEmpty, !password.isEmpty, let actor = try engine.authenticate(name: name, password: password) else {
            throttle.recordFailure(account: name, address: address, now: now)
            configuration.log("login failed: \"\(name)\" from \(address)")
            try engine.recordAdminEvent(
                kind: "login.failed", actor: nil, subject: name, details: [("address", .string(address))])
            return loginForm(request, status: 401, problem: texts[.loginFailed], name: name)
        }
        throttle.recordSuccess(account: name)
        // A new session id at every login: an id planted before the login is worth nothing after it.
        if let old = request.cookies[Self.sessionCookie] { try engine.endSession(id: old) }
        let (id, _) = try engine.beginSession(for: actor)
        configuration.log("login: \(actor.name) from \(address)")
        try engine.recordAdminEvent(
            kind: "login", actor: actor.name, subject: actor.name, details: [("address", .string(address))])
        let next = (try? FormData(query: request.query))?["next"].flatMap(Self.safeNext) ?? "/queue"
        return Self.redirect(
            next,
            cookies: [
                cookie(Self.sessionCookie, id, secure: isSecure(request)),
                cookie(Self.loginCookie, "", secure: isSecure(request), maxAge: 0),
            ])
    }

    func logout(_ visit: Visit) throws -> HTTPResponse {
        try engine.endSession(id: visit.sessionID)
        configuration.log("logout: \(visit.actor.name)")
        try engine.recordAdminEvent(kind: "logout", actor: visit.actor.name, subject: visit.actor.name, details: [])
        return Self.redirect("/login", cookies: [cookie(Self.sessionCookie, "", secure: visit.secure, maxAge: 0)])
    }

    /// Only a path of this site: never another host (`//evil`, `/\evil`), so a link cannot send a user elsewhere.
    static func safeNext(_ next: String) -> String? {
        guard next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), !next.unicodeScalars.contains(where: { $0.value < 0x20 })
        else { return nil }
        return next
    }
}
