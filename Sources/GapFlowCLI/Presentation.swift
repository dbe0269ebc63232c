import Foundation
import GapFlow

/// How tickets, histories and values are shown: JSON with ISO 8601 dates, text in the workflow's language.
enum Presentation {
    // MARK: - Text

    /// A value as a person reads it: titles of enum values, dates as the workflow's language writes them, control
    /// characters made ``visible(_:)``.
    static func text(_ value: FieldValue, field: Field?, language: String) -> String {
        switch value {
        case .date(let date): return language == "de" ? date.german : date.iso8601
        case .choice(let id): return visible(field?.type.choices?.value(id)?.title ?? id)
        case .choices(let ids): return visible(ids.map { field?.type.choices?.value($0)?.title ?? $0 }.joined(separator: ", "))
        default: return visible(value.plainText)
        }
    }

    /// Stored text as the terminal may show it: a C0 control character or DEL in caret notation (ESC as `^[`, a line
    /// feed as `^J`, a tab as `^I`, DEL as `^?`), a C1 control character and a Unicode line or paragraph separator as
    /// U+FFFD. An escape sequence in a ticket's title thus cannot move the cursor, recolour or retitle the admin's
    /// terminal, and a table cell stays one line. Text output only: `--json` keeps the text as stored.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out.append("^")
                out.append(Unicode.Scalar(UInt8(scalar.value ^ 0x40)))
            } else if isControl(scalar) {
                out.append("\u{FFFD}")
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    static func time(_ date: Date, language: String) -> String {
        language == "de" ? Timestamp.german(date) : Timestamp.iso8601(date)
    }

    /// Columns padded to their widest cell; the last column is not padded. Every cell is made ``visible(_:)``.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = ([header] + rows).map { $0.map(visible) }
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// One line per history entry: time, who, what, where to.
    static func line(_ entry: HistoryEntry, _ definition: Definition) -> String {
        let to = definition.stateTitle(entry.to)
        let move = entry.from.map { $0 == entry.to ? "stays in \(to)" : "\(definition.stateTitle($0)) → \(to)" } ?? "opened in \(to)"
        // The operating-system account that ran the command, where it is not the actor's own name.
        let account = entry.account.flatMap { $0 == entry.actor ? nil : " [\($0)]" } ?? ""
        return visible(
            "\(time(entry.at, language: definition.language))  \(entry.actor)\(entry.deputyFor.map { " for \($0) as deputy" } ?? "") (\(entry.role))\(account)  \(entry.event): \(move)"
        )
    }

    /// The text made ``visible(_:)`` and cut to `length` characters, with an ellipsis where it was cut.
    static func shortened(_ text: String, to length: Int) -> String {
        let text = visible(text)
        return text.count > length ? String(text.prefix(length - 1)) + "…" : text
    }
}
