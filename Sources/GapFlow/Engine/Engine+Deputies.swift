import Foundation

/// A deputy period (*Vertretung*): while it runs, `deputy` sees `absent`'s queue, receives their notices and may act
/// for them; every such act names `absent` in the history.
public struct Deputyship: Sendable, Equatable {
    public let absent: String
    public let deputy: String
    /// The first and the last day of the period (both included, in Berlin time).
    public let from: LocalDate
    public let to: LocalDate

    public init(absent: String, deputy: String, from: LocalDate, to: LocalDate) {
        self.absent = absent
        self.deputy = deputy
        self.from = from
        self.to = to
    }

    /// Whether the period runs on `day`.
    public func runs(on day: LocalDate) -> Bool { from <= day && day <= to }

    /// Whether two periods share a day.
    func overlaps(_ other: Deputyship) -> Bool { from <= other.to && other.from <= to }
}

extension AdminLogKind {
    /// A deputy period was recorded; its details hold `deputy`, `from` and `to`.
    public static let deputyAdded = "actor.deputy.added"
}

extension Engine {
    /// Records a deputy period; needs an admin as ``saveActor(_:by:)`` does. Both actors must be registered and
    /// differ, the period must end on or after its first day, and it may not overlap another period of the same absent
    /// actor. The period is kept in the admin log, which is append-only and hash-chained.
    public func addDeputy(_ deputyship: Deputyship, by acting: Actor? = nil) throws {
        try store.write { tx in
            let now = self.now()
            try requireAdmin(acting, action: "record deputies", in: tx)
            guard let absent = try tx.actor(named: deputyship.absent) else { throw EngineError.unknownActor(deputyship.absent) }
            guard let deputy = try tx.actor(named: deputyship.deputy) else { throw EngineError.unknownActor(deputyship.deputy) }
            if absent.name == deputy.name { throw EngineError.invalidDeputy("\(absent.name) cannot be their own deputy") }
            if deputyship.to < deputyship.from {
                throw EngineError.invalidDeputy(
                    "the period of \(absent.name)'s deputy ends (\(deputyship.to.iso8601)) before it begins (\(deputyship.from.iso8601))")
            }
            let recorded = Deputyship(absent: absent.name, deputy: deputy.name, from: deputyship.from, to: deputyship.to)
            if let clash = try deputyships(in: tx).first(where: { $0.absent == absent.name && $0.overlaps(recorded) }) {
                throw EngineError.invalidDeputy(
                    "\(absent.name) already has a deputy (\(clash.deputy)) from \(clash.from.iso8601) to \(clash.to.iso8601), "
                        + "which overlaps \(recorded.from.iso8601) to \(recorded.to.iso8601)")
            }
            try appendAdminLog(
                kind: AdminLogKind.deputyAdded, actor: acting?.name, subject: absent.name,
                details: .object([
                    ("deputy", .string(deputy.name)), ("from", .string(recorded.from.iso8601)), ("to", .string(recorded.to.iso8601)),
                ]), in: tx, now: now)
        }
    }

    /// Every recorded deputy period, in the order recorded.
    public func deputyships() throws -> [Deputyship] {
        try store.read { tx in try deputyships(in: tx) }
    }

    /// Deputy periods read from the admin log; kept between calls until the log grows.
    func deputyships(in tx: any StoreTransaction) throws -> [Deputyship] {
        let last = try tx.lastAdminLogEntry()?.sequence ?? 0
        let cached = deputyCache.withLock { $0 }
        if cached.sequence == last { return cached.deputies }
        var deputies = cached.sequence < last ? cached.deputies : []
        try tx.forEachAdminLogEntry(from: cached.sequence < last ? cached.sequence + 1 : 1) { entry in
            guard entry.kind == AdminLogKind.deputyAdded, let absent = entry.subject,
                let details = try? JSONParser.parse(entry.details), let deputy = details["deputy"]?.string,
                let from = details["from"]?.string.flatMap(LocalDate.init(parsing:)),
                let to = details["to"]?.string.flatMap(LocalDate.init(parsing:))
            else { return }
            deputies.append(Deputyship(absent: absent, deputy: deputy, from: from, to: to))
        }
        deputyCache.withLock { $0 = (last, deputies) }
        return deputies
    }

    /// The actors `deputy` stands in for on the day of `now` (Berlin time), as registered now.
    func absentees(for deputy: String, now: Date, in tx: any StoreTransaction) throws -> [Actor] {
        let today = LocalDate(now, in: .berlin)
        return try deputyships(in: tx).filter { $0.deputy.lowercased() == deputy.lowercased() && $0.runs(on: today) }
            .compactMap { try tx.actor(named: $0.absent) }
    }

    /// The deputies standing in for `absent` on the day of `now`.
    func deputies(of absent: String, now: Date, in tx: any StoreTransaction) throws -> [String] {
        let today = LocalDate(now, in: .berlin)
        return try deputyships(in: tx).filter { $0.absent.lowercased() == absent.lowercased() && $0.runs(on: today) }.map(\.deputy)
    }

    /// The actors `actor` acts for today: themselves first, then everyone they stand in for.
    public func actingIdentities(of actor: Actor) throws -> [Actor] {
        let now = now()
        return try store.read { tx in [actor] + (try absentees(for: actor.name, now: now, in: tx)) }
    }
}

extension Command {
    /// The same command given by another actor (a deputy acting for the absent one).
    func given(by actor: Actor) -> Command {
        var command = Command(
            action, actor: actor, role: role, values: values, comment: comment, expectedRevision: expectedRevision)
        command.decision = decision
        command.strict = strict
        return command
    }
}

extension Outcome {
    /// The outcome of a command a deputy gave for `absent`: the history names the deputy as the actor, for `absent`.
    func recorded(asDeputy deputy: String, for absent: String) -> Outcome {
        var copy = self
        var entry = HistoryEntry(
            revision: self.entry.revision, at: self.entry.at, actor: deputy, role: self.entry.role, event: self.entry.event,
            from: self.entry.from, to: self.entry.to, changes: self.entry.changes, comment: self.entry.comment,
            decision: self.entry.decision)
        entry.account = self.entry.account
        entry.redaction = self.entry.redaction
        entry.deputyFor = absent
        copy.entry = entry
        return copy
    }
}
