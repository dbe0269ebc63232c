import Foundation
import GapFlow

/// `gapflow explain`: a workflow in plain language.
enum ExplainCommand: GapFlowCommand {
    static let name = "explain"
    static let summary = "Explain a workflow (a file or a registered one) in plain language, as Markdown or HTML."
    static let synopsis = "FILE|WORKFLOW [--format md|html] [--out FILE]"
    static let options: [OptionSpec] = [
        .value("format", "FORMAT", "md (default) or html"), .value("out", "FILE", "write to a file instead of standard output"), .database,
    ]

    static func run(_ arguments: ParsedArguments, _ context: Context) throws {
        let definition = try context.definition(fileOrWorkflow: try arguments.positionals(["FILE|WORKFLOW"], command: name)[0])
        switch arguments.value("format") ?? "md" {
        case "md": try context.write(ExplainExport.markdown(definition), to: arguments.value("out"))
        case "html": try context.write(ExplainExport.html(definition), to: arguments.value("out"))
        case let other: throw UsageError("unknown format \"\(other)\"", hint: "use md or html")
        }
    }
}

/// `gapflow deploy`: registers one definition file as a new version.
enum DeployCommand: GapFlowCommand {
    static let name = "deploy"
    static let summary = "Register a definition file as a workflow version (after validating it)."
    static let synopsis = "FILE [--db PATH]"
    static let discussion = """
        Running tickets stay on the version they started with; new tickets take the newest. A changed file under a
        version number that is already registered is refused: raise "version". Move running tickets with `gapflow migrate`.
        """
    static let options: [OptionSpec] = [.database]

    static func run(_ arguments: ParsedArguments, _ context: Context) throws {
        let file = try arguments.positionals(["FILE"], command: name)[0]
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
