import GapFlow

/// A workflow as a diagram: Mermaid (renders where the repository is viewed) or Graphviz DOT.
///
/// States show their titles and owning roles, final states are marked, timers appear on their states, and edges
/// carry the event's title and roles. Optionally each state shows how many open tickets stand there and how many
/// are overdue, and one ticket's path is highlighted.
public enum DiagramExport {
    /// Extra information drawn on the diagram.
    public struct Annotations: Sendable {
        /// Open tickets and overdue ones per state; small ones masked as the workflow says unless `unmasked`.
        public var counts: [String: (open: Int, overdue: Int)]?
        /// Whether counts are shown as they are (internal figures).
        public var unmasked = false
        /// A ticket's path: the (from, to, event) steps it took, and where it stands.
        public var path: [(from: String, to: String, event: String)]?
        public var current: String?

        public init(
            counts: [String: (open: Int, overdue: Int)]? = nil, path: [(from: String, to: String, event: String)]? = nil,
            current: String? = nil
        ) {
            self.counts = counts
            self.path = path
            self.current = current
        }
    }

    static func stateLines(_ state: State, _ definition: Definition, _ annotations: Annotations) -> [String] {
        var lines = [state.title]
        if let owner = state.owner { lines.append("(\(definition.role(owner)?.title ?? owner))") }
        for timer in state.timers {
            let anchor: String
            switch timer.anchor {
            case .entered: anchor = "nach \(delayText(timer.delay, definition, dative: true))"
            case .field(let name, let before):
                anchor = "\(delayText(timer.delay, definition)) \(before ? "vor" : "nach") \(definition.field(name)?.title ?? name)"
            }
            let action = [timer.fire.map { "→ \($0)" }, timer.notify.map { "an \(definition.role($0)?.title ?? $0)" }].compactMap { $0 }
            // A word, not an emoji: the fonts of printers and Graphviz often lack emoji.
            lines.append("\(definition.language == "de" ? "Frist" : "Timer"): \(anchor) – \(action.joined(separator: ", "))")
        }
        if let count = annotations.counts?[state.id] {
            let small = definition.smallNumbers
            let shown = { (value: Int) in small.text(value, internal: annotations.unmasked) }
            lines.append(
                "\(definition.words[.openTickets]): \(shown(count.open))"
                    + (count.overdue > 0 ? ", \(definition.words[.overdueTickets]): \(shown(count.overdue))" : ""))
        }
        return lines
    }

    /// "10 Arbeitstage" (or, after "nach", "10 Arbeitstagen"), "1 Tag", "4 Stunden" for German workflows.
    static func delayText(_ delay: Delay, _ definition: Definition, dative: Bool = false) -> String {
        guard definition.language == "de" else { return delay.description }
        func word(_ count: Int, _ singular: String, _ plural: String, _ pluralDative: String) -> String {
            "\(count) \(count == 1 ? singular : (dative ? pluralDative : plural))"
        }
        switch delay {
        case .businessDays(let days):
            return word(days, "Arbeitstag", "Arbeitstage", "Arbeitstagen")
        case .duration(let duration):
            let parts = [
                duration.years > 0 ? word(duration.years, "Jahr", "Jahre", "Jahren") : nil,
                duration.months > 0 ? word(duration.months, "Monat", "Monate", "Monaten") : nil,
                duration.weeks > 0 ? word(duration.weeks, "Woche", "Wochen", "Wochen") : nil,
                duration.days > 0 ? word(duration.days, "Tag", "Tage", "Tagen") : nil,
                duration.hours > 0 ? word(duration.hours, "Stunde", "Stunden", "Stunden") : nil,
                duration.minutes > 0 ? word(duration.minutes, "Minute", "Minuten", "Minuten") : nil,
                duration.seconds > 0 ? word(duration.seconds, "Sekunde", "Sekunden", "Sekunden") : nil,
            ]
            return parts.compactMap { $0 }.joined(separator: " ")
        }
    }

    static func edgeLabel(_ transition: Transition, _ definition: Definition) -> String {
        let roles = transition.roles.map { $0 == Definition.systemRole ? "Timer" : definition.role($0)?.title ?? $0 }
        return "\(transition.title) [\(roles.joined(separator: ", "))]"
    }

    static func edges(_ definition: Definition) -> [(from: String, to: String, transition: Transition)] {
        definition.transitions.flatMap { transition in transition.from.map { ($0, transition.target(from: $0), transition) } }
    }

    static func taken(_ edge: (from: String, to: String, transition: Transition), _ annotations: Annotations) -> Bool {
        annotations.path?.contains { $0.from == edge.from && $0.to == edge.to && $0.event == edge.transition.event } ?? false
    }

    // MARK: - Mermaid

    public static func mermaid(_ definition: Definition, annotations: Annotations = Annotations()) -> String {
        let text = mermaidLabel
        var out = "stateDiagram-v2\n"
        for state in definition.states {
            out += "    state \"\(stateLines(state, definition, annotations).map(text).joined(separator: "<br/>"))\" as \(state.id)\n"
        }
        out += "    [*] --> \(definition.opening.state)\n"
        for edge in edges(definition) {
            out += "    \(edge.from) --> \(edge.to): \(text(edgeLabel(edge.transition, definition)))\n"
        }
        for state in definition.states where state.isFinal { out += "    \(state.id) --> [*]\n" }
        out += "    classDef final stroke-width:3px\n"
        out += "    class \(definition.states.filter(\.isFinal).map(\.id).joined(separator: ",")) final\n"
        if let current = annotations.current {
            out += "    classDef current fill:#ffe08a,stroke:#7a5b00,stroke-width:3px\n    class \(current) current\n"
        }
        if let path = annotations.path {
            let visited = Set(path.flatMap { [$0.from, $0.to] }).subtracting([annotations.current ?? ""])
            if !visited.isEmpty {
                out += "    classDef visited fill:#dbe9f6,stroke:#1f4e79\n    class \(visited.sorted().joined(separator: ",")) visited\n"
            }
        }
        return out
    }

    // MARK: - Graphviz DOT

    public static func dot(_ definition: Definition, annotations: Annotations = Annotations()) -> String {
        let quoted = dotString
        var out = "digraph \(quoted(definition.id)) {\n"
        out +=
            "    graph [label=\(quoted("\(definition.title) (version \(definition.version))")), labelloc=t, rankdir=TB, fontname=\"Helvetica\"];\n"
        out += "    node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\"];\n"
        out += "    edge [fontname=\"Helvetica\", fontsize=10];\n"
        out += "    __start [shape=point, width=0.15, label=\"\"];\n"
        for state in definition.states {
            var attributes = ["label=\(quoted(stateLines(state, definition, annotations).joined(separator: "\n")))"]
            if state.isFinal { attributes.append("peripheries=2") }
            if state.id == annotations.current {
                attributes.append("fillcolor=\"#ffe08a\"")
                attributes.append("penwidth=3")
            } else if annotations.path?.contains(where: { $0.from == state.id || $0.to == state.id }) == true {
                attributes.append("fillcolor=\"#dbe9f6\"")
            }
            out += "    \(quoted(state.id)) [\(attributes.joined(separator: ", "))];\n"
        }
        out += "    __start -> \(quoted(definition.opening.state));\n"
        for edge in edges(definition) {
            var attributes = ["label=\(quoted(edgeLabel(edge.transition, definition)))"]
            if edge.transition.roles == [Definition.systemRole] { attributes.append("style=dashed") }
            if taken(edge, annotations) {
                attributes.append("color=\"#1f4e79\"")
                attributes.append("penwidth=2.5")
            }
            out += "    \(quoted(edge.from)) -> \(quoted(edge.to)) [\(attributes.joined(separator: ", "))];\n"
        }
        return out + "}\n"
    }

    // MARK: - Labels

    /// One line of a Mermaid label, which the diagram puts in double quotes or after the colon of an edge. Mermaid
    /// decodes entity codes (`#quot;`, `#35;`) in every diagram, so what could end the label or the statement (`"`,
    /// `;`, a line break), open a directive (`%%{`), or be read as HTML (`<`, `>`, `&`) is written as one; `#` too,
    /// so that text like `#quot;` stays text. Mermaid ends an edge label at ":", so a colon is written `#58;` too: the
    /// rendered diagram shows a real colon (never a look-alike letter that screen readers and searches miss). Line breaks (CRLF once) become spaces (lines of a
    /// label are joined with `<br/>` by the caller); other control characters are left out.
    static func mermaidLabel(_ raw: String) -> String {
        var out = ""
        var afterCR = false
        for scalar in raw.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            switch scalar {
            case "#": out += "#35;"
            case "\"": out += "#quot;"
            case ";": out += "#59;"
            case "%": out += "#37;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "&": out += "#amp;"
            case "{": out += "#123;"
            case "}": out += "#125;"
            case "`": out += "#96;"
            case ":": out += "#58;"
            case "\n" where afterCR: continue
            case "\r", "\n", "\t", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": out += " "
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A quoted DOT string: backslash and quote escaped, every line break (CRLF counted once) as `\n`, other control
    /// characters left out.
    static func dotString(_ raw: String) -> String {
        var out = "\""
        var afterCR = false
        for scalar in raw.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n" where afterCR: continue
            case "\r", "\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": out += "\\n"
            case "\t": out += " "
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
