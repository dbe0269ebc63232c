/// An error that says itself what went wrong and what to do, in the same words for every door.
///
/// The CLI prints ``summary`` after `error:`, each of ``details`` on its own indented line, and ``hint`` after
/// `hint:`, and exits with the code of ``kind``; the web front shows the same text and answers with the kind's status.
/// No door switches over error types.
public protocol ExplainedError: Error {
    /// One line that says what is wrong.
    var summary: String { get }
    /// Further lines, one per problem, when there are several.
    var details: [String] { get }
    /// What the user can do about it.
    var hint: String? { get }
    /// What kind of failure it is; decides the exit code and the HTTP status.
    var kind: ErrorKind { get }
}

extension ExplainedError {
    public var details: [String] { [] }
    public var kind: ErrorKind { .refused }
}

/// The classes of failure the doors tell apart.
public enum ErrorKind: Sendable, Equatable {
    /// The input was refused or a check failed; nothing changed (CLI exit 1, HTTP 422).
    case refused
    /// What the request names does not exist (CLI exit 1, HTTP 404).
    case notFound
    /// Someone else changed it in between (CLI exit 1, HTTP 409).
    case conflict
    /// The store cannot be used now: locked, read-only, missing (CLI exit 1, HTTP 503).
    case unavailable
    /// The command or request itself is malformed (CLI exit 2, HTTP 400).
    case usage
}
