import Foundation

/// What to remove from a ticket (*Schwärzung*): a passage, or whole values, of a free-text field or of a comment.
public struct RedactionRequest: Sendable, Equatable {
    /// Where the personal data stands.
    public enum Target: Sendable, Equatable {
        /// The values of a free-text field: in the ticket and in every history entry and notice that carries them.
        case field(String)
        /// The comment of one history entry (``RedactionRequest/entry`` names it).
        case comment
    }

    public let target: Target
    /// For a field, only the value this history entry set (wherever else that value stands); for a comment, the
    /// entry whose comment it is (required).
    public let entry: Int?
    /// The exact passage to remove; nil removes whole values (the field's current value, or the entry's value or comment).
    public let passage: String?
    /// Why it was removed; recorded as the redaction entry's comment, so it must not repeat the passage.
    public let reason: String

    public init(target: Target, entry: Int? = nil, passage: String? = nil, reason: String) {
        self.target = target
        self.entry = entry
        self.passage = passage
        self.reason = reason
    }
}

/// What a redaction did (or, as a check, would do).
public struct RedactionResult: Sendable, Equatable {
    public let ticket: String
    /// The revision of the history entry that records the redaction.
    public let revision: Int
    public let record: RedactionRecord
    /// Other places of the ticket that still hold the passage (field ids, and `comment #N`), left as they are.
    public let stillFoundIn: [String]
    /// Why removed text may still be in the store's files, if erasing it failed (the redaction itself is recorded).
    public let eraseProblem: String?
}

/// Why a redaction was refused; nothing was changed.
public enum RedactionError: Error, Sendable, Equatable, CustomStringConvertible {
    case notDeclared(workflow: String)
    case roleRequired(actor: String, roles: [String])
    case ticketFinished(ticket: String, state: String)
    case unknownField(String, workflow: String, freeText: [String])
    case notFreeText(field: String, type: String)
    case unknownEntry(ticket: String, revision: Int, entries: Int)
    case noComment(ticket: String, revision: Int)
    case entrySetNoValue(ticket: String, revision: Int, field: String)
    case noValue(ticket: String, field: String)
    case passageNotFound(ticket: String, place: String)
    case alreadyRedacted(ticket: String, place: String)
    case emptyPassage
    case passageInMarker(marker: String)
    case reasonMissing
    case reasonRepeatsPassage

    public var description: String {
        switch self {
        case .notDeclared(let workflow): "workflow \"\(workflow)\" does not allow redaction (it declares no \"redaction\")"
        case .roleRequired(let actor, let roles): "\(actor) may not redact: that needs one of the roles \(roles.joined(separator: ", "))"
        case .ticketFinished(let ticket, let state): "\(ticket) is finished (\(state)); only open tickets are redacted"
        case .unknownField(let field, let workflow, _): "workflow \"\(workflow)\" has no field \"\(field)\""
        case .notFreeText(let field, let type): "field \"\(field)\" is \(type), not free text; only text can hold a passage to remove"
        case .unknownEntry(let ticket, let revision, let entries): "\(ticket) has no history entry #\(revision) (it has \(entries))"
        case .noComment(let ticket, let revision): "history entry #\(revision) of \(ticket) has no comment"
        case .entrySetNoValue(let ticket, let revision, let field): "history entry #\(revision) of \(ticket) did not set \"\(field)\""
        case .noValue(let ticket, let field): "\(ticket) has no value in \"\(field)\""
        case .passageNotFound(let ticket, let place): "the passage does not occur in \(place) of \(ticket)"
        case .alreadyRedacted(let ticket, let place): "\(place) of \(ticket) is already redacted"
        case .emptyPassage: "the passage to remove is empty"
        case .passageInMarker(let marker): "the passage is part of the redaction marker \"\(marker)\""
        case .reasonMissing: "a redaction needs a reason"
        case .reasonRepeatsPassage: "the reason repeats the passage it removes; the history would keep it"
        }
    }
}

extension RedactionError: ExplainedError {
    public var summary: String { description }
    public var hint: String? {
        switch self {
        case .notDeclared: "declare \"redaction\": { \"roles\": [...], \"marker\": \"...\" } in the workflow file"
        case .roleRequired: "act as an actor with one of these roles (--as)"
        case .ticketFinished: "finished tickets lose their free text by the retention rule (`gapflow purge`)"
        case .unknownField(_, _, let freeText): "free-text fields: \(freeText.joined(separator: ", "))"
        case .notFreeText: nil
        case .unknownEntry, .noComment, .entrySetNoValue: "see `gapflow history TICKET`"
        case .noValue: "name the entry whose value to redact with --entry N (see `gapflow history TICKET`)"
        case .passageNotFound: "give the passage exactly as it stands (see `gapflow show` and `gapflow history`); nothing was changed"
        case .alreadyRedacted: nil
        case .emptyPassage: "give the exact passage with --text, or leave --text out to redact the whole value"
        case .passageInMarker: "give a longer passage"
        case .reasonMissing: "say why with --reason, without repeating what is removed"
        case .reasonRepeatsPassage: "say why without repeating what is removed"
        }
    }
    public var kind: ErrorKind {
        switch self {
        case .unknownEntry: .notFound
        default: .refused
        }
    }
}

extension Engine {
    /// The history event that records a redaction.
    public static let redactEvent = "redact"

    /// Removes personal data from an open ticket (*Schwärzung*): the passage (or whole value) is replaced by the
    /// workflow's marker in the ticket, in every history entry that carries it, and in its notices; a `redact` entry
    /// records which field or comment, which entries, and who, but never the removed text.
    ///
    /// Each redacted value keeps the digest of what it was, so the hash chain still verifies and every other value
    /// is still checked; the audit checks the redacted values against the redaction's record. Who may redact, and the
    /// marker, are the newest workflow version's (`"redaction"`), also for tickets pinned to an older one. Afterwards the store
    /// erases the removed text from its files (``TicketStore/eraseRemovedContent()``). With `check`, reports what would
    /// happen and changes nothing.
    public func redact(_ ticketID: String, _ request: RedactionRequest, actor: Actor, check: Bool = false) throws -> RedactionResult {
        let reason = request.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw RedactionError.reasonMissing }
        if let passage = request.passage {
            guard !passage.allSatisfy(\.isWhitespace) else { throw RedactionError.emptyPassage }
            if reason.contains(passage) { throw RedactionError.reasonRepeatsPassage }
        }
        let result = try store.write(rollback: check) { tx in
            try redact(ticketID, request, reason: reason, actor: actor, in: tx)
        }
        guard !check else { return result }
        do {
            try store.eraseRemovedContent()
            return result
        } catch {
            return RedactionResult(
                ticket: result.ticket, revision: result.revision, record: result.record, stillFoundIn: result.stillFoundIn,
                eraseProblem: (error as? ExplainedError)?.summary ?? "\(error)")
        }
    }

    private func redact(
        _ ticketID: String, _ request: RedactionRequest, reason: String, actor: Actor, in tx: any StoreTransaction
    ) throws -> RedactionResult {
        let ticket = try ticket(ticketID, in: tx)
        let now = max(self.now(), ticket.updatedAt)
        let definition = try definition(ticket.workflowID, version: ticket.version, in: tx)
        // Who may redact is the organisation's rule of today: the newest version's, also for tickets pinned to an older one.
        let latest = try self.definition(ticket.workflowID, version: nil, in: tx)
        guard let rules = latest.redaction else { throw RedactionError.notDeclared(workflow: definition.id) }
        guard let role = actor.roles.first(where: rules.roles.contains) else {
            throw RedactionError.roleRequired(actor: actor.name, roles: rules.roles)
        }
        guard definition.state(ticket.state)?.isFinal != true else {
            throw RedactionError.ticketFinished(ticket: ticket.id, state: definition.stateTitle(ticket.state))
        }
        if let passage = request.passage, rules.marker.contains(passage) {
            throw RedactionError.passageInMarker(marker: rules.marker)
        }
        let chain = try tx.chainedHistory(of: ticket.id)
        func chained(_ revision: Int) throws -> ChainedEntry {
            guard revision >= 1, revision <= chain.count else {
                throw RedactionError.unknownEntry(ticket: ticket.id, revision: revision, entries: chain.count)
            }
            return chain[revision - 1]
        }
        let replace = { (text: String) -> String in
            request.passage.map { text.replacing($0, with: rules.marker) } ?? rules.marker
        }

        var plan = RedactionPlan(chain: chain, ticket: ticket)
        switch request.target {
        case .comment:
            guard let revision = request.entry else { throw RedactionError.noComment(ticket: ticket.id, revision: 0) }
            guard let comment = try chained(revision).entry.comment else {
                throw RedactionError.noComment(ticket: ticket.id, revision: revision)
            }
            let redacted = replace(comment)
            guard redacted != comment else {
                throw request.passage == nil
                    ? RedactionError.alreadyRedacted(ticket: ticket.id, place: "the comment of #\(revision)")
                    : RedactionError.passageNotFound(ticket: ticket.id, place: "the comment of #\(revision)")
            }
            plan.replaceComment(of: revision, with: redacted)
        case .field(let name):
            guard let field = definition.field(name) else {
                throw RedactionError.unknownField(name, workflow: definition.id, freeText: Self.freeTextFields(definition))
            }
            switch field.type {
            case .text, .longText: break
            default: throw RedactionError.notFreeText(field: name, type: field.type.name)
            }
            // The values in scope: the one an entry set, or every value the field had (a passage), or its current value.
            var scope: [String] = []
            if let revision = request.entry {
                guard case .text(let value)? = try chained(revision).entry.changes.last(where: { $0.field == name })?.new else {
                    throw RedactionError.entrySetNoValue(ticket: ticket.id, revision: revision, field: name)
                }
                scope = [value]
            } else if request.passage != nil {
                scope = plan.textValues(of: name)
            } else {
                guard case .text(let value)? = ticket.fields[name] else { throw RedactionError.noValue(ticket: ticket.id, field: name) }
                scope = [value]
            }
            var replacements: [String: String] = [:]
            for value in scope where replacements[value] == nil {
                let redacted = replace(value)
                if redacted != value { replacements[value] = redacted }
            }
            let place = "field \"\(name)\"" + (request.entry.map { " as entry #\($0) set it" } ?? "")
            guard !replacements.isEmpty else {
                throw request.passage == nil
                    ? RedactionError.alreadyRedacted(ticket: ticket.id, place: place)
                    : RedactionError.passageNotFound(ticket: ticket.id, place: place)
            }
            plan.replaceValues(of: name, replacements)
        }

        // The entries, each keeping the digests of what its replaced values were, then the ticket and its notices.
        try tx.beginPurge()  // the only way past the history's append-only guard, inside this transaction
        var changes: [RedactionRecord.Change] = []
        for revision in plan.changedRevisions {
            let before = chain[revision - 1]
            let after = plan.entries[revision - 1]
            var digests = before.redactedDigests
            if before.format == HistoryChain.perValue {
                let original = HistoryChain.valueDigests(of: before.entry)
                for place in plan.changedPlaces[revision, default: []] where digests[place] == nil { digests[place] = original[place] }
            }
            try tx.redactHistory(
                ticket: ticket.id, revision: revision, changes: after.changes, comment: after.comment, redactedDigests: digests)
            changes.append(RedactionRecord.Change(revision: revision, digest: HistoryChain.contentDigest(of: after)))
        }
        try tx.endPurge()
        var notices = 0
        if case .field = request.target {
            for notice in try tx.notices(ofTicket: ticket.id) {
                let payload = Self.redacting(notice.payload, plan.textReplacements, passage: request.passage, marker: rules.marker)
                let lastError = notice.lastError.map {
                    Self.replacing(in: $0, plan.textReplacements, passage: request.passage, marker: rules.marker)
                }
                guard payload != notice.payload || lastError != notice.lastError else { continue }
                try tx.rewriteNotice(notice.id, payload: payload, lastError: lastError)
                notices += 1
            }
        }
        let record = RedactionRecord(
            field: request.target.field, passage: request.passage != nil, entries: changes, ticket: plan.ticket.fields != ticket.fields,
            notices: notices)
        let updated = Ticket(
            id: ticket.id, workflowID: ticket.workflowID, version: ticket.version, state: ticket.state, revision: ticket.revision + 1,
            fields: plan.ticket.fields, openedAt: ticket.openedAt, openedBy: ticket.openedBy, updatedAt: now)
        try tx.updateTicket(updated, expectedRevision: ticket.revision)
        var entry = HistoryEntry(
            revision: updated.revision, at: now, actor: actor.name, role: role, event: Self.redactEvent, from: ticket.state,
            to: ticket.state, changes: [], comment: reason)
        entry.redaction = record
        try appendHistory(entry, ticket: ticket.id, in: tx)
        return RedactionResult(
            ticket: ticket.id, revision: updated.revision, record: record,
            stillFoundIn: request.passage.map { plan.places(holding: $0) } ?? [], eraseProblem: nil)
    }

    /// The ids of a definition's free-text fields (what can be redacted).
    static func freeTextFields(_ definition: Definition) -> [String] {
        definition.fields.filter { field in
            switch field.type {
            case .text, .longText: true
            default: false
            }
        }.map(\.id)
    }

    /// A notice's payload (JSON) with every string in it redacted; the payload as it was if it is not JSON.
    static func redacting(_ payload: String, _ replacements: [String: String], passage: String?, marker: String) -> String {
        guard let node = try? JSONParser.parse(payload) else {
            return replacing(in: payload, replacements, passage: passage, marker: marker)
        }
        func redacted(_ value: JSONValue) -> JSONValue {
            switch value {
            case .string(let text): .string(replacing(in: text, replacements, passage: passage, marker: marker))
            case .array(let elements): .array(elements.map(redacted))
            case .object(let members): .object(members.map { ($0.0, redacted($0.1)) })
            default: value
            }
        }
        let original = JSONValue(node)
        let result = redacted(original)
        return result == original ? payload : result.compact
    }

    /// A text with the passage (or each whole value replaced) put right.
    static func replacing(in text: String, _ replacements: [String: String], passage: String?, marker: String) -> String {
        if let passage { return text.replacing(passage, with: marker) }
        var result = text
        for (value, redacted) in replacements.sorted(by: { $0.key.count > $1.key.count }) {
            result = result.replacing(value, with: redacted)
        }
        return result
    }
}

extension RedactionRequest.Target {
    /// The field, if the target is one.
    var field: String? {
        if case .field(let name) = self { return name }
        return nil
    }
}

/// The entries and the ticket as a redaction leaves them, worked out before anything is written.
private struct RedactionPlan {
    var entries: [HistoryEntry]
    var ticket: Ticket
    /// The places each entry's redaction changed, by revision.
    var changedPlaces: [Int: Set<ValuePlace>] = [:]
    /// Each whole value replaced, with what replaces it.
    var textReplacements: [String: String] = [:]

    init(chain: [ChainedEntry], ticket: Ticket) {
        entries = chain.map(\.entry)
        self.ticket = ticket
    }

    var changedRevisions: [Int] { changedPlaces.keys.sorted() }

    /// Every text value a field had in the history or has now, each once, oldest first.
    func textValues(of field: String) -> [String] {
        var values: [String] = []
        for change in entries.flatMap(\.changes) where change.field == field {
            for case .text(let text)? in [change.old, change.new] where !values.contains(text) { values.append(text) }
        }
        if case .text(let text)? = ticket.fields[field], !values.contains(text) { values.append(text) }
        return values
    }

    mutating func replaceComment(of revision: Int, with comment: String) {
        entries[revision - 1] = entries[revision - 1].with(changes: entries[revision - 1].changes, comment: comment)
        changedPlaces[revision, default: []].insert(.comment)
    }

    /// Replaces each value of `field` found in `replacements`, wherever it stands: so the ticket stays what its
    /// history replays to.
    mutating func replaceValues(of field: String, _ replacements: [String: String]) {
        textReplacements = replacements
        func replaced(_ value: FieldValue?) -> FieldValue? {
            guard case .text(let text)? = value, let redacted = replacements[text] else { return nil }
            return .text(redacted)
        }
        for index in entries.indices {
            var changes = entries[index].changes
            for (position, change) in changes.enumerated() where change.field == field {
                let old = replaced(change.old)
                let new = replaced(change.new)
                guard old != nil || new != nil else { continue }
                changes[position] = FieldChange(field: field, old: old ?? change.old, new: new ?? change.new)
                if old != nil { changedPlaces[index + 1, default: []].insert(.old(position)) }
                if new != nil { changedPlaces[index + 1, default: []].insert(.new(position)) }
            }
            if changes != entries[index].changes { entries[index] = entries[index].with(changes: changes, comment: entries[index].comment) }
        }
        if let value = replaced(ticket.fields[field]) { ticket.fields[field] = value }
    }

    /// Where the passage still stands after the plan: field ids of the ticket and history, and `comment #N`.
    func places(holding passage: String) -> [String] {
        var places: [String] = []
        for (name, value) in ticket.fields.sorted(by: { $0.key < $1.key }) {
            if case .text(let text) = value, text.contains(passage) { places.append(name) }
        }
        for change in entries.flatMap(\.changes) where !places.contains(change.field) {
            for case .text(let text)? in [change.old, change.new] where text.contains(passage) {
                places.append(change.field)
                break
            }
        }
        for entry in entries where entry.comment?.contains(passage) == true { places.append("comment #\(entry.revision)") }
        return places
    }
}

extension HistoryEntry {
    /// The same entry with other changes and comment (what a redaction leaves of it).
    func with(changes: [FieldChange], comment: String?) -> HistoryEntry {
        var entry = HistoryEntry(
            revision: revision, at: at, actor: actor, role: role, event: event, from: from, to: to, changes: changes, comment: comment,
            decision: decision)
        entry.account = account
        entry.redaction = redaction
        return entry
    }
}
