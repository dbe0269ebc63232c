/// One problem found in a definition file: what, where, and how to fix it.
///
/// Every code is explained in <doc:DefinitionFormat#What-the-validator-checks>.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    /// Whether the problem stops the definition from being used.
    public enum Severity: String, Sendable {
        case error, warning
    }

    /// Stable, machine-readable codes; tests and scripts may rely on them.
    public enum Code: String, Sendable, CaseIterable {
        case fileUnreadable = "FILE_UNREADABLE"
        case syntaxError = "SYNTAX_ERROR"
        case invalidUTF8 = "INVALID_UTF8"
        case unknownKey = "UNKNOWN_KEY"
        case missingKey = "MISSING_KEY"
        case duplicateKey = "DUPLICATE_KEY"
        case typeMismatch = "TYPE_MISMATCH"
        case invalidValue = "INVALID_VALUE"
        case duplicateID = "DUPLICATE_ID"
        case unknownState = "UNKNOWN_STATE"
        case unknownRole = "UNKNOWN_ROLE"
        case unknownField = "UNKNOWN_FIELD"
        case unknownGroup = "UNKNOWN_GROUP"
        case missingOwner = "MISSING_OWNER"
        case finalStateHasTransitions = "FINAL_STATE_HAS_TRANSITIONS"
        case finalStateHasOwner = "FINAL_STATE_HAS_OWNER"
        case duplicateTransition = "DUPLICATE_TRANSITION"
        case noFinalState = "NO_FINAL_STATE"
        case unreachableState = "UNREACHABLE_STATE"
        case noWayOut = "NO_WAY_OUT"
        case happyPathOnly = "HAPPY_PATH_ONLY"
        case pathRuleViolated = "PATH_RULE_VIOLATED"
        case unknownEvent = "UNKNOWN_EVENT"
        case eventNotFromState = "EVENT_NOT_FROM_STATE"
        case systemNotAllowed = "SYSTEM_NOT_ALLOWED"
        case unknownSection = "UNKNOWN_SECTION"
    }

    public var severity: Severity
    public var code: Code
    public var message: String
    public var file: String
    /// The JSON path of the offending value, e.g. `transitions[3].to`; empty for the whole document.
    public var path: String
    public var position: SourcePosition?
    public var hint: String?
    /// A "did you mean" still to be worked out: done by the loader only for the diagnostics it keeps, since comparing
    /// names costs time and a file may have hundreds of thousands of problems.
    var suggestion: Suggestion?

    /// A name to suggest a replacement for, among candidates; the hint stays as it is when none is close.
    struct Suggestion: Sendable, Equatable {
        var name: String
        var candidates: [String]
    }

    public init(
        _ code: Code, _ message: String, file: String, path: String, position: SourcePosition?,
        hint: String? = nil, severity: Severity = .error
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.file = file
        self.path = path
        self.position = position
        self.hint = hint
    }

    /// A diagnostic whose hint is "did you mean" a candidate close to `name`, worked out when the diagnostic is kept.
    init(
        _ code: Code, _ message: String, file: String, path: String, position: SourcePosition?, suggesting name: String,
        among candidates: [String], otherwise hint: String? = nil, severity: Severity = .error
    ) {
        self.init(code, message, file: file, path: path, position: position, hint: hint, severity: severity)
        suggestion = Suggestion(name: name, candidates: candidates)
    }

    /// The diagnostic with its suggestion worked out into the hint.
    func resolved() -> Diagnostic {
        guard let suggestion else { return self }
        var copy = self
        copy.suggestion = nil
        if let text = NameSuggestion.hint(for: suggestion.name, among: suggestion.candidates) { copy.hint = text }
        return copy
    }

    /// `file:line:column: error: CODE at path: message (hint: …)`, the way compilers print it.
    public var description: String {
        var text = file
        if let position { text += ":\(position.line):\(position.column)" }
        text += ": \(severity.rawValue): \(code.rawValue)"
        if !path.isEmpty { text += " at \(path)" }
        text += ": \(message)"
        if let hint { text += " (hint: \(hint))" }
        return text
    }
}
