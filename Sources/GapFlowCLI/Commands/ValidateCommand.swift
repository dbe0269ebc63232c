import Foundation
import GapFlow

/// `gapflow validate`: checks definition files and lists every problem.
enum ValidateCommand: GapFlowCommand {
    static let name = "validate"
    static let summary = "Check workflow definition files and list every problem with file, line and code."
    static let discussion = "Exit code 0 when every file is valid, 1 when any has an error."
    struct Syntax: CommandSyntax {
        let files = VariadicPositional("FILE")
        let json = FlagOption.json
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let files = arguments.positional(\.files)
        var errorCount = 0
        var reports: [JSONValue] = []
        for file in files {
            let result = DefinitionLoader.load(contentsOf: context.environment.url(file))
            let diagnostics = result.diagnostics.map { diagnostic in
                var shown = diagnostic
                shown.file = file
                return shown
            }
            errorCount += result.errors.count
            if arguments.flag(\.json) {
                reports.append(
                    .object([
                        ("file", .string(file)), ("valid", .bool(result.definition != nil)),
                        ("diagnostics", .array(diagnostics.map(json))),
                    ]))
            } else if let definition = result.definition, diagnostics.isEmpty {
                context.output.line(
                    "ok: \(file) (\(definition.id) version \(definition.version): \(definition.states.count) states, "
                        + "\(definition.transitions.count) transitions, \(definition.fields.count) fields)")
            } else {
                for diagnostic in diagnostics { context.output.line(diagnostic.description) }
            }
        }
        if arguments.flag(\.json) {
            context.output.line(JSONValue.array(reports).pretty)
        } else if errorCount > 0 {
            context.output.line("\(errorCount) error\(errorCount == 1 ? "" : "s") in \(files.count) file\(files.count == 1 ? "" : "s")")
        }
        if errorCount > 0 { throw ValidationFailed() }
    }

    static func json(_ diagnostic: Diagnostic) -> JSONValue {
        .object([
            ("severity", .string(diagnostic.severity.rawValue)), ("code", .string(diagnostic.code.rawValue)),
            ("message", .string(diagnostic.message)), ("path", .string(diagnostic.path)),
            ("line", diagnostic.position.map { .integer($0.line) } ?? .null),
            ("column", diagnostic.position.map { .integer($0.column) } ?? .null),
            ("hint", diagnostic.hint.map(JSONValue.string) ?? .null),
        ])
    }
}

/// The check ran and found errors, already printed; exit code 1 without another message.
struct ValidationFailed: Error {}
