import Dispatch
import Foundation
import GapFlow

/// `gapflow serve`: the web front for the people of the process, on the same engine and database.
enum ServeCommand: GapFlowCommand {
    static let name = "serve"
    static let summary = "Serve the web front (logins, queues, tickets, forms) on HTTP until stopped."
    static let discussion = """
        Meant to run behind the county's reverse proxy, which adds TLS (and, with --trusted-header, single sign-on).
        Accounts are the actors; `gapflow actor password NAME` sets a password. With --timers the timer service runs
        in the same process. SIGINT or SIGTERM stop it cleanly: requests in flight are answered, nothing is half-written.
        """
    struct Syntax: CommandSyntax {
        let listen = ValueOption("listen", "HOST:PORT", "where to listen (default 127.0.0.1:8080; port 0 picks a free one)")
        let texts = ValueOption("texts", "FILE", "the pages' texts (default: Workflows/texts/web.de.json)")
        let timers = FlagOption("timers", "also run the timer service in this process")
        let trustedHeader = ValueOption("trusted-header", "NAME", "header in which the proxy names the signed-in user")
        let trustedProxy = ValueOption("trusted-proxy", "ADDR", "the only address whose requests may carry that header")
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let (host, port) = try address(arguments.value(\.listen) ?? defaultAddress)
        let header = arguments.value(\.trustedHeader)
        let proxy = arguments.value(\.trustedProxy)
        if (header == nil) != (proxy == nil) {
            throw UsageError(
                "--trusted-header and --trusted-proxy go together", hint: "e.g. --trusted-header X-Remote-User --trusted-proxy 127.0.0.1")
        }
        let settings = ServeSettings(
            host: host, port: port, texts: context.environment.url(arguments.value(\.texts) ?? "Workflows/texts/web.de.json"),
            trustedHeader: header, trustedProxy: proxy)
        try serve(try context.engine(), settings: settings, timers: arguments.flag(\.timers), context: context) { _ in }
    }

    static let defaultAddress = "127.0.0.1:8080"

    /// Serves `engine` until SIGINT or SIGTERM; `started` is told the address once the server listens.
    static func serve(
        _ engine: Engine, settings: ServeSettings, timers: Bool, context: Context, started: (String) -> Void
    ) throws {
        guard let door = context.environment.webDoor else {
            throw CommandFailure("this gapflow was built without the web front")
        }
        let output = context.output
        let clock = context.environment.clock
        let log: @Sendable (String) -> Void = { output.line("\(Timestamp.iso8601(clock.now()))  \($0)") }
        let host = settings.host

        let stopped = DispatchSemaphore(value: 0)
        let signals = DispatchQueue(label: "gapflow.signals")
        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: signals)
            source.setEventHandler { stopped.signal() }
            source.activate()
            sources.append(source)
        }
        let server = try door.start(settings, engine: engine, log: log)
        let scheduler = timers ? Scheduler(engine: engine, log: log) : nil
        scheduler?.start()
        let address = "http://\(host.contains(":") ? "[\(host)]" : host):\(server.port)/"
        log("serving \(engine.store.location) on \(address)")
        started(address)
        stopped.wait()
        log("stopping: answering the requests in flight")
        server.stop()
        scheduler?.stop()
        for source in sources { source.cancel() }
        log("stopped")
    }

    /// `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (all on 127.0.0.1).
    static func address(_ text: String) throws(UsageError) -> (String, UInt16) {
        let bad = UsageError("--listen takes HOST:PORT, not \"\(text)\"", hint: "e.g. --listen 127.0.0.1:8080 or --listen [::1]:8080")
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { throw bad }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}
