import Foundation
import GapFlow

/// The web door as `gapflow serve` starts it. The CLI does not import the web front (the two doors do not know each
/// other); the `gapflow` binary, which joins them, passes GapFlowWeb's through ``Environment/webDoor``.
public protocol WebDoor: Sendable {
    /// Starts serving `engine` with `settings`; returns the bound port and a way to stop (requests in flight finish).
    func start(_ settings: ServeSettings, engine: Engine, log: @escaping @Sendable (String) -> Void) throws -> any RunningWebDoor
}

/// A started web front.
public protocol RunningWebDoor: Sendable {
    var port: UInt16 { get }
    /// Stops accepting connections and returns when the requests in flight have been answered.
    func stop()
}

/// What `gapflow serve` was told.
public struct ServeSettings: Sendable {
    public let host: String
    public let port: UInt16
    /// The texts file of the pages.
    public let texts: URL
    public let trustedHeader: String?
    public let trustedProxy: String?
}
