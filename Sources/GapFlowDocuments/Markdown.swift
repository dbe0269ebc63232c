/// User text in Markdown documents. Every text a document takes from tickets, meetings or the workflow file goes
/// through ``escape(_:atLineStart:)``, so that it is shown as the words it is and never becomes markup.
enum Markdown {
    /// `text` as Markdown (CommonMark and GitHub's extensions) that shows exactly these words:
    ///
    /// - a tab or line break becomes a space (CRLF one), so no value can begin a line of its own (a heading, a list
    ///   item, a table row); any other control character becomes U+FFFD;
    /// - `&` before what could be an entity, `<` before what could be a tag, a comment or an autolink, and every `>`
    ///   become entity references, so there is no raw HTML (a lone `<` as in "<5" stays readable);
    /// - the characters of emphasis, code, links, tables, strikethrough and headings (backslash, `*`, `_`, backtick,
    ///   `[`, `]`, `|`, `~`, `#`) get a backslash, and so do `://`, `www.` and `@`, so that neither a link nor an
    ///   autolinked URL or e-mail address can come from user text;
    /// - where the text begins a line (`atLineStart`: a paragraph, a list item's text), leading blanks and line breaks
    ///   are dropped and a block marker it begins with (`-`, `+`, `=`, `1.`, `1)`) gets a backslash too.
    ///
    /// The result is safe in a heading, a paragraph, a list item and a table cell alike.
    static func escape(_ text: String, atLineStart: Bool = false) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        if atLineStart {
            while index < scalars.count, scalars[index] == " " || lineBreaks.contains(scalars[index]) { index += 1 }
            // An ordered list marker: up to nine digits, then "." or ")".
            var digits = index
            while digits < scalars.count, digits - index < 10, ("0"..."9").contains(scalars[digits]) { digits += 1 }
            if digits > index, digits - index <= 9, digits < scalars.count, scalars[digits] == "." || scalars[digits] == ")" {
                out.append(contentsOf: scalars[index..<digits])
                out.append("\\")
                out.append(scalars[digits])
                index = digits + 1
            } else if index < scalars.count, "-+=".unicodeScalars.contains(scalars[index]) {
                out.append("\\")
                out.append(scalars[index])
                index += 1
            }
        }
        var afterCR = false
        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            defer {
                afterCR = scalar == "\r"
                index += 1
            }
            switch scalar {
            case "\n" where afterCR:
                continue  // the second half of CRLF
            case _ where lineBreaks.contains(scalar):
                out.append(" ")
            case "\\", "*", "_", "`", "[", "]", "|", "~", "#", "@":
                out.append("\\")
                out.append(scalar)
            case "&" where next.map { $0 == "#" || $0.properties.isAlphabetic } == true:
                out.append(contentsOf: "&amp;".unicodeScalars)
            case "<" where next.map { "/!?".unicodeScalars.contains($0) || $0.properties.isAlphabetic } == true:
                out.append(contentsOf: "&lt;".unicodeScalars)
            case ">":
                out.append(contentsOf: "&gt;".unicodeScalars)
            case ":" where index + 2 < scalars.count && scalars[index + 1] == "/" && scalars[index + 2] == "/":
                out.append(contentsOf: "\\:".unicodeScalars)
            case "." where index >= 3 && String(String.UnicodeScalarView(scalars[(index - 3)..<index])).lowercased() == "www":
                out.append(contentsOf: "\\.".unicodeScalars)
            default:
                out.append(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? "\u{FFFD}" : scalar)
            }
        }
        return String(out)
    }

    /// Tab and the line breaks: each becomes a space (CRLF one).
    static let lineBreaks: Set<Unicode.Scalar> = ["\t", "\n", "\u{0B}", "\u{0C}", "\r", "\u{85}", "\u{2028}", "\u{2029}"]

    /// A table cell: the same escaping (pipes and line breaks included).
    static func cell(_ text: String) -> String { escape(text) }
}
