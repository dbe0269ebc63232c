import Foundation

/// A member of the board on its register (kept per workflow, i.e. per steering group), with a deputy.
public struct BoardMember: Sendable, Equatable {
    public let name: String
    /// The institution or office the member sits for, e.g. "Jobcenter Rhein-Sieg".
    public let body: String
    public let deputy: String?

    public init(name: String, body: String, deputy: String?) {
        self.name = name
        self.body = body
        self.deputy = deputy
    }
}

/// Who attended a meeting, as recorded for its minutes: the register as it stood then, each member present, present
/// by deputy or absent; the chair, the minute-taker, and when the meeting began and ended.
public struct Attendance: Sendable, Equatable {
    /// How a member attended.
    public enum Presence: String, Sendable, Equatable {
        case present, deputy, absent
    }

    public struct Seat: Sendable, Equatable {
        public let member: BoardMember
        public let presence: Presence

        public init(member: BoardMember, presence: Presence) {
            self.member = member
            self.presence = presence
        }
    }

    public let seats: [Seat]
    public let chair: String?
    public let minuteTaker: String?
    /// `HH:MM`, local time.
    public let start: String?
    public let end: String?

    public init(seats: [Seat], chair: String?, minuteTaker: String?, start: String?, end: String?) {
        self.seats = seats
        self.chair = chair
        self.minuteTaker = minuteTaker
        self.start = start
        self.end = end
    }

    /// Members present in person or by their deputy.
    public var attending: Int { seats.filter { $0.presence != .absent }.count }

    /// Quorate (*beschlussfähig*): more than half of the members on the register attend, in person or by deputy.
    public var isQuorate: Bool { attending * 2 > seats.count }

    /// The attendance as stored: compact JSON.
    public var json: String {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        return JSONValue.object([
            (
                "seats",
                .array(
                    seats.map { seat in
                        .object([
                            ("name", .string(seat.member.name)), ("body", .string(seat.member.body)), ("deputy", text(seat.member.deputy)),
                            ("presence", .string(seat.presence.rawValue)),
                        ])
                    })
            ),
            ("chair", text(chair)), ("minuteTaker", text(minuteTaker)), ("start", text(start)), ("end", text(end)),
        ]).compact
    }

    /// Reads stored attendance; nil when it is not what ``json`` writes.
    public init?(json: String) {
        guard let node = try? JSONParser.parse(json), let seatNodes = node["seats"]?.elements else { return nil }
        var seats: [Seat] = []
        for seat in seatNodes {
            guard let name = seat["name"]?.string, let body = seat["body"]?.string,
                let presence = seat["presence"]?.string.flatMap(Presence.init(rawValue:))
            else { return nil }
            seats.append(Seat(member: BoardMember(name: name, body: body, deputy: seat["deputy"]?.string), presence: presence))
        }
        self.init(
            seats: seats, chair: node["chair"]?.string, minuteTaker: node["minuteTaker"]?.string, start: node["start"]?.string,
            end: node["end"]?.string)
    }
}

/// How the board voted on one decision: unanimously, or counted.
public enum Vote: Sendable, Equatable {
    case unanimous
    case counted(yes: Int, no: Int, abstentions: Int)

    /// As stored: `unanimous`, or `yes/no/abstentions`, e.g. `5/1/0`.
    public var text: String {
        switch self {
        case .unanimous: "unanimous"
        case .counted(let yes, let no, let abstentions): "\(yes)/\(no)/\(abstentions)"
        }
    }

    public init?(text: String) {
        if text == "unanimous" {
            self = .unanimous
            return
        }
        let parts = text.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 3, parts.allSatisfy({ $0 >= 0 }) else { return nil }
        self = .counted(yes: parts[0], no: parts[1], abstentions: parts[2])
    }
}

extension Engine {
    /// The board's register of a workflow, by name.
    public func boardMembers(workflow: String) throws -> [BoardMember] {
        try store.read { tx in try tx.boardMembers(workflow: workflow) }
    }

    /// Adds a member to the register or changes their body and deputy.
    public func saveBoardMember(_ member: BoardMember, workflow: String) throws {
        for (field, text) in [("name", member.name), ("body", member.body), ("deputy", member.deputy ?? "")] {
            if let scalar = text.unicodeScalars.first(where: Self.isControlCharacter) {
                throw MeetingError.controlCharacter(field: field, scalar: scalar.value)
            }
        }
        try store.write { tx in
            _ = try definition(workflow, version: nil, in: tx)
            try tx.saveBoardMember(member, workflow: workflow, at: now())
        }
    }

    /// Removes a member from the register; false if there was none. Recorded attendance keeps naming them.
    @discardableResult
    public func removeBoardMember(_ name: String, workflow: String) throws -> Bool {
        try store.write { tx in try tx.removeBoardMember(name, workflow: workflow) }
    }

    /// Records who attended a held meeting whose minutes are not yet approved: every member on the register is present
    /// unless named `absent`, or represented by their deputy if named in `deputized`.
    @discardableResult
    public func recordAttendance(
        _ id: Int, absent: [String], deputized: [String], chair: String?, minuteTaker: String?, start: String?, end: String?
    ) throws -> Attendance {
        for time in [start, end].compactMap({ $0 }) { try Self.checkTime(time) }
        return try store.write { tx in
            var meeting = try meeting(id, in: tx)
            guard meeting.status == .published else {
                throw MeetingError.wrongStage(
                    meeting: id, status: meeting.status, needed: "agenda is published and minutes not yet approved")
            }
            let definition = try definition(meeting.workflowID, version: nil, in: tx)
            let today = LocalDate(now(), in: definition.calendar.timeZone)
            guard today >= meeting.date else { throw MeetingError.notYetHeld(meeting: id, date: meeting.date, today: today) }
            let members = try tx.boardMembers(workflow: meeting.workflowID)
            for name in absent + deputized where !members.contains(where: { $0.name == name }) {
                throw MeetingError.notAMember(name)
            }
            for name in deputized where members.first(where: { $0.name == name })?.deputy == nil {
                throw MeetingError.noDeputy(name)
            }
            let attendance = Attendance(
                seats: members.map { member in
                    Attendance.Seat(
                        member: member,
                        presence: deputized.contains(member.name) ? .deputy : absent.contains(member.name) ? .absent : .present)
                }, chair: chair, minuteTaker: minuteTaker, start: start, end: end)
            meeting.attendance = attendance
            try tx.updateMeeting(meeting, at: now())
            return attendance
        }
    }
}
