import Foundation
import GapFlow

/// `gapflow init`: creates the database and registers the workflow files.
enum InitCommand: GapFlowCommand {
    static let name = "init"
    static let summary = "Create the database (if needed) and register the workflows in Workflows/ (or the files given)."
    static let discussion = """
        Every *.json and *.json5 file in the folder (or each file given with --workflow, which needs no folder) is
        validated first; if any is invalid, none is registered. Registering again is safe: unchanged files are
        skipped, a changed file needs a higher "version".
        """
    struct Syntax: CommandSyntax {
        let workflows = ValueOption("workflows", "DIR", "folder of definition files (default: ./Workflows)")
        let workflow = RepeatedOption("workflow", "FILE", "register this definition file only, instead of a folder")
        let group = ValueOption.group
        let db = ValueOption.database
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let given = arguments.all(\.workflow)
        if !given.isEmpty, arguments.value(\.workflows) != nil {
            throw UsageError("give --workflows DIR or --workflow FILE, not both", hint: "see `gapflow init --help`")
        }
        let files =
            given.isEmpty
            ? try definitionFiles(in: context.environment.url(arguments.value(\.workflows) ?? "Workflows"))
            : given.map { context.environment.url($0) }
        let sources = try validated(files)
        let group = try context.fileGroup()
        let engine = Engine(
            store: try StoreFactory.open(context.databasePath, mode: .create, group: group), clock: context.environment.clock,
            account: context.environment.accountName)
        for (file, source) in sources {
            switch try engine.register(source: source, file: file.lastPathComponent) {
            case .registered(let workflow, let version):
                context.output.line("registered \(workflow) version \(version) from \(file.lastPathComponent)")
            case .unchanged(let workflow, let version):
                context.output.line("unchanged  \(workflow) version \(version) (\(file.lastPathComponent))")
            }
        }
        context.output.line("database: \(context.databasePath)")
    }

    static func definitionFiles(in folder: URL) throws -> [URL] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw CommandFailure("cannot read the workflow folder \(folder.path)", hint: "give the folder with --workflows DIR")
        }
        let files = names.filter { $0.hasSuffix(".json") || $0.hasSuffix(".json5") }.sorted().map { folder.appendingPathComponent($0) }
        if files.isEmpty { throw CommandFailure("no *.json definition files in \(folder.path)") }
        return files
    }

    /// Reads and validates every file; throws with all diagnostics if any is invalid.
    static func validated(_ files: [URL]) throws -> [(URL, [UInt8])] {
        var sources: [(URL, [UInt8])] = []
        var problems: [Diagnostic] = []
        for file in files {
            let result = DefinitionLoader.load(contentsOf: file)
            problems += result.errors
            if let data = FileManager.default.contents(atPath: file.path) { sources.append((file, Array(data))) }
        }
        if let first = problems.first {
            throw EngineError.invalidDefinition(
                file: problems.count == 1 ? first.file : "\(Set(problems.map(\.file)).count) file(s)", diagnostics: problems)
        }
        return sources
    }
}
