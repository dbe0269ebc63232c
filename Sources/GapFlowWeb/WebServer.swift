import Foundation
import GapFlow

/// The web front on its HTTP server: what `gapflow serve` starts and stops.
public final class WebServer: Sendable {
    public let port: UInt16
    private let http: HTTPServer

    private init(port: UInt16, http: HTTPServer) {
        self.port = port
        self.http = http
    }

    /// Reads the texts file, then listens on `host:port` (0 picks a free port).
    public static func start(
        engine: Engine, texts: URL, host: String, port: UInt16, configuration: WebConfiguration = WebConfiguration(),
        limits: HTTPServer.Limits = HTTPServer.Limits()
    ) throws -> WebServer {
        let front = WebFront(engine: engine, texts: try PageTexts.load(contentsOf: texts), configuration: configuration)
        var limits = limits
        limits.maximumBody = configuration.maximumBody
        let http = HTTPServer(limits: limits, tooLarge: front.tooLarge, handler: front.handle)
        return WebServer(port: try http.start(host: host, port: port), http: http)
    }

    /// Stops accepting connections; returns when the requests in flight have been answered.
    public func stop() { http.stop() }
}
