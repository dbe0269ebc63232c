import Foundation

/// The result of reading a definition file: the definition if it is valid, and the problems found.
public struct LoadResult: Sendable {
    /// The definition, present only when no diagnostic is an error.
    public let definition: Definition?
    /// The first problems in file order, at most ``DefinitionLoader/diagnosticLimit`` (or the limit asked for).
    public let diagnostics: [Diagnostic]
    /// How many further problems were found but not kept, after ``diagnostics``.
    public let omittedCount: Int
    /// How many of the omitted problems are errors.
    public let omittedErrorCount: Int

    init(definition: Definition?, diagnostics: [Diagnostic], omittedCount: Int = 0, omittedErrorCount: Int = 0) {
        self.definition = definition
        self.diagnostics = diagnostics
        self.omittedCount = omittedCount
        self.omittedErrorCount = omittedErrorCount
    }

    /// The kept diagnostics that stop the definition from being used.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    /// The number of errors found, kept or omitted.
    public var errorCount: Int { errors.count + omittedErrorCount }
}

/// Reads workflow definition files (JSON or JSON5) into checked ``Definition`` values.
///
/// Reading never stops at the first problem: syntax errors end it (nothing else can be read),
/// but every structural, reference and graph problem after a successful parse is reported at once.
///
/// The file format, key by key, and every diagnostic code: <doc:DefinitionFormat>.
/// A file with very many problems keeps the first ``diagnosticLimit`` in file order and counts the rest; "did you
/// mean" hints are worked out only for those kept, so reading stays proportional to the size of the file.
public enum DefinitionLoader {
    /// How many diagnostics a load keeps; the rest are counted in ``LoadResult/omittedCount``.
    public static let diagnosticLimit = 100

    /// Reads and checks a definition file.
    public static func load(contentsOf url: URL, limit: Int = diagnosticLimit) -> LoadResult {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? "it cannot be read"
            return LoadResult(
                definition: nil,
                diagnostics: [
                    Diagnostic(
                        .fileUnreadable, "cannot read the file: \(reason)", file: url.path, path: "", position: nil,
                        hint: "check the path and the file's permissions")
                ])
        }
        return load(source: Array(data), file: url.path, limit: limit)
    }

    /// Reads and checks a definition from its bytes; `file` names it in diagnostics.
    public static func load(source: [UInt8], file: String, limit: Int = diagnosticLimit) -> LoadResult {
        let root: JSONNode
        do {
            root = try JSONParser.parse(source)
        } catch {
            return LoadResult(
                definition: nil,
                diagnostics: [
                    Diagnostic(
                        error.invalidByteOffset == nil ? .syntaxError : .invalidUTF8, error.message, file: file, path: "",
                        position: error.position)
                ])
        }
        var decoder = DefinitionDecoder(file: file)
        let draft = decoder.decode(root)
        var diagnostics = decoder.diagnostics
        if let draft {
            // A graph with broken parts would only produce follow-up errors, so it is analysed only when whole.
            diagnostics += DefinitionValidator.validate(
                draft, file: file, positions: decoder.positions, analyseGraph: diagnostics.isEmpty,
                ownerKeyMisspelt: decoder.ownerKeyMisspelt)
        }
        let hasErrors = diagnostics.contains { $0.severity == .error }
        let origin = SourcePosition(line: 0, column: 0)
        let sorted = diagnostics.enumerated().sorted {
            ($0.element.position ?? origin, $0.offset) < ($1.element.position ?? origin, $1.offset)
        }.map(\.element)
        let kept = sorted.prefix(max(0, limit))
        let omitted = sorted.dropFirst(kept.count)
        return LoadResult(
            definition: hasErrors ? nil : draft, diagnostics: kept.map { $0.resolved() }, omittedCount: omitted.count,
            omittedErrorCount: omitted.count(where: { $0.severity == .error }))
    }
}

/// Turns the JSON tree into a definition, reporting shape, type and reference problems.
struct DefinitionDecoder {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    /// Where each JSON path stood in the file, for diagnostics raised later by the validator.
    private(set) var positions: [String: SourcePosition] = [:]
    /// States without "owner" but with an unknown key that is a likely misspelling of it (reported as that key).
    private(set) var ownerKeyMisspelt: Set<String> = []
    /// The keys the last call of ``object(_:at:allowed:required:)`` did not know.
    private var lastUnknownKeys: [String] = []
    /// Every place that names a state, checked once all are known (see ``checkStateReferences(declared:)``).
    private var stateReferences: [StateReference] = []

    /// The declared ids, and the same sorted as candidates for suggestions (sorted once, not per problem).
    private var roleCandidates: [String] = []
    private var fieldIDs: Set<String> = []
    private var fieldCandidates: [String] = []

    /// A place that names a state.
    struct StateReference {
        var name: String
        var path: String
        var position: SourcePosition?
    }

    /// Above this many different unknown state names, references are not matched against misspelt keys.
    static let misspeltKeyAnalysisLimit = 100

    init(file: String) {
        self.file = file
    }

    // MARK: - Reporting

    mutating func report(
        _ code: Diagnostic.Code, _ message: String, at path: String, _ position: SourcePosition?, hint: String? = nil
    ) {
        diagnostics.append(Diagnostic(code, message, file: file, path: path, position: position, hint: hint))
    }

    /// Reports a problem whose hint suggests the candidate closest to `name`, if one is close (worked out later,
    /// only if the diagnostic is kept); `hint` stands when none is.
    mutating func report(
        _ code: Diagnostic.Code, _ message: String, at path: String, _ position: SourcePosition?, suggesting name: String,
        among candidates: [String], otherwise hint: String? = nil
    ) {
        diagnostics.append(
            Diagnostic(code, message, file: file, path: path, position: position, suggesting: name, among: candidates, otherwise: hint))
    }

    static func child(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    static func index(_ path: String, _ i: Int) -> String { "\(path)[\(i)]" }

    // MARK: - Shapes

    /// Checks that `node` is an object with only `allowed` keys and all `required` ones; returns its members by key.
    mutating func object(
        _ node: JSONNode, at path: String, allowed: [String], required: [String] = []
    ) -> [String: JSONNode]? {
        if positions[path] == nil { positions[path] = node.position }
        guard let members = node.members else {
            report(.typeMismatch, "expected an object, found \(node.kindName)", at: path, node.position)
            return nil
        }
        var result: [String: JSONNode] = [:]
        var firstPosition: [String: SourcePosition] = [:]
        var unknown: [String] = []
        for member in members {
            let memberPath = Self.child(path, member.key)
            if let first = firstPosition[member.key] {
                report(
                    .duplicateKey, "key \"\(member.key)\" appears twice (first at line \(first.line))", at: memberPath,
                    member.keyPosition, hint: "remove one of them")
                continue
            }
            firstPosition[member.key] = member.keyPosition
            if member.key == "$comment" || member.key == "$schema" { continue }
            guard allowed.contains(member.key) else {
                report(
                    .unknownKey, "unknown key \"\(member.key)\"", at: memberPath, member.keyPosition, suggesting: member.key,
                    among: allowed)
                unknown.append(member.key)
                continue
            }
            result[member.key] = member.value
        }
        // A missing key that an unknown one misspells ("businessdays") is said once, by the unknown key's hint.
        for key in required where result[key] == nil && firstPosition[key] == nil {
            if unknown.contains(where: { NameSuggestion.isLikelyMisspelling($0, of: key, among: allowed) }) { continue }
            report(.missingKey, "missing required key \"\(key)\"", at: path, node.position)
        }
        lastUnknownKeys = unknown
        return result
    }

    /// Reads an object whose keys are ids (states, fields, roles): each id checked, each value decoded by `body`.
    mutating func idMap<T>(
        _ node: JSONNode?, at path: String, kind: String,
        _ body: (inout DefinitionDecoder, String, JSONNode, String) -> T?
    ) -> [T] {
        guard let node else { return [] }
        positions[path] = node.position
        guard let members = node.members else {
            report(.typeMismatch, "expected an object of \(kind)s keyed by id, found \(node.kindName)", at: path, node.position)
            return []
        }
        var seen: [String: SourcePosition] = [:]
        var result: [T] = []
        for member in members {
            let memberPath = Self.child(path, member.key)
            positions[memberPath] = member.keyPosition
            if let first = seen[member.key] {
                report(
                    .duplicateID, "\(kind) \"\(member.key)\" is defined twice (first at line \(first.line))", at: memberPath,
                    member.keyPosition)
                continue
            }
            seen[member.key] = member.keyPosition
            checkIdentifier(member.key, kind: kind, at: memberPath, member.keyPosition)
            if let value = body(&self, member.key, member.value, memberPath) { result.append(value) }
        }
        return result
    }

    mutating func checkIdentifier(_ id: String, kind: String, at path: String, _ position: SourcePosition) {
        let valid =
            id.first.map { $0.isASCII && $0.isLowercase } == true
            && id.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
        if !valid {
            report(
                .invalidValue, "\(kind) id \"\(id)\" must start with a lowercase letter and hold only a–z, 0–9 and _",
                at: path, position)
        }
    }

    mutating func string(_ node: JSONNode?, at path: String, nonEmpty: Bool = true) -> String? {
        guard let node else { return nil }
        positions[path] = node.position
        guard let text = node.string else {
            report(.typeMismatch, "expected a string, found \(node.kindName)", at: path, node.position)
            return nil
        }
        if nonEmpty && text.trimmingCharacters(in: .whitespaces).isEmpty {
            report(.invalidValue, "must not be empty", at: path, node.position)
            return nil
        }
        return text
    }

    mutating func integer(_ node: JSONNode?, at path: String) -> Int? {
        guard let node else { return nil }
        positions[path] = node.position
        guard let number = node.integer else {
            report(.typeMismatch, "expected a whole number, found \(node.kindName)", at: path, node.position)
            return nil
        }
        return number
    }

    mutating func bool(_ node: JSONNode?, at path: String) -> Bool? {
        guard let node else { return nil }
        positions[path] = node.position
        guard let flag = node.bool else {
            report(.typeMismatch, "expected true or false, found \(node.kindName)", at: path, node.position)
            return nil
        }
        return flag
    }

    /// A list of strings; a single string is accepted as a list of one.
    mutating func strings(_ node: JSONNode?, at path: String) -> [String] {
        guard let node else { return [] }
        positions[path] = node.position
        if let single = node.string { return [single] }
        guard let elements = node.elements else {
            report(.typeMismatch, "expected a string or an array of strings, found \(node.kindName)", at: path, node.position)
            return []
        }
        var result: [String] = []
        for (i, element) in elements.enumerated() {
            if let text = string(element, at: Self.index(path, i)) { result.append(text) }
        }
        return result
    }

    /// Checks that every name refers to a known id, reporting `code` for each that does not.
    mutating func checkReferences(
        _ names: [String], at path: String, known: Set<String>, candidates: [String], kind: String, code: Diagnostic.Code,
        isList: Bool = true
    ) {
        for (i, name) in names.enumerated() where !known.contains(name) {
            let itemPath = isList ? Self.index(path, i) : path
            let position = positions[itemPath] ?? positions[path]
            report(code, "unknown \(kind) \"\(name)\"", at: itemPath, position, suggesting: name, among: candidates)
        }
    }

    /// Notes names of states, checked by ``checkStateReferences(declared:)`` once every reference is known.
    mutating func referStates(_ names: [String], at path: String, isList: Bool = true) {
        for (i, name) in names.enumerated() {
            let itemPath = isList ? Self.index(path, i) : path
            stateReferences.append(StateReference(name: name, path: itemPath, position: positions[itemPath] ?? positions[path]))
        }
    }

    /// Reports references to states that do not exist.
    ///
    /// When several places name the same missing state and a declared state nobody refers to has a close name, the
    /// key is the likely typo ("awaiting_steerng" declared, "awaiting_steering" used four times): that is reported
    /// once, at the key, instead of a "did you mean" for the typo at every correct reference.
    mutating func checkStateReferences(declared states: [State]) {
        let declared = Set(states.map(\.id))
        var referenced: Set<String> = []
        var missing: [String: [StateReference]] = [:]
        var missingOrder: [String] = []
        for reference in stateReferences {
            referenced.insert(reference.name)
            guard !declared.contains(reference.name) else { continue }
            if missing[reference.name] == nil { missingOrder.append(reference.name) }
            missing[reference.name, default: []].append(reference)
        }
        guard !missingOrder.isEmpty else { return }
        var renamed: [String: String] = [:]  // missing name → the declared key that misspells it
        if missingOrder.count <= Self.misspeltKeyAnalysisLimit {
            let unreferenced = states.map(\.id).filter { !referenced.contains($0) }
            var claims: [String: [String]] = [:]
            for name in missingOrder where (missing[name]?.count ?? 0) >= 2 {
                if let key = NameSuggestion.closest(to: name, among: unreferenced) { claims[key, default: []].append(name) }
            }
            for (key, names) in claims where names.count == 1 { renamed[names[0]] = key }
        }
        let candidates = declared.sorted()
        for name in missingOrder {
            let references = missing[name] ?? []
            if let key = renamed[name] {
                let lines = Set(references.compactMap { $0.position?.line }).sorted()
                let shown = lines.prefix(10).map(String.init).joined(separator: ", ") + (lines.count > 10 ? ", …" : "")
                report(
                    .unknownState,
                    "state \"\(key)\" is never referenced; did you mean \"\(name)\", which \(references.count) places refer to?",
                    at: Self.child("states", key), positions[Self.child("states", key)],
                    hint: "rename the key to \"\(name)\""
                        + (lines.isEmpty ? "" : ", the name used on line\(lines.count == 1 ? "" : "s") \(shown)"))
                continue
            }
            for reference in references {
                report(
                    .unknownState, "unknown state \"\(name)\"", at: reference.path, reference.position, suggesting: name,
                    among: candidates)
            }
        }
    }

    // MARK: - The definition

    mutating func decode(_ root: JSONNode) -> Definition? {
        let topKeys = [
            "id", "version", "title", "description", "language", "ticketPrefix", "scopeField", "roles", "fields",
            "initial", "states", "transitions", "rules", "calendar", "meetings", "personalData", "retention", "reportBreakdowns",
            "redaction", "smallNumbers", "words", "readers",
        ]
        guard
            let top = object(
                root, at: "", allowed: topKeys,
                required: ["id", "version", "title", "ticketPrefix", "roles", "fields", "initial", "states", "transitions"])
        else { return nil }

        let id = string(top["id"], at: "id") ?? ""
        if let idNode = top["id"], !id.isEmpty,
            !(id.first?.isLowercase == true && id.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" })
        {
            report(.invalidValue, "workflow id \"\(id)\" must be lowercase letters, digits and hyphens", at: "id", idNode.position)
        }
        let version = integer(top["version"], at: "version") ?? 0
        if let node = top["version"], node.integer != nil, version < 1 {
            report(.invalidValue, "version must be 1 or more", at: "version", node.position)
        }
        let title = string(top["title"], at: "title") ?? id
        _ = string(top["description"], at: "description")
        let language = string(top["language"], at: "language") ?? "en"
        let prefix = string(top["ticketPrefix"], at: "ticketPrefix") ?? ""
        if let node = top["ticketPrefix"], !prefix.isEmpty,
            !(prefix.count <= 10 && prefix.first?.isUppercase == true
                && prefix.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) })
        {
            report(
                .invalidValue, "ticket prefix \"\(prefix)\" must be 1 to 10 uppercase letters or digits, starting with a letter",
                at: "ticketPrefix", node.position)
        }

        let roles = idMap(top["roles"], at: "roles", kind: "role") { decoder, id, node, path in
            decoder.role(id, node, at: path)
        }
        let roleIDs = Set(roles.map(\.id)).union([Definition.systemRole])
        roleCandidates = roleIDs.sorted()
        let fields = idMap(top["fields"], at: "fields", kind: "field") { decoder, id, node, path in
            decoder.field(id, node, at: path)
        }
        let fieldsByID = Dictionary(fields.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        fieldIDs = Set(fieldsByID.keys)
        fieldCandidates = fieldIDs.sorted()
        let states = idMap(top["states"], at: "states", kind: "state") { decoder, id, node, path in
            decoder.state(id, node, at: path, roles: roleIDs)
        }

        let opening = top["initial"].flatMap { self.opening($0, roles: roleIDs, fields: fieldsByID) }
        var transitions: [Transition] = []
        if let node = top["transitions"] {
            positions["transitions"] = node.position
            if let elements = node.elements {
                for (i, element) in elements.enumerated() {
                    let path = Self.index("transitions", i)
                    if let transition = transition(element, at: path, roles: roleIDs, fields: fieldsByID) {
                        transitions.append(transition)
                    }
                }
            } else {
                report(.typeMismatch, "expected an array of transitions, found \(node.kindName)", at: "transitions", node.position)
            }
        }
        var pathRules: [PathRule] = []
        if let node = top["rules"] {
            positions["rules"] = node.position
            if let elements = node.elements {
                for (i, element) in elements.enumerated() {
                    if let rule = pathRule(element, at: Self.index("rules", i)) { pathRules.append(rule) }
                }
            } else {
                report(.typeMismatch, "expected an array of rules, found \(node.kindName)", at: "rules", node.position)
            }
        }
        let scopeField = string(top["scopeField"], at: "scopeField")
        if let scopeField, let node = top["scopeField"] {
            if let field = fieldsByID[scopeField] {
                if case .choice = field.type {
                } else {
                    report(.typeMismatch, "scope field \"\(scopeField)\" must be an enum field", at: "scopeField", node.position)
                }
            } else {
                report(
                    .unknownField, "unknown field \"\(scopeField)\"", at: "scopeField", node.position, suggesting: scopeField,
                    among: fieldCandidates)
            }
        }
        let calendar = top["calendar"].map { self.calendar($0) } ?? .weekendsOnly
        let meetings = top["meetings"].flatMap { self.meetingRules($0, fields: fieldsByID) }
        let readers = top["readers"].map { readRules($0, roles: roles.map(\.id)) }
        checkStateReferences(declared: states)
        var retention: ISODuration?
        if let node = top["retention"], let keys = object(node, at: "retention", allowed: ["anonymiseAfter"], required: ["anonymiseAfter"]),
            let text = string(keys["anonymiseAfter"], at: "retention.anonymiseAfter")
        {
            retention = ISODuration(text)
            if retention == nil {
                report(
                    .invalidValue, "\"\(text)\" is not an ISO 8601 duration", at: "retention.anonymiseAfter",
                    keys["anonymiseAfter"]?.position,
                    hint: "e.g. \"P2Y\" for two years")
            } else if retention?.isWithinLimit == false {
                report(
                    .invalidValue, "\"\(text)\" is longer than the retention period may be (\(Delay.limitText))",
                    at: "retention.anonymiseAfter", keys["anonymiseAfter"]?.position)
                retention = nil
            }
        }
        let personalData = personalDataPolicy(top["personalData"])
        let redaction = top["redaction"].flatMap { self.redactionRules($0, roles: roleIDs) }
        let smallNumbers = top["smallNumbers"].flatMap { self.smallNumbers($0, roles: roleIDs, fields: fieldsByID) }
        let words = top["words"].map { self.words($0) } ?? [:]
        // The built-in words are English: a file in another language should give its own.
        let wordless = Vocabulary.Word.allCases.filter { words[$0] == nil }
        if language != "en", !wordless.isEmpty, top["meetings"] != nil || top["words"] != nil {
            diagnostics.append(
                Diagnostic(
                    .missingKey, "no word for \(wordless.count) of the exports' words (e.g. \"\(wordless[0].rawValue)\")", file: file,
                    path: "words", position: top["words"]?.position ?? root.position,
                    hint: "agendas, minutes and reports show the English word instead; give each under \"words\"", severity: .warning))
        }
        guard let opening else { return nil }
        var definition = Definition(
            id: id, version: version, title: title, language: language, ticketPrefix: prefix, roles: roles,
            fields: fields, opening: opening, states: states, transitions: transitions, pathRules: pathRules,
            scopeField: scopeField, calendar: calendar, meetings: meetings, personalData: personalData,
            retention: retention,
            reportBreakdowns: top["reportBreakdowns"].map { fieldList($0, at: "reportBreakdowns", fields: fieldsByID) },
            redaction: redaction, smallNumbers: smallNumbers, words: words)
        definition.readers = readers
        return definition
    }

    /// `"readers"`: which roles may read which tickets (`"tickets"`: `all`, `scope` — of the actor's municipality —
    /// or `own` — reported by the actor; optionally only in `"states"`).
    mutating func readRules(_ node: JSONNode, roles: [String]) -> [ReadRule] {
        guard let items = node.elements else {
            report(.typeMismatch, "expected an array of read rules, found \(node.kindName)", at: "readers", node.position)
            return []
        }
        var rules: [ReadRule] = []
        for (i, item) in items.enumerated() {
            let path = Self.index("readers", i)
            guard let keys = object(item, at: path, allowed: ["roles", "tickets", "states", "$comment"], required: ["roles", "tickets"])
            else { continue }
            let ruleRoles = strings(keys["roles"], at: Self.child(path, "roles"))
            checkReferences(
                ruleRoles, at: Self.child(path, "roles"), known: Set(roles), candidates: roles, kind: "role", code: .unknownRole)
            let states = keys["states"].map { strings($0, at: Self.child(path, "states")) }
            if let states { referStates(states, at: Self.child(path, "states")) }
            guard let text = string(keys["tickets"], at: Self.child(path, "tickets")) else { continue }
            guard let tickets = ReadRule.Tickets(rawValue: text) else {
                report(
                    .invalidValue, "\"tickets\" is \"all\", \"scope\" or \"own\", not \"\(text)\"", at: Self.child(path, "tickets"),
                    keys["tickets"]?.position)
                continue
            }
            rules.append(ReadRule(roles: ruleRoles, tickets: tickets, states: states))
        }
        return rules
    }

    /// `"redaction": { "roles": [...], "marker": "[geschwärzt]" }`: who may redact, and what replaces the removed text.
    mutating func redactionRules(_ node: JSONNode, roles: Set<String>) -> RedactionRules? {
        guard let keys = object(node, at: "redaction", allowed: ["roles", "marker"], required: ["roles", "marker"]) else { return nil }
        let names = strings(keys["roles"], at: "redaction.roles")
        checkReferences(
            names, at: "redaction.roles", known: roles.subtracting([Definition.systemRole]), candidates: roleCandidates, kind: "role",
            code: .unknownRole)
        if keys["roles"] != nil, names.isEmpty {
            report(.invalidValue, "name at least one role that may redact", at: "redaction.roles", keys["roles"]?.position)
        }
        guard let marker = string(keys["marker"], at: "redaction.marker") else { return nil }
        return RedactionRules(roles: names, marker: marker)
    }

    /// `"smallNumbers": { "below": 5, "shownAs": "<5", "fields": [...], "internalRoles": [...] }`.
    mutating func smallNumbers(_ node: JSONNode, roles: Set<String>, fields: [String: Field]) -> SmallNumbers? {
        guard let keys = object(node, at: "smallNumbers", allowed: ["below", "shownAs", "fields", "internalRoles"]) else { return nil }
        let below = integer(keys["below"], at: "smallNumbers.below") ?? 5
        if let node = keys["below"], node.integer != nil, !(2...1000).contains(below) {
            report(.invalidValue, "below must be from 2 to 1000", at: "smallNumbers.below", node.position)
        }
        let counted = keys["fields"].map { fieldList($0, at: "smallNumbers.fields", fields: fields) }
        for (index, name) in (counted ?? []).enumerated() {
            if let field = fields[name], field.type.name != "integer" {
                report(
                    .typeMismatch, "small numbers are counts: \"\(name)\" is \(field.type.name), not integer",
                    at: Self.index("smallNumbers.fields", index), positions[Self.index("smallNumbers.fields", index)])
            }
        }
        let internalRoles = strings(keys["internalRoles"], at: "smallNumbers.internalRoles")
        checkReferences(
            internalRoles, at: "smallNumbers.internalRoles", known: roles.subtracting([Definition.systemRole]), candidates: roleCandidates,
            kind: "role", code: .unknownRole)
        let integers = fields.values.filter { $0.type.name == "integer" }.map(\.id).sorted()
        return SmallNumbers(
            below: max(2, below), shownAs: string(keys["shownAs"], at: "smallNumbers.shownAs"), fields: counted ?? integers,
            internalRoles: internalRoles)
    }

    /// `"words": { "agenda": "Tagesordnung", ... }`: the words of exports, each key one of ``Vocabulary/Word``.
    mutating func words(_ node: JSONNode) -> [Vocabulary.Word: String] {
        let known = Vocabulary.Word.allCases.map(\.rawValue)
        guard let keys = object(node, at: "words", allowed: known) else { return [:] }
        var words: [Vocabulary.Word: String] = [:]
        for (key, value) in keys {
            if let word = Vocabulary.Word(rawValue: key), let text = string(value, at: Self.child("words", key), nonEmpty: false) {
                words[word] = text
            }
        }
        return words
    }

    /// `"personalData"`: `"warn"` or `"refuse"`, or an object with `mode`, `labels` (category key → phrase), `message`
    /// (a template naming `{field}` and `{found}`) and `commentTitle`.
    mutating func personalDataPolicy(_ node: JSONNode?) -> PersonalDataPolicy {
        var policy = PersonalDataPolicy()
        guard let node else { return policy }
        if node.string != nil {
            policy.mode = personalDataMode(node, at: "personalData") ?? .warn
            return policy
        }
        guard let keys = object(node, at: "personalData", allowed: ["mode", "labels", "message", "commentTitle"]) else { return policy }
        if let modeNode = keys["mode"] { policy.mode = personalDataMode(modeNode, at: "personalData.mode") ?? .warn }
        let categories = PersonalDataGuard.Category.allCases.map(\.rawValue)
        if let labelsNode = keys["labels"], let labels = object(labelsNode, at: "personalData.labels", allowed: categories) {
            for category in PersonalDataGuard.Category.allCases {
                if let text = string(labels[category.rawValue], at: Self.child("personalData.labels", category.rawValue)) {
                    policy.labels[category] = text
                }
            }
            let missing = categories.filter { labels[$0] == nil }
            if !missing.isEmpty {
                diagnostics.append(
                    Diagnostic(
                        .missingKey, "no label for \(missing.map { "\"\($0)\"" }.joined(separator: ", "))", file: file,
                        path: "personalData.labels", position: labelsNode.position,
                        hint: "messages show the category key instead; add a phrase for each", severity: .warning))
            }
        }
        if let messageNode = keys["message"], let template = string(messageNode, at: "personalData.message") {
            let names = PersonalDataPolicy.placeholders(in: template)
            for name in names where !PersonalDataPolicy.placeholders.contains(name) {
                report(
                    .invalidValue, "unknown placeholder {\(name)} in the message", at: "personalData.message", messageNode.position,
                    suggesting: name, among: PersonalDataPolicy.placeholders,
                    otherwise: "a message may use {field}, {found} and {excerpt}")
            }
            for required in ["field", "found"] where !names.contains(required) {
                report(
                    .invalidValue, "the message does not name {\(required)}", at: "personalData.message", messageNode.position,
                    hint: "a message names the field ({field}) and what was found ({found}); {excerpt} is optional")
            }
            policy.template = template
        }
        if let title = string(keys["commentTitle"], at: "personalData.commentTitle") { policy.commentTitle = title }
        return policy
    }

    mutating func personalDataMode(_ node: JSONNode, at path: String) -> PersonalDataPolicy.Mode? {
        guard let text = string(node, at: path) else { return nil }
        guard let mode = PersonalDataPolicy.Mode(rawValue: text) else {
            report(
                .invalidValue, "personalData is \"warn\" or \"refuse\", not \"\(text)\"", at: path, node.position, suggesting: text,
                among: PersonalDataPolicy.Mode.allCases.map(\.rawValue))
            return nil
        }
        return mode
    }

    mutating func role(_ id: String, _ node: JSONNode, at path: String) -> Role? {
        if let title = node.string { return Role(id: id, title: title) }
        guard let keys = object(node, at: path, allowed: ["title", "description"], required: ["title"]) else { return nil }
        _ = string(keys["description"], at: Self.child(path, "description"))
        return Role(id: id, title: string(keys["title"], at: Self.child(path, "title")) ?? id)
    }

    mutating func state(_ id: String, _ node: JSONNode, at path: String, roles: Set<String>) -> State? {
        let allowed = ["title", "owner", "final", "description", "timers", "onEnter", "meeting"]
        guard let keys = object(node, at: path, allowed: allowed, required: ["title"]) else {
            return State(id: id, title: id, owner: nil, isFinal: false, description: nil, timers: [], onEnter: [], meetingSection: nil)
        }
        if keys["owner"] == nil,
            lastUnknownKeys.contains(where: { NameSuggestion.isLikelyMisspelling($0, of: "owner", among: allowed) })
        {
            ownerKeyMisspelt.insert(id)
        }
        let owner = string(keys["owner"], at: Self.child(path, "owner"))
        if let owner {
            checkReferences(
                [owner], at: Self.child(path, "owner"), known: roles, candidates: roleCandidates, kind: "role", code: .unknownRole,
                isList: false)
        }
        return State(
            id: id, title: string(keys["title"], at: Self.child(path, "title")) ?? id, owner: owner,
            isFinal: bool(keys["final"], at: Self.child(path, "final")) ?? false,
            description: string(keys["description"], at: Self.child(path, "description")),
            timers: list(keys["timers"], at: Self.child(path, "timers"), kind: "timers") { decoder, node, itemPath in
                decoder.timer(node, at: itemPath)
            },
            onEnter: list(keys["onEnter"], at: Self.child(path, "onEnter"), kind: "notices") { decoder, node, itemPath in
                decoder.entryNotice(node, at: itemPath)
            },
            meetingSection: string(keys["meeting"], at: Self.child(path, "meeting")))
    }

    mutating func meetingRules(_ node: JSONNode, fields fieldsByID: [String: Field]) -> MeetingRules? {
        let allowed = [
            "submissionDays", "openingItems", "statusItem", "sections", "closingItems", "itemFields", "paper", "feedback", "public",
            "checkpointTitle", "decisions", "letterhead",
        ]
        guard let keys = object(node, at: "meetings", allowed: allowed, required: ["sections"]) else { return nil }
        let days = integer(keys["submissionDays"], at: "meetings.submissionDays") ?? 10
        if !(0...365).contains(days) {
            report(.invalidValue, "submissionDays must be from 0 to 365", at: "meetings.submissionDays", keys["submissionDays"]?.position)
        }
        let sections = idMap(keys["sections"], at: "meetings.sections", kind: "section") { decoder, id, node, path in
            decoder.string(node, at: path).map { MeetingRules.Section(id: id, title: $0) }
        }
        var statusItem: MeetingRules.StatusItem?
        if let statusNode = keys["statusItem"],
            let status = object(
                statusNode, at: "meetings.statusItem", allowed: ["title", "state", "fields", "overdue"], required: ["title", "state"]),
            let title = string(status["title"], at: "meetings.statusItem.title")
        {
            let states = strings(status["state"], at: "meetings.statusItem.state")
            referStates(states, at: "meetings.statusItem.state", isList: status["state"]?.elements != nil)
            let overdue = status["overdue"].flatMap { string($0, at: "meetings.statusItem.overdue") }
            if let overdue, fieldsByID[overdue]?.type.name != "date" {
                report(
                    .invalidValue, "\"\(overdue)\" must name a date field", at: "meetings.statusItem.overdue",
                    status["overdue"]?.position)
            }
            statusItem = MeetingRules.StatusItem(
                title: title, states: states, fields: strings(status["fields"], at: "meetings.statusItem.fields"),
                overdueField: overdue)
        }
        var paper: MeetingRules.Paper?
        if let node = keys["paper"],
            let paperKeys = object(
                node, at: "meetings.paper", allowed: ["facts", "proposal", "finance", "involved", "compare"],
                required: ["facts", "proposal"])
        {
            var read = MeetingRules.Paper(
                facts: strings(paperKeys["facts"], at: "meetings.paper.facts"),
                proposal: strings(paperKeys["proposal"], at: "meetings.paper.proposal"))
            read.finance = strings(paperKeys["finance"], at: "meetings.paper.finance")
            read.involved = strings(paperKeys["involved"], at: "meetings.paper.involved")
            read.compare = strings(paperKeys["compare"], at: "meetings.paper.compare")
            paper = read
        }
        var feedback: MeetingRules.Feedback?
        if let node = keys["feedback"],
            let feedbackKeys = object(node, at: "meetings.feedback", allowed: ["state", "outcome"], required: ["state", "outcome"]),
            let state = string(feedbackKeys["state"], at: "meetings.feedback.state")
        {
            referStates([state], at: "meetings.feedback.state", isList: false)
            feedback = MeetingRules.Feedback(state: state, outcome: strings(feedbackKeys["outcome"], at: "meetings.feedback.outcome"))
        }
        // Which points of the agenda are public (OParl's `public`): the fixed items, the status item, and sections by id.
        let publicPoints = strings(keys["public"], at: "meetings.public")
        let pointNames = MeetingRules.fixedPointNames + sections.map(\.id)
        checkReferences(
            publicPoints, at: "meetings.public", known: Set(pointNames), candidates: pointNames, kind: "agenda point",
            code: .invalidValue, isList: keys["public"]?.elements != nil)
        var rules = MeetingRules(
            submissionDays: max(0, days), openingItems: strings(keys["openingItems"], at: "meetings.openingItems"),
            statusItem: statusItem, sections: sections, closingItems: strings(keys["closingItems"], at: "meetings.closingItems"),
            itemFields: strings(keys["itemFields"], at: "meetings.itemFields"), paper: paper, feedback: feedback,
            publicPoints: Set(publicPoints), checkpointTitle: string(keys["checkpointTitle"], at: "meetings.checkpointTitle"))
        rules.decisionEvents = Set(strings(keys["decisions"], at: "meetings.decisions"))
        rules.letterhead = strings(keys["letterhead"], at: "meetings.letterhead")
        return rules
    }

    /// Reads an array, decoding each element with `body`.
    mutating func list<T>(
        _ node: JSONNode?, at path: String, kind: String, _ body: (inout DefinitionDecoder, JSONNode, String) -> T?
    ) -> [T] {
        guard let node else { return [] }
        positions[path] = node.position
        guard let elements = node.elements else {
            report(.typeMismatch, "expected an array of \(kind), found \(node.kindName)", at: path, node.position)
            return []
        }
        return elements.enumerated().compactMap { body(&self, $1, Self.index(path, $0)) }
    }

    mutating func timer(_ node: JSONNode, at path: String) -> TimerSpec? {
        let allowed = ["id", "after", "before", "relativeTo", "notify", "fire", "message", "whenLate", "description"]
        guard let keys = object(node, at: path, allowed: allowed, required: ["id"]) else { return nil }
        let unknownKeys = lastUnknownKeys
        guard let id = string(keys["id"], at: Self.child(path, "id")) else { return nil }
        if let idNode = keys["id"] { checkIdentifier(id, kind: "timer", at: Self.child(path, "id"), idNode.position) }
        _ = string(keys["description"], at: Self.child(path, "description"))
        let relativeTo = string(keys["relativeTo"], at: Self.child(path, "relativeTo"))
        let delayKeys = ["after", "before"].filter { keys[$0] != nil }
        guard delayKeys.count == 1, let delayKey = delayKeys.first, let delayNode = keys[delayKey] else {
            report(
                .invalidValue,
                delayKeys.isEmpty ? "a timer needs \"after\" (or \"before\" a date field)" : "a timer takes either \"after\" or \"before\"",
                at: path, node.position, hint: "e.g. \"after\": \"P14D\" or \"after\": { \"businessDays\": 10 }")
            return nil
        }
        if delayKey == "before" && relativeTo == nil {
            report(
                .invalidValue, "\"before\" needs \"relativeTo\": a date field", at: Self.child(path, "before"), delayNode.position)
            return nil
        }
        guard let delay = delay(delayNode, at: Self.child(path, delayKey)) else { return nil }
        let misspelt = unknownKeys.contains { key in
            ["notify", "fire"].contains { NameSuggestion.isLikelyMisspelling(key, of: $0, among: allowed) }
        }
        if keys["notify"] == nil && keys["fire"] == nil && !misspelt {
            report(.missingKey, "a timer needs \"notify\" (a role), \"fire\" (an event), or both", at: path, node.position)
        }
        var whenLate = TimerSpec.LatePolicy.fire
        if let policy = string(keys["whenLate"], at: Self.child(path, "whenLate")) {
            guard let parsed = TimerSpec.LatePolicy(rawValue: policy) else {
                report(
                    .invalidValue, "unknown late policy \"\(policy)\"", at: Self.child(path, "whenLate"), keys["whenLate"]?.position,
                    hint: "use \"fire\" (fire once, late) or \"skip\"")
                return nil
            }
            whenLate = parsed
        }
        return TimerSpec(
            id: id, anchor: relativeTo.map { .field($0, before: delayKey == "before") } ?? .entered, delay: delay,
            notify: string(keys["notify"], at: Self.child(path, "notify")), fire: string(keys["fire"], at: Self.child(path, "fire")),
            message: string(keys["message"], at: Self.child(path, "message")), whenLate: whenLate, sourcePath: path)
    }

    /// `"P14D"` / `"PT4H"` (ISO 8601) or `{ "businessDays": 10 }`.
    mutating func delay(_ node: JSONNode, at path: String) -> Delay? {
        positions[path] = node.position
        if let text = node.string {
            guard let duration = ISODuration(text) else {
                report(
                    .invalidValue, "\"\(text)\" is not an ISO 8601 duration", at: path, node.position,
                    hint: "e.g. \"P14D\", \"P2W\", \"PT4H\", or { \"businessDays\": 10 }")
                return nil
            }
            guard duration.isWithinLimit else {
                report(
                    .invalidValue, "\"\(text)\" is longer than a timer may wait (\(Delay.limitText))", at: path, node.position,
                    hint: "a reminder or deadline waits at most 10 years")
                return nil
            }
            return .duration(duration)
        }
        guard let keys = object(node, at: path, allowed: ["businessDays"], required: ["businessDays"]),
            let days = integer(keys["businessDays"], at: Self.child(path, "businessDays"))
        else { return nil }
        guard days > 0 else {
            report(.invalidValue, "businessDays must be 1 or more", at: Self.child(path, "businessDays"), keys["businessDays"]?.position)
            return nil
        }
        guard days <= Delay.maximumBusinessDays else {
            report(
                .invalidValue, "businessDays must be at most \(Delay.maximumBusinessDays) (\(Delay.limitText))",
                at: Self.child(path, "businessDays"), keys["businessDays"]?.position)
            return nil
        }
        return .businessDays(days)
    }

    mutating func entryNotice(_ node: JSONNode, at path: String) -> EntryNotice? {
        guard let keys = object(node, at: path, allowed: ["notify", "message"], required: ["notify", "message"]),
            let role = string(keys["notify"], at: Self.child(path, "notify")),
            let message = string(keys["message"], at: Self.child(path, "message"))
        else { return nil }
        return EntryNotice(notify: role, message: message, sourcePath: path)
    }

    mutating func calendar(_ node: JSONNode) -> BusinessCalendar {
        guard let keys = object(node, at: "calendar", allowed: ["region", "timeZone", "closingDays"]) else { return .weekendsOnly }
        var region = string(keys["region"], at: "calendar.region")
        if let name = region, GermanHolidays.byRegion[name] == nil {
            report(
                .invalidValue, "no holiday table for region \"\(name)\"", at: "calendar.region", keys["region"]?.position,
                hint: "known: \(GermanHolidays.byRegion.keys.sorted().joined(separator: ", "))")
            region = nil
        }
        var timeZone = TimeZone.berlin
        if let name = string(keys["timeZone"], at: "calendar.timeZone") {
            if let zone = TimeZone(identifier: name) {
                timeZone = zone
            } else {
                report(.invalidValue, "unknown time zone \"\(name)\"", at: "calendar.timeZone", keys["timeZone"]?.position)
            }
        }
        let closingDays = list(keys["closingDays"], at: "calendar.closingDays", kind: "closing days") { decoder, node, path in
            decoder.closingDay(node, at: path)
        }
        return BusinessCalendar(region: region, closingDays: closingDays, timeZone: timeZone)
    }

    /// `{ "date": "2027-06-04", "title": … }`, `{ "month": 12, "day": 24, "title": … }` or `{ "easter": -48, "title": … }`.
    mutating func closingDay(_ node: JSONNode, at path: String) -> HolidayRule? {
        guard let keys = object(node, at: path, allowed: ["date", "month", "day", "easter", "title"], required: ["title"]),
            let title = string(keys["title"], at: Self.child(path, "title"))
        else { return nil }
        if let text = string(keys["date"], at: Self.child(path, "date")) {
            guard let date = LocalDate(parsing: text) else {
                report(.invalidValue, "\"\(text)\" is not a date", at: Self.child(path, "date"), keys["date"]?.position)
                return nil
            }
            return .date(date, title: title)
        }
        if let offset = integer(keys["easter"], at: Self.child(path, "easter")) {
            guard (-366...366).contains(offset) else {
                report(.invalidValue, "easter must be from -366 to 366 days", at: Self.child(path, "easter"), keys["easter"]?.position)
                return nil
            }
            return .easter(offset: offset, title: title)
        }
        if let month = integer(keys["month"], at: Self.child(path, "month")), let day = integer(keys["day"], at: Self.child(path, "day")),
            LocalDate(year: 2024, month: month, day: day) != nil
        {
            return .fixed(month: month, day: day, title: title)
        }
        report(
            .invalidValue, "a closing day needs \"date\", \"easter\" (days from Easter Sunday), or a valid \"month\" and \"day\"", at: path,
            node.position)
        return nil
    }

    mutating func field(_ id: String, _ node: JSONNode, at path: String) -> Field? {
        let allowed = [
            "type", "title", "description", "maxLength", "minimum", "maximum", "values", "groups", "mustBeOpen", "fromGroupRegister",
        ]
        guard let keys = object(node, at: path, allowed: allowed, required: ["type", "title"]) else { return nil }
        let title = string(keys["title"], at: Self.child(path, "title")) ?? id
        let description = string(keys["description"], at: Self.child(path, "description"))
        guard let typeName = string(keys["type"], at: Self.child(path, "type")) else { return nil }
        let typeNames = ["text", "longText", "integer", "date", "enum", "set", "ticket"]
        let applicable: [String: [String]] = [
            "text": ["maxLength", "fromGroupRegister"], "longText": ["maxLength"], "integer": ["minimum", "maximum"], "date": [],
            "enum": ["values", "groups"], "set": ["values", "groups"], "ticket": ["mustBeOpen"],
        ]
        guard let usable = applicable[typeName] else {
            report(
                .invalidValue, "unknown field type \"\(typeName)\"", at: Self.child(path, "type"), keys["type"]?.position,
                hint: "use one of \(typeNames.joined(separator: ", "))"
                    + (NameSuggestion.hint(for: typeName, among: typeNames).map { "; \($0)" } ?? ""))
            return nil
        }
        for key in ["maxLength", "minimum", "maximum", "values", "groups", "mustBeOpen", "fromGroupRegister"]
        where keys[key] != nil && !usable.contains(key) {
            report(
                .unknownKey, "key \"\(key)\" does not apply to a field of type \"\(typeName)\"", at: Self.child(path, key),
                keys[key]?.position)
        }
        let type: FieldType
        switch typeName {
        case "text": type = .text(maxLength: integer(keys["maxLength"], at: Self.child(path, "maxLength")))
        case "longText": type = .longText(maxLength: integer(keys["maxLength"], at: Self.child(path, "maxLength")))
        case "integer":
            type = .integer(
                minimum: integer(keys["minimum"], at: Self.child(path, "minimum")),
                maximum: integer(keys["maximum"], at: Self.child(path, "maximum")))
        case "date": type = .date
        case "ticket": type = .ticket(mustBeOpen: bool(keys["mustBeOpen"], at: Self.child(path, "mustBeOpen")) ?? false)
        default:
            let choices = self.choices(keys, at: path, isSet: typeName == "set")
            type = typeName == "set" ? .choiceSet(choices) : .choice(choices)
        }
        var field = Field(id: id, title: title, type: type, description: description)
        field.fromGroupRegister =
            usable.contains("fromGroupRegister") && (bool(keys["fromGroupRegister"], at: Self.child(path, "fromGroupRegister")) ?? false)
        return field
    }

    mutating func choices(_ keys: [String: JSONNode], at path: String, isSet: Bool) -> Choices {
        var groups: [Choices.Group] = []
        if let node = keys["groups"] {
            let groupsPath = Self.child(path, "groups")
            groups = idMap(node, at: groupsPath, kind: "group") { decoder, id, node, itemPath in
                decoder.string(node, at: itemPath).map { Choices.Group(id: id, title: $0) }
            }
        }
        let groupIDs = Set(groups.map(\.id))
        let groupCandidates = groupIDs.sorted()
        let valuesPath = Self.child(path, "values")
        guard let node = keys["values"] else {
            report(.missingKey, "missing required key \"values\" (the allowed values)", at: path, positions[path])
            return Choices(values: [], groups: groups)
        }
        positions[valuesPath] = node.position
        guard let elements = node.elements, !elements.isEmpty else {
            report(.typeMismatch, "expected a non-empty array of allowed values, found \(node.kindName)", at: valuesPath, node.position)
            return Choices(values: [], groups: groups)
        }
        var values: [Choices.Value] = []
        var seen: [String: SourcePosition] = [:]
        for (i, element) in elements.enumerated() {
            let itemPath = Self.index(valuesPath, i)
            let value: Choices.Value
            if element.string != nil {
                guard let text = string(element, at: itemPath) else { continue }
                value = Choices.Value(id: text, title: text, group: nil)
            } else if element.members != nil {
                guard let entry = object(element, at: itemPath, allowed: ["value", "title", "group"], required: ["value"]),
                    let id = string(entry["value"], at: Self.child(itemPath, "value"))
                else { continue }
                let group = string(entry["group"], at: Self.child(itemPath, "group"))
                if let group, !groupIDs.contains(group) {
                    report(
                        .unknownGroup, "unknown group \"\(group)\"", at: Self.child(itemPath, "group"), entry["group"]?.position,
                        suggesting: group, among: groupCandidates, otherwise: groups.isEmpty ? "declare it under \"groups\"" : nil)
                }
                value = Choices.Value(id: id, title: string(entry["title"], at: Self.child(itemPath, "title")) ?? id, group: group)
            } else {
                report(
                    .typeMismatch, "expected a string or an object with \"value\", found \(element.kindName)", at: itemPath,
                    element.position)
                continue
            }
            if let first = seen[value.id] {
                report(.duplicateID, "value \"\(value.id)\" is listed twice (first at line \(first.line))", at: itemPath, element.position)
                continue
            }
            if isSet && value.id.contains(",") {
                report(
                    .invalidValue, "a set's value \"\(value.id)\" cannot contain a comma (sets are written comma-separated)",
                    at: itemPath, element.position, hint: "give it a short \"value\" and put the text in \"title\"")
            }
            seen[value.id] = element.position
            values.append(value)
        }
        return Choices(values: values, groups: groups)
    }

    /// Checks a list of field names and returns them.
    mutating func fieldList(_ node: JSONNode?, at path: String, fields: [String: Field]) -> [String] {
        let names = strings(node, at: path)
        checkReferences(
            names, at: path, known: fieldIDs, candidates: fieldCandidates, kind: "field", code: .unknownField,
            isList: node?.elements != nil)
        return names
    }

    mutating func opening(_ node: JSONNode, roles: Set<String>, fields: [String: Field]) -> Opening? {
        guard let keys = object(node, at: "initial", allowed: ["state", "roles", "requires", "sets"], required: ["state", "roles"])
        else { return nil }
        let state = string(keys["state"], at: "initial.state") ?? ""
        if keys["state"] != nil && !state.isEmpty {
            referStates([state], at: "initial.state", isList: false)
        }
        let roleNames = strings(keys["roles"], at: "initial.roles")
        checkReferences(
            roleNames, at: "initial.roles", known: roles, candidates: roleCandidates, kind: "role", code: .unknownRole,
            isList: keys["roles"]?.elements != nil)
        if roleNames.isEmpty, let node = keys["roles"] {
            report(.invalidValue, "at least one role must be allowed to open tickets", at: "initial.roles", node.position)
        }
        return Opening(
            state: state, roles: roleNames,
            requires: fieldList(keys["requires"], at: "initial.requires", fields: fields),
            sets: fieldList(keys["sets"], at: "initial.sets", fields: fields))
    }

    mutating func transition(
        _ node: JSONNode, at path: String, roles: Set<String>, fields: [String: Field]
    ) -> Transition? {
        let allowed = [
            "event", "title", "from", "to", "roles", "requires", "requiresNew", "sets", "condition", "description", "membersOf", "notices",
            "merge", "outcome",
        ]
        guard let keys = object(node, at: path, allowed: allowed, required: ["event", "title", "from", "roles"]) else { return nil }
        let event = string(keys["event"], at: Self.child(path, "event")) ?? ""
        if let eventNode = keys["event"], !event.isEmpty {
            checkIdentifier(event, kind: "event", at: Self.child(path, "event"), eventNode.position)
        }
        let fromPath = Self.child(path, "from")
        let from = strings(keys["from"], at: fromPath)
        referStates(from, at: fromPath, isList: keys["from"]?.elements != nil)
        if from.isEmpty, let fromNode = keys["from"] {
            report(.invalidValue, "a transition needs at least one source state", at: fromPath, fromNode.position)
        }
        let to = string(keys["to"], at: Self.child(path, "to"))
        if let to { referStates([to], at: Self.child(path, "to"), isList: false) }
        let rolesPath = Self.child(path, "roles")
        let roleNames = strings(keys["roles"], at: rolesPath)
        checkReferences(
            roleNames, at: rolesPath, known: roles, candidates: roleCandidates, kind: "role", code: .unknownRole,
            isList: keys["roles"]?.elements != nil)
        if roleNames.isEmpty, let rolesNode = keys["roles"] {
            report(.invalidValue, "at least one role must be allowed to fire \"\(event)\"", at: rolesPath, rolesNode.position)
        }
        _ = string(keys["description"], at: Self.child(path, "description"))
        let condition = keys["condition"].flatMap { self.condition($0, at: Self.child(path, "condition"), fields: fields) }
        var transition = Transition(
            event: event, title: string(keys["title"], at: Self.child(path, "title")) ?? event, from: from, to: to,
            roles: roleNames, requires: fieldList(keys["requires"], at: Self.child(path, "requires"), fields: fields),
            requiresNew: fieldList(keys["requiresNew"], at: Self.child(path, "requiresNew"), fields: fields),
            sets: fieldList(keys["sets"], at: Self.child(path, "sets"), fields: fields), condition: condition)
        let membersPath = Self.child(path, "membersOf")
        if let name = string(keys["membersOf"], at: membersPath) {
            if fields[name]?.fromGroupRegister == true {
                transition.membersOf = name
            } else {
                report(
                    .unknownField, "\"membersOf\" must name a field with \"fromGroupRegister\": true, not \"\(name)\"", at: membersPath,
                    keys["membersOf"]?.position)
            }
        }
        if let node = keys["notices"] {
            transition.notices = list(node, at: Self.child(path, "notices"), kind: "notices") { decoder, node, itemPath in
                decoder.transitionNotice(node, at: itemPath, roles: roles)
            }
        }
        if let node = keys["merge"] { transition.merge = mergeRule(node, at: Self.child(path, "merge"), fields: fields) }
        transition.outcome = string(keys["outcome"], at: Self.child(path, "outcome"))
        return transition
    }

    /// A transition's notice: `notify` (a role), `message`, and optional `to` (`scope`, `reporters`, `everyone`).
    mutating func transitionNotice(_ node: JSONNode, at path: String, roles: Set<String>) -> EntryNotice? {
        guard let keys = object(node, at: path, allowed: ["notify", "message", "to"], required: ["notify", "message"]),
            let role = string(keys["notify"], at: Self.child(path, "notify")),
            let message = string(keys["message"], at: Self.child(path, "message"))
        else { return nil }
        if !roles.contains(role) {
            report(.unknownRole, "unknown role \"\(role)\"", at: Self.child(path, "notify"), keys["notify"]?.position)
        }
        var notice = EntryNotice(notify: role, message: message, sourcePath: path)
        if let to = string(keys["to"], at: Self.child(path, "to")) {
            guard let audience = Notice.Audience(rawValue: to) else {
                report(
                    .invalidValue, "\"to\" must be scope, reporters or everyone, not \"\(to)\"", at: Self.child(path, "to"),
                    keys["to"]?.position)
                return nil
            }
            notice.audience = audience
        }
        return notice
    }

    /// A merge rule: `into` (a ticket field), `sums` (integer fields), `collects` ({source field: target set field}).
    mutating func mergeRule(_ node: JSONNode, at path: String, fields: [String: Field]) -> MergeRule? {
        guard let keys = object(node, at: path, allowed: ["into", "sums", "collects"], required: ["into"]),
            let into = string(keys["into"], at: Self.child(path, "into"))
        else { return nil }
        if case .ticket = fields[into]?.type {
        } else {
            report(
                .unknownField, "\"into\" must name a ticket field, not \"\(into)\"", at: Self.child(path, "into"), keys["into"]?.position)
        }
        let sums = strings(keys["sums"], at: Self.child(path, "sums"))
        for name in sums {
            if case .integer = fields[name]?.type {
            } else {
                report(
                    .unknownField, "\"sums\" must name integer fields, not \"\(name)\"", at: Self.child(path, "sums"),
                    keys["sums"]?.position)
            }
        }
        var collects: [(from: String, into: String)] = []
        if let collectsNode = keys["collects"],
            let members = object(collectsNode, at: Self.child(path, "collects"), allowed: fields.keys.sorted())
        {
            for name in members.keys.sorted() {
                guard let target = string(members[name], at: Self.child(Self.child(path, "collects"), name)) else { continue }
                if case .choiceSet = fields[target]?.type {
                } else {
                    report(
                        .unknownField, "\"collects\" must lead into a set field, not \"\(target)\"",
                        at: Self.child(Self.child(path, "collects"), name), members[name]?.position)
                }
                collects.append((name, target))
            }
        }
        return MergeRule(into: into, sums: sums, collects: collects)
    }

    mutating func condition(_ node: JSONNode, at path: String, fields: [String: Field]) -> Condition? {
        let allowed = ["all", "any", "not", "field", "op", "value", "values", "today", "description"]
        guard let keys = object(node, at: path, allowed: allowed) else { return nil }
        let description = string(keys["description"], at: Self.child(path, "description"))
        let combinators = ["all", "any", "not", "field"].filter { keys[$0] != nil }
        guard combinators.count == 1, let kind = combinators.first else {
            report(
                .invalidValue,
                combinators.isEmpty
                    ? "a condition needs one of \"all\", \"any\", \"not\" or \"field\""
                    : "a condition takes only one of \(combinators.map { "\"\($0)\"" }.joined(separator: ", "))",
                at: path, node.position, hint: "nest conditions with \"all\" or \"any\"")
            return nil
        }
        switch kind {
        case "all", "any":
            let listPath = Self.child(path, kind)
            guard let listNode = keys[kind], let elements = listNode.elements, !elements.isEmpty else {
                report(.typeMismatch, "\"\(kind)\" takes a non-empty array of conditions", at: listPath, keys[kind]?.position)
                return nil
            }
            let parts = elements.enumerated().compactMap { condition($1, at: Self.index(listPath, $0), fields: fields) }
            guard parts.count == elements.count else { return nil }
            return kind == "all" ? .all(parts, description: description) : .any(parts, description: description)
        case "not":
            guard let inner = keys["not"].flatMap({ condition($0, at: Self.child(path, "not"), fields: fields) }) else { return nil }
            return .not(inner, description: description)
        default:
            return comparison(keys, at: path, fields: fields, description: description)
        }
    }

    mutating func comparison(_ keys: [String: JSONNode], at path: String, fields: [String: Field], description: String?) -> Condition? {
        let fieldPath = Self.child(path, "field")
        let opPath = Self.child(path, "op")
        guard let fieldName = string(keys["field"], at: fieldPath) else { return nil }
        guard let field = fields[fieldName] else {
            report(
                .unknownField, "unknown field \"\(fieldName)\"", at: fieldPath, keys["field"]?.position,
                suggesting: fieldName, among: fieldCandidates)
            return nil
        }
        guard let opNode = keys["op"] else {
            report(.missingKey, "missing required key \"op\"", at: path, positions[path])
            return nil
        }
        guard let opName = string(opNode, at: opPath) else { return nil }
        guard let op = Condition.Comparison(rawValue: opName) else {
            let names = Condition.Comparison.allCases.map(\.rawValue)
            report(
                .invalidValue, "unknown comparison \"\(opName)\"", at: opPath, opNode.position,
                hint: "use one of \(names.joined(separator: ", "))")
            return nil
        }
        let operandKeys = ["value", "values", "today"].filter { keys[$0] != nil }
        let expected: String? =
            switch op {
            case .set, .unset: nil
            case .in: "values"
            case .contains, .eq, .ne: "value"
            case .lt, .le, .gt, .ge: field.type == .date ? "value\" or \"today" : "value"
            }
        let operandKey = operandKeys.first
        let fits = operandKeys.count <= 1 && (expected?.contains(operandKey ?? "∅") ?? (operandKey == nil))
        guard fits else {
            report(
                .invalidValue,
                expected.map { "comparison \"\(opName)\" takes \"\($0)\"" } ?? "comparison \"\(opName)\" takes no value",
                at: path, positions[path])
            return nil
        }
        // Which comparisons make sense for which field types.
        let ordered: Bool
        switch field.type {
        case .integer, .date: ordered = true
        default: ordered = false
        }
        let isSet = if case .choiceSet = field.type { true } else { false }
        if ([.lt, .le, .gt, .ge].contains(op) && !ordered) || (op == .contains && !isSet) || (op == .in && isSet) {
            report(
                .typeMismatch, "comparison \"\(opName)\" does not apply to field \"\(fieldName)\" of type \(field.type.name)",
                at: opPath, opNode.position)
            return nil
        }
        let operand: Condition.Operand
        switch operandKey {
        case nil:
            operand = .none
        case "today":
            guard let offset = integer(keys["today"], at: Self.child(path, "today")) else { return nil }
            guard abs(offset) <= Delay.maximumDays else {
                report(
                    .invalidValue, "today must be within \(Delay.maximumDays) days (\(Delay.limitText))", at: Self.child(path, "today"),
                    keys["today"]?.position)
                return nil
            }
            operand = .today(offsetDays: offset)
        case "values":
            let valuesPath = Self.child(path, "values")
            guard let elements = keys["values"]?.elements else {
                report(.typeMismatch, "\"values\" takes an array", at: valuesPath, keys["values"]?.position)
                return nil
            }
            var values: [FieldValue] = []
            for (i, element) in elements.enumerated() {
                guard let value = literal(element, for: field, at: Self.index(valuesPath, i), element: false) else { return nil }
                values.append(value)
            }
            operand = .values(values)
        default:
            guard let node = keys["value"], let value = literal(node, for: field, at: Self.child(path, "value"), element: op == .contains)
            else { return nil }
            operand = .value(value)
        }
        return .compare(field: fieldName, op: op, operand: operand, description: description)
    }

    /// A literal in a condition, checked against the field's type (`element`: one value of a set field).
    mutating func literal(_ node: JSONNode, for field: Field, at path: String, element: Bool) -> FieldValue? {
        positions[path] = node.position
        var type = field.type
        if element, case .choiceSet(let choices) = field.type { type = .choice(choices) }
        switch type.value(from: .json(node)) {
        case .success(let value?):
            if element, case .choice(let id) = value { return .choices([id]) }
            return value
        case .success(nil):
            report(.typeMismatch, "null cannot be compared; use \"op\": \"unset\"", at: path, node.position)
        case .failure(let error):
            report(.typeMismatch, "value does not fit field \"\(field.id)\" (\(field.type.name)): \(error)", at: path, node.position)
        }
        return nil
    }

    mutating func pathRule(_ node: JSONNode, at path: String) -> PathRule? {
        guard
            let keys = object(
                node, at: path, allowed: ["kind", "into", "through", "description"], required: ["kind", "into", "through"])
        else { return nil }
        if let kind = string(keys["kind"], at: Self.child(path, "kind")), kind != "passesThrough" {
            report(
                .invalidValue, "unknown rule kind \"\(kind)\"", at: Self.child(path, "kind"), keys["kind"]?.position,
                hint: "the only kind is \"passesThrough\"")
            return nil
        }
        guard let into = string(keys["into"], at: Self.child(path, "into")),
            let through = string(keys["through"], at: Self.child(path, "through"))
        else { return nil }
        referStates([into], at: Self.child(path, "into"), isList: false)
        referStates([through], at: Self.child(path, "through"), isList: false)
        return PathRule(into: into, through: through, description: string(keys["description"], at: Self.child(path, "description")))
    }

}
