import Foundation
import GapFlow
import Testing

/// Logins as every store keeps them: password hashes and API token digests per actor, and web sessions by digest.
@Suite struct AccountConformanceTests {
    static let cheap = PasswordHash.Parameters(logN: 10, r: 8, p: 1)

    @Test(arguments: StoreKind.allCases)
    func aPasswordIsStoredAsAHashThatVerifiesOnlyItself(kind: StoreKind) throws {
        let harness = try Harness(kind)
        try harness.engine.setPassword("ein-langes-passwort", for: "koordination", by: Fixtures.admin, parameters: Self.cheap)
        let stored = try #require(try harness.store.read { tx in try tx.password(actor: "koordination") })
        #expect(stored.hasPrefix("scrypt$10$8$1$"))
        #expect(!stored.contains("ein-langes-passwort"))
        #expect(try harness.engine.authenticate(name: "koordination", password: "ein-langes-passwort")?.name == "koordination")
        #expect(try harness.engine.authenticate(name: "koordination", password: "ein-langes-passworT") == nil)
        #expect(try harness.engine.authenticate(name: "ki.leitung", password: "ein-langes-passwort") == nil, "no password: no login")
    }

    @Test(arguments: StoreKind.allCases)
    func passwordsNeedAnAdminAndARegisteredActorAndLength(kind: StoreKind) throws {
        let harness = try Harness(kind)
        #expect(throws: EngineError.self) {
            try harness.engine.setPassword("ein-langes-passwort", for: "koordination", by: Fixtures.coordinator, parameters: Self.cheap)
        }
        #expect(throws: AccountError.unknownActor("niemand")) {
            try harness.engine.setPassword("ein-langes-passwort", for: "niemand", by: Fixtures.admin, parameters: Self.cheap)
        }
        #expect(throws: AccountError.shortPassword(minimum: 12)) {
            try harness.engine.setPassword("kurz", for: "koordination", by: Fixtures.admin, parameters: Self.cheap)
        }
        #expect(try harness.store.read { tx in try tx.password(actor: "koordination") } == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func anAPITokenFindsItsActorAndANewOneReplacesIt(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let first = try harness.engine.issueAPIToken(for: "ki.leitung", by: Fixtures.admin)
        #expect(try harness.engine.actor(apiToken: first)?.name == "ki.leitung")
        let second = try harness.engine.issueAPIToken(for: "ki.leitung", by: Fixtures.admin)
        #expect(try harness.engine.actor(apiToken: first) == nil)
        #expect(try harness.engine.actor(apiToken: second)?.name == "ki.leitung")
        #expect(try harness.engine.actor(apiToken: String(repeating: "0", count: 64)) == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func sessionsLiveByDigestUntilTheyExpireOrEnd(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let lifetime = SessionLifetime(idle: 600, absolute: 3600)
        let actor = try harness.engine.actor(named: "koordination")
        let (id, session) = try harness.engine.beginSession(for: actor)
        #expect(session.digest != id && session.digest.count == 64)
        #expect(try harness.store.read { tx in try tx.session(digest: id) } == nil, "the store never holds the id itself")
        #expect(try harness.engine.session(id: id, lifetime: lifetime)?.1.name == "koordination")

        harness.clock.advance(by: 500)
        #expect(try harness.engine.session(id: id, lifetime: lifetime) != nil)
        let touched = try #require(try harness.store.read { tx in try tx.session(digest: session.digest) })
        #expect(touched.lastSeenAt == harness.clock.now(), "a request keeps it alive")
        harness.clock.advance(by: 601)
        #expect(try harness.engine.session(id: id, lifetime: lifetime) == nil)
        #expect(try harness.store.read { tx in try tx.session(digest: session.digest) } == nil, "an expired session is removed")

        let (other, _) = try harness.engine.beginSession(for: actor)
        let (third, _) = try harness.engine.beginSession(for: try harness.engine.actor(named: "ki.leitung"))
        try harness.engine.setPassword("ein-langes-passwort", for: "koordination", by: Fixtures.admin, parameters: Self.cheap)
        #expect(try harness.engine.session(id: other, lifetime: lifetime) == nil, "a new password ends the actor's sessions")
        #expect(try harness.engine.session(id: third, lifetime: lifetime) != nil)
        try harness.engine.endSession(id: third)
        #expect(try harness.engine.session(id: third, lifetime: lifetime) == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func expiredSessionsAreSweptTogether(kind: StoreKind) throws {
        let harness = try Harness(kind)
        let lifetime = SessionLifetime(idle: 600, absolute: 3600)
        let actor = try harness.engine.actor(named: "koordination")
        _ = try harness.engine.beginSession(for: actor)
        harness.clock.advance(by: 700)
        let (fresh, _) = try harness.engine.beginSession(for: actor)
        #expect(try harness.engine.removeExpiredSessions(lifetime: lifetime) == 1)
        #expect(try harness.engine.session(id: fresh, lifetime: lifetime) != nil)
    }
}
