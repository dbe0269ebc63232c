import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

/// The second workflow, `Workflows/case-conference.json`, runs through the same CLI with no code of its own.
@Suite struct CaseConferenceTests {
    @Test func aCaseConferenceRunsEndToEndAndReportsItsGapToTheKIMWorkflow() throws {
        let shell = Shell()
        try shell.prepareKIM()
        #expect(shell.run("actor", "add", "moderation", "--role", "moderation").status == 0)
        #expect(shell.run("validate", Shell.workflows + "/case-conference.json").status == 0)

        let opened = shell.run(
            "open", "case-conference", "--as", "cm.siegburg", "--set", "topic=Familie ohne Kita-Platz, Sprachkurs nicht möglich",
            "--set", "legal_domains=SGB II,SGB VIII")
        #expect(opened.status == 0, "\(opened.errors)")
        let id = opened.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id == "FK-2026-0001")

        let past = shell.run(
            "fire", id, "schedule", "--set", "conference_date=20.11.2026", "--set", "participants=Jobcenter,Jugendamt", "--set",
            "participants_count=1")
        #expect(past.status == 1)
        #expect(past.errors.contains("der Termin muss in der Zukunft liegen"))
        // No conference without the person's consent (DSGVO), given before it is scheduled.
        #expect(past.errors.contains("Einwilligung der betroffenen Person erteilt am"), "\(past.errors)")
        let promised = shell.run(
            "fire", id, "schedule", "--set", "consent=30.11.2026", "--set", "conference_date=03.12.2026", "--set",
            "participants=Jobcenter,Jugendamt,Kita", "--set", "participants_count=4")
        #expect(promised.status == 1)
        #expect(promised.errors.contains("die Einwilligung muss vorliegen, bevor die Fallkonferenz terminiert wird"))
        let scheduled = shell.run(
            "fire", id, "schedule", "--set", "consent=24.11.2026", "--set", "conference_date=03.12.2026", "--set",
            "participants=Jobcenter,Jugendamt,Kita", "--set", "participants_count=4")
        #expect(scheduled.status == 0, "\(scheduled.errors)")
        #expect(shell.run("timers", "--ticket", id).output.contains("upcoming      01.12.2026 08:00  notify moderation"))

        let early = shell.run(
            "fire", id, "document", "--as", "moderation", "--set", "agreements=Kita-Platz ab Januar", "--set", "systemic=ja")
        #expect(early.errors.contains("erst nach dem Termin"))
        shell.clock.advance(by: 10 * 86_400)  // 5 December: the conference has taken place
        let tick = shell.run("tick")
        #expect(tick.output.contains("\(id) scheduled/upcoming: skipped: overdue by"))
        #expect(tick.output.contains("\(id) scheduled/undocumented: notified cm_coordination") == false)
        #expect(
            shell.run("fire", id, "document", "--as", "moderation", "--set", "agreements=Kita-Platz ab Januar", "--set", "systemic=ja")
                .status == 0)

        let closeEarly = shell.run("fire", id, "close", "--as", "cm.siegburg")
        #expect(closeEarly.errors.contains("eine festgestellte systematische Lücke muss zuerst gemeldet sein"))
        let gap = try shell.openGap(title: "Kita-Plätze für Kinder in Sprachkursen fehlen")
        #expect(shell.run("fire", id, "report_gap", "--as", "cm.siegburg", "--set", "gap=\(gap.lowercased())").status == 0)
        #expect(
            shell.run("fire", id, "report_gap", "--as", "cm.siegburg", "--set", "gap=GAP-2026-0404").errors.contains(
                "there is no ticket GAP-2026-0404"))
        #expect(shell.run("fire", id, "close", "--as", "cm.siegburg").status == 0)

        let ticket = try JSONParser.parse(shell.run("show", id, "--json").output)
        #expect(ticket["state"]?.string == "closed")
        #expect(ticket["fields"]?["gap"]?.string == gap)
        #expect(ticket["fields"]?["participants"]?.elements?.compactMap(\.string) == ["Jobcenter", "Jugendamt", "Kita"])
        let events = try JSONParser.parse(shell.run("history", id, "--json").output).elements?.compactMap { $0["event"]?.string }
        #expect(events == ["open", "schedule", "document", "report_gap", "close"])
        #expect(shell.run("diagram", "case-conference", "--format", "mermaid").output.contains("follow_up --> closed: Abschließen"))
        #expect(shell.run("explain", "case-conference").output.contains("## Nachverfolgung"))

        // A year after it closed, the conference loses its free text (the retention rule of the file).
        #expect(shell.run("actor", "add", "admin", "--role", "admin").status == 0)
        shell.clock.advance(by: 360 * 86_400)
        #expect(shell.run("purge", "--check", "--as", "admin").output.contains("0 tickets would be anonymised"))
        shell.clock.advance(by: 10 * 86_400)
        let purged = shell.run("purge", "--as", "admin")
        #expect(purged.output.contains("anonymised \(id)"), "\(purged.output) \(purged.errors)")
        #expect(purged.output.contains("removed agreements, topic"))
        #expect(shell.run("audit", "verify").status == 0)
    }
}
