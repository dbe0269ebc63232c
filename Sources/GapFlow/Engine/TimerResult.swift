import Foundation

/// What a due timer did.
public enum TimerResult: Sendable, Equatable {
    /// It only sent notices.
    case notified([Notice], lateBy: TimeInterval)
    /// It fired its event (the outcome also carries its notices).
    case fired(Outcome, lateBy: TimeInterval)
    /// It was overdue and its policy says skip.
    case skipped(lateBy: TimeInterval)
    /// Its event was refused (e.g. a field it requires is empty); nothing changed.
    case refused(Rejection, lateBy: TimeInterval)

    /// How late a timer may fire before it counts as late (a scheduler's normal delay is far below this).
    public static let grace: TimeInterval = 60

    /// "2 days 3 h 5 min", for history comments and logs.
    public static func describe(_ interval: TimeInterval) -> String {
        let minutes = Int(interval / 60)
        let days = minutes / 1440
        let hours = minutes / 60 % 24
        var parts: [String] = []
        if days > 0 { parts.append("\(days) day\(days == 1 ? "" : "s")") }
        if hours > 0 { parts.append("\(hours) h") }
        if minutes % 60 > 0 || parts.isEmpty { parts.append("\(minutes % 60) min") }
        return parts.joined(separator: " ")
    }
}
