import Foundation
import GapFlow

extension SQLiteTransaction {
    /// Registers an actor, or replaces the roles and scope of an existing one (the scope in the `municipality` column,
    /// one entry a line: ``Actor/storedScope(_:)``).
    func saveActor(_ actor: Actor, at: Date) throws(StoreError) {
        try connection.query(
            """
            INSERT INTO actors(name, municipality, created_at) VALUES(?, ?, ?)
            ON CONFLICT(name) DO UPDATE SET municipality = excluded.municipality
            """,
            [.text(actor.name), Actor.storedScope(actor.scope).map(SQLValue.text) ?? .null, .text(Timestamp.iso8601(at))])
        try connection.query("DELETE FROM actor_roles WHERE actor = ?", [.text(actor.name)])
        for role in actor.roles {
            try connection.query("INSERT INTO actor_roles(actor, role) VALUES(?, ?)", [.text(actor.name), .text(role)])
        }
    }

    func actor(named name: String) throws(StoreError) -> Actor? {
        let rows = try connection.query("SELECT municipality FROM actors WHERE name = ?", [.text(name)])
        guard let row = rows.first else { return nil }
        let roles = try connection.query("SELECT role FROM actor_roles WHERE actor = ? ORDER BY rowid", [.text(name)])
            .compactMap { $0[0].text }
        return Actor(name: name, roles: roles, scope: Actor.scope(stored: row[0].text))
    }

    /// Every actor with its roles, in one query.
    func actors() throws(StoreError) -> [Actor] {
        let rows = try connection.query(
            "SELECT a.name, a.municipality, r.role FROM actors a LEFT JOIN actor_roles r ON r.actor = a.name ORDER BY a.name, r.rowid")
        var result: [Actor] = []
        for row in rows {
            guard let name = row[0].text else { continue }
            let role = row[2].text.map { [$0] } ?? []
            if let last = result.last, last.name == name {
                result[result.count - 1] = Actor(name: name, roles: last.roles + role, scope: last.scope)
            } else {
                result.append(Actor(name: name, roles: role, scope: Actor.scope(stored: row[1].text)))
            }
        }
        return result
    }
}

extension SQLiteTransaction {
    /// Removes an actor; its roles go with it (`ON DELETE CASCADE`), the history keeps its name.
    func removeActor(named name: String) throws(StoreError) -> Bool {
        try connection.query("DELETE FROM actor_roles WHERE actor = ?", [.text(name)])
        // Its login goes with it: password, API token and sessions.
        try connection.query("DELETE FROM credentials WHERE actor = ?", [.text(name)])
        try connection.query("DELETE FROM web_sessions WHERE actor = ?", [.text(name)])
        try connection.query("DELETE FROM actors WHERE name = ?", [.text(name)])
        return connection.changes > 0
    }
}
