import Foundation
import GapFlow

/// `gapflow demo`: a fresh database with the sample actors and gaps, moved along several paths of the process.
enum DemoCommand: GapFlowCommand {
    static let name = "demo"
    static let summary = "Build a demo database from Workflows/ and samples/ and walk tickets through the process."
    static let synopsis = "[--db PATH] [--workflows DIR] [--samples DIR]"
    static let discussion = "Without --db the database goes to a new temporary folder. An existing --db file is never overwritten."
    static let options: [OptionSpec] = [
        .value("db", "PATH", "where to create the demo database (must not exist yet)"),
        .value("workflows", "DIR", "folder of definition files (default: ./Workflows)"),
        .value("samples", "DIR", "folder with actors.json and gaps.json (default: ./samples)"),
    ]

    static func run(_ arguments: ParsedArguments, _ context: Context) throws {
        _ = try arguments.positionals([], command: name)
        try Demo(context: context, arguments: arguments).run()
    }
}
