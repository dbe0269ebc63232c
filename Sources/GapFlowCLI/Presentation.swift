import Foundation
import GapFlow

/// How tickets, histories and values are shown: JSON with ISO 8601 dates, text in the workflow's language.
enum Presentation {
    // MARK: - Text

    /// A value as a person reads it: titles of enum values, dates as the workflow's language writes them.
    static func text(_ value: FieldValue, field: Field?, language: String) -> String {
        switch value {
        case .date(let date): return language == "de" ? date.german : date.iso8601
        case .choice(let id): return field?.type.choices?.value(id)?.title ?? id
        case .choices(let ids): return ids.map { field?.type.choices?.value($0)?.title ?? $0 }.joined(separator: ", ")
        default: return value.plainText
        }
    }

    static func time(_ date: Date, language: String) -> String {
        language == "de" ? Timestamp.german(date) : Timestamp.iso8601(date)
    }

    /// Columns padded to their widest cell; the last column is not padded.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
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
        return "\(time(entry.at, language: definition.language))  \(entry.actor) (\(entry.role))  \(entry.event): \(move)"
    }

    /// The text cut to `length` characters, with an ellipsis where it was cut.
    static func shortened(_ text: String, to length: Int) -> String {
        text.count > length ? String(text.prefix(length - 1)) + "…" : text
    }
}
