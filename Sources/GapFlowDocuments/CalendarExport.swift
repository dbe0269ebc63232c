import Foundation
import GapFlow

/// Meetings as iCalendar (RFC 5545), with times in Europe/Berlin.
public enum CalendarExport {
    /// A calendar of `meetings`; meetings without a time are all-day events. `now` stamps the file (DTSTAMP).
    ///
    /// Each meeting keeps one UID, made of its id, its workflow and the `database`'s identity (so that meetings of two
    /// databases never share one); its `SEQUENCE` is raised by every change, and a cancelled meeting is sent as
    /// `STATUS:CANCELLED`, so that calendar programs update or remove the event they have. `deadlineWord` gives, per
    /// workflow id, its word for the submission deadline.
    public static func icalendar(
        _ meetings: [Meeting], calendarName: String, now: Date, database: String,
        deadlineWord: (String) -> String = { _ in "Submission deadline" }
    ) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//GapFlow//Meetings//DE", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + escape(calendarName), "X-WR-TIMEZONE:Europe/Berlin",
            // The rules of Central European Time, as calendar programs expect them to be named.
            "BEGIN:VTIMEZONE", "TZID:Europe/Berlin",
            "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
            "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19701025T030000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD", "END:VTIMEZONE",
        ]
        let stamp =
            Timestamp.iso8601(now).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            .prefix(15) + "Z"
        for meeting in meetings {
            let day = meeting.date.iso8601.replacingOccurrences(of: "-", with: "")
            lines += [
                "BEGIN:VEVENT", "UID:meeting-\(meeting.id)-\(meeting.workflowID)-\(database)@gapflow", "DTSTAMP:\(stamp)",
                "SEQUENCE:\(meeting.sequence)", "STATUS:\(meeting.status == .cancelled ? "CANCELLED" : "CONFIRMED")",
            ]
            if let time = meeting.time {
                let start = time.replacingOccurrences(of: ":", with: "") + "00"
                lines.append("DTSTART;TZID=Europe/Berlin:\(day)T\(start)")
                lines.append("DURATION:PT3H")
            } else {
                lines.append("DTSTART;VALUE=DATE:\(day)")
                lines.append("DTEND;VALUE=DATE:" + meeting.date.adding(days: 1).iso8601.replacingOccurrences(of: "-", with: ""))
            }
            lines.append("SUMMARY:" + escape(meeting.title))
            if let place = meeting.place { lines.append("LOCATION:" + escape(place)) }
            lines.append("DESCRIPTION:" + escape("\(deadlineWord(meeting.workflowID)): \(meeting.submissionDeadline.german)"))
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// A TEXT value (RFC 5545 § 3.3.11): backslash, semicolon and comma escaped, every line break (CRLF, a bare CR or
    /// LF, and the Unicode line breaks) written as `\n`, and the other control characters, which TEXT does not allow,
    /// left out; a tab stays.
    static func escape(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n" where afterCR: continue  // the second half of CRLF
            case "\r", "\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": out += "\\n"
            case "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Folds a content line after 75 octets (RFC 5545 § 3.1): a continuation line starts with a space, which counts
    /// towards its 75. The line is cut between Unicode scalars, never inside one's UTF-8 sequence; a long grapheme
    /// (a letter with many combining marks, an emoji sequence) may be cut, and unfolding joins it again.
    static func fold(_ line: String) -> String {
        var out = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let width = UTF8.width(scalar)
            if octets + width > 75 {
                out += "\r\n "
                octets = 1
            }
            out.unicodeScalars.append(scalar)
            octets += width
        }
        return out
    }
}
