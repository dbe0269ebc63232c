import Foundation
import GapFlow

/// Meetings as iCalendar (RFC 5545), with times in Europe/Berlin.
public enum CalendarExport {
    /// A calendar of `meetings`; meetings without a time are all-day events. `now` stamps the file (DTSTAMP).
    public static func icalendar(_ meetings: [Meeting], calendarName: String, now: Date) -> String {
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
            lines += ["BEGIN:VEVENT", "UID:meeting-\(meeting.id)-\(meeting.workflowID)@gapflow", "DTSTAMP:\(stamp)"]
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
            lines.append("DESCRIPTION:" + escape("Antragsfrist: \(meeting.submissionDeadline.german)"))
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// Escapes text values: backslash, semicolon, comma and line breaks.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\r\n", with: "\\n")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Folds a content line at 75 octets, never inside a UTF-8 sequence (RFC 5545 § 3.1).
    static func fold(_ line: String) -> String {
        var out = ""
        var octets = 0
        var limit = 75
        for character in line {
            let width = String(character).utf8.count
            if octets + width > limit {
                out += "\r\n "
                octets = 0
                limit = 74  // the leading space of a continuation line counts
            }
            out.append(character)
            octets += width
        }
        return out
    }
}
