import Foundation

/// Reads a CSV file as Excel writes it in Germany: `;` between cells, `"` around cells that hold `;`, `"` or a line
/// break (`""` for a quote inside), CRLF or LF between records, UTF-8 with or without a byte order mark.
enum CSVReader {
    /// One record and the line of the file it starts on.
    struct Record {
        let line: Int
        let cells: [String]
    }

    struct Failure: Error {
        let line: Int
        let message: String
    }

    static func records(_ bytes: [UInt8]) throws(Failure) -> [Record] {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else {
            throw Failure(line: 0, message: "the file is not UTF-8: in Excel, save it as \"CSV UTF-8 (durch Trennzeichen getrennt)\"")
        }
        var records: [Record] = []
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var afterQuote = false
        var line = 1
        var start = 1
        var characters = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending {
                pending = nil
                return scalar
            }
            return characters.next()
        }
        func endRecord() {
            cells.append(cell)
            cell = ""
            if !(cells.count == 1 && cells[0].isEmpty) { records.append(Record(line: start, cells: cells)) }
            cells = []
        }
        while let scalar = next() {
            if quoted {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" {
                            cell.unicodeScalars.append("\"")
                        } else {
                            quoted = false
                            afterQuote = true
                            pending = following
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    cell.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where cell.isEmpty && !afterQuote:
                quoted = true
            case ";":
                cells.append(cell)
                cell = ""
                afterQuote = false
            case "\r":
                continue
            case "\n":
                endRecord()
                afterQuote = false
                line += 1
                start = line
            default:
                if afterQuote { throw Failure(line: line, message: "text after a closing quote; write a quote inside a cell as \"\"") }
                cell.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw Failure(line: start, message: "a quoted cell is not closed") }
        if !cell.isEmpty || !cells.isEmpty { endRecord() }
        return records
    }
}
