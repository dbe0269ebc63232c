import Foundation
import GapFlow

extension PostgresTransaction {
    func setPassword(_ encoded: String?, actor: String) throws(StoreError) {
        try connection.query(
            "INSERT INTO credentials(actor, password) VALUES(?, ?) ON CONFLICT(actor) DO UPDATE SET password = excluded.password",
            [.text(actor), encoded.map(PGValue.text) ?? .null])
    }

    func password(actor: String) throws(StoreError) -> String? {
        try connection.query("SELECT password FROM credentials WHERE actor = ?", [.text(actor)]).first?[0].text
    }

    func setAPIToken(digest: String?, actor: String) throws(StoreError) {
        try connection.query(
            "INSERT INTO credentials(actor, api_token) VALUES(?, ?) ON CONFLICT(actor) DO UPDATE SET api_token = excluded.api_token",
            [.text(actor), digest.map(PGValue.text) ?? .null])
    }

    func actor(apiTokenDigest: String) throws(StoreError) -> String? {
        try connection.query("SELECT actor FROM credentials WHERE api_token = ?", [.text(apiTokenDigest)]).first?[0].text
    }

    func insertSession(_ session: WebSession) throws(StoreError) {
        try connection.query(
            "INSERT INTO web_sessions(digest, actor, csrf_token, created_ms, seen_ms) VALUES(?, ?, ?, ?, ?)",
            [
                .text(session.digest), .text(session.actor), .text(session.csrfToken), .integer(Self.milliseconds(session.createdAt)),
                .integer(Self.milliseconds(session.lastSeenAt)),
            ])
    }

    func session(digest: String) throws(StoreError) -> WebSession? {
        guard
            let row = try connection.query(
                "SELECT actor, csrf_token, created_ms, seen_ms FROM web_sessions WHERE digest = ?", [.text(digest)]
            ).first,
            let actor = row[0].text, let csrf = row[1].text, let created = row[2].integer, let seen = row[3].integer
        else { return nil }
        return WebSession(
            digest: digest, actor: actor, csrfToken: csrf, createdAt: Self.date(milliseconds: created),
            lastSeenAt: Self.date(milliseconds: seen))
    }

    func touchSession(digest: String, at: Date) throws(StoreError) {
        try connection.query("UPDATE web_sessions SET seen_ms = ? WHERE digest = ?", [.integer(Self.milliseconds(at)), .text(digest)])
    }

    func deleteSession(digest: String) throws(StoreError) {
        try connection.query("DELETE FROM web_sessions WHERE digest = ?", [.text(digest)])
    }

    func deleteSessions(actor: String) throws(StoreError) {
        try connection.query("DELETE FROM web_sessions WHERE actor = ?", [.text(actor)])
    }

    func deleteExpiredSessions(idleBefore: Date, createdBefore: Date) throws(StoreError) -> Int {
        try connection.change(
            "DELETE FROM web_sessions WHERE seen_ms < ? OR created_ms < ?",
            [.integer(Self.milliseconds(idleBefore)), .integer(Self.milliseconds(createdBefore))])
    }

    static func date(milliseconds: Int) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
