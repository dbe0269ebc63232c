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
    public let breakdowns: [(title: String, counts: [(label: String, count: Int)])]
}

extension Engine {
    /// The report for `workflow` over tickets opened between `from` and `to` (inclusive; open-ended when nil).
    public func report(workflow: String, from: LocalDate? = nil, to: LocalDate? = nil) throws -> Report {
        let now = now()
        return try store.read { tx in
            let definition = try definition(workflow, version: nil, in: tx)
            let calendar = definition.calendar
            let zone = calendar.timeZone
            let all = try tx.tickets(TicketFilter(workflow: workflow))
            let inRange = all.filter { ticket in
                let day = LocalDate(ticket.openedAt, in: zone)
                return (from.map { day >= $0 } ?? true) && (to.map { day <= $0 } ?? true)
            }
            let isFinal = { (state: String) in definition.state(state)?.isFinal ?? false }

            var openPerStage: [String: Int] = [:]
            for ticket in all where !isFinal(ticket.state) { openPerStage[ticket.state, default: 0] += 1 }

            var stays: [String: [Double]] = [:]
            var deferrals = 0
            var opened: [String: Int] = [:]
            var finished: [String: Int] = [:]
            var timelines: [(Date, String)] = []
            var timelineOwners: [Int] = []
            let meetingStates = Set(definition.states.filter { $0.meetingSection != nil }.map(\.id))
            for (index, ticket) in inRange.enumerated() {
                let history = try tx.history(of: ticket.id)
                opened[String(LocalDate(ticket.openedAt, in: zone).iso8601.prefix(7)), default: 0] += 1
                var enteredAt: Date?
                var current: String?
                for entry in history {
                    timelines.append((entry.at, entry.to))
                    timelineOwners.append(index)
                    if entry.from == entry.to {
                        if meetingStates.contains(entry.to) { deferrals += 1 }
                        continue
                    }
                    if let state = current, let start = enteredAt {
                        let days = calendar.businessDays(from: LocalDate(start, in: zone), to: LocalDate(entry.at, in: zone))
                        stays[state, default: []].append(Double(days))
                    }
                    current = entry.to
                    enteredAt = entry.at
                    if isFinal(entry.to), entry.event != Self.purgeEvent {
                        finished[String(LocalDate(entry.at, in: zone).iso8601.prefix(7)), default: 0] += 1
                    }
                }
            }
            // The months from the first opening to now (or to the end of the period).
            var months: [Report.Month] = []
            if let first = inRange.map(\.openedAt).min() {
                var month = LocalDate(first, in: zone)
                let last = to ?? LocalDate(now, in: zone)
                month = LocalDate(year: month.year, month: month.month, day: 1) ?? month
                while month <= last {
                    let next =
                        LocalDate(year: month.month == 12 ? month.year + 1 : month.year, month: month.month % 12 + 1, day: 1) ?? month
                    let end = calendar.instant(next, secondsOfDay: 0)
                    var latest: [Int: (Date, String)] = [:]
                    for (position, (at, state)) in timelines.enumerated() where at < end {
                        let owner = timelineOwners[position]
                        if latest[owner].map({ $0.0 <= at }) ?? true { latest[owner] = (at, state) }
                    }
                    var standing: [String: Int] = [:]
                    for (_, state) in latest.values { standing[state, default: 0] += 1 }
                    let key = String(month.iso8601.prefix(7))
                    months.append(Report.Month(month: key, opened: opened[key] ?? 0, finished: finished[key] ?? 0, standing: standing))
                    month = next
                }
            }

            let stageTimes = definition.states.compactMap { state -> Report.StageTime? in
                guard let values = stays[state.id]?.sorted(), !values.isEmpty else { return nil }
                return Report.StageTime(
                    state: state.id, stays: values.count, median: Self.percentile(values, 0.5), percentile90: Self.percentile(values, 0.9))
            }

            var overdue: [String] = []
            for ticket in all where !isFinal(ticket.state) {
                let entered = try tx.agendaAnchor(ticket: ticket.id, state: ticket.state, meetingStates: []).entered ?? ticket.updatedAt
                let late = try tx.timers(of: ticket.id).contains {
                    $0.state == ticket.state && $0.armedAt >= entered && ($0.status == .pending || $0.status == .fired) && $0.dueAt <= now
                }
                if late { overdue.append(ticket.id) }
            }

            var breakdowns: [(String, [(String, Int)])] = []
            for field in definition.reportBreakdowns.compactMap(definition.field) {
                var counts: [String: Int] = [:]
                var groups: [String: Int] = [:]
                for ticket in inRange {
                    guard let value = ticket.fields[field.id] else { continue }
                    let ids: [String] = if case .choices(let ids) = value { ids } else { [value.plainText] }
                    for id in ids {
                        counts[field.type.choices?.value(id)?.title ?? id, default: 0] += 1
                        if let group = field.type.choices?.value(id)?.group {
                            groups[field.type.choices?.groups.first { $0.id == group }?.title ?? group, default: 0] += 1
                        }
                    }
                }
                let order = field.type.choices?.values.map(\.title) ?? counts.keys.sorted()
                breakdowns.append((field.title, order.compactMap { title in counts[title].map { (title, $0) } }))
                if !groups.isEmpty, let choices = field.type.choices {
                    breakdowns.append(
                        (
                            "\(field.title): \(Vocabulary.forLanguage(definition.language).area)",
                            choices.groups.compactMap { group in groups[group.title].map { (group.title, $0) } }
                        ))
                }
            }
            return Report(
                definition: definition, from: from, to: to, generatedAt: now,
                openPerStage: definition.states.compactMap { state in openPerStage[state.id].map { (state.id, $0) } }, months: months,
                stageTimes: stageTimes, overdue: overdue, deferrals: deferrals, breakdowns: breakdowns)
        }
    }

    /// The p-quantile of sorted values, interpolating linearly between neighbours.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard sorted.count > 1 else { return sorted.first ?? 0 }
        let position = p * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}
