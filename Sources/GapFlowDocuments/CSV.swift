/// Semicolon-separated files as German Excel and LibreOffice open them: UTF-8 with byte-order mark, CRLF between
/// records. Every CSV document goes through ``cell(_:)``, the one place that decides how a cell is written.
enum CSV {
    /// The whole file: byte-order mark, one record per row, each ended by CRLF.
    static func document(_ rows: [[String]]) -> String {
        "\u{FEFF}" + rows.map { $0.map(cell).joined(separator: ";") }.joined(separator: "\r\n") + "\r\n"
    }

    /// One cell, quoted where needed (RFC 4180) and never something a spreadsheet runs.
    ///
    /// - A cell that begins with `=`, `+`, `-`, `@` (or their full-width forms), a tab or a line break would be taken
    ///   as a formula (`=HYPERLINK(…)`, `-2+3+cmd|…`). As the OWASP guidance on CSV injection says, it gets a single
    ///   quote mark in front and is quoted: `"'=HYPERLINK(…)"`. The spreadsheet shows the text with the mark.
    /// - A plain number (`-3`, `+7`, `-5,5`, `2.5`: a sign, digits, at most one decimal separator) is not a formula
    ///   and cannot run anything, so it stays as it is and the spreadsheet still counts with it.
    /// - A cell holding a semicolon, a quote or any line break (checked per Unicode scalar, so that CRLF, which Swift
    ///   counts as one `Character`, is found too) is quoted, its quotes doubled.
    static func cell(_ text: String) -> String {
        let formula = text.unicodeScalars.first.map(formulaStarts.contains) == true && !isPlainNumber(text)
        let quoted = formula || text.unicodeScalars.contains { $0 == ";" || $0 == "\"" || lineBreaks.contains($0) }
        guard quoted else { return text }
        return "\"" + (formula ? "'" : "") + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The first characters that make a spreadsheet read a cell as a formula.
    static let formulaStarts: Set<Unicode.Scalar> = [
        "=", "+", "-", "@", "\t", "\r", "\n", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}",
    ]

    /// Line feed, vertical tab, form feed, carriage return, next line, line and paragraph separator.
    static let lineBreaks: Set<Unicode.Scalar> = ["\n", "\u{0B}", "\u{0C}", "\r", "\u{85}", "\u{2028}", "\u{2029}"]

    /// A sign, ASCII digits and at most one decimal separator with digits on both sides.
    static func isPlainNumber(_ text: String) -> Bool {
        var before = 0
        var after = 0
        var separated = false
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if ("0"..."9").contains(scalar) {
                if separated { after += 1 } else { before += 1 }
            } else if (scalar == "-" || scalar == "+") && index == 0 {
                continue
            } else if (scalar == "," || scalar == ".") && !separated && before > 0 {
                separated = true
            } else {
                return false
            }
        }
        return before > 0 && (!separated || after > 0)
    }
}
