import Foundation

extension Engine {
    // MARK: - Actors

    /// Registers an actor (or updates one). Every role must exist in some registered workflow, and every entry of the
    /// scope must be a value of some workflow's scope field or a group of its values (an area), stored as the file spells
    /// it, so "siegburg" becomes "Siegburg".
    ///
    /// Once an actor with the `admin` role is registered, only an admin may add or change actors: `acting` must be
    /// registered with that role. Until then (setting up a new database) anyone who can write the store may, so
    /// that the first admin can be registered. Every change is recorded in the admin log, with `acting`'s name.
    public func saveActor(_ actor: Actor, by acting: Actor? = nil) throws {
        try store.write { tx in
            let now = self.now()
            try requireAdmin(acting, action: "add or change actors", in: tx)
            let saved = try checked(actor, in: tx)
            let before = try tx.actor(named: actor.name)
            if let before, before == saved { return }
            try checkAnAdminRemains(without: before.map { [$0] } ?? [], adding: saved, in: tx)
            try tx.saveActor(saved, at: now)
            if let before {
                try appendAdminLog(
                    kind: AdminLogKind.actorChanged, actor: acting?.name, subject: saved.name,
                    details: Self.changes(from: before, to: saved),
                    in: tx, now: now)
            } else {
                try appendAdminLog(
                    kind: AdminLogKind.actorAdded, actor: acting?.name, subject: saved.name, details: Self.describe(saved), in: tx, now: now
                )
            }
        }
    }

    /// Adds and removes roles of a registered actor; needs an admin as ``saveActor(_:by:)`` does. Returns the actor as saved.
    @discardableResult
    public func changeRoles(of name: String, adding: [String], removing: [String], by acting: Actor? = nil) throws -> Actor {
        try store.write { tx in
            let now = self.now()
            try requireAdmin(acting, action: "change actors", in: tx)
            guard let before = try tx.actor(named: name) else { throw EngineError.unknownActor(name) }
            var roles = before.roles.filter { !removing.contains($0) }
            for role in adding where !roles.contains(role) { roles.append(role) }
            if roles.isEmpty { throw EngineError.noRoles(actor: name) }
            let saved = try checked(Actor(name: name, roles: roles, scope: before.scope), in: tx)
            guard saved != before else { return before }
            try checkAnAdminRemains(without: [before], adding: saved, in: tx)
            try tx.saveActor(saved, at: now)
            try appendAdminLog(
                kind: AdminLogKind.actorChanged, actor: acting?.name, subject: name, details: Self.changes(from: before, to: saved), in: tx,
                now: now)
            return saved
        }
    }

    /// Removes a registered actor; needs an admin as ``saveActor(_:by:)`` does, and never removes the last admin.
    /// The history keeps naming the actor (entries hold the name as text); the admin log records what it held.
    @discardableResult
    public func removeActor(named name: String, by acting: Actor? = nil) throws -> Actor {
        try store.write { tx in
            let now = self.now()
            try requireAdmin(acting, action: "remove actors", in: tx)
            guard let removed = try tx.actor(named: name) else { throw EngineError.unknownActor(name) }
            try checkAnAdminRemains(without: [removed], adding: nil, in: tx)
            _ = try tx.removeActor(named: name)
            try appendAdminLog(
                kind: AdminLogKind.actorRemoved, actor: acting?.name, subject: name, details: Self.describe(removed), in: tx, now: now)
            return removed
        }
    }

    /// The actor registered under `name`.
    public func actor(named name: String) throws -> Actor {
        try store.read { tx in
            guard let actor = try tx.actor(named: name) else { throw EngineError.unknownActor(name) }
            return actor
        }
    }

    public func actors() throws -> [Actor] { try store.read { tx in try tx.actors() } }

    /// Once an admin is registered, `acting` must be one.
    func requireAdmin(_ acting: Actor?, action: String, in tx: any StoreTransaction) throws {
        let admins = try tx.actors().filter { $0.roles.contains(Self.adminRole) }.map(\.name)
        if !admins.isEmpty && !(acting.map { admins.contains($0.name) } ?? false) {
            throw EngineError.roleRequired(actor: acting?.name ?? "an unregistered user", role: Self.adminRole, action: action)
        }
    }

    /// A database that has an admin keeps one: otherwise the next person could register themselves as admin.
    private func checkAnAdminRemains(without leaving: [Actor], adding: Actor?, in tx: any StoreTransaction) throws {
        let admins = try tx.actors().filter { $0.roles.contains(Self.adminRole) }.map(\.name)
        guard !admins.isEmpty else { return }
        let leavingNames = leaving.map(\.name)
        let remaining =
            admins.filter { !leavingNames.contains($0) } + (adding?.roles.contains(Self.adminRole) == true ? [adding?.name ?? ""] : [])
        if remaining.isEmpty, let last = leaving.first { throw EngineError.lastAdmin(actor: last.name) }
    }

    /// The actor with its roles checked against the registered workflows and every entry of its scope (a municipality or
    /// an area) as a workflow spells it; an entry no workflow knows is refused.
    private func checked(_ actor: Actor, in tx: any StoreTransaction) throws -> Actor {
        var known: Set<String> = []
        var scopes: [Choices] = []
        for record in try tx.definitionRecords() {
            let definition = try definition(record.workflowID, version: record.version, in: tx)
            known.formUnion(definition.roles.map(\.id))
            if let choices = definition.scopeField.flatMap({ definition.field($0)?.type.choices }) { scopes.append(choices) }
        }
        for role in actor.roles where !known.contains(role) {
            throw EngineError.unknownRole(role, known: known.sorted())
        }
        var scope: [String] = []
        for given in actor.scope {
            if scopes.isEmpty {
                scope.append(given)
                continue
            }
            guard let entry = scopes.lazy.compactMap({ Self.scopeEntry(given, in: $0) }).first else {
                throw EngineError.unknownMunicipality(
                    given,
                    known: scopes.flatMap { $0.values.map(\.id) + $0.groups.map(\.id) }.reduce(into: []) {
                        if !$0.contains($1) { $0.append($1) }
                    })
            }
            scope.append(entry)
        }
        return Actor(name: actor.name, roles: actor.roles, scope: scope)
    }

    /// A value of the scope field (as the file spells it), else a group of its values (an area), ignoring case.
    private static func scopeEntry(_ given: String, in choices: Choices) -> String? {
        if given.contains("\n") { return nil }
        if let value = choices.match(given) { return value.id }
        let folded = given.trimmingCharacters(in: .whitespaces).lowercased()
        return choices.groups.first { $0.id.lowercased() == folded || $0.title.lowercased() == folded }?.id
    }

    private static func describe(_ actor: Actor) -> JSONValue {
        .object([("roles", .array(actor.roles.map(JSONValue.string))), ("scope", .array(actor.scope.map(JSONValue.string)))])
    }

    /// Only what changed, each as old and new.
    private static func changes(from before: Actor, to after: Actor) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if before.roles != after.roles {
            members.append(
                (
                    "roles",
                    .object([("old", .array(before.roles.map(JSONValue.string))), ("new", .array(after.roles.map(JSONValue.string)))])
                ))
        }
        if before.scope != after.scope {
            members.append(
                (
                    "scope",
                    .object([("old", .array(before.scope.map(JSONValue.string))), ("new", .array(after.scope.map(JSONValue.string)))])
                ))
        }
        return .object(members)
    }

    // MARK: - The admin log

    /// Records an administrative act of a door (a login, a failed login, a password change) in the admin log, with
    /// this engine's operating-system account. `kind` is lowercase words joined by dots (``AdminLogKind/isValid(_:)``).
    @discardableResult
    public func recordAdminEvent(kind: String, actor: String?, subject: String?, details: [(String, JSONValue)] = []) throws
        -> AdminLogEntry
    {
        guard AdminLogKind.isValid(kind) else { throw EngineError.invalidLogKind(kind) }
        return try store.write { tx in
            try appendAdminLog(kind: kind, actor: actor, subject: subject, details: .object(details), in: tx, now: self.now())
        }
    }

    /// Every admin log entry, oldest first.
    public func adminLog() throws -> [AdminLogEntry] {
        var entries: [AdminLogEntry] = []
        try store.read { tx in try tx.forEachAdminLogEntry(from: 1) { entries.append($0) } }
        return entries
    }

    /// Appends an entry linked to the log's last one (computed here, so every store keeps the same chain).
    @discardableResult
    func appendAdminLog(
        kind: String, actor: String?, subject: String?, details: JSONValue, in tx: any StoreTransaction, now: Date
    ) throws -> AdminLogEntry {
        let last = try tx.lastAdminLogEntry()
        // The log never goes back in time, even if the clock does.
        let at = max(now, last?.at ?? now)
        let entry = AdminLogChain.linking(
            after: last, at: at, kind: kind, actor: actor, account: account, subject: subject, details: details)
        try tx.appendAdminLog(entry)
        return entry
    }
}
