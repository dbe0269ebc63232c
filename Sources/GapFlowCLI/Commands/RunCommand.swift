import Dispatch
import Foundation
import GapFlow

/// `gapflow run`: the long-running timer service.
enum RunCommand: GapFlowCommand {
    static let name = "run"
    static let summary = "Run the timer service: fire reminders and escalations on time until stopped."
    static let discussion = """
        On start it fires everything that became due while it was down (oldest first), then sleeps until the next
        due time. Commands run in other processes are noticed within --recheck seconds (default 60). SIGINT or
        SIGTERM stop it cleanly; SIGHUP makes it look for due timers at once.
        """
    struct Syntax: CommandSyntax {
        let recheck = IntegerOption("recheck", "SECONDS", "longest sleep before looking for timers armed elsewhere (default 60)")
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let recheck = arguments.integer(\.recheck) ?? 60
        let engine = try context.engine()
        let output = context.output
        let clock = context.environment.clock
        let log: @Sendable (String) -> Void = { output.line("\(Timestamp.iso8601(clock.now()))  \($0)") }
        let scheduler = Scheduler(engine: engine, recheckInterval: TimeInterval(recheck), log: log)

        let stopped = DispatchSemaphore(value: 0)
        let signals = DispatchQueue(label: "gapflow.signals")
        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: signals)
            source.setEventHandler {
                if signalNumber == SIGHUP {
                    scheduler.wakeNow()
                } else {
                    stopped.signal()
                }
            }
            source.activate()
            sources.append(source)
        }
        log("timer service started on \(context.databasePath)")
        scheduler.start()
        scheduler.waitUntilIdle()
        log("next wake-up at \(scheduler.armedAt.map(Timestamp.iso8601) ?? "-")")
        stopped.wait()
        log("stopping")
        scheduler.stop()
        for source in sources { source.cancel() }
        log("stopped after firing \(scheduler.firedCount) timer\(scheduler.firedCount == 1 ? "" : "s")")
    }
}
