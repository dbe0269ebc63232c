import Foundation
import Testing

@testable import GapFlowCLI

/// Each command declares its arguments once; its usage line, `--help` and parsing must all come from that declaration.
@Suite struct CommandSyntaxTests {
    /// The usage line as the declaration prescribes it, written out independently of the code that generates it.
    static func expectedUsage(_ command: CommandEntry) -> String {
        var words = ["gapflow", command.name]
        for positional in command.declaration.positionals {
            switch positional.arity {
            case .required: words.append(positional.name)
            case .optional: words.append("[\(positional.name)]")
            case .variadic: words.append("\(positional.name)...")
            }
        }
        for option in command.declaration.options {
            switch option.kind {
            case .flag: words.append("[--\(option.name)]")
            case .value(let placeholder) where option.isRequired: words.append("--\(option.name) \(placeholder)")
            case .value(let placeholder): words.append("[--\(option.name) \(placeholder)]")
            case .repeated(let placeholder): words.append("[--\(option.name) \(placeholder) ...]")
            }
        }
        return words.joined(separator: " ")
    }

    @Test func everyCommandsHelpIsGeneratedFromItsDeclaration() {
        let shell = Shell()
        #expect(CLI.commands.count == Set(CLI.commands.map(\.name)).count)
        for command in CLI.commands {
            let help = shell.run(command.name, "--help")
            #expect(help.status == 0, "\(command.name)")
            #expect(help.output == command.help, "\(command.name)")
            #expect(shell.run("help", command.name).output == help.output, "\(command.name)")
            let lines = help.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.first == command.summary, "\(command.name)")
            #expect(lines.filter { $0.hasPrefix("USAGE: ") } == ["USAGE: " + Self.expectedUsage(command)], "\(command.name)")
            #expect(command.usage == Self.expectedUsage(command), "\(command.name)")
            let optionLines = Array(lines.drop { $0 != "OPTIONS:" }.dropFirst().filter { !$0.isEmpty })
            #expect(optionLines.count == command.declaration.options.count + 1, "\(command.name): \(optionLines)")
            for (line, option) in zip(optionLines, command.declaration.options) {
                let head: String
                switch option.kind {
                case .flag: head = "--\(option.name)"
                case .value(let placeholder): head = "--\(option.name) \(placeholder)"
                case .repeated(let placeholder): head = "--\(option.name) \(placeholder) ..."
                }
                #expect(line.hasPrefix("  \(head) "), "\(command.name): \(line)")
                #expect(line.hasSuffix(option.isRequired ? "\(option.help) (required)" : option.help), "\(command.name): \(line)")
                #expect(!option.help.isEmpty, "\(command.name) --\(option.name)")
            }
            #expect(optionLines.last?.hasPrefix("  --help ") == true, "\(command.name)")
        }
    }

    @Test func everyDeclarationIsWellFormed() {
        for command in CLI.commands {
            let declaration = command.declaration
            let names = declaration.options.map(\.name)
            #expect(Set(names).count == names.count, "\(command.name): an option is declared twice")
            #expect(!names.contains("help"), "\(command.name)")
            #expect(names.allSatisfy { !$0.isEmpty && !$0.hasPrefix("-") && !$0.contains("=") }, "\(command.name)")
            let positionals = declaration.positionals.map(\.name)
            #expect(Set(positionals).count == positionals.count, "\(command.name): a positional argument is declared twice")
            // Required ones first, then either optional ones or one variadic one as the last.
            let arities = declaration.positionals.map(\.arity)
            let firstNotRequired = arities.firstIndex { $0 != .required } ?? arities.count
            let rest = arities[firstNotRequired...]
            #expect(rest.allSatisfy { $0 == .optional } || Array(rest) == [.variadic], "\(command.name): \(arities)")
        }
    }

    /// Every declared option is accepted by the parser as what it is declared to be.
    @Test func theParserAcceptsEveryDeclaredOption() throws {
        for command in CLI.commands {
            let declaration = command.declaration
            let positionals = declaration.positionals.filter { $0.arity != .optional }.map(\.name)
            let required = declaration.options.filter(\.isRequired).flatMap { ["--\($0.name)", "1"] }
            for option in declaration.options {
                let given: [String]
                switch option.kind {
                case .flag: given = ["--\(option.name)"]
                case .value, .repeated: given = ["--\(option.name)", "1", "--\(option.name)=2"]
                }
                let line = try ParsedLine(
                    positionals + required + given, declaration: declaration, command: command.name, shownAs: command.name)
                #expect(line.positionals == positionals, "\(command.name)")
                switch option.kind {
                case .flag: #expect(line.flags == [option.name], "\(command.name)")
                case .value: #expect(line.values[option.name] == ["2"], "\(command.name) --\(option.name)")
                case .repeated: #expect(line.values[option.name] == ["1", "2"], "\(command.name) --\(option.name)")
                }
            }
        }
    }

    struct Sample: CommandSyntax {
        let subject = Positional("SUBJECT")
        let more = VariadicPositional("MORE")
        let verbose = FlagOption("verbose", "say more")
        let limit = IntegerOption("limit", "N", "at most N")
        let to = RequiredIntegerOption("to", "VERSION", "where to", hint: "see elsewhere")
        let set = RepeatedOption.set
        let db = ValueOption.database
    }

    @Test func argumentsAreReadThroughTheDeclaration() throws {
        let declaration = Sample.declaration
        #expect(declaration.synopsis == "SUBJECT MORE... [--verbose] [--limit N] --to VERSION [--set FIELD=VALUE ...] [--db PATH]")
        let line = try ParsedLine(
            ["a", "--limit", "3", "b", "--to=7", "--set", "x=1", "--limit=4", "--set", "y=2", "--", "--verbose", "c"],
            declaration: declaration, command: "sample", shownAs: "sample")
        let arguments = ParsedArguments<Sample>(line)
        #expect(arguments.positional(\.subject) == "a")
        #expect(arguments.positional(\.more) == ["b", "--verbose", "c"])
        #expect(arguments.positionals == ["a", "b", "--verbose", "c"])
        #expect(!arguments.flag(\.verbose))
        #expect(arguments.integer(\.limit) == 4)
        #expect(arguments.integer(\.to) == 7)
        #expect(arguments.all(\.set) == ["x=1", "y=2"])
        #expect(arguments.value(\.db) == nil)
        #expect(arguments.name(of: \.limit) == "limit")
        #expect(line.value(.database) == nil)
        #expect(line.all(.set) == ["x=1", "y=2"])

        // A whole number is checked where it is declared: when the line is parsed.
        for bad in [["a", "b", "--to", "x"], ["a", "b", "--to", "0"], ["a", "b", "--to", "1", "--limit", "-1"]] {
            #expect(throws: UsageError.self) { try ParsedLine(bad, declaration: declaration, command: "s", shownAs: "s") }
        }
    }

    @Test func mistakesInACommandLineAreUsageErrors() {
        let shell = Shell()
        let cases: [([String], String, String)] = [
            (["show", "--colour"], "error: unknown option --colour for `gapflow show`", "hint: see `gapflow show --help`"),
            (["list", "--limt", "3"], "error: unknown option --limt for `gapflow list`", "hint: did you mean --limit?"),
            (["actor", "add", "x", "--rol", "r"], "error: unknown option --rol for `gapflow actor add`", "hint: did you mean --role?"),
            (["list", "--limit"], "error: option --limit needs a value (N)", "hint: see `gapflow list --help`"),
            (
                ["diagram", "kim", "--format"], "error: option --format needs a value (mermaid|dot|svg)",
                "hint: see `gapflow diagram --help`"
            ),
            (["list", "--json=yes"], "error: option --json takes no value", ""),
            (["show"], "error: missing TICKET for `gapflow show`", "hint: usage: gapflow show TICKET [--json] [--db PATH]"),
            (["validate"], "error: missing FILE for `gapflow validate`", "hint: usage: gapflow validate FILE... [--json]"),
            (["show", "A", "B"], "error: unexpected argument \"B\" for `gapflow show`", "hint: see `gapflow show --help`"),
            (["version", "now"], "error: unexpected argument \"now\" for `gapflow version`", "hint: see `gapflow version --help`"),
            (["migrate", "kim"], "error: migrate needs --to VERSION", "hint: see `gapflow workflows`"),
            (
                ["migrate", "kim", "--to", "two"], "error: option --to takes a whole number from 1, not \"two\"",
                "hint: see `gapflow migrate --help`"
            ),
            (["minutes"], "error: minutes needs --meeting ID", "hint: see `gapflow meeting list`"),
        ]
        for (arguments, message, hint) in cases {
            let result = shell.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.output.isEmpty, "\(arguments)")
            let lines = result.errors.split(separator: "\n").map(String.init)
            #expect(lines.first == message, "\(arguments): \(result.errors)")
            #expect(hint.isEmpty ? lines.count == 1 : lines.dropFirst() == [hint], "\(arguments): \(result.errors)")
        }
        #expect(!FileManager.default.fileExists(atPath: shell.databasePath))
    }

    @Test func versionPrintsTheOneVersionConstant() {
        let shell = Shell()
        #expect(CLI.version.split(separator: ".").count == 3)
        #expect(CLI.version.split(separator: ".").allSatisfy { Int($0) != nil })
        for arguments in [["--version"], ["version"]] {
            let result = shell.run(arguments)
            #expect(result.status == 0, "\(arguments)")
            #expect(result.output == "gapflow \(CLI.version)\n", "\(arguments)")
            #expect(result.errors.isEmpty, "\(arguments)")
        }
        #expect(shell.run("--help").output.contains("gapflow --version"))
        #expect(shell.run("version", "--help").output.contains("USAGE: gapflow version\n"))
    }
}
