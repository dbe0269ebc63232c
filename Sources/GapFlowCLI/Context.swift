import Foundation
import GapFlow

/// What a running command needs: the environment, and the engine and actor, opened on first use.
struct Context {
    let environment: Environment
    let arguments: ParsedArguments

    var output: Output { environment.output }

    /// `--db`, else `$GAPFLOW_DB`, else `./gapflow.sqlite`.
    var databasePath: String {
        environment.url(arguments.value("db") ?? environment.variables["GAPFLOW_DB"] ?? "gapflow.sqlite").path
    }

    /// The engine on the existing database.
    func engine(mode: Store.Mode = .readWrite) throws -> Engine {
        Engine(store: try Store(path: databasePath, mode: mode), clock: environment.clock)
    }

    /// The acting actor's name: `--as`, else `$GAPFLOW_ACTOR`, else the login name.
    var actorName: String {
        arguments.value("as") ?? environment.variables["GAPFLOW_ACTOR"] ?? environment.variables["USER"]
            ?? environment.variables["LOGNAME"] ?? "unknown"
    }

    /// The acting actor as registered.
    func actor(in engine: Engine) throws -> Actor {
        try engine.actor(named: actorName)
    }

    /// Field values from `--fields FILE` and `--set field=value` (the latter win).
    func fieldInputs() throws -> [String: FieldInput] {
        var inputs: [String: FieldInput] = [:]
        if let file = arguments.value("fields") {
            let root = try Self.readJSON(
                environment.url(file), shownAs: file,
                hint: "the fields file is a JSON object of field names and values; nothing was changed")
            guard let members = root.members else {
                throw CommandFailure("\(file) must hold a JSON object of field names and values, not \(root.kindName)")
            }
            for member in members { inputs[member.key] = .json(member.value) }
        }
        for assignment in arguments.all("set") {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw UsageError("--set takes FIELD=VALUE, not \"\(assignment)\"", hint: "e.g. --set municipality=Siegburg")
            }
            let name = String(assignment[..<equals]).trimmingCharacters(in: .whitespaces)
            let value = String(assignment[assignment.index(after: equals)...])
            inputs[name] = value.isEmpty ? .clear : .text(value)
        }
        return inputs
    }

    /// Reads a JSON (or JSON5) input file; a syntax error names the file, line and column.
    static func readJSON(_ url: URL, shownAs name: String, hint: String?) throws -> JSONNode {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CommandFailure("cannot read \(name)", hint: "check the path")
        }
        do {
            return try JSONParser.parse(Array(data))
        } catch {
            throw CommandFailure("\(name):\(error.position.line):\(error.position.column): \(error.message)", hint: hint)
        }
    }
}
