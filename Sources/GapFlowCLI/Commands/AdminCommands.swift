import Foundation
import GapFlow
import GapFlowDocuments

/// `gapflow explain`: a workflow in plain language.
enum ExplainCommand: GapFlowCommand {
    static let name = "explain"
    static let summary = "Explain a workflow (a file or a registered one) in plain language, as Markdown or HTML."
    struct Syntax: CommandSyntax {
        let subject = Positional("FILE|WORKFLOW")
        let format = ValueOption("format", "md|html", "the output format (default: md)")
        let out = ValueOption.out
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let definition = try context.definition(fileOrWorkflow: arguments.positional(\.subject))
        switch arguments.value(\.format) ?? "md" {
        case "md": try context.write(ExplainExport.markdown(definition), to: arguments.value(\.out))
        case "html": try context.write(ExplainExport.html(definition), to: arguments.value(\.out))
        case let other: throw UsageError("unknown format \"\(other)\"", hint: "use md or html")
        }
    }
}

/// `gapflow deploy`: registers one definition file as a new version.
enum DeployCommand: GapFlowCommand {
    static let name = "deploy"
    static let summary = "Register a definition file as a workflow version (after validating it)."
    static let discussion = """
        Running tickets stay on the version they started with; new tickets take the newest. A changed file under a
        version number that is already registered is refused: raise "version". Move running tickets with `gapflow migrate`.
        """
    struct Syntax: CommandSyntax {
        let file = Positional("FILE")
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let file = arguments.positional(\.file)
        let url = context.environment.url(file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CommandFailure("cannot read \(file)", hint: "check the path")
        }
        switch try context.engine().register(source: Array(data), file: url.lastPathComponent) {
        case .registered(let workflow, let version): context.output.line("registered \(workflow) version \(version)")
        case .unchanged(let workflow, let version): context.output.line("unchanged: \(workflow) version \(version) is already registered")
        }
    }
}

/// `gapflow migrate`: moves running tickets onto a newer (or older) definition version.
enum MigrateCommand: GapFlowCommand {
    static let name = "migrate"
    static let summary = "Move a workflow's open tickets to another version, all or none (--check to see what would happen)."
    static let discussion = """
        States keep their id unless --map names another (needed for states the new version removed). Every ticket's
        fields must exist and be valid in the new version; its timers are armed anew under it, counted from when the
        ticket entered its state. Any problem refuses the whole migration, listed per ticket; nothing is changed.
        """
    struct Syntax: CommandSyntax {
        let workflow = Positional("WORKFLOW")
        let to = RequiredIntegerOption("to", "VERSION", "the version to move to", hint: "see `gapflow workflows`")
        let map = RepeatedOption("map", "OLD=NEW", "map a state of the old version to one of the new")
        let check = FlagOption("check", "report what would happen, change nothing")
        let allowDroppedTimers = FlagOption("allow-dropped-timers", "accept timers the new version no longer has")
        let actor = ValueOption.actor
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let workflow = arguments.positional(\.workflow)
        let version = arguments.integer(\.to)
        var mapping: [String: String] = [:]
        for pair in arguments.all(\.map) {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw UsageError("--map takes OLD=NEW, not \"\(pair)\"", hint: nil)
            }
            if let earlier = mapping[parts[0]], earlier != parts[1] {
                throw UsageError(
                    "--map names state \"\(parts[0])\" twice (\(parts[0])=\(earlier) and \(pair))",
                    hint: "map each state of the old version once")
            }
            mapping[parts[0]] = parts[1]
        }
        let engine = try context.engine()
        let steps = try engine.migrate(
            workflow: workflow, to: version, mapping: mapping, actor: try context.actor(in: engine), check: arguments.flag(\.check),
            allowDroppedTimers: arguments.flag(\.allowDroppedTimers))
        for step in steps {
            let timers = step.timers.map { "\($0.timer) \(Timestamp.german($0.dueAt))" }.joined(separator: ", ")
            context.output.line(
                "\(step.ticket)  v\(step.fromVersion) \(step.fromState) → v\(version) \(step.toState)"
                    + (timers.isEmpty ? "" : "; timers: \(timers)"))
        }
        context.output.line(
            arguments.flag(\.check)
                ? "check passed: \(steps.count) ticket\(steps.count == 1 ? "" : "s") would be migrated; nothing was changed"
                : "\(steps.count) ticket\(steps.count == 1 ? "" : "s") migrated in one transaction")
    }
}

/// `gapflow purge`: applies the workflows' retention periods (deletion concept).
enum PurgeCommand: GapFlowCommand {
    static let name = "purge"
    static let summary = "Anonymise tickets past their workflow's retention period: free text removed, statistics kept."
    static let discussion = """
        A workflow declares "retention": { "anonymiseAfter": "P2Y" }. Tickets that have been in a final state that long
        lose their free text (ticket, history, notices); states, dates, choices and counts stay for the statistics.
        Each anonymisation is recorded in the ticket's history as `purge`. Removed text (also of redactions) is then
        erased from the database file and its write-ahead log.
        """
    struct Syntax: CommandSyntax {
        let check = FlagOption("check", "report what would be anonymised, change nothing")
        let actor = ValueOption.actor
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let engine = try context.engine()
        let results = try engine.purge(actor: try context.actor(in: engine), check: arguments.flag(\.check))
        if !arguments.flag(\.check) {
            // What this purge (or an earlier redaction) removed is erased from the files too.
            do {
                try engine.store.eraseRemovedContent()
            } catch {
                context.environment.errors.line("warning: \((error as? ExplainedError)?.summary ?? "\(error)")")
                context.environment.errors.line("hint: run `gapflow purge` again when no other process reads the database")
            }
        }
        for result in results {
            context.output.line(
                "\(arguments.flag(\.check) ? "would anonymise" : "anonymised") \(result.ticket) (finished \(Timestamp.german(result.finishedAt))): "
                    + "removed \(result.removedFields.joined(separator: ", "))")
        }
        context.output.line(
            "\(results.count) ticket\(results.count == 1 ? "" : "s")\(arguments.flag(\.check) ? " would be" : "") anonymised")
    }
}

/// `gapflow audit verify|checkpoint`: checks that no history was edited, and signs checkpoints that prove it later.
enum AuditCommand: GapFlowCommand {
    static let name = "audit"
    static let summary =
        "Verify the tamper-evident history (audit verify [TICKET] [--checkpoint FILE]), or sign a checkpoint (audit checkpoint)."
    static let discussion = """
        `audit verify` recomputes every ticket's hash chain and the admin log's, compares every ticket with its history
        and checks that the append-only triggers are in force. With --checkpoint FILE it also checks the checkpoint's
        signature against the trusted key (--key FILE, a private or public key; default: your own key) and that every
        chain the checkpoint signed still extends its signed head: a changed entry, a removed ticket or a chain
        recomputed by hand is found. Exit code 0 when everything verifies, 1 otherwise.
        `audit checkpoint --out FILE` verifies the database, then signs the head of every chain with an Ed25519 key
        (--key FILE, else your own key in $XDG_CONFIG_HOME/gapflow or ~/.config/gapflow, made on first use) and records
        the checkpoint in the admin log. Keep the key away from the database; give its public key to the auditors
        (`openssl pkey -in KEY -pubout`).
        """
    struct Syntax: CommandSyntax {
        let subcommand = Positional("verify|checkpoint")
        let ticket = OptionalPositional("TICKET")
        let checkpoint = ValueOption("checkpoint", "FILE", "verify against this signed checkpoint (audit verify)")
        let out = ValueOption("out", "FILE", "where to write the checkpoint; never over a file (audit checkpoint)")
        let key = ValueOption.checkpointKey
        let actor = ValueOption.actor
        let json = FlagOption.json
        let db = ValueOption.database
    }

    static func usageName(_ arguments: [String]) -> String { arguments.first.map { "audit \($0)" } ?? name }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let words = arguments.positionals
        switch words[0] {
        case "verify":
            if arguments.value(\.out) != nil { throw UsageError("--out belongs to `audit checkpoint`", hint: nil) }
            if let file = arguments.value(\.checkpoint) {
                if words.count > 1 { throw UsageError("--checkpoint verifies the whole database; leave out TICKET", hint: nil) }
                return try verify(against: file, arguments, context)
            }
            if arguments.value(\.key) != nil { throw UsageError("--key is needed only with --checkpoint", hint: nil) }
            let report = try context.engine(mode: .readOnly).verifyHistory(ticket: words.count > 1 ? words[1] : nil)
            if arguments.flag(\.json) {
                try context.printJSON(report)
            } else {
                printProblems(of: report, context)
                context.output.line(
                    "\(report.tickets) ticket\(report.tickets == 1 ? "" : "s"), \(report.entries) entries checked"
                        + (report.backfilled > 0 ? " (\(report.backfilled) chained at migration)" : "")
                        + (words.count > 1 ? "" : ", \(report.adminLogEntries) admin log entries")
                        + (report.verifies
                            ? ": every chain verifies" : ": \(report.problems.count) broken"))
            }
            if !report.verifies { throw ValidationFailed() }
        case "checkpoint":
            guard words.count == 1 else { throw UsageError("`gapflow audit checkpoint` takes no TICKET: it signs every chain", hint: nil) }
            if arguments.value(\.checkpoint) != nil { throw UsageError("--checkpoint belongs to `audit verify`", hint: nil) }
            guard let out = arguments.value(\.out) else {
                throw UsageError("audit checkpoint needs --out FILE", hint: "e.g. --out checkpoints/2026-11-25.json")
            }
            let engine = try context.engine()
            let (key, keyPath, created) = try CheckpointKeys.signingKey(arguments.value(\.key), context.environment)
            if created { context.environment.errors.line(CheckpointFiles.createdNotice(keyPath, key)) }
            let target = context.environment.url(out).path
            let checkpoint = try engine.takeCheckpoint(key: key, actor: try? context.actorName()) { checkpoint in
                try NewFile.write(checkpoint.json, to: target)
            }
            context.output.line(CheckpointFiles.summary(of: checkpoint, file: out))
        default:
            throw UsageError("unknown subcommand \"\(words[0])\" for `gapflow audit`", hint: "use `audit verify` or `audit checkpoint`")
        }
    }

    private static func printProblems(of report: AuditReport, _ context: Context) {
        for finding in report.findings {
            context.output.line("BROKEN \(finding.ticket) at revision \(finding.revision): \(finding.problem)")
        }
        if let finding = report.adminLogFinding {
            context.output.line("BROKEN admin log at entry \(finding.sequence): \(finding.problem)")
        }
        for problem in report.storeProblems { context.output.line("BROKEN store: \(problem)") }
    }

    private static func verify(against file: String, _ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let checkpoint = try CheckpointFiles.read(file, context)
        let key = try CheckpointKeys.trustedKey(arguments.value(\.key), context.environment)
        let report = try context.engine(mode: .readOnly).verify(against: checkpoint, trustedKey: key, file: file)
        if arguments.flag(\.json) {
            try context.printJSON(report)
        } else {
            printProblems(of: report.audit, context)
            for finding in report.findings {
                context.output.line("NOT AS SIGNED \(finding.ticket) at revision \(finding.revision): \(finding.problem)")
            }
            if let finding = report.adminLogFinding {
                context.output.line("NOT AS SIGNED admin log at entry \(finding.sequence): \(finding.problem)")
            }
            let broken = report.audit.problems.count + report.findings.count + (report.adminLogFinding == nil ? 0 : 1)
            context.output.line(
                "checkpoint of \(Timestamp.iso8601(report.takenAt)) signed by \(report.key): \(report.signedTickets) signed ticket"
                    + "\(report.signedTickets == 1 ? "" : "s"), \(report.newTickets) opened since; \(report.audit.tickets) tickets, "
                    + "\(report.audit.entries) entries, \(report.audit.adminLogEntries) admin log entries checked"
                    + (report.verifies ? ": every chain verifies and extends the checkpoint" : ": \(broken) broken"))
        }
        if !report.verifies { throw ValidationFailed() }
    }
}

/// Reading checkpoint files and saying what was written, for `audit` and the timer service.
enum CheckpointFiles {
    /// Checkpoint files list every ticket; a file far larger than a million tickets would need is not one.
    static let largestFile = 1 << 30

    static func read(_ file: String, _ context: Context) throws -> Checkpoint {
        let url = context.environment.url(file)
        var info = stat()
        guard stat(url.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, let data = FileManager.default.contents(atPath: url.path)
        else { throw CommandFailure("cannot read the checkpoint \(file)", hint: "check the path") }
        guard data.count <= largestFile else { throw CheckpointError.notACheckpoint(file: file, reason: "it is far too large") }
        return try Checkpoint.parse(Array(data), file: file)
    }

    static func summary(of checkpoint: Checkpoint, file: String) -> String {
        "wrote \(file): \(checkpoint.tickets.count) ticket\(checkpoint.tickets.count == 1 ? "" : "s"), "
            + "\(checkpoint.adminLog.entries) admin log entries; root \(checkpoint.root); signed by \(checkpoint.signer.fingerprint)"
    }

    static func createdNotice(_ path: String, _ key: SigningKey) -> String {
        "created the checkpoint key \(path) (\(key.publicKey.fingerprint)); keep it away from the database, and give its public key "
            + "(`openssl pkey -in \(path) -pubout`) to whoever verifies checkpoints"
    }
}

/// `gapflow backup FILE`: a consistent copy of the database, also while `gapflow run` writes.
enum BackupCommand: GapFlowCommand {
    static let name = "backup"
    static let summary = "Write a consistent copy of the database (SQLite online backup), also while others write."
    static let discussion = """
        Of a PostgreSQL database (--db postgresql://…) the copy is an export file from one snapshot, which
        `gapflow import` reads into either store; the database server's own backups (pg_dump, base backups with WAL
        archiving) stay the provider's business.
        """
    struct Syntax: CommandSyntax {
        let file = Positional("FILE")
        let group = ValueOption.group
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let file = arguments.positional(\.file)
        let target = context.environment.url(file).path
        let group = try context.fileGroup()
        try context.engine().store.backup(to: target)
        try group?.share(target)
        let verified: AuditReport
        if StoreFactory.isPostgres(context.databasePath) {
            // The copy is an export: read back into memory, where the import verifies every chain before it keeps it.
            let copy = Engine(store: MemoryStore())
            try copy.importLines(try context.lines(of: file))
            verified = try copy.verifyHistory()
        } else {
            verified = try Engine(store: try StoreFactory.open(target, mode: .readOnly)).verifyHistory()
        }
        context.output.line(
            "wrote \(file): \(verified.tickets) tickets, \(verified.entries) history entries, every chain verifies: \(verified.verifies)")
        if !verified.verifies {
            throw CommandFailure(
                "the backup \(file) does not verify: the database's history was changed outside GapFlow",
                hint: "run `gapflow audit verify` on the database to see where")
        }
    }
}

/// `gapflow export`: the whole database as JSON lines.
enum ExportCommand: GapFlowCommand {
    static let name = "export"
    static let summary = "Export every ticket, history entry, timer, meeting and definition version as JSON lines."
    struct Syntax: CommandSyntax {
        let format = ValueOption("format", "jsonl", "the only format (default)")
        let out = ValueOption.out
        let group = ValueOption.group
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        guard (arguments.value(\.format) ?? "jsonl") == "jsonl" else { throw UsageError("the export format is jsonl", hint: nil) }
        let group = try context.fileGroup()
        if group != nil && arguments.value(\.out) == nil { throw UsageError("--group needs --out FILE", hint: nil) }
        let engine = try context.engine(mode: .readOnly)
        try context.stream(to: arguments.value(\.out), group: group) { line in try engine.export(line) }
    }
}

/// `gapflow import FILE`: fills a new database from an export, all or nothing.
enum ImportCommand: GapFlowCommand {
    static let name = "import"
    static let summary = "Import an export (JSON lines) into a new, empty database, all or nothing."
    static let discussion = """
        What is read must verify before anything is kept: every hash chain and the admin log, and with --checkpoint
        FILE every head that checkpoint signed (checked against the trusted key, --key FILE or your own), so an export
        whose chains were recomputed by hand after editing is refused as well. The database takes the exported
        database's identity, so checkpoints of the original verify against it.
        """
    struct Syntax: CommandSyntax {
        let file = Positional("FILE")
        let checkpoint = ValueOption("checkpoint", "FILE", "refuse the import unless it extends this signed checkpoint")
        let key = ValueOption.checkpointKey
        let group = ValueOption.group
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let file = arguments.positional(\.file)
        let group = try context.fileGroup()
        var trusted: TrustedCheckpoint?
        if let checkpointFile = arguments.value(\.checkpoint) {
            trusted = TrustedCheckpoint(
                checkpoint: try CheckpointFiles.read(checkpointFile, context),
                key: try CheckpointKeys.trustedKey(arguments.value(\.key), context.environment), file: checkpointFile)
        } else if arguments.value(\.key) != nil {
            throw UsageError("--key is needed only with --checkpoint", hint: nil)
        }
        let lines = try context.lines(of: file)
        let path = context.databasePath
        // Nothing at all there, not even a link: only then is a failed import's file this command's to remove.
        let isNew = !StoreFactory.isPostgres(path) && !StoreFactory.entryExists(path)
        do {
            try Engine(store: try StoreFactory.open(path, mode: .create, group: group), clock: context.environment.clock)
                .importLines(lines, checkpoint: trusted)
        } catch {
            // A database this command created for the import is removed again, so a failed import leaves nothing behind.
            if isNew { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
            if let error = error as? ImportError { throw CommandFailure("\(file): \(error)", hint: error.hint) }
            throw error
        }
        let verified = try Engine(store: try StoreFactory.open(path, mode: .readOnly)).verifyHistory()
        context.output.line(
            "imported \(verified.tickets) tickets, \(verified.entries) history entries, \(verified.adminLogEntries) admin log entries; "
                + "every chain verifies: \(verified.verifies)" + (trusted.map { "; extends the checkpoint \($0.file)" } ?? ""))
    }
}
