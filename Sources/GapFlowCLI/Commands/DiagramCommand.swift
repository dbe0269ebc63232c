import Foundation
import GapFlow
import GapFlowDocuments

/// `gapflow diagram`: a workflow as Mermaid, DOT or SVG.
enum DiagramCommand: GapFlowCommand {
    static let name = "diagram"
    static let summary = "Draw a workflow (a file or a registered one) as Mermaid, Graphviz DOT, or SVG."
    static let discussion = """
        --counts shows how many open tickets stand in each state and how many are overdue (small numbers masked, unless
        --internal is given by an actor, --as, whose role the workflow allows); --ticket highlights the path a ticket took
        and where it stands (both read the database). SVG needs Graphviz's `dot` (apt-get install graphviz).
        """
    struct Syntax: CommandSyntax {
        let subject = Positional("FILE|WORKFLOW")
        let format = ValueOption("format", "mermaid|dot|svg", "the output format (default: mermaid)")
        let counts = FlagOption("counts", "annotate open and overdue tickets per state")
        let internalFigures = FlagOption.internalFigures
        let actor = ValueOption.actor
        let ticket = ValueOption("ticket", "TICKET", "highlight this ticket's path")
        let out = ValueOption.out
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let subject = arguments.positional(\.subject)
        var definition = try context.definition(fileOrWorkflow: subject)
        var annotations = DiagramExport.Annotations()
        if arguments.flag(\.counts) || arguments.value(\.ticket) != nil {
            let engine = try context.engine(mode: .readOnly)
            if let id = arguments.value(\.ticket) {
                let (ticket, pinned) = try engine.ticketWithDefinition(id)
                guard ticket.workflowID == definition.id else {
                    throw UsageError("ticket \(ticket.id) belongs to \"\(ticket.workflowID)\", not \"\(definition.id)\"", hint: nil)
                }
                definition = pinned
                annotations.current = ticket.state
                annotations.path = try engine.history(ticket.id).compactMap { entry in entry.from.map { ($0, entry.to, entry.event) } }
            }
            if arguments.flag(\.counts) {
                annotations.counts = try engine.stateCounts(workflow: definition.id)
                annotations.unmasked = try context.internalFigures(arguments.flag(\.internalFigures), of: definition, engine)
            }
        }
        let text: String
        switch arguments.value(\.format) ?? "mermaid" {
        case "mermaid": text = DiagramExport.mermaid(definition, annotations: annotations)
        case "dot": text = DiagramExport.dot(definition, annotations: annotations)
        case "svg":
            text = try Graphviz.svg(
                DiagramExport.dot(definition, annotations: annotations), searchPath: context.environment.variables["PATH"])
        case let other: throw UsageError("unknown format \"\(other)\"", hint: "use mermaid, dot or svg")
        }
        try context.write(text, to: arguments.value(\.out))
    }
}

/// Graphviz's `dot`, when it is installed.
enum Graphviz {
    /// Runs `dot -Tsvg`, looking for it along `searchPath` (the command's PATH).
    static func svg(_ dot: String, searchPath: String?) throws -> String {
        let paths = (searchPath ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/dot" }
        guard let executable = paths.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw CommandFailure(
                "SVG needs Graphviz's `dot`, which is not installed",
                hint: "install it (apt-get install graphviz), or use --format dot or mermaid")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-Tsvg"]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data(dot.utf8))
        try input.fileHandleForWriting.close()
        let svg = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw CommandFailure("dot failed: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return String(decoding: svg, as: UTF8.self)
    }
}
