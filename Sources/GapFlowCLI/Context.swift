import Foundation
import GapFlow

/// What a running command needs: the environment, and the engine and actor, opened on first use.
struct Context {
    let environment: Environment
    /// The command's parsed line; the context reads only the shared options (`--db`, `--as`, `--fields`, `--set`,
    /// `--workflow`), by name, and only a command that declares one can have been given it.
    let arguments: ParsedLine

    var output: Output { environment.output }

    /// `--db`, else `$GAPFLOW_DB`, else `./gapflow.sqlite`: a file path (relative to the working directory), or a
    /// PostgreSQL URI (`postgresql://…`, `postgres://…`) as given.
    var databasePath: String {
        let given = arguments.value(.database) ?? environment.variables["GAPFLOW_DB"] ?? "gapflow.sqlite"
        return StoreFactory.isPostgres(given) ? given : environment.url(given).path
    }

    /// The engine on the existing database.
    func engine(mode: StoreMode = .readWrite) throws -> Engine {
        Engine(store: try StoreFactory.open(databasePath, mode: mode), clock: environment.clock, account: environment.accountName)
    }

    /// The acting actor's name: `--as`, else `$GAPFLOW_ACTOR`, else the login name (`$USER`, `$LOGNAME`, else the
    /// operating system account); refused when none of them names anyone.
    func actorName() throws(UsageError) -> String {
        let given = [
            arguments.value(.actor), environment.variables["GAPFLOW_ACTOR"], environment.variables["USER"],
            environment.variables["LOGNAME"],
        ]
        guard let name = given.compactMap({ $0 }).first(where: { !$0.isEmpty }) ?? environment.accountName else {
            throw UsageError(
                "who is acting is not known: neither $USER nor $LOGNAME is set, and this process's account has no name",
                hint: "say who acts with --as ACTOR (or set GAPFLOW_ACTOR)")
        }
        return name
    }

    /// The group named by `--group`, which may read the files the command creates beside their owner; nil without it.
    func fileGroup() throws -> FileGroup? {
        guard let name = arguments.value(.group) else { return nil }
        return try FileGroup(named: name)
    }

    /// The acting actor as registered.
    func actor(in engine: Engine) throws -> Actor {
        try engine.actor(named: try actorName())
    }

    /// Whether a document shows internal figures (small numbers unmasked): only when `asked` (`--internal`), and then
    /// only for an actor (`--as`) holding a role the workflow allows; anyone else is refused.
    func internalFigures(_ asked: Bool, of definition: Definition, _ engine: Engine) throws -> Bool {
        guard asked else { return false }
        try engine.authorizeInternalFigures(of: definition, actor: try actor(in: engine))
        return true
    }

    /// Field values from `--fields FILE` and `--set field=value` (the latter win).
    func fieldInputs() throws -> [String: FieldInput] {
        var inputs: [String: FieldInput] = [:]
        if let file = arguments.value(.fields) {
            let root = try Self.readJSON(
                environment.url(file), shownAs: file,
                hint: "the fields file is a JSON object of field names and values; nothing was changed")
            guard let members = root.members else {
                throw CommandFailure("\(file) must hold a JSON object of field names and values, not \(root.kindName)")
            }
            for member in members { inputs[member.key] = .json(member.value) }
        }
        for assignment in arguments.all(.set) {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw UsageError("--set takes FIELD=VALUE, not \"\(assignment)\"", hint: "e.g. --set municipality=Siegburg")
            }
            let name = String(assignment[..<equals]).trimmingCharacters(in: .whitespaces)
            let value = String(assignment[assignment.index(after: equals)...])
            inputs[name] = value.isEmpty ? .clear : .text(value)
        }
        return inputs
    }

    /// The first key of any object in the tree given a second time, with where it was first given: JSON leaves it
    /// open which one counts, so input files refuse it instead of silently keeping one.
    static func repeatedKey(in node: JSONNode) -> (repeated: JSONNode.Member, first: SourcePosition)? {
        switch node.value {
        case .object(let members):
            var seen: [String: SourcePosition] = [:]
            for member in members {
                if let first = seen[member.key] { return (member, first) }
                seen[member.key] = member.keyPosition
            }
            for member in members { if let found = repeatedKey(in: member.value) { return found } }
            return nil
        case .array(let elements):
            for element in elements { if let found = repeatedKey(in: element) { return found } }
            return nil
        default:
            return nil
        }
    }

    /// Reads a JSON (or JSON5) input file; a syntax error names the file, line and column.
    static func readJSON(_ url: URL, shownAs name: String, hint: String?) throws -> JSONNode {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CommandFailure("cannot read \(name)", hint: hint ?? "check the path")
        }
        let root: JSONNode
        do {
            root = try JSONParser.parse(Array(data))
        } catch {
            throw CommandFailure("\(name):\(error.position.line):\(error.position.column): \(error.message)", hint: hint)
        }
        if let (repeated, first) = repeatedKey(in: root) {
            throw CommandFailure(
                "\(name):\(repeated.keyPosition.line):\(repeated.keyPosition.column): \"\(repeated.key)\" is given twice "
                    + "(first at \(first.line):\(first.column))",
                hint: "give each key once; nothing was changed")
        }
        return root
    }

    /// The meeting a command means: an id, which names its workflow whatever else has meetings (a `--workflow` that
    /// says otherwise is refused), or `next`, the next meeting of ``meetingWorkflow(_:)``.
    func meeting(_ reference: String, _ engine: Engine) throws -> Meeting {
        guard reference != "next" else { return try engine.meeting(reference, workflow: try meetingWorkflow(engine)) }
        guard let id = Int(reference), let meeting = try engine.meetings().first(where: { $0.id == id }) else {
            throw MeetingError.unknownMeeting(reference)
        }
        if let workflow = arguments.value(.meetingWorkflow), workflow != meeting.workflowID {
            throw CommandFailure(
                "meeting \(id) belongs to \"\(meeting.workflowID)\", not to \"\(workflow)\"",
                hint: "leave out --workflow: a meeting id names its workflow")
        }
        return meeting
    }

    /// The workflow whose meetings a command means: `--workflow`, else the only registered one that has meetings.
    func meetingWorkflow(_ engine: Engine) throws -> String {
        if let workflow = arguments.value(.meetingWorkflow) { return workflow }
        var withMeetings: [String] = []
        for id in try engine.workflowIDs() where try engine.definition(id).meetings != nil {
            withMeetings.append(id)
        }
        guard withMeetings.count == 1, let only = withMeetings.first else {
            throw UsageError(
                withMeetings.isEmpty
                    ? "no registered workflow has meetings" : "several workflows have meetings: \(withMeetings.joined(separator: ", "))",
                hint: withMeetings.isEmpty ? nil : "choose one with --workflow")
        }
        return only
    }

    /// Prints a read model as indented JSON (`--json`): the same encoding as the web front's API.
    func printJSON<Value: Encodable>(_ value: Value) throws {
        output.line(try JSONValueEncoder.pretty(value))
    }

    /// Writes a document to `--out FILE` (atomically), or to standard output.
    func write(_ text: String, to file: String?) throws {
        guard let file else { return output.write(text) }
        do {
            try Data(text.utf8).write(to: environment.url(file), options: .atomic)
        } catch {
            throw CommandFailure("cannot write \(file): \(error.localizedDescription)")
        }
        output.line("wrote \(file)")
    }

    /// Streams a long document line by line to `--out FILE` (written to a temporary file beside it, then renamed,
    /// so a failure leaves no half-written file) or to standard output, in chunks: memory stays flat. The file is
    /// readable by its owner only (it may hold a whole database), or by `group` too.
    func stream(to file: String?, group: FileGroup? = nil, _ produce: (_ line: (String) throws -> Void) throws -> Void) throws {
        var chunk = ""
        chunk.reserveCapacity(1 << 16)
        guard let file else {
            try produce { line in
                chunk += line
                chunk += "\n"
                if chunk.utf8.count >= 1 << 16 {
                    output.write(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            return output.write(chunk)
        }
        let target = environment.url(file)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).part")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw CommandFailure("cannot write \(file)", hint: "check that its folder exists and is writable") }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            defer { try? handle.close() }
            try produce { line in
                chunk += line
                chunk += "\n"
                if chunk.utf8.count >= 1 << 16 {
                    try handle.write(contentsOf: Data(chunk.utf8))
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            try handle.write(contentsOf: Data(chunk.utf8))
            try handle.synchronize()
            try group?.share(temporary.path)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if error is CommandFailure || error is StoreError || error is FileGroupError { throw error }
            throw CommandFailure("cannot write \(file): \(error.localizedDescription)")
        }
        if rename(temporary.path, target.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw CommandFailure("cannot write \(file): \(String(cString: strerror(errno)))")
        }
        output.line("wrote \(file)")
    }

    /// Reads a text file line by line without loading it whole (for imports of any size).
    func lines(of file: String) throws -> LineReader {
        guard let handle = FileHandle(forReadingAtPath: environment.url(file).path) else {
            throw CommandFailure("cannot read \(file)", hint: "check the path")
        }
        return LineReader(handle)
    }

    /// A definition from a file (validated; its diagnostics if it is invalid), or else a registered workflow's newest version.
    func definition(fileOrWorkflow subject: String) throws -> Definition {
        let url = environment.url(subject)
        if subject.hasSuffix(".json") || subject.hasSuffix(".json5") || FileManager.default.fileExists(atPath: url.path) {
            let result = DefinitionLoader.load(contentsOf: url)
            guard let definition = result.definition else {
                throw EngineError.invalidDefinition(
                    file: subject, diagnostics: result.diagnostics, omitted: result.omittedCount, omittedErrors: result.omittedErrorCount)
            }
            return definition
        }
        return try engine(mode: .readOnly).definition(subject)
    }

    /// Prints personal-data warnings: the change was made, but the text should be looked at.
    func warn(_ findings: [PersonalDataGuard.Finding]) {
        for finding in findings { environment.errors.line("warning: \(finding.message)") }
        if !findings.isEmpty {
            environment.errors.line(
                "hint: tickets describe structures, not persons; remove it with --set, or use --strict to refuse such text")
        }
    }
}
