import Foundation
import GapFlow

/// `gapflow import-csv FILE --workflow ID --map COLUMN=FIELD …`: opens one ticket per row of an Excel list.
enum ImportCSVCommand: GapFlowCommand {
    static let name = "import-csv"
    static let summary = "Open tickets from a CSV list (Excel: semicolons, UTF-8 with or without BOM), all rows or none."
    static let discussion = """
        The first row names the columns; --map COLUMN=FIELD (repeated) says which field of the workflow each column fills,
        --ignore COLUMN leaves a column out; any other column is refused, so a misspelt one is not silently dropped.
        Cells are read as with `open --set` (sets comma-separated, dates as 24.12.2026 or 2026-12-24); empty cells are
        left out. Every row is checked as a ticket opened by --as; if any row is refused (or repeats an earlier one),
        nothing is opened and every refused row is listed with its line and column.
        """
    struct Syntax: CommandSyntax {
        let file = Positional("FILE")
        let workflow = ValueOption("workflow", "ID", "the workflow the tickets are opened in")
        let map = RepeatedOption("map", "COLUMN=FIELD", "the field a column fills")
        let ignore = RepeatedOption("ignore", "COLUMN", "a column to leave out")
        let actor = ValueOption.actor
        let json = FlagOption.json
        let db = ValueOption.database
    }

    /// Every refused row, one line each.
    struct Refused: ExplainedError {
        let file: String
        let problems: [String]
        var summary: String { "\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(file); no ticket was opened" }
        var details: [String] { problems }
        var hint: String? { "fix the rows and import the whole file again" }
    }

    static func run(_ arguments: ParsedArguments<Syntax>, _ context: Context) throws {
        let path = arguments.positional(\.file)
        guard let workflow = arguments.value(\.workflow) else { throw UsageError("import-csv needs --workflow ID", hint: nil) }
        let shown = (path as NSString).lastPathComponent
        let url = context.environment.url(path)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw CommandFailure("cannot read \(path)") }
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(Array(data))
        } catch {
            throw CommandFailure(error.line > 0 ? "\(shown):\(error.line): \(error.message)" : "\(shown): \(error.message)")
        }
        guard let header = records.first else { throw CommandFailure("\(shown) is empty: it needs a header row") }
        let engine = try context.engine()
        let definition = try engine.definition(workflow)
        let columns = header.cells.map { $0.trimmingCharacters(in: .whitespaces) }
        let column = { (name: String) in columns.firstIndex { $0.lowercased() == name.lowercased() } }

        var mapping: [(index: Int, column: String, field: String)] = []
        for assignment in arguments.all(\.map) {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw UsageError("--map takes COLUMN=FIELD, not \"\(assignment)\"", hint: "e.g. --map Kommune=municipality")
            }
            let name = String(assignment[..<equals]).trimmingCharacters(in: .whitespaces)
            let field = String(assignment[assignment.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            guard let index = column(name) else {
                throw UsageError(
                    "\(shown) has no column \"\(name)\"", hint: "its columns: \(columns.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            guard definition.field(field) != nil else {
                throw UsageError(
                    "workflow \"\(workflow)\" has no field \"\(field)\" (--map \(assignment))",
                    hint: NameSuggestion.hint(for: field, among: definition.fields.map(\.id)) ?? "see the \"fields\" of the workflow file")
            }
            if let earlier = mapping.first(where: { $0.field == field }) {
                throw UsageError("columns \"\(earlier.column)\" and \"\(name)\" both fill \"\(field)\"", hint: nil)
            }
            mapping.append((index, columns[index], field))
        }
        if mapping.isEmpty { throw UsageError("import-csv needs at least one --map COLUMN=FIELD", hint: nil) }
        let ignored = arguments.all(\.ignore).map { $0.lowercased() }
        for (index, name) in columns.enumerated()
        where !name.isEmpty && !mapping.contains(where: { $0.index == index }) && !ignored.contains(name.lowercased()) {
            throw UsageError(
                "column \"\(name)\" of \(shown) is neither mapped nor ignored", hint: "add --map \"\(name)=FIELD\" or --ignore \"\(name)\"")
        }

        var problems: [String] = []
        var commands: [Command] = []
        var rows: [CSVReader.Record] = []
        var seen: [[String]: Int] = [:]
        let actor = try context.actor(in: engine)
        for record in records.dropFirst() {
            if record.cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            if record.cells.count != columns.count {
                problems.append("\(shown):\(record.line): the row has \(record.cells.count) cells, the header \(columns.count)")
                continue
            }
            let key = mapping.map { record.cells[$0.index].trimmingCharacters(in: .whitespacesAndNewlines) }
            if let first = seen[key] {
                problems.append("\(shown):\(record.line): the row repeats line \(first)")
                continue
            }
            seen[key] = record.line
            var values: [String: FieldInput] = [:]
            for (index, _, field) in mapping {
                let cell = record.cells[index].trimmingCharacters(in: .whitespacesAndNewlines)
                if !cell.isEmpty { values[field] = .text(cell) }
            }
            commands.append(Command(.open, actor: actor, values: values, comment: "\(shown):\(record.line)"))
            rows.append(record)
        }
        if !problems.isEmpty { throw Refused(file: shown, problems: problems) }
        do {
            let outcomes = try engine.openAll(workflow: workflow, commands)
            for outcome in outcomes { context.warn(outcome.warnings) }
            if arguments.flag(\.json) {
                try context.printJSON(JSONValue.array(outcomes.map { .string($0.ticket.id) }))
            } else {
                context.output.line(
                    "opened \(outcomes.count) ticket\(outcomes.count == 1 ? "" : "s")"
                        + (outcomes.isEmpty ? "" : ": \(outcomes.first?.ticket.id ?? "") … \(outcomes.last?.ticket.id ?? "")"))
            }
        } catch let batch as BatchRejection {
            for (index, rejection) in batch.refused {
                let record = rows[index]
                for blocker in rejection.blockers {
                    let place =
                        blocker.subject.flatMap { field in mapping.first { $0.field == field } }
                        .map { ", column \"\($0.column)\"" } ?? ""
                    problems.append("\(shown):\(record.line)\(place): \(blocker.message)")
                }
            }
            throw Refused(file: shown, problems: problems)
        }
    }
}
