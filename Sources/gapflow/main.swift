import Foundation
import GapFlow
import GapFlowCLI
import GapFlowWeb

/// Joins the two doors: `gapflow serve` starts the web front of GapFlowWeb.
struct WebFrontDoor: WebDoor {
    struct Running: RunningWebDoor {
        let server: WebServer
        var port: UInt16 { server.port }
        func stop() { server.stop() }
    }

    func start(_ settings: ServeSettings, engine: Engine, log: @escaping @Sendable (String) -> Void) throws -> any RunningWebDoor {
        var configuration = WebConfiguration()
        configuration.trustedHeader = settings.trustedHeader
        configuration.trustedProxy = settings.trustedProxy
        configuration.log = log
        return Running(
            server: try WebServer.start(
                engine: engine, texts: settings.texts, host: settings.host, port: settings.port, configuration: configuration))
    }
}

var environment = Environment.process
environment.webDoor = WebFrontDoor()
exit(CLI.run(Array(CommandLine.arguments.dropFirst()), environment: environment))
