/// A failure of the store, described for the person who has to fix it.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// There is no database file at the path.
    case missing(path: String)
    /// Another process held the write lock for longer than the busy timeout.
    case busy(path: String)
    /// The file or its folder is not writable.
    case readOnly(path: String)
    /// The file or database is not GapFlow's: another program's, or not a database at all.
    case notADatabase(path: String)
    /// The database was written by a newer GapFlow.
    case newerSchema(path: String, found: Int, supported: Int)
    /// Someone else changed the ticket since the caller read it.
    case conflict(ticket: String, expected: Int, actual: Int)
    /// A stored value could not be read back (the database was edited by hand).
    case damaged(path: String, what: String)
    /// Any other failure of the database, as the database worded it.
    case failed(path: String, message: String)

    public var description: String {
        switch self {
        case .missing(let path): "no database at \(path)"
        case .busy(let path): "the database \(path) is locked by another writer"
        case .readOnly(let path): "the database \(path) is read-only"
        case .notADatabase(let path): "\(path) is not a GapFlow database"
        case .newerSchema(let path, let found, let supported):
            "the database \(path) has schema version \(found), but this gapflow knows versions up to \(supported)"
        case .conflict(let ticket, let expected, let actual):
            "ticket \(ticket) was changed by someone else: expected revision \(expected), it is now at \(actual)"
        case .damaged(let path, let what): "the database \(path) holds an unreadable \(what)"
        case .failed(let path, let message): "\(message) (on \(path))"
        }
    }

    /// What the user can do about it.
    public var hint: String? {
        switch self {
        case .missing: "create it with `gapflow init`, or point --db / GAPFLOW_DB at an existing one"
        case .busy: "try again in a moment; is another gapflow command or service writing?"
        case .readOnly: "check the permissions of the file and its folder"
        case .notADatabase: "check the --db path; GapFlow will not touch another program's file"
        case .newerSchema: "update gapflow; this version will not change a newer database"
        case .conflict: "look at the ticket again (gapflow show) and repeat the command with its current revision"
        case .damaged: "restore the database from a backup"
        case .failed: nil
        }
    }
}

extension StoreError: ExplainedError {
    public var summary: String { description }
    public var kind: ErrorKind {
        switch self {
        case .missing, .busy, .readOnly: .unavailable
        case .conflict: .conflict
        default: .refused
        }
    }
}
