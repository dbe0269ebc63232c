import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI
@testable import GapFlowSQLite

/// Four real processes fire at the same 100 tickets, each with the revision it last saw (optimistic concurrency).
@Suite struct ConcurrencyTests {
    @Test func fourProcessesLoseNoUpdateAndEveryConflictIsReportedAsAConflict() throws {
        let gapflow = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gapflow")
        try #require(FileManager.default.isExecutableFile(atPath: gapflow.path), "no gapflow executable at \(gapflow.path)")
        let shell = Shell()
        try shell.prepareKIM()
        let engine = try Engine(store: SQLiteStore(path: shell.databasePath), clock: SystemClock())
        let coordinator = Actor(name: "koordination", roles: ["cm_coordination"])
        let kiLead = Actor(name: "ki.leitung", roles: ["ki_lead"])
        let values: [String: FieldInput] = [
            "title": .text("Lücke"), "description": .text("Strukturell"), "municipality": .text("Siegburg"),
        ]
        var ids: [String] = []
        for _ in 0..<100 {
            let id = try engine.open(
                workflow: "systemic-gap-escalation", Command(.open, actor: coordinator, values: values)
            ).ticket.id
            try engine.fire(id, Command(.fire(event: "forward"), actor: coordinator, values: ["legal_domains": .text("SGB II")]))
            try engine.fire(id, Command(.fire(event: "table"), actor: kiLead, values: ["proposal": .text("Vorschlag")]))
            ids.append(id)
        }
        let list = shell.folder.appendingPathComponent("tickets.txt")
        try ids.joined(separator: "\n").appending("\n").write(to: list, atomically: true, encoding: .utf8)
        // Each worker: read the revision, then fire with it; record the outcome of every attempt.
        let script = """
            while read -r t; do
              rev=$("$GAPFLOW" show "$t" --json | sed -n 's/.*"revision" : \\([0-9]*\\).*/\\1/p;s/.*"revision": \\([0-9]*\\).*/\\1/p' | head -n1)
              if "$GAPFLOW" fire "$t" defer --as geschaeftsstelle --set decision_note="$W" --resolution "U$W-$t" --revision "$rev" 2>"err-$W"; then
                echo "ok $t" >> "out-$W"
              elif grep -q 'was changed by someone else' "err-$W"; then
                echo "conflict $t" >> "out-$W"
              else
                echo "error $t $(cat "err-$W")" >> "out-$W"
              fi
            done < tickets.txt
            """
        var workers: [Process] = []
        for worker in 1...4 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", script]
            process.currentDirectoryURL = shell.folder
            process.environment = ["GAPFLOW": gapflow.path, "GAPFLOW_DB": shell.databasePath, "W": String(worker), "PATH": "/usr/bin:/bin"]
            try process.run()
            workers.append(process)
        }
        for worker in workers { worker.waitUntilExit() }

        var successes: [String: Int] = [:]
        var conflicts = 0
        var errors: [String] = []
        for worker in 1...4 {
            let lines = (try? String(contentsOf: shell.folder.appendingPathComponent("out-\(worker)"), encoding: .utf8)) ?? ""
            for line in lines.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
                switch parts[0] {
                case "ok": successes[parts[1], default: 0] += 1
                case "conflict": conflicts += 1
                default: errors.append(String(line))
                }
            }
        }
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        #expect(successes.values.reduce(0, +) + conflicts == 400)
        #expect(successes.values.reduce(0, +) >= 100)
        for id in ids {
            let history = try engine.history(id)
            #expect(history.map(\.revision) == Array(1...history.count), "\(id)")
            #expect(try engine.ticket(id).revision == 3 + (successes[id] ?? 0), "\(id): every acknowledged update is there, no other")
        }
        #expect(try engine.verifyHistory().findings.isEmpty)
    }
}
