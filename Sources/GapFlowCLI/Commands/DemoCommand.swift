import Foundation
import GapFlow

/// `gapflow demo`: a fresh database with the sample actors and gaps, moved along several paths of the process.
enum DemoCommand: GapFlowCommand {
    static let name = "demo"
    static let summary = "Build a demo database from Workflows/ and samples/ and walk tickets through the process."
    static let discussion = """
        Without --db the database goes to a new temporary folder. An existing --db file is never overwritten.
        With --serve it then gives one actor of each role a new random password, prints the logins, and serves the
        web front on the demo database (as `gapflow serve`) until SIGINT or SIGTERM.
        """
    struct Syntax: CommandSyntax {
        let db = ValueOption("db", "PATH", "where to create the demo database (must not exist yet)")
        let workflows = ValueOption("workflows", "DIR", "folder of definition files (default: ./Workflows)")
        let samples = ValueOption("samples", "DIR", "folder with actors.json and gaps.json (default: ./samples)")
        let serve = FlagOption("serve", "then serve the web front on it, with one login per role")
        let listen = ValueOption("listen", "HOST:PORT", "with --serve: where to listen (default 127.0.0.1:8080)")
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        try Demo(context: context, arguments: arguments).run()
    }
}
