import GapFlow

/// A command-line option a command accepts.
struct OptionSpec: Sendable {
    enum Kind: Sendable {
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

    static func flag(_ name: String, _ help: String) -> OptionSpec { OptionSpec(name: name, kind: .flag, help: help) }
    static func value(_ name: String, _ placeholder: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .value(placeholder: placeholder), help: help)
    }
    static func repeated(_ name: String, _ placeholder: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .repeated(placeholder: placeholder), help: help)
    }

    /// Options every command that opens the database takes.
    static let database = OptionSpec.value("db", "PATH", "the database (default: $GAPFLOW_DB, else ./gapflow.sqlite)")
    static let actor = OptionSpec.value("as", "ACTOR", "act as this actor (default: $GAPFLOW_ACTOR, else your login name)")
    static let role = OptionSpec.value("role", "ROLE", "act in this one of the actor's roles")
    static let json = OptionSpec.flag("json", "print JSON instead of text")
    static let strict = OptionSpec.flag("strict", "refuse text that looks like personal data instead of warning")
}

/// The parsed command line of one command: its options and positional arguments.
struct ParsedArguments {
    private(set) var flags: Set<String> = []
    private(set) var values: [String: [String]] = [:]
    private(set) var positionals: [String] = []

    /// Parses `arguments` against `specs`; `--` ends the options.
    init(_ arguments: [String], specs: [OptionSpec], command: String) throws(UsageError) {
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
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw UsageError(
                    "unknown option --\(name) for `gapflow \(command)`",
                    hint: NameSuggestion.closest(to: name, among: specs.map(\.name)).map { "did you mean --\($0)?" }
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
                if case .value = spec.kind { values[name] = [value] } else { values[name, default: []].append(value) }
            }
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }
    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// The positional arguments, checked against the names the command expects.
    func positionals(_ names: [String], optional: Int = 0, variadic: Bool = false, command: String) throws(UsageError) -> [String] {
        let required = names.count - optional
        if positionals.count < required {
            throw UsageError(
                "missing \(names[positionals.count]) for `gapflow \(command)`",
                hint: "usage: gapflow \(command) \(names.joined(separator: " "))")
        }
        if !variadic && positionals.count > names.count {
            throw UsageError(
                "unexpected argument \"\(positionals[names.count])\" for `gapflow \(command)`", hint: "see `gapflow \(command) --help`")
        }
        return positionals
    }

    /// An integer option, or nil when absent.
    func integer(_ name: String) throws(UsageError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text) else { throw UsageError("option --\(name) takes a whole number, not \"\(text)\"", hint: nil) }
        return number
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
