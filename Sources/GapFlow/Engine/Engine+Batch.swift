import Foundation

/// Why a batch of openings was refused: every refused command with its position in the batch; nothing was opened.
public struct BatchRejection: Error, Sendable, Equatable {
    /// (position in the batch, counting from 0; why it was refused).
    public let refused: [(index: Int, rejection: Rejection)]

    public static func == (lhs: BatchRejection, rhs: BatchRejection) -> Bool {
        lhs.refused.map(\.index) == rhs.refused.map(\.index) && lhs.refused.map(\.rejection) == rhs.refused.map(\.rejection)
    }
}

extension Engine {
    /// Opens one ticket per command in one transaction: all of them, or — when any is refused — none, and the error
    /// lists every refused command, not only the first.
    @discardableResult
    public func openAll(workflow: String, _ commands: [Command]) throws -> [Outcome] {
        let outcomes = try store.write { tx in
            let now = self.now()
            let definition = try definition(workflow, version: nil, in: tx)
            let groups = try register(for: definition, in: tx)
            let year = LocalDate(now, in: .berlin).year
            var outcomes: [Outcome] = []
            var refused: [(index: Int, rejection: Rejection)] = []
            for (index, command) in commands.enumerated() {
                let number = try tx.nextTicketNumber(prefix: definition.ticketPrefix, year: year)
                let id = "\(definition.ticketPrefix)-\(year)-\(String(number).leftPadded(to: 4))"
                let referenced = try self.references(in: command, definition: definition, tx: tx)
                switch Step.open(definition, id: id, command: command, now: now, references: referenced, groups: groups) {
                case .failure(let rejection):
                    refused.append((index, rejection))
                case .success(let outcome):
                    guard refused.isEmpty else { continue }
                    try tx.insertTicket(outcome.ticket)
                    try record(outcome, definition: definition, tx: tx, now: now)
                    outcomes.append(outcome)
                }
            }
            // Throwing rolls the transaction back: no ticket, no number, no notice.
            if !refused.isEmpty { throw BatchRejection(refused: refused) }
            return outcomes
        }
        notifyArmed(outcomes.flatMap { (outcome: Outcome) in outcome.timers.arm.map { $0.dueAt } }.min())
        return outcomes
    }
}
