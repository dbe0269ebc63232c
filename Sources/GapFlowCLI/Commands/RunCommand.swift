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
        With --checkpoint-every DURATION (ISO 8601: PT6H, P1D, P1W) and --checkpoint-dir DIR it also signs a
        checkpoint of every chain that often (see `gapflow audit checkpoint`), due that long after the latest one the
        database records, and writes it to DIR as checkpoint-YYYYMMDDTHHMMSSZ.json.
        """
    struct Syntax: CommandSyntax {
        let recheck = IntegerOption("recheck", "SECONDS", "longest sleep before looking for timers armed elsewhere (default 60)")
        let checkpointEvery = ValueOption("checkpoint-every", "DURATION", "sign a checkpoint this often (ISO 8601, at least PT1M)")
        let checkpointDir = ValueOption("checkpoint-dir", "DIR", "where the checkpoints go (needed with --checkpoint-every)")
        let key = ValueOption.checkpointKey
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let recheck = arguments.integer(\.recheck) ?? 60
        let engine = try context.engine()
        let output = context.output
        let clock = context.environment.clock
        let log: @Sendable (String) -> Void = { output.line("\(Timestamp.iso8601(clock.now()))  \($0)") }
        let checkpoints = try checkpointSchedule(arguments, context, engine: engine, log: log)
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
                    checkpoints?.wakeNow()
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
        if let checkpoints {
            checkpoints.start()
            checkpoints.waitUntilIdle()
            log("next checkpoint at \(checkpoints.armedAt.map(Timestamp.iso8601) ?? "-")")
        }
        stopped.wait()
        log("stopping")
        checkpoints?.stop()
        scheduler.stop()
        for source in sources { source.cancel() }
        log("stopped after firing \(scheduler.firedCount) timer\(scheduler.firedCount == 1 ? "" : "s")")
    }
}

extension RunCommand {
    /// The checkpoint schedule the options ask for, with its key and folder checked before the service starts; nil
    /// without --checkpoint-every.
    static func checkpointSchedule(
        _ arguments: ParsedArguments<Syntax>, _ context: Context, engine: Engine, log: @escaping @Sendable (String) -> Void
    ) throws -> CheckpointSchedule? {
        guard let every = arguments.value(\.checkpointEvery) else {
            if arguments.value(\.checkpointDir) != nil || arguments.value(\.key) != nil {
                throw UsageError("--checkpoint-dir and --key need --checkpoint-every DURATION", hint: "e.g. --checkpoint-every P1D")
            }
            return nil
        }
        let interval = try checkpointInterval(every)
        guard let dir = arguments.value(\.checkpointDir) else {
            throw UsageError("--checkpoint-every needs --checkpoint-dir DIR", hint: "the folder the checkpoints are written to")
        }
        let folder = context.environment.url(dir)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw CommandFailure(
                "the checkpoint folder \(dir) does not exist", hint: "create it (mkdir), away from the database's folder if you can")
        }
        let (key, keyPath, created) = try CheckpointKeys.signingKey(arguments.value(\.key), context.environment)
        if created { context.environment.errors.line(CheckpointFiles.createdNotice(keyPath, key)) }
        let clock = context.environment.clock
        return CheckpointSchedule(
            engine: engine, interval: interval,
            take: {
                let file = try checkpointFile(in: folder, at: clock.now())
                let checkpoint = try engine.takeCheckpoint(key: key, actor: Actor.system.name) { checkpoint in
                    try NewFile.write(checkpoint.json, to: file.path)
                }
                return CheckpointFiles.summary(of: checkpoint, file: file.path)
            }, log: log)
    }

    /// A fixed length of time from an ISO 8601 duration: weeks, days, hours, minutes, seconds (months and years vary).
    static func checkpointInterval(_ text: String) throws(UsageError) -> TimeInterval {
        guard let duration = ISODuration(text), duration.years == 0, duration.months == 0 else {
            throw UsageError(
                "--checkpoint-every takes an ISO 8601 duration of weeks, days, hours or minutes (PT6H, P1D, P1W), not \"\(text)\"",
                hint: nil)
        }
        let seconds =
            TimeInterval(duration.weeks) * 604_800 + TimeInterval(duration.days) * 86_400 + TimeInterval(duration.hours) * 3600
            + TimeInterval(duration.minutes) * 60 + TimeInterval(duration.seconds)
        guard seconds >= 60, seconds <= 366 * 86_400 else {
            throw UsageError("--checkpoint-every must be from PT1M to P366D, not \"\(text)\"", hint: nil)
        }
        return seconds
    }

    /// `checkpoint-20261125T080000Z.json` in `folder`, with `-2`, `-3`, … when one of that second exists.
    static func checkpointFile(in folder: URL, at date: Date) throws -> URL {
        let stamp = Timestamp.iso8601(date).prefix(19).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        for attempt in 1...100 {
            let name = "checkpoint-\(stamp)Z" + (attempt == 1 ? "" : "-\(attempt)") + ".json"
            let url = folder.appendingPathComponent(name)
            if !StoreFactory.entryExists(url.path) { return url }
        }
        throw CommandFailure("too many checkpoints in \(folder.path) for \(stamp)Z")
    }
}
