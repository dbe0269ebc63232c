import Foundation

/// One decision of a batch: which event a meeting (or a decision in writing) fires on which ticket.
public struct Decision: Sendable {
    /// The entry's position in its file, 1-based, for messages.
    public let entry: Int
    public let ticket: String
    public let event: String
    public let values: [String: FieldInput]
    public let comment: String?
    /// The resolution number; numbered in order when nil.
    public let resolution: String?
    /// How the board voted, if recorded.
    public var vote: Vote?

    public init(entry: Int, ticket: String, event: String, values: [String: FieldInput], comment: String?, resolution: String?) {
        self.entry = entry
        self.ticket = ticket
        self.event = event
        self.values = values
        self.comment = comment
        self.resolution = resolution
    }
}

/// What one decision did (or, checked, would do).
public struct AppliedDecision: Sendable, Equatable, Encodable {
    public let entry: Int
    public let ticket: String
    public let resolution: String
    public let event: String
    public let from: String
    public let to: String
    /// Text of the entry (its values or comment) that looks like personal data, accepted with a warning.
    public var warnings: [PersonalDataGuard.Finding] = []

    private enum CodingKeys: String, CodingKey {
        case entry, ticket, resolution, event, from, to
    }
}

/// A batch of decisions was refused as a whole; every problem, by entry.
public struct DecisionsRefused: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Problem: Sendable, Equatable {
        public let entry: Int
        public let ticket: String
        public let message: String
    }

    public let problems: [Problem]

    public var description: String {
        "\(problems.count) problem\(problems.count == 1 ? "" : "s") in the decisions; none was applied"
    }
}

extension Engine {
    /// Applies every decision in one transaction, or none: each is checked as the engine checks any command
    /// (ticket known, event allowed in its state, required fields, the actor's role), and any problem refuses the
    /// whole batch with all problems listed. With `check`, the same work is done and then rolled back.
    ///
    /// - Parameters:
    ///   - decisions: the batch, in the order of its file; no ticket may be decided twice in it.
    ///   - meeting: the meeting that decided, or nil for decisions in writing (*Umlaufverfahren*).
    ///   - actor: who records the decisions; each is fired as this actor and checked against its roles.
    ///   - check: a dry run: do the same work, then roll it back.
    /// - Returns: what each decision did (with `check`, would do), in the order of the batch.
    public func applyDecisions(_ decisions: [Decision], meeting: Int?, actor: Actor, check: Bool) throws -> [AppliedDecision] {
        var armed: [Date] = []
        let results = try store.write(rollback: check) { tx -> [AppliedDecision] in
            let now = self.now()  // inside the transaction, so history times follow the order of commits
            var problems: [DecisionsRefused.Problem] = []
            let year = LocalDate(now, in: .berlin).year
            // Decisions in writing are numbered on through the year, apart from the meetings' numbers.
            var prefix = "U\(year)"
            var taken = Set<String>()
            var numbered = 0
            if meeting == nil {
                taken = Set(try tx.decisionsInWriting().compactMap(\.entry.decision?.resolution))
                numbered = Self.lastNumber(in: taken, prefix: prefix)
            }
            var onAgenda: [String: AgendaEntry] = [:]
            var decided: [String: RecordedDecision] = [:]
            var item = "item"
            if let meeting {
                let found = try self.meeting(meeting, in: tx)
                guard found.status == .published else {
                    throw MeetingError.wrongStage(
                        meeting: meeting, status: found.status, needed: "agenda is published and minutes not yet approved")
                }
                let definition = try definition(found.workflowID, version: nil, in: tx)
                let today = LocalDate(now, in: definition.calendar.timeZone)
                guard today >= found.date else { throw MeetingError.notYetHeld(meeting: meeting, date: found.date, today: today) }
                item = definition.words.item
                prefix = "\(found.date.year)/\(found.id)"
                for entry in try tx.agendaEntries(meeting: meeting) { onAgenda[entry.ticketID] = entry }
                let recorded = try tx.decisions(meeting: meeting)
                for decision in recorded { decided[decision.ticket] = decision }
                taken = Set(recorded.compactMap(\.entry.decision?.resolution))
                numbered = Self.lastNumber(in: taken, prefix: prefix)
            }
            var seen: [String: Int] = [:]
            var results: [AppliedDecision] = []
            for decision in decisions {
                let ticketID = decision.ticket.uppercased()
                if let first = seen[ticketID] {
                    problems.append(
                        .init(
                            entry: decision.entry, ticket: ticketID,
                            message: "ticket \(ticketID) is decided twice (also entry \(first))"))
                    continue
                }
                seen[ticketID] = decision.entry
                if let meeting {
                    guard let entry = onAgenda[ticketID] else {
                        problems.append(
                            .init(
                                entry: decision.entry, ticket: ticketID,
                                message: "ticket \(ticketID) is not on the agenda of meeting \(meeting)"))
                        continue
                    }
                    if let earlier = decided[ticketID] {
                        problems.append(
                            .init(
                                entry: decision.entry, ticket: ticketID,
                                message:
                                    "\(item) \(entry.number) was already decided at this meeting (resolution \(earlier.entry.decision?.resolution ?? "–"))"
                            ))
                        continue
                    }
                }
                numbered += 1
                let resolution = decision.resolution ?? "\(prefix)-\(numbered)"
                if !taken.insert(resolution).inserted {
                    problems.append(
                        .init(entry: decision.entry, ticket: ticketID, message: "the resolution number \(resolution) is already taken"))
                    continue
                }
                var command = Command(.fire(event: decision.event), actor: actor, values: decision.values, comment: decision.comment)
                command.decision = DecisionRecord(meeting: meeting, resolution: resolution)
                do {
                    let outcome = try fire(ticketID, command, in: tx, now: now)
                    if let vote = decision.vote { try tx.insertVote(vote, ticket: ticketID, revision: outcome.entry.revision) }
                    armed += outcome.timers.arm.map(\.dueAt)
                    var applied = AppliedDecision(
                        entry: decision.entry, ticket: ticketID, resolution: resolution, event: decision.event,
                        from: outcome.entry.from ?? "", to: outcome.entry.to)
                    applied.warnings = outcome.warnings
                    results.append(applied)
                } catch let rejection as Rejection {
                    problems += rejection.blockers.map { .init(entry: decision.entry, ticket: ticketID, message: $0.message) }
                } catch let error as EngineError {
                    problems.append(.init(entry: decision.entry, ticket: ticketID, message: error.description))
                }
            }
            if !problems.isEmpty { throw DecisionsRefused(problems: problems) }
            return results
        }
        if !check { notifyArmed(armed.min()) }
        return results
    }

    /// The highest running number among resolution numbers `prefix-N`, or 0.
    static func lastNumber(in resolutions: Set<String>, prefix: String) -> Int {
        resolutions.compactMap { $0.hasPrefix(prefix + "-") ? Int($0.dropFirst(prefix.count + 1)) : nil }.max() ?? 0
    }

    /// The decisions recorded for a meeting, in the order they were taken.
    public func decisions(of meeting: Int) throws -> [(ticket: Ticket, definition: Definition, entry: HistoryEntry)] {
        try store.read { tx in
            try tx.decisions(meeting: meeting).map { decision in
                let ticket = try ticket(decision.ticket, in: tx)
                return (ticket, try definition(ticket.workflowID, version: ticket.version, in: tx), decision.entry)
            }
        }
    }
}

extension DecisionsRefused: ExplainedError {
    public var summary: String { "\(description):" }
    public var details: [String] { problems.map { "- entry \($0.entry) (\($0.ticket)): \($0.message)" } }
    public var hint: String? { "fix the decisions and apply them again; a check tries them without changing anything" }
}
