import Foundation
import GapFlow
import Synchronization

/// What a command sees of the world: arguments aside, its environment, folder, clock and output.
///
/// The real process uses ``Environment/process``; tests pass their own and read what was printed.
public struct Environment: Sendable {
    public var variables: [String: String]
    public var workingDirectory: URL
    public var clock: any WallClock
    public var output: Output
    public var errors: Output
    /// The name of the operating system account the process runs as (the acting person when neither `--as`,
    /// `$GAPFLOW_ACTOR`, `$USER` nor `$LOGNAME` says), or nil when the account has no name.
    public var accountName: String?
    /// The web front `gapflow serve` starts; nil in a build without it.
    public var webDoor: (any WebDoor)?
    /// Where secrets are read from (`actor password`): standard input, or a pipe in tests.
    public var input: FileHandle = .standardInput

    public init(
        variables: [String: String], workingDirectory: URL, clock: any WallClock, output: Output, errors: Output,
        accountName: String? = Environment.operatingSystemAccount(), webDoor: (any WebDoor)? = nil
    ) {
        self.webDoor = webDoor
        self.variables = variables
        self.workingDirectory = workingDirectory
        self.clock = clock
        self.output = output
        self.errors = errors
        self.accountName = accountName
    }

    /// The name of the effective user's account (`getpwuid_r(geteuid())`), or nil if it has none.
    public static func operatingSystemAccount() -> String? {
        var size = 1024
        while size <= 1 << 20 {
            var entry = passwd()
            var found: UnsafeMutablePointer<passwd>?
            var buffer = [CChar](repeating: 0, count: size)
            let (status, name): (Int32, String?) = buffer.withUnsafeMutableBufferPointer { bytes in
                guard let base = bytes.baseAddress else { return (EINVAL, nil) }
                let status = getpwuid_r(geteuid(), &entry, base, bytes.count, &found)
                // The name lies in `bytes`: read it while they are there.
                return (status, found == nil ? nil : entry.pw_name.map { String(cString: $0) })
            }
            if status == ERANGE {
                size *= 4
                continue
            }
            return name.flatMap { $0.isEmpty ? nil : $0 }
        }
        return nil
    }

    /// The environment of the running process, printing to standard output and standard error, on the system clock.
    ///
    /// There is no clock override in the product: scripts and whole-binary tests that need another time run the
    /// binary under `faketime` (see `samples/make-meeting-examples.sh`), so a history entry's time is always the
    /// machine's.
    public static var process: Environment {
        Environment(
            variables: ProcessInfo.processInfo.environment,
            workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath), clock: SystemClock(),
            output: .standardOutput, errors: .standardError)
    }

    /// A path as the user wrote it, resolved against the working directory.
    func url(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : workingDirectory.appendingPathComponent(path)
    }
}

/// Where text goes: a file descriptor, or a buffer in tests.
public final class Output: Sendable {
    private enum Target {
        case descriptor(Int32)
        case buffer
    }

    private let target: Target
    private let buffer = Mutex("")

    private init(_ target: Target) {
        self.target = target
    }

    public static let standardOutput = Output(.descriptor(1))
    public static let standardError = Output(.descriptor(2))

    /// An output that keeps what is written, for tests.
    public static func capture() -> Output { Output(.buffer) }

    /// Everything written so far (captured outputs only).
    public var text: String { buffer.withLock { $0 } }

    /// Writes text as it is.
    public func write(_ text: String) {
        switch target {
        case .buffer:
            buffer.withLock { $0 += text }
        case .descriptor(let descriptor):
            var bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeMutableBytes { raw in
                    Foundation.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Writes one line.
    public func line(_ text: String = "") { write(text + "\n") }
}

/// The `gapflow` command line: parses the arguments, runs one command, prints errors, returns the exit code.
public enum CLI {
    /// Exit codes: 0 success, 1 rejected input or failed check, 2 usage error.
    public enum ExitCode: Int32 {
        case success = 0
        case failure = 1
        case usage = 2
    }

    static let commands: [CommandEntry] = [
        CommandEntry(InitCommand.self), CommandEntry(ValidateCommand.self), CommandEntry(WorkflowsCommand.self),
        CommandEntry(ActorCommand.self), CommandEntry(GroupCommand.self), CommandEntry(ImportCSVCommand.self),
        CommandEntry(OpenCommand.self), CommandEntry(FireCommand.self),
        CommandEntry(EventsCommand.self), CommandEntry(ShowCommand.self), CommandEntry(HistoryCommand.self),
        CommandEntry(ListCommand.self), CommandEntry(QueueCommand.self), CommandEntry(SimilarCommand.self),
        CommandEntry(ReportCommand.self),
        CommandEntry(TimersCommand.self), CommandEntry(TickCommand.self),
        CommandEntry(RunCommand.self), CommandEntry(ServeCommand.self),
        CommandEntry(OutboxCommand.self), CommandEntry(MeetingCommand.self), CommandEntry(AgendaCommand.self),
        CommandEntry(DecisionsCommand.self), CommandEntry(MinutesCommand.self), CommandEntry(PaperCommand.self),
        CommandEntry(FeedbackReportCommand.self), CommandEntry(DiagramCommand.self),
        CommandEntry(ExplainCommand.self), CommandEntry(DeployCommand.self),
        CommandEntry(MigrateCommand.self), CommandEntry(PurgeCommand.self), CommandEntry(RedactCommand.self),
        CommandEntry(AuditCommand.self), CommandEntry(BackupCommand.self),
        CommandEntry(ExportCommand.self), CommandEntry(ImportCommand.self),
        CommandEntry(DemoCommand.self), CommandEntry(VersionCommand.self),
    ]

    /// The version `gapflow --version` prints.
    public static let version = "0.1.0"

    /// Runs `gapflow` with `arguments` (without the program name).
    public static func run(_ arguments: [String], environment: Environment) -> Int32 {
        // `gapflow --version` is `gapflow version`.
        let arguments = arguments.first == "--version" ? [VersionCommand.name] + arguments.dropFirst() : arguments
        guard let name = arguments.first, !["--help", "-h", "help"].contains(name) else {
            if arguments.isEmpty {
                environment.errors.write(overview)
                return ExitCode.usage.rawValue
            }
            if arguments.count > 1, let command = commands.first(where: { $0.name == arguments[1] }) {
                environment.output.write(command.help)
            } else {
                environment.output.write(overview)
            }
            return ExitCode.success.rawValue
        }
        guard let command = commands.first(where: { $0.name == name }) else {
            let hint =
                NameSuggestion.closest(to: name, among: commands.map(\.name)).map { "did you mean `gapflow \($0)`?" }
                ?? "see `gapflow --help`"
            return report(UsageError("unknown command \"\(name)\"", hint: hint), environment)
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            environment.output.write(command.help)
            return ExitCode.success.rawValue
        }
        do {
            let line = try ParsedLine(rest, declaration: command.declaration, command: command.name, shownAs: command.usageName(rest))
            try command.run(line, environment)
            return ExitCode.success.rawValue
        } catch {
            return report(error, environment)
        }
    }

    static var overview: String {
        var text = """
            gapflow — carries systemic gaps from case management up to the steering group and the answer back down.

            USAGE: gapflow COMMAND [OPTIONS]
                   gapflow --version

            COMMANDS:

            """
        let width = (commands.map(\.name.count).max() ?? 0) + 2
        for command in commands {
            text += "  " + command.name.padding(toLength: width, withPad: " ", startingAt: 0) + command.summary + "\n"
        }
        text += "\nRun `gapflow COMMAND --help` for a command's options. Exit codes: 0 success, 1 refused or failed, 2 usage.\n"
        return text
    }

    /// Prints an error as one line (and one per problem) plus a hint, and returns its exit code.
    static func report(_ error: any Error, _ environment: Environment) -> Int32 {
        let out = environment.errors
        guard let explained = error as? any ExplainedError else {
            out.line("error: \(error)")
            return ExitCode.failure.rawValue
        }
        if !explained.summary.isEmpty { out.line("error: \(explained.summary)") }
        for detail in explained.details { out.line("  \(detail)") }
        if let hint = explained.hint { out.line("hint: \(hint)") }
        return explained.kind == .usage ? ExitCode.usage.rawValue : ExitCode.failure.rawValue
    }
}

/// A command that ran but could not do what was asked (bad input file, failed check); exit code 1.
struct CommandFailure: ExplainedError {
    let message: String
    let hint: String?

    init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    var summary: String { message }
}

extension UsageError: ExplainedError {
    var summary: String { message }
    var kind: ErrorKind { .usage }
}

/// A command as the dispatcher sees it: its texts, declaration and what it runs, taken from its type.
struct CommandEntry: Sendable {
    let name: String
    let summary: String
    let usage: String
    let help: String
    let declaration: Declaration
    let usageName: @Sendable ([String]) -> String
    let run: @Sendable (ParsedLine, Environment) throws -> Void

    init<C: GapFlowCommand>(_ command: C.Type) {
        name = C.name
        summary = C.summary
        usage = C.usage
        help = C.help
        declaration = C.Syntax.declaration
        usageName = { C.usageName($0) }
        run = { line, environment in try C.run(ParsedArguments(line), Context(environment: environment, arguments: line)) }
    }
}

/// One `gapflow` subcommand: its name, help and arguments, and what it does.
protocol GapFlowCommand: SendableMetatype {
    /// The positional arguments and options, declared once: parsing, the usage line and `--help` come from it.
    associatedtype Syntax: CommandSyntax
    static var name: String { get }
    static var summary: String { get }
    /// More explanation below the usage line, if any.
    static var discussion: String { get }
    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws
    /// The name shown in messages (with a subcommand for `actor add`).
    static func usageName(_ arguments: [String]) -> String
}

extension GapFlowCommand {
    static var discussion: String { "" }
    static func usageName(_ arguments: [String]) -> String { name }

    /// The usage line, from the declaration: `gapflow show TICKET [--json] [--db PATH]`.
    static var usage: String {
        let synopsis = Syntax.declaration.synopsis
        return synopsis.isEmpty ? "gapflow \(name)" : "gapflow \(name) \(synopsis)"
    }

    /// `gapflow NAME --help`, from the declaration: the summary, the usage line, the discussion, every option.
    static var help: String {
        var text = "\(summary)\n\nUSAGE: \(usage)\n"
        if !discussion.isEmpty { text += "\n\(discussion)\n" }
        text += "\nOPTIONS:\n"
        let rows = Syntax.declaration.options.map { ($0.head, $0.helpText) } + [("--help", "show this help")]
        let width = max(24, rows.map(\.0.count).max() ?? 0) + 2
        for (head, help) in rows { text += "  " + head.padding(toLength: width, withPad: " ", startingAt: 0) + help + "\n" }
        return text
    }
}
