/// A timer a state declares: armed when a ticket enters the state, cancelled when it leaves.
///
/// It waits a ``Delay`` after entering the state, or before/after a date field of the ticket
/// (e.g. 10 business days before `due_date`), then sends a notice to a role, fires an event as
/// the actor `system`, or both. How a definition file declares timers: <doc:DefinitionFormat#Timers>.
public struct TimerSpec: Sendable, Equatable {
    /// What the timer counts from.
    public enum Anchor: Sendable, Equatable {
        /// The moment the ticket entered the state.
        case entered
        /// A date field of the ticket, at the start of the working day (08:00 local time).
        case field(String, before: Bool)
    }

    /// What happens to a timer found overdue after downtime.
    public enum LatePolicy: String, Sendable, Equatable {
        /// Fire once, late; the record says by how much (the default).
        case fire
        /// Do not fire; record that it was skipped.
        case skip
    }

    public let id: String
    public let anchor: Anchor
    public let delay: Delay
    /// The role to notify, if any.
    public let notify: String?
    /// The event to fire as `system`, if any.
    public let fire: String?
    public let message: String?
    public let whenLate: LatePolicy
    /// Where the timer stands in its file (`states.reported.timers[1]`), for diagnostics.
    let sourcePath: String

    /// The local time of day at which timers counted from a date field fall due.
    public static let workdayStart = 8 * 3600
}

/// A notice a state sends to a role whenever a ticket enters it.
public struct EntryNotice: Sendable, Equatable {
    public let notify: String
    public let message: String
    /// Who receives it (transition notices may say `"to": "reporters"` or `"everyone"`); entry notices: the scope.
    public var audience: Notice.Audience = .scope
    /// Where the notice stands in its file, for diagnostics.
    let sourcePath: String
}
