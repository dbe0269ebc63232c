import Foundation
import GapFlow

/// `gapflow outbox list|deliver`: the notices waiting to go out, and their delivery.
enum OutboxCommand: GapFlowCommand {
    static let name = "outbox"
    static let summary = "List notices (outbox list) or hand them to a command (outbox deliver --exec COMMAND)."
    static let discussion = """
        deliver runs COMMAND (with /bin/sh -c) once per notice that is due, with the notice as JSON on standard input
        and its stable id in $GAPFLOW_NOTICE_ID. Exit status 0 marks it delivered; anything else, or running longer
        than --timeout (default 30 s), keeps it and retries later with growing back-off (1 min, 2 min, 4 min, … up to
        6 h). Delivery is at least once: receivers drop duplicates by the id. On PostgreSQL several nodes may deliver at
        once: each takes its notices for the timeout and a minute more, so no two deliver the same notice at the same
        time, and the notices of a node that dies are delivered by another after that.
        """
    struct Syntax: CommandSyntax {
        let subcommand = Positional("list|deliver")
        let pending = FlagOption("pending", "only notices not yet delivered (outbox list)")
        let exec = ValueOption("exec", "COMMAND", "the delivery command (outbox deliver: required)")
        let timeout = ValueOption("timeout", "SECONDS", "how long one delivery may take (default 30)")
        let limit = IntegerOption("limit", "N", "at most N notices (default 1000)")
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func usageName(_ arguments: [String]) -> String {
        arguments.first.map { "outbox \($0)" } ?? name
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let words = arguments.positionals
        switch words[0] {
        case "list": try list(arguments, context)
        case "deliver": try deliver(arguments, context)
        default: throw UsageError("unknown subcommand \"\(words[0])\" for `gapflow outbox`", hint: "use `outbox list` or `outbox deliver`")
        }
    }

    static func list(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let engine = try context.engine(mode: .readOnly)
        var notices = try engine.outbox(limit: arguments.integer(\.limit) ?? 1000)
        if arguments.flag(\.pending) { notices = notices.filter { $0.deliveredAt == nil } }
        if arguments.flag(\.json) {
            try context.printJSON(notices)
            return
        }
        if notices.isEmpty {
            context.output.line("the outbox is empty")
            return
        }
        context.output.write(
            Presentation.table(
                ["ID", "KIND", "TO", "STATUS", "MESSAGE"],
                notices.map { notice in
                    let message = (try? JSONParser.parse(notice.payload))?["message"]?.string ?? ""
                    let status =
                        notice.deliveredAt.map { "delivered \(Timestamp.iso8601($0))" }
                        ?? (notice.attempts == 0
                            ? "pending" : "retry \(Timestamp.iso8601(notice.nextAttemptAt)) (\(notice.attempts) failed)")
                    return [notice.id, notice.kind, notice.role, status, Presentation.shortened(message, to: 70)]
                }))
    }

    static func deliver(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        guard let command = arguments.value(\.exec), !command.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UsageError("outbox deliver needs --exec COMMAND", hint: "e.g. --exec 'cat >> notices.jsonl'")
        }
        let timeout =
            try arguments.value(\.timeout).map { text in
                guard let seconds = Double(text), seconds > 0 else {
                    throw UsageError("--timeout takes seconds above 0, not \"\(text)\"", hint: nil)
                }
                return seconds
            } ?? 30
        let engine = try context.engine()
        signal(SIGPIPE, SIG_IGN)  // a command that does not read its input must not end gapflow
        var failed = 0
        var handled = 0
        let limit = arguments.integer(\.limit) ?? 1000
        // A few at a time, each batch taken for as long as delivering it may take and a minute more.
        while handled < limit {
            let batch = min(10, limit - handled)
            let notices = try engine.claimNoticesToDeliver(limit: batch, lease: timeout * Double(batch) + 60)
            if notices.isEmpty { break }
            for notice in notices {
                handled += 1
                let result = Delivery.run(command, input: notice.payload, noticeID: notice.id, timeout: timeout, in: context.environment)
                switch result {
                case .success:
                    try engine.markDelivered(notice.id)
                    context.output.line("delivered \(notice.id)")
                case .failure(let reason):
                    failed += 1
                    let backOff = min(6 * 3600, 60 * pow(2, Double(min(notice.attempts, 20))))
                    try engine.markFailed(notice.id, error: reason, retryAfter: backOff)
                    context.output.line("failed    \(notice.id): \(reason); next attempt in \(TimerResult.describe(backOff))")
                }
            }
        }
        context.output.line("\(handled - failed) delivered, \(failed) failed")
        if failed > 0 {
            throw CommandFailure(
                "\(failed) notice\(failed == 1 ? "" : "s") could not be delivered", hint: "they are kept and retried later")
        }
    }
}
