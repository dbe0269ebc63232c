import Foundation

/// A message to the people holding a role: a reminder, an escalation, or a state's notice on entry.
///
/// Notices are written to the outbox in the same transaction as the change that caused them and are
/// delivered afterwards; nothing is sent for a change that did not commit.
public struct Notice: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A state's notice when a ticket enters it.
        case entry
        /// A timer that only notifies.
        case reminder
        /// A timer that fired an event (and notifies).
        case escalation
        /// A transition's notice when its event is fired (e.g. a published feedback).
        case event
    }

    /// Who receives it besides the deputies of those who do.
    public enum Audience: String, Sendable {
        /// Actors holding the role whose scope covers the ticket.
        case scope
        /// The ticket's reporters: whoever opened it and whoever opened a ticket merged into it.
        case reporters
        /// Every actor holding the role, whatever their scope (a bulletin to the whole district).
        case everyone
    }

    public let kind: Kind
    public let ticketID: String
    public let state: String
    public let role: String
    public let message: String
    /// The timer that sent it, if any.
    public let timer: String?
    public var audience: Audience = .scope
}

/// A timer to arm: which ticket, which state's timer, when.
public struct PlannedTimer: Sendable, Equatable {
    public let ticketID: String
    public let state: String
    public let timer: String
    public let dueAt: Date
}

/// What a change does to a ticket's timers.
public struct TimerChanges: Sendable, Equatable {
    /// The state whose pending timers are cancelled, if any.
    public var cancelState: String?
    /// Only these timers of `cancelState`; nil means all of them.
    public var cancelOnly: [String]?
    public var arm: [PlannedTimer]

    public static let none = TimerChanges(cancelState: nil, cancelOnly: nil, arm: [])
}
