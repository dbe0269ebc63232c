import Foundation

extension Transaction {
    /// Registers an actor, or replaces the roles and municipality of an existing one.
    func saveActor(_ actor: Actor, at: Date) throws(StoreError) {
        try connection.query(
            """
            INSERT INTO actors(name, municipality, created_at) VALUES(?, ?, ?)
            ON CONFLICT(name) DO UPDATE SET municipality = excluded.municipality
            """,
            [.text(actor.name), actor.municipality.map(SQLValue.text) ?? .null, .text(Timestamp.iso8601(at))])
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
        return Actor(name: name, roles: roles, municipality: row[0].text)
    }

    func actors() throws(StoreError) -> [Actor] {
        let names = try connection.query("SELECT name FROM actors ORDER BY name").compactMap { $0[0].text }
        var result: [Actor] = []
        for name in names {
            if let actor = try actor(named: name) { result.append(actor) }
        }
        return result
    }
}
