import Foundation
import GapFlow
import GapFlowSQLite

/// The one place where a `--db` value becomes a store: every command opens its store here.
enum StoreFactory {
    /// Opens the store that `location` names; a file path is an embedded SQLite database.
    static func open(_ location: String, mode: StoreMode) throws -> any TicketStore {
        try SQLiteStore(path: location, mode: mode)
    }
}
