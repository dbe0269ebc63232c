import Foundation

/// Monitoring figures for a workflow (*Monitoring und Evaluation*), computed from tickets and their histories.
public struct Report: Sendable {
    /// Time spent in one stage, in business days of the workflow's calendar, over the stays that ended.
    public struct StageTime: Sendable {
        public let state: String
        public let stays: Int
        public let median: Double
        public let percentile90: Double
    }

    /// One month: tickets opened, tickets that reached a final state, and how many stood in each state at its end.
    public struct Month: Sendable {
        public let month: String
        public let opened: Int
        public let finished: Int
        public let standing: [String: Int]
    }

    public let definition: Definition
    public let from: LocalDate?
    public let to: LocalDate?
    public let generatedAt: Date
    public let openPerStage: [(state: String, count: Int)]
    public let months: [Month]
    public let stageTimes: [StageTime]
    public let overdue: [String]
    public let deferrals: Int
    /// Counts of the tickets opened in the period, per value of each breakdown field (and per area).
    public let breakdowns: [Breakdown]

    /// The tickets opened in the period, counted per value of one field (or per area of its values).
    public struct Breakdown: Sendable {
        /// What the values are: how a document that leaves the coordination may show them.
        public enum Kind: Sendable, Equatable {
            /// Values from the workflow's list (enum, set, area).
            case choices
            /// Free text: a value given for few tickets may identify them.
            case freeText
            /// A count of cases (``SmallNumbers/fields``): a small value is itself a small number.
            case caseCount
            /// Anything else (dates, other numbers, ticket references).
            case other
        }

        public let title: String
        public let kind: Kind
        public let counts: [(label: String, count: Int)]
    }
}

extension Engine {
    /// Refuses unless `actor` holds a role the workflow lets see internal figures (`"smallNumbers": { "internalRoles" }`):
    /// documents with small numbers unmasked, for use inside the coordination only.
    public func authorizeInternalFigures(of definition: Definition, actor: Actor) throws {
        guard actor.roles.contains(where: definition.smallNumbers.internalRoles.contains) else {
            throw EngineError.internalFiguresRefused(
                actor: actor.name, workflow: definition.id, roles: definition.smallNumbers.internalRoles)
        }
    }

    /// The report for `workflow` over tickets opened between `from` and `to` (inclusive; open-ended when nil).
    ///
    /// One pass over the tickets of the period through a cursor, oldest first, reading of each only its opening, its
    /// breakdown fields and its moves (``StoreTransaction/forEachReportTicket(workflow:openedFrom:openedBefore:fields:_:)``);
    /// what it keeps grows with the number of states, months and distinct stay lengths, not with the number of tickets.
    public func report(workflow: String, from: LocalDate? = nil, to: LocalDate? = nil) throws -> Report {
        let now = now()
        return try store.read { tx in
            let definition = try definition(workflow, version: nil, in: tx)
            let calendar = definition.calendar
            let zone = calendar.timeZone
            let isFinal = { (state: String) in definition.state(state)?.isFinal ?? false }
            let meetingStates = Set(definition.states.filter { $0.meetingSection != nil }.map(\.id))
            let breakdownFields = definition.reportBreakdowns.compactMap(definition.field)

            // Open and overdue tickets come from the store's counts per state and its index of the overdue, not from
            // reading every open ticket's timers.
            let openStates = definition.states.filter { !$0.isFinal }.map(\.id)
            let openFilter = TicketFilter(workflow: workflow, states: openStates)
            let standings = try tx.stateStandings(openFilter, now: now)
            let openPerStage = standings.compactMapValues { $0.open > 0 ? $0.open : nil }
            // The overdue come first in queue order: as many as there are, oldest first.
            let overdue = try tx.queuePage(openFilter, now: now, after: nil, limit: standings.values.reduce(0) { $0 + $1.overdue })
                .sorted { ($0.openedAt, $0.id) < ($1.openedAt, $1.id) }.map(\.id)
            // Business days per finished stay, as a histogram (days → stays) per state.
            var stays: [String: [Int: Int]] = [:]
            var deferrals = 0
            var opened: [String: Int] = [:]
            var finished: [String: Int] = [:]
            // The months from the first opening in the period to now (or the period's end), with their end instants.
            var monthEnds: [(key: String, end: Date)]?
            // Per state (numbered as met), the change of its stock at each month's end; summed up after the pass.
            var stateIndex: [String: Int] = [:]
            var standingStates: [String] = []
            var standingDeltas: [[Int]] = []
            var counts: [String: [String: Int]] = [:]
            var groups: [String: [String: Int]] = [:]

            // The store bounds the opening instants a day and more beyond the period's local days (any zone's offset is
            // less), and the local days decide below, as they always did.
            let openedFrom = from.map { calendar.instant($0.adding(days: -2), secondsOfDay: 0) }
            let openedBefore = to.map { calendar.instant($0.adding(days: 3), secondsOfDay: 0) }
            try tx.forEachReportTicket(
                workflow: workflow, openedFrom: openedFrom, openedBefore: openedBefore, fields: Set(breakdownFields.map(\.id))
            ) { ticket in
                let day = LocalDate(ticket.openedAt, in: zone)
                guard (from.map { day >= $0 } ?? true) && (to.map { day <= $0 } ?? true) else { return }
                // Tickets come oldest first, so the first one in the period fixes the first month.
                let months = monthEnds ?? Self.monthEnds(from: day, to: to ?? LocalDate(now, in: zone), calendar: calendar)
                monthEnds = months

                let history = ticket.moves
                opened[String(day.iso8601.prefix(7)), default: 0] += 1
                var enteredAt: Date?
                var current: String?
                for entry in history where !entry.redacted {
                    if entry.from == entry.to {
                        if meetingStates.contains(entry.to) { deferrals += 1 }
                        continue
                    }
                    if let state = current, let start = enteredAt {
                        let days = calendar.businessDays(from: LocalDate(start, in: zone), to: LocalDate(entry.at, in: zone))
                        stays[state, default: [:]][days, default: 0] += 1
                    }
                    current = entry.to
                    enteredAt = entry.at
                    if isFinal(entry.to), entry.event != Self.purgeEvent {
                        finished[String(LocalDate(entry.at, in: zone).iso8601.prefix(7)), default: 0] += 1
                    }
                }
                // Where the ticket stood at the end of each month: its latest entry before the month ended. Each entry
                // stands from the first month ending after it up to the month before the next entry's: counted as a
                // difference (+1 there, -1 after), so a ticket costs its entries, not its months.
                let byTime = history.sorted { $0.at < $1.at }
                var position = 0
                var firstMonths: [Int] = []
                for entry in byTime {
                    while position < months.count, months[position].end <= entry.at { position += 1 }
                    firstMonths.append(position)
                }
                for (index, entry) in byTime.enumerated() {
                    let start = firstMonths[index]
                    let end = index + 1 < byTime.count ? firstMonths[index + 1] : months.count
                    guard start < end else { continue }
                    let state: Int
                    if let known = stateIndex[entry.to] {
                        state = known
                    } else {
                        state = standingStates.count
                        stateIndex[entry.to] = state
                        standingStates.append(entry.to)
                        standingDeltas.append([Int](repeating: 0, count: months.count + 1))
                    }
                    standingDeltas[state][start] += 1
                    standingDeltas[state][end] -= 1
                }
                for field in breakdownFields {
                    guard let value = ticket.fields[field.id] else { continue }
                    let ids: [String] = if case .choices(let ids) = value { ids } else { [value.plainText] }
                    for id in ids {
                        counts[field.id, default: [:]][field.type.choices?.value(id)?.title ?? id, default: 0] += 1
                        if let group = field.type.choices?.value(id)?.group {
                            groups[field.id, default: [:]][
                                field.type.choices?.groups.first { $0.id == group }?.title ?? group, default: 0] += 1
                        }
                    }
                }
            }

            var stock = [Int](repeating: 0, count: standingStates.count)
            let months = (monthEnds ?? []).enumerated().map { index, month in
                var standing: [String: Int] = [:]
                for state in standingStates.indices {
                    stock[state] += standingDeltas[state][index]
                    if stock[state] > 0 { standing[standingStates[state]] = stock[state] }
                }
                return Report.Month(
                    month: month.key, opened: opened[month.key] ?? 0, finished: finished[month.key] ?? 0, standing: standing)
            }
            let stageTimes = definition.states.compactMap { state -> Report.StageTime? in
                guard let histogram = stays[state.id], !histogram.isEmpty else { return nil }
                return Report.StageTime(
                    state: state.id, stays: histogram.values.reduce(0, +), median: Self.percentile(histogram, 0.5),
                    percentile90: Self.percentile(histogram, 0.9))
            }
            var breakdowns: [Report.Breakdown] = []
            for field in breakdownFields {
                let fieldCounts = counts[field.id] ?? [:]
                let kind: Report.Breakdown.Kind
                switch field.type {
                case .choice, .choiceSet: kind = .choices
                case .text, .longText: kind = .freeText
                case .integer: kind = definition.smallNumbers.fields.contains(field.id) ? .caseCount : .other
                default: kind = .other
                }
                let order =
                    field.type.choices?.values.map(\.title)
                    ?? fieldCounts.keys.sorted { a, b in
                        // Numbers by value, text as it sorts.
                        if let x = Int(a), let y = Int(b) { return x < y }
                        return a < b
                    }
                breakdowns.append(
                    Report.Breakdown(
                        title: field.title, kind: kind, counts: order.compactMap { title in fieldCounts[title].map { (title, $0) } }))
                if let fieldGroups = groups[field.id], !fieldGroups.isEmpty, let choices = field.type.choices {
                    breakdowns.append(
                        Report.Breakdown(
                            title: "\(field.title): \(definition.words.area)", kind: .choices,
                            counts: choices.groups.compactMap { group in fieldGroups[group.title].map { (group.title, $0) } }))
                }
            }
            return Report(
                definition: definition, from: from, to: to, generatedAt: now,
                openPerStage: definition.states.compactMap { state in openPerStage[state.id].map { (state.id, $0) } }, months: months,
                stageTimes: stageTimes, overdue: overdue, deferrals: deferrals, breakdowns: breakdowns)
        }
    }

    /// The calendar months from the one containing `first` to the one containing `last`, each with the instant it ends.
    static func monthEnds(from first: LocalDate, to last: LocalDate, calendar: BusinessCalendar) -> [(key: String, end: Date)] {
        var result: [(key: String, end: Date)] = []
        var month = LocalDate(year: first.year, month: first.month, day: 1) ?? first
        while month <= last {
            let next = LocalDate(year: month.month == 12 ? month.year + 1 : month.year, month: month.month % 12 + 1, day: 1) ?? month
            result.append((String(month.iso8601.prefix(7)), calendar.instant(next, secondsOfDay: 0)))
            if next <= month { break }
            month = next
        }
        return result
    }

    /// The p-quantile of the values a histogram (value → how often) holds, interpolating linearly between neighbours
    /// exactly as over the sorted values.
    static func percentile(_ histogram: [Int: Int], _ p: Double) -> Double {
        let values = histogram.keys.sorted()
        let count = histogram.values.reduce(0, +)
        guard count > 1 else { return values.first.map(Double.init) ?? 0 }
        func value(at index: Int) -> Double {
            var seen = 0
            for value in values {
                seen += histogram[value] ?? 0
                if index < seen { return Double(value) }
            }
            return Double(values.last ?? 0)
        }
        let position = p * Double(count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, count - 1)
        return value(at: lower) + (value(at: upper) - value(at: lower)) * (position - Double(lower))
    }
}
