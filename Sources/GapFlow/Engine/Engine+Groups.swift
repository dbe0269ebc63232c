import Foundation

/// A project group of the register (*Projektgruppe*): its members (registered actors) and its topic or locality.
public struct ProjectGroup: Sendable, Equatable {
    /// How tickets name it, e.g. `PG Sprache`.
    public let id: String
    /// What it works on, or where: e.g. a topic (*Sprache*) or a locality (*Troisdorf*).
    public let topic: String?
    public let members: [String]

    public init(id: String, topic: String? = nil, members: [String]) {
        self.id = id
        self.topic = topic
        self.members = members
    }

    /// Whether `actor` is a member (names compare ignoring case, as actors' names do).
    public func hasMember(_ actor: String) -> Bool { members.contains { $0.lowercased() == actor.lowercased() } }
}

extension AdminLogKind {
    /// A project group was registered or changed; its details hold `topic` and `members`.
    public static let groupSaved = "group.saved"
}

/// The project-group register as the step sees it: nil where a caller does not check it.
public typealias GroupRegister = [ProjectGroup]

extension GroupRegister {
    /// The group a ticket's value names, ignoring case.
    public func group(named name: String) -> ProjectGroup? {
        let folded = name.trimmingCharacters(in: .whitespaces).lowercased()
        return first { $0.id.lowercased() == folded }
    }
}

extension Engine {
    /// Registers a project group or replaces one of the same name; needs an admin as ``saveActor(_:by:)`` does. A group
    /// needs a name and at least one member, and every member must be a registered actor. Kept in the admin log.
    public func saveGroup(_ group: ProjectGroup, by acting: Actor? = nil) throws {
        try store.write { tx in
            let now = self.now()
            try requireAdmin(acting, action: "register project groups", in: tx)
            let id = group.id.trimmingCharacters(in: .whitespaces)
            if id.isEmpty { throw EngineError.invalidGroup("a project group needs a name") }
            if group.members.isEmpty { throw EngineError.invalidGroup("project group \"\(id)\" needs at least one member") }
            var members: [String] = []
            for name in group.members {
                guard let actor = try tx.actor(named: name) else { throw EngineError.unknownActor(name) }
                if !members.contains(actor.name) { members.append(actor.name) }
            }
            let existing = try groups(in: tx).group(named: id)
            try appendAdminLog(
                kind: AdminLogKind.groupSaved, actor: acting?.name, subject: existing?.id ?? id,
                details: .object([
                    ("topic", group.topic.map(JSONValue.string) ?? .null), ("members", .array(members.map(JSONValue.string))),
                ]), in: tx, now: now)
        }
    }

    /// The register: every project group as last saved, in the order first registered.
    public func groups() throws -> [ProjectGroup] {
        try store.read { tx in try groups(in: tx) }
    }

    /// The register read from the admin log; kept between calls until the log grows.
    func groups(in tx: any StoreTransaction) throws -> [ProjectGroup] {
        let last = try tx.lastAdminLogEntry()?.sequence ?? 0
        let cached = groupCache.withLock { $0 }
        if cached.sequence == last { return cached.groups }
        var groups = cached.sequence < last ? cached.groups : []
        try tx.forEachAdminLogEntry(from: cached.sequence < last ? cached.sequence + 1 : 1) { entry in
            guard entry.kind == AdminLogKind.groupSaved, let id = entry.subject, let details = try? JSONParser.parse(entry.details) else {
                return
            }
            let group = ProjectGroup(
                id: id, topic: details["topic"]?.string, members: details["members"]?.elements?.compactMap(\.string) ?? [])
            if let index = groups.firstIndex(where: { $0.id == id }) { groups[index] = group } else { groups.append(group) }
        }
        groupCache.withLock { $0 = (last, groups) }
        return groups
    }

    /// The register, read only for workflows that use it, and checked once it holds a group: a database whose admins
    /// have registered none keeps the group field as free text.
    func register(for definition: Definition, in tx: any StoreTransaction) throws -> GroupRegister? {
        guard definition.fields.contains(where: \.fromGroupRegister) else { return nil }
        let groups = try groups(in: tx)
        return groups.isEmpty ? nil : groups
    }

    /// The open tickets whose group field names `group`, with the definition each is pinned to: its mandates.
    public func mandates(of group: String) throws -> [(Ticket, Definition)] {
        try store.read { tx in
            guard let found = try groups(in: tx).group(named: group) else {
                throw EngineError.invalidGroup("there is no project group \"\(group)\"")
            }
            var result: [(Ticket, Definition)] = []
            try tx.forEachTicket(TicketFilter()) { ticket in
                let definition = try definition(ticket.workflowID, version: ticket.version, in: tx)
                guard definition.state(ticket.state)?.isFinal == false else { return }
                if definition.fields.contains(where: {
                    $0.fromGroupRegister && ticket.fields[$0.id]?.plainText.lowercased() == found.id.lowercased()
                }) {
                    result.append((ticket, definition))
                }
            }
            return result
        }
    }
}
