import GapFlow

/// A workflow in plain language, for people who do not read JSON: who does what at each stage, which decisions
/// lead where, which deadlines apply. German for German workflows, English otherwise.
public enum ExplainExport {
    struct Words {
        let roles, start, startText, requires, responsible, canHappen, leadsTo, stays, needs, needsNew, condition, deadlines, onEntry,
            final, rules, rule, timerRole, notice, fires: String

        static func forLanguage(_ language: String) -> Words {
            language == "de"
                ? Words(
                    roles: "Beteiligte", start: "Wie ein Vorgang beginnt", startText: "Einen Vorgang eröffnen dürfen",
                    requires: "Pflichtangaben",
                    responsible: "Zuständig", canHappen: "Was hier geschehen kann", leadsTo: "führt zu", stays: "bleibt in dieser Stufe",
                    needs: "benötigt", needsNew: "jeweils neu", condition: "Bedingung", deadlines: "Fristen", onEntry: "Bei Eintritt",
                    final: "Endstufe: hier endet der Vorgang.", rules: "Regeln", rule: "geprüft am Ablauf",
                    timerRole: "automatisch nach Frist",
                    notice: "Nachricht an", fires: "löst aus")
                : Words(
                    roles: "Who takes part", start: "How a ticket starts", startText: "May open a ticket", requires: "Required",
                    responsible: "Owner", canHappen: "What can happen here", leadsTo: "leads to", stays: "stays in this stage",
                    needs: "needs",
                    needsNew: "anew each time", condition: "Condition", deadlines: "Deadlines", onEntry: "On entry",
                    final: "Final stage: the ticket ends here.", rules: "Rules", rule: "proven on the graph",
                    timerRole: "automatic (deadline)",
                    notice: "notice to", fires: "fires")
        }
    }

    static func roleNames(_ roles: [String], _ definition: Definition, _ words: Words) -> String {
        roles.map { $0 == Definition.systemRole ? words.timerRole : definition.role($0)?.title ?? $0 }.joined(separator: ", ")
    }

    static func fieldNames(_ fields: [String], _ definition: Definition) -> String {
        fields.map { definition.field($0)?.title ?? $0 }.joined(separator: ", ")
    }

    static func timerSentence(_ timer: TimerSpec, _ definition: Definition, _ words: Words) -> String {
        let german = definition.language == "de"
        let when: String
        switch timer.anchor {
        case .entered:
            when =
                german
                ? "Nach \(DiagramExport.delayText(timer.delay, definition, dative: true))"
                : "After \(DiagramExport.delayText(timer.delay, definition))"
        case .field(let name, let before):
            let field = definition.field(name)?.title ?? name
            when =
                german
                ? "\(DiagramExport.delayText(timer.delay, definition)) \(before ? "vor" : "nach") \(field)"
                : "\(DiagramExport.delayText(timer.delay, definition)) \(before ? "before" : "after") \(field)"
        }
        var actions: [String] = []
        if let role = timer.notify { actions.append("\(words.notice) \(definition.role(role)?.title ?? role)") }
        if let event = timer.fire {
            let title = definition.transitions.first { $0.event == event }?.title ?? event
            actions.append("\(words.fires) „\(title)“")
        }
        return "\(when): \(actions.joined(separator: "; "))" + (timer.message.map { " (\($0))" } ?? "")
    }

    /// The explanation as Markdown. Every text from the workflow file (titles, descriptions, messages) is escaped
    /// (``Markdown/escape(_:atLineStart:)``): a hostile file can make no markup, link or heading of its own.
    public static func markdown(_ definition: Definition) -> String {
        let words = Words.forLanguage(definition.language)
        let md = { (text: String) in Markdown.escape(text) }
        var out = "# \(md(definition.title))\n\n"
        out += "## \(words.roles)\n\n"
        for role in definition.roles { out += "- **\(md(role.title))**\n" }
        out += "\n## \(words.start)\n\n- \(words.startText): \(md(roleNames(definition.opening.roles, definition, words)))\n"
        if !definition.opening.requires.isEmpty {
            out += "- \(words.requires): \(md(fieldNames(definition.opening.requires, definition)))\n"
        }
        for state in definition.states {
            out += "\n## \(md(state.title))\n\n"
            if let description = state.description { out += "\(Markdown.escape(description, atLineStart: true))\n\n" }
            if state.isFinal {
                out += "\(words.final)\n"
                continue
            }
            if let owner = state.owner { out += "**\(words.responsible):** \(md(definition.role(owner)?.title ?? owner))\n\n" }
            out += "**\(words.canHappen):**\n\n"
            for transition in definition.transitions(from: state.id) {
                let target = transition.target(from: state.id)
                var line = "- **\(md(transition.title))** (\(md(roleNames(transition.roles, definition, words)))) "
                line += target == state.id ? words.stays : "\(words.leadsTo) *\(md(definition.stateTitle(target)))*"
                var needs = transition.requires.map { definition.field($0)?.title ?? $0 }
                needs += transition.requiresNew.filter { !transition.requires.contains($0) }.map {
                    "\(definition.field($0)?.title ?? $0) (\(words.needsNew))"
                }
                if !needs.isEmpty { line += "; \(words.needs): \(md(needs.joined(separator: ", ")))" }
                if let description = transition.condition?.description { line += "; \(words.condition): \(md(description))" }
                out += line + "\n"
            }
            if !state.timers.isEmpty {
                out += "\n**\(words.deadlines):**\n\n"
                out += state.timers.map { "- \(Markdown.escape(timerSentence($0, definition, words), atLineStart: true))\n" }.joined()
            }
            if !state.onEnter.isEmpty {
                out += "\n**\(words.onEntry):** "
                out += state.onEnter.map { "\(words.notice) \(md(definition.role($0.notify)?.title ?? $0.notify)): „\(md($0.message))“" }
                    .joined(separator: "; ")
                out += "\n"
            }
        }
        if !definition.pathRules.isEmpty {
            out += "\n## \(words.rules)\n\n"
            for rule in definition.pathRules {
                let text = rule.description ?? "\(definition.stateTitle(rule.into)) ← \(definition.stateTitle(rule.through))"
                out += "- \(Markdown.escape(text, atLineStart: true)) (\(words.rule))\n"
            }
        }
        return out
    }

    /// The same text as one accessible HTML page.
    public static func html(_ definition: Definition) -> String {
        // The Markdown is simple enough (headings, bold, lists) to be turned into HTML line by line.
        var body = "<main>\n"
        var inList = false
        for line in markdown(definition).split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("- ") {
                if !inList { body += "<ul>\n" }
                inList = true
                body += "<li>\(inline(String(line.dropFirst(2))))</li>\n"
                continue
            }
            if inList {
                body += "</ul>\n"
                inList = false
            }
            if line.hasPrefix("## ") {
                body += "<h2>\(inline(String(line.dropFirst(3))))</h2>\n"
            } else if line.hasPrefix("# ") {
                body += "<h1>\(inline(String(line.dropFirst(2))))</h1>\n"
            } else if !line.isEmpty {
                body += "<p>\(inline(line))</p>\n"
            }
        }
        if inList { body += "</ul>\n" }
        body += "</main>"
        return HTML.page(title: definition.title, language: definition.language, body: body)
    }

    /// `**bold**` and `*italic*` to HTML; what ``Markdown/escape(_:atLineStart:)`` escaped is shown as the character
    /// it stands for, and everything else is escaped for HTML.
    static func inline(_ text: String) -> String {
        var out = ""
        var bold = false
        var italic = false
        var index = text.startIndex
        while index < text.endIndex {
            let rest = text[index...]
            if rest.hasPrefix("**") {
                out += bold ? "</strong>" : "<strong>"
                bold.toggle()
                index = text.index(index, offsetBy: 2)
            } else if text[index] == "*" {
                out += italic ? "</em>" : "<em>"
                italic.toggle()
                index = text.index(after: index)
            } else if text[index] == "\\", text.index(after: index) < text.endIndex {
                // A backslash escape: the character itself.
                let escaped = text.index(after: index)
                out += HTML.escape(String(text[escaped]))
                index = text.index(after: escaped)
            } else if let entity = ["&amp;", "&lt;", "&gt;"].first(where: { rest.hasPrefix($0) }) {
                // The entities Markdown.escape writes mean the same in HTML.
                out += entity
                index = text.index(index, offsetBy: entity.count)
            } else {
                out += HTML.escape(String(text[index]))
                index = text.index(after: index)
            }
        }
        return out
    }
}
