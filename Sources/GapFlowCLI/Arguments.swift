import GapFlow

// A command declares its arguments once, as the stored properties of a `Syntax` struct (see ``CommandSyntax``).
// Parsing, the usage line, `--help` and every read in the command's `run` come from that one declaration:
// `run` reads options through key paths into it (`arguments.flag(\.check)`), so reading an option the command
// does not declare, or reading a flag as a value, does not compile.

/// A command-line option as declared: its name, how it takes values, and its help.
struct OptionSpec: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// `--json`
        case flag
        /// `--db PATH`, the last one wins.
        case value(placeholder: String)
        /// `--set FIELD=VALUE`, may be given many times.
        case repeated(placeholder: String)
    }

    let name: String
    let kind: Kind
    let help: String
    /// Leaving a required option out is a usage error ("migrate needs --to VERSION"), found before the command runs.
    var isRequired = false
    /// The hint shown when a required option is missing.
    var missingHint: String?
    /// For a whole-number option, the numbers it takes; any other value is a usage error found when the line is parsed.
    var wholeNumbers: ClosedRange<Int>?

    /// How the option is written in the options list: `--db PATH`, `--set FIELD=VALUE ...`.
    var head: String {
        switch kind {
        case .flag: "--\(name)"
        case .value(let placeholder): "--\(name) \(placeholder)"
        case .repeated(let placeholder): "--\(name) \(placeholder) ..."
        }
    }

    /// How the option is written in the usage line: `[--json]`, `--to VERSION`.
    var usage: String { isRequired ? head : "[\(head)]" }

    /// The help line, with what the usage line shows by brackets said in words.
    var helpText: String { isRequired ? "\(help) (required)" : help }
}

/// A positional argument as declared.
struct PositionalSpec: Sendable, Equatable {
    enum Arity: Sendable, Equatable {
        case required
        case optional
        /// One or more; only the last positional argument.
        case variadic
    }

    let name: String
    let arity: Arity

    /// How the argument is written in the usage line: `TICKET`, `[NAME]`, `FILE...`.
    var usage: String {
        switch arity {
        case .required: name
        case .optional: "[\(name)]"
        case .variadic: "\(name)..."
        }
    }
}

// MARK: - What a syntax declares

/// An option a ``CommandSyntax`` declares.
protocol DeclaredOption: Sendable {
    var spec: OptionSpec { get }
}

/// A positional argument a ``CommandSyntax`` declares.
protocol DeclaredPositional: Sendable {
    var spec: PositionalSpec { get }
}

/// `--json`: read as true when given.
struct FlagOption: DeclaredOption {
    let spec: OptionSpec

    init(_ name: String, _ help: String) { spec = OptionSpec(name: name, kind: .flag, help: help) }

    static let json = FlagOption("json", "print JSON instead of text")
    static let strict = FlagOption("strict", "refuse text that looks like personal data instead of warning")
    static let internalFigures = FlagOption(
        "internal", "show small numbers as they are: internal use, for roles the workflow allows (see --as)")
}

/// `--db PATH`: read as the last value given, or nil.
struct ValueOption: DeclaredOption {
    let spec: OptionSpec

    init(_ name: String, _ placeholder: String, _ help: String) {
        spec = OptionSpec(name: name, kind: .value(placeholder: placeholder), help: help)
    }

    /// Options whose meaning is the same in every command; ``Context`` reads them by these names.
    static let database = ValueOption("db", "PATH", "the database (default: $GAPFLOW_DB, else ./gapflow.sqlite)")
    static let actor = ValueOption("as", "ACTOR", "act as this actor (default: $GAPFLOW_ACTOR, else your login name)")
    static let role = ValueOption("role", "ROLE", "act in this one of the actor's roles")
    static let fields = ValueOption("fields", "FILE", "field values from a JSON file")
    static let comment = ValueOption("comment", "TEXT", "a comment for the history")
    static let meetingWorkflow = ValueOption("workflow", "W", "the workflow (default: the only one with meetings)")
    static let out = ValueOption("out", "FILE", "write to a file instead of standard output")
    static let group = ValueOption("group", "NAME", "make the files readable by this group too (0640; default: by their owner only)")
    static let checkpointKey = ValueOption(
        "key", "FILE", "the checkpoint key, PEM (default: your own, in $XDG_CONFIG_HOME/gapflow or ~/.config/gapflow)")
}

/// `--limit N`: a whole number in `range` (by default 1 and up), or nil when not given. Anything else, such as
/// `--limit -1` or `--limit ten`, is a usage error when the line is parsed, before the command runs.
struct IntegerOption: DeclaredOption {
    let spec: OptionSpec

    init(_ name: String, _ placeholder: String, _ help: String, range: ClosedRange<Int> = 1...Int.max) {
        spec = OptionSpec(name: name, kind: .value(placeholder: placeholder), help: help, wholeNumbers: range)
    }
}

/// `--to VERSION`: a value the command cannot run without. Missing, it is the usage error
/// "COMMAND needs --to VERSION" with `hint`, before the command runs; so it is read as a plain string.
struct RequiredOption: DeclaredOption {
    let spec: OptionSpec

    init(_ name: String, _ placeholder: String, _ help: String, hint: String?) {
        spec = OptionSpec(name: name, kind: .value(placeholder: placeholder), help: help, isRequired: true, missingHint: hint)
    }
}

/// `--to VERSION` as a whole number in `range` (by default 1 and up): a required ``IntegerOption``.
struct RequiredIntegerOption: DeclaredOption {
    let spec: OptionSpec

    init(_ name: String, _ placeholder: String, _ help: String, range: ClosedRange<Int> = 1...Int.max, hint: String?) {
        spec = OptionSpec(
            name: name, kind: .value(placeholder: placeholder), help: help, isRequired: true, missingHint: hint, wholeNumbers: range)
    }
}

/// `--set FIELD=VALUE`, any number of times: read as every value, in order.
struct RepeatedOption: DeclaredOption {
    let spec: OptionSpec

    init(_ name: String, _ placeholder: String, _ help: String) {
        spec = OptionSpec(name: name, kind: .repeated(placeholder: placeholder), help: help)
    }

    static let set = RepeatedOption("set", "FIELD=VALUE", "a field value")
}

/// `TICKET`: must be given.
struct Positional: DeclaredPositional {
    let spec: PositionalSpec

    init(_ name: String) { spec = PositionalSpec(name: name, arity: .required) }
}

/// `[NAME]`: may be left out (only after the required ones).
struct OptionalPositional: DeclaredPositional {
    let spec: PositionalSpec

    init(_ name: String) { spec = PositionalSpec(name: name, arity: .optional) }
}

/// `FILE...`: one or more (only as the last).
struct VariadicPositional: DeclaredPositional {
    let spec: PositionalSpec

    init(_ name: String) { spec = PositionalSpec(name: name, arity: .variadic) }
}

/// The arguments a command takes, declared once as the stored properties of a struct, in the order the usage line
/// shows them:
///
/// ```swift
/// struct Syntax: CommandSyntax {
///     let ticket = Positional("TICKET")
///     let limit = ValueOption("limit", "N", "at most N tickets")
///     let json = FlagOption.json
/// }
/// ```
protocol CommandSyntax: Sendable {
    init()
}

extension CommandSyntax {
    static var declaration: Declaration { Declaration(Self()) }
}

/// What a ``CommandSyntax`` declares, in declaration order: what parsing, the usage line and `--help` are made from.
struct Declaration: Sendable {
    let positionals: [PositionalSpec]
    let options: [OptionSpec]

    init(positionals: [PositionalSpec], options: [OptionSpec]) {
        self.positionals = positionals
        self.options = options
    }

    init(_ syntax: some CommandSyntax) {
        var positionals: [PositionalSpec] = []
        var options: [OptionSpec] = []
        for child in Mirror(reflecting: syntax).children {
            if let option = child.value as? any DeclaredOption {
                options.append(option.spec)
            } else if let positional = child.value as? any DeclaredPositional {
                positionals.append(positional.spec)
            }
        }
        self.init(positionals: positionals, options: options)
    }

    /// The part of the usage line after `gapflow NAME`: positional arguments, then options.
    var synopsis: String { (positionals.map(\.usage) + options.map(\.usage)).joined(separator: " ") }

    func option(named name: String) -> OptionSpec? { options.first { $0.name == name } }
}

// MARK: - Parsing

/// A command line parsed against a ``Declaration``: the options by name and the positional arguments, all checked.
struct ParsedLine: Sendable {
    private(set) var flags: Set<String> = []
    private(set) var values: [String: [String]] = [:]
    private(set) var positionals: [String] = []

    /// Parses `arguments` against `declaration`; `--` ends the options.
    ///
    /// Unknown options, missing values, missing or unexpected positional arguments and missing required options are
    /// usage errors. `command` names the command in messages; `shownAs` is how option errors name it (`actor add`).
    init(_ arguments: [String], declaration: Declaration, command: String, shownAs: String) throws(UsageError) {
        try parseOptions(arguments, declaration: declaration, command: shownAs)
        try checkPositionals(declaration, command: command)
        for option in declaration.options where option.isRequired && values[option.name] == nil {
            throw UsageError("\(command) needs \(option.head)", hint: option.missingHint ?? "see `gapflow \(command) --help`")
        }
    }

    private mutating func parseOptions(_ arguments: [String], declaration: Declaration, command: String) throws(UsageError) {
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard !optionsEnded, argument.hasPrefix("--"), argument.count > 2 else {
                if argument == "--" && !optionsEnded {
                    optionsEnded = true
                } else {
                    positionals.append(argument)
                }
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let spec = declaration.option(named: name) else {
                throw UsageError(
                    "unknown option --\(name) for `gapflow \(command)`",
                    hint: NameSuggestion.closest(to: name, among: declaration.options.map(\.name)).map { "did you mean --\($0)?" }
                        ?? "see `gapflow \(command) --help`")
            }
            switch spec.kind {
            case .flag:
                if inlineValue != nil { throw UsageError("option --\(name) takes no value", hint: nil) }
                flags.insert(name)
            case .value(let placeholder), .repeated(let placeholder):
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count else {
                        throw UsageError("option --\(name) needs a value (\(placeholder))", hint: "see `gapflow \(command) --help`")
                    }
                    value = arguments[index]
                    index += 1
                }
                if let range = spec.wholeNumbers { try Self.checkWholeNumber(value, in: range, option: name, command: command) }
                if case .value = spec.kind { values[name] = [value] } else { values[name, default: []].append(value) }
            }
        }
    }

    private static func checkWholeNumber(_ text: String, in range: ClosedRange<Int>, option: String, command: String) throws(UsageError) {
        guard let number = Int(text), range.contains(number) else {
            let numbers =
                range.upperBound == Int.max ? "from \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            throw UsageError("option --\(option) takes a whole number \(numbers), not \"\(text)\"", hint: "see `gapflow \(command) --help`")
        }
    }

    private func checkPositionals(_ declaration: Declaration, command: String) throws(UsageError) {
        let declared = declaration.positionals
        let required = declared.filter { $0.arity != .optional }.count
        if positionals.count < required {
            throw UsageError(
                "missing \(declared[positionals.count].name) for `gapflow \(command)`",
                hint: "usage: gapflow \(command) \(declaration.synopsis)")
        }
        if declared.last?.arity != .variadic && positionals.count > declared.count {
            throw UsageError(
                "unexpected argument \"\(positionals[declared.count])\" for `gapflow \(command)`", hint: "see `gapflow \(command) --help`")
        }
    }

    /// A shared option (see ``ValueOption/database``), read by name: nil when not given or not declared.
    func value(_ option: ValueOption) -> String? { values[option.spec.name]?.last }
    func all(_ option: RepeatedOption) -> [String] { values[option.spec.name] ?? [] }
}

/// A command's parsed arguments, read through key paths into its ``CommandSyntax``: `arguments.value(\.format)`.
///
/// Only what the syntax declares can be read, and only as what it is (a flag as a flag, a repeated option as a list).
struct ParsedArguments<Syntax: CommandSyntax>: Sendable {
    let line: ParsedLine
    private let syntax = Syntax()

    init(_ line: ParsedLine) { self.line = line }

    /// The declared name of an option, for messages: `"limit"`.
    func name(of option: KeyPath<Syntax, some DeclaredOption>) -> String { syntax[keyPath: option].spec.name }

    func flag(_ option: KeyPath<Syntax, FlagOption>) -> Bool { line.flags.contains(name(of: option)) }
    func value(_ option: KeyPath<Syntax, ValueOption>) -> String? { line.values[name(of: option)]?.last }
    /// A required option's value; its presence was checked when the line was parsed.
    func value(_ option: KeyPath<Syntax, RequiredOption>) -> String { line.values[name(of: option)]?.last ?? "" }
    func all(_ option: KeyPath<Syntax, RepeatedOption>) -> [String] { line.values[name(of: option)] ?? [] }

    /// A whole-number option, or nil when absent; its value was checked against its range when the line was parsed.
    func integer(_ option: KeyPath<Syntax, IntegerOption>) -> Int? {
        line.values[name(of: option)]?.last.flatMap { Int($0) }
    }

    /// A required whole-number option; its presence and value were checked when the line was parsed.
    func integer(_ option: KeyPath<Syntax, RequiredIntegerOption>) -> Int {
        line.values[name(of: option)]?.last.flatMap { Int($0) } ?? 0
    }

    /// Every positional argument in order, checked against the declaration (for commands with subcommands).
    var positionals: [String] { line.positionals }

    /// A required positional argument; its presence was checked when the line was parsed.
    func positional(_ argument: KeyPath<Syntax, Positional>) -> String {
        let index = position(of: syntax[keyPath: argument].spec)
        return line.positionals.indices.contains(index) ? line.positionals[index] : ""
    }

    func positional(_ argument: KeyPath<Syntax, OptionalPositional>) -> String? {
        let index = position(of: syntax[keyPath: argument].spec)
        return line.positionals.indices.contains(index) ? line.positionals[index] : nil
    }

    func positional(_ argument: KeyPath<Syntax, VariadicPositional>) -> [String] {
        Array(line.positionals.dropFirst(position(of: syntax[keyPath: argument].spec)))
    }

    private func position(of spec: PositionalSpec) -> Int {
        Syntax.declaration.positionals.firstIndex(of: spec) ?? Int.max
    }
}

/// A mistake in how a command was called; exit code 2.
struct UsageError: Error, Sendable {
    let message: String
    let hint: String?

    init(_ message: String, hint: String?) {
        self.message = message
        self.hint = hint
    }
}
