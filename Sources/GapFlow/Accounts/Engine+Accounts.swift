import Foundation

/// How long a web session lives: ended after `idle` without a request, and after `absolute` in any case.
public struct SessionLifetime: Sendable {
    public var idle: TimeInterval
    public var absolute: TimeInterval

    public init(idle: TimeInterval = 30 * 60, absolute: TimeInterval = 10 * 60 * 60) {
        self.idle = idle
        self.absolute = absolute
    }
}

extension Engine {
    /// The shortest password `setPassword` accepts (NIST SP 800-63B: at least 8; the county's rule is 12).
    public static let minimumPasswordLength = 12

    /// Sets the password of a registered actor. Like every account change, it needs an admin once one is
    /// registered; it ends the actor's sessions.
    public func setPassword(
        _ password: String, for name: String, by acting: Actor?, parameters: PasswordHash.Parameters = .standard
    ) throws {
        guard !password.isEmpty else { throw AccountError.emptyPassword }
        guard password.count >= Self.minimumPasswordLength else { throw AccountError.shortPassword(minimum: Self.minimumPasswordLength) }
        // Hashing takes a fraction of a second and much memory: done before the write lock is taken.
        let hash = try PasswordHash.make(password: password, parameters: parameters)
        try store.write { tx in
            try requireAdmin(acting, action: "set passwords", in: tx)
            guard let actor = try tx.actor(named: name) else { throw AccountError.unknownActor(name) }
            try tx.setPassword(hash.description, actor: actor.name)
            try tx.deleteSessions(actor: actor.name)
            try appendAdminLog(kind: "password.set", actor: acting?.name, subject: actor.name, details: .object([]), in: tx, now: now())
        }
    }

    /// Issues a new API token for scripts (shown once; the store keeps its digest), replacing any earlier one.
    public func issueAPIToken(for name: String, by acting: Actor?) throws -> String {
        let token = SecureRandom.token()
        try store.write { tx in
            try requireAdmin(acting, action: "issue API tokens", in: tx)
            guard let actor = try tx.actor(named: name) else { throw AccountError.unknownActor(name) }
            try tx.setAPIToken(digest: SecureRandom.digest(of: token), actor: actor.name)
            try appendAdminLog(kind: "token.issued", actor: acting?.name, subject: actor.name, details: .object([]), in: tx, now: now())
        }
        return token
    }

    /// The actor whose name and password these are, or nil — the same answer, and about the same time, whether the
    /// name is unknown, has no password, or the password is wrong.
    public func authenticate(name: String, password: String) throws -> Actor? {
        let (actor, stored) = try store.read { tx in
            let actor = try tx.actor(named: name)
            return (actor, try actor.flatMap { try tx.password(actor: $0.name) })
        }
        let hash = stored.flatMap(PasswordHash.init(encoded:)) ?? Self.decoyHash
        let matches = hash.verifies(password)
        guard matches, stored != nil, let actor else { return nil }
        return actor
    }

    /// The actor an API token belongs to.
    public func actor(apiToken token: String) throws -> Actor? {
        try store.read { tx in
            try tx.actor(apiTokenDigest: SecureRandom.digest(of: token)).flatMap { try tx.actor(named: $0) }
        }
    }

    /// Begins a session for `actor`: returns its id (for the cookie; the store keeps only its digest) and the session.
    public func beginSession(for actor: Actor) throws -> (id: String, session: WebSession) {
        let id = SecureRandom.token()
        let now = clock.now()
        let session = WebSession(
            digest: SecureRandom.digest(of: id), actor: actor.name, csrfToken: SecureRandom.token(), createdAt: now, lastSeenAt: now)
        try store.write { tx in try tx.insertSession(session) }
        return (id, session)
    }

    /// The live session with this id and its actor; an expired session is ended and nil returned. The last-seen time
    /// is written at most once a minute, so reading pages does not become a stream of writes.
    public func session(id: String, lifetime: SessionLifetime) throws -> (WebSession, Actor)? {
        let digest = SecureRandom.digest(of: id)
        let now = clock.now()
        guard let found = try store.read({ tx in try tx.session(digest: digest).map { ($0, try tx.actor(named: $0.actor)) } }) else {
            return nil
        }
        let (session, actor) = found
        guard let actor, now.timeIntervalSince(session.lastSeenAt) < lifetime.idle,
            now.timeIntervalSince(session.createdAt) < lifetime.absolute
        else {
            try store.write { tx in try tx.deleteSession(digest: digest) }
            return nil
        }
        if now.timeIntervalSince(session.lastSeenAt) >= 60 {
            try store.write { tx in try tx.touchSession(digest: digest, at: now) }
        }
        return (session, actor)
    }

    /// Ends a session (logout).
    public func endSession(id: String) throws {
        try store.write { tx in try tx.deleteSession(digest: SecureRandom.digest(of: id)) }
    }

    /// Removes expired sessions; returns how many.
    @discardableResult
    public func removeExpiredSessions(lifetime: SessionLifetime) throws -> Int {
        let now = clock.now()
        return try store.write { tx in
            try tx.deleteExpiredSessions(
                idleBefore: now.addingTimeInterval(-lifetime.idle), createdBefore: now.addingTimeInterval(-lifetime.absolute))
        }
    }

    /// Verified when the account is unknown or has no password, so that a failed login takes as long either way.
    private static let decoyHash = PasswordHash(
        parameters: .standard, salt: Array(repeating: 0, count: 16), key: Array(repeating: 0, count: 32))
}
