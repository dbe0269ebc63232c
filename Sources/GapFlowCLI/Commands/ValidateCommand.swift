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
        var reports: [FileReport] = []
        for file in files {
            let result = DefinitionLoader.load(contentsOf: context.environment.url(file))
            let diagnostics = result.diagnostics.map { diagnostic in
                var shown = diagnostic
                shown.file = file
                return shown
            }
            errorCount += result.errorCount
            if arguments.flag(\.json) {
                reports.append(
                    FileReport(
                        file: file, valid: result.definition != nil, errors: result.errorCount, diagnostics: diagnostics,
                        omitted: result.omittedCount))
            } else if let definition = result.definition, diagnostics.isEmpty {
                context.output.line(
                    "ok: \(file) (\(definition.id) version \(definition.version): \(definition.states.count) states, "
                        + "\(definition.transitions.count) transitions, \(definition.fields.count) fields)")
            } else {
                for diagnostic in diagnostics { context.output.line(diagnostic.description) }
                if result.omittedCount > 0 { context.output.line("\(file): and \(result.omittedCount) more") }
            }
        }
        if arguments.flag(\.json) {
            try context.printJSON(reports)
        } else if errorCount > 0 {
            context.output.line("\(errorCount) error\(errorCount == 1 ? "" : "s") in \(files.count) file\(files.count == 1 ? "" : "s")")
        }
        if errorCount > 0 { throw ValidationFailed() }
    }

    /// One file's result in `--json`: at most ``DefinitionLoader/diagnosticLimit`` diagnostics, and how many more
    /// there were (documented in docs/definition-format.md).
    struct FileReport: Encodable {
        let file: String
        let valid: Bool
        /// Errors found, shown or not.
        let errors: Int
        let diagnostics: [Diagnostic]
        /// Diagnostics found but not listed.
        let omitted: Int
    }
}

/// The check ran and found errors, already printed; exit code 1 without another message.
struct ValidationFailed: ExplainedError {
    /// The diagnostics were printed already; nothing more to say.
    var summary: String { "" }
    var hint: String? { nil }
}
