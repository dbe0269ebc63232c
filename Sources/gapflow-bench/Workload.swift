import Foundation
import GapFlow
import GapFlowSQLite
import Synchronization

/// The crash test's workload: opens, transitions, timer firings and decision batches, one transaction each, writing
/// an acknowledgement line after every commit. The parent kills it at random moments and checks the database.
enum Workload {
    /// A value for any field type, so that every transition's required fields can be given.
    static func input(for field: Field, today: LocalDate, tickets: [String]) -> FieldInput {
        switch field.type {
        case .text, .longText: .text("Text \(field.id)")
        case .integer(let minimum, _): .text(String(max(minimum ?? 1, 5)))
        case .date: .text(today.adding(days: 60).iso8601)
        case .choice(let choices), .choiceSet(let choices): .text(choices.values.first?.id ?? "")
        case .ticket: .text(tickets.first ?? "")
        }
    }

    static func run(database: String, acknowledgements: String, seed: UInt64) throws {
        let clock = ManualClock(Date())
        let engine = Engine(store: try SQLiteStore(path: database), clock: clock)
        let workflow = "systemic-gap-escalation"
        let definition = try engine.definition(workflow)
        let actor = Actor(name: "workload", roles: definition.roles.map(\.id))
        try engine.saveActor(actor)
        if !FileManager.default.fileExists(atPath: acknowledgements),
            !FileManager.default.createFile(atPath: acknowledgements, contents: nil)
        {
            throw RawSQLite.Failure(description: "cannot create \(acknowledgements)")
        }
        guard let ack = FileHandle(forWritingAtPath: acknowledgements) else {
            throw RawSQLite.Failure(description: "cannot write \(acknowledgements)")
        }
        ack.seekToEndOfFile()
        func acknowledge(_ ticket: Ticket) { ack.write(Data("\(ticket.id) \(ticket.revision)\n".utf8)) }
        var random = SeededRandom(seed: seed)
        var step = 0
        while true {
            step += 1
            let open = try engine.tickets(TicketFilter(workflow: workflow)).filter { definition.state($0.state)?.isFinal == false }
            if open.isEmpty || random.next() % 4 == 0 {
                let values: [String: FieldInput] = [
                    "title": .text("Lücke \(step)"), "description": .text("Strukturell"), "municipality": .text("Siegburg"),
                ]
                acknowledge(try engine.open(workflow: workflow, Command(.open, actor: actor, values: values)).ticket)
            } else {
                let ticket = open[Int(random.next() % UInt64(open.count))]
                let transitions = definition.transitions(from: ticket.state).filter { $0.roles != [Definition.systemRole] }
                guard !transitions.isEmpty else { continue }
                let transition = transitions[Int(random.next() % UInt64(transitions.count))]
                let today = LocalDate(clock.now(), in: .berlin)
                var values: [String: FieldInput] = [:]
                for name in transition.needs {
                    if let field = definition.field(name) {
                        values[name] = input(for: field, today: today, tickets: open.map(\.id).filter { $0 != ticket.id })
                    }
                }
                if let outcome = try? engine.fire(ticket.id, Command(.fire(event: transition.event), actor: actor, values: values)) {
                    acknowledge(outcome.ticket)
                }
            }
            if step % 10 == 0 {
                clock.advance(by: 3 * 86_400)
                _ = try engine.fireDueTimers { firing in ack.write(Data("timer \(firing.timer.id)\n".utf8)) }
            }
            if step % 25 == 0 {
                let waiting = try engine.tickets(TicketFilter(workflow: workflow, states: ["awaiting_steering"])).prefix(5)
                let decisions = waiting.enumerated().map { index, ticket in
                    Decision(
                        entry: index + 1, ticket: ticket.id, event: "defer", values: ["decision_note": .text("vertagt \(step)")],
                        comment: nil, resolution: nil)
                }
                if !decisions.isEmpty {
                    for applied in try engine.applyDecisions(decisions, meeting: nil, actor: actor, check: false) {
                        ack.write(Data("\(applied.ticket) decision\n".utf8))
                    }
                }
            }
        }
    }

    /// The crash test's timer backlog: fires every timer due 40 days from now, in batches, writing "timer ID" after the
    /// commit that holds each firing; the parent kills it in the middle of a batch.
    static func fireBacklog(database: String, acknowledgements: String) throws {
        let engine = Engine(store: try SQLiteStore(path: database), clock: ManualClock(Date().addingTimeInterval(40 * 86_400)))
        guard let ack = FileHandle(forWritingAtPath: acknowledgements) else {
            throw RawSQLite.Failure(description: "cannot write \(acknowledgements)")
        }
        ack.seekToEndOfFile()
        _ = try engine.fireDueTimers { firing in ack.write(Data("timer \(firing.timer.id)\n".utf8)) }
    }

    /// The crash test's concurrent writers: eight threads in one process opening and forwarding tickets, so that their
    /// commands share transactions (group commit); each writes its acknowledgement after its command returned.
    static func runConcurrent(database: String, acknowledgements: String) throws {
        let engine = Engine(store: try SQLiteStore(path: database), clock: ManualClock(Date()))
        let workflow = "systemic-gap-escalation"
        let actor = Actor(name: "workload", roles: try engine.definition(workflow).roles.map(\.id))
        try engine.saveActor(actor)
        guard let ack = FileHandle(forWritingAtPath: acknowledgements) else {
            throw RawSQLite.Failure(description: "cannot write \(acknowledgements)")
        }
        ack.seekToEndOfFile()
        let writing = Mutex(())
        @Sendable func acknowledge(_ ticket: Ticket) {
            writing.withLock { _ in ack.write(Data("\(ticket.id) \(ticket.revision)\n".utf8)) }
        }
        let values: [String: FieldInput] = [
            "title": .text("Lücke"), "description": .text("Strukturell"), "municipality": .text("Siegburg"),
        ]
        for _ in 0..<8 {
            Thread {
                while true {
                    guard let opened = try? engine.open(workflow: workflow, Command(.open, actor: actor, values: values)).ticket else {
                        continue
                    }
                    acknowledge(opened)
                    if let forwarded = try? engine.fire(
                        opened.id, Command(.fire(event: "forward"), actor: actor, values: ["legal_domains": .text("SGB II")]))
                    {
                        acknowledge(forwarded.ticket)
                    }
                }
            }.start()
        }
        while true { sleep(60) }
    }
}
