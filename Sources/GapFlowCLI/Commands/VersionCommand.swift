/// `gapflow version` (also `gapflow --version`): which gapflow this is.
enum VersionCommand: GapFlowCommand {
    static let name = "version"
    static let summary = "Print the version of gapflow (also: gapflow --version)."
    struct Syntax: CommandSyntax {}

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        context.output.line("gapflow \(CLI.version)")
    }
}
