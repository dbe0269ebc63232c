import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowCLI

/// Input that used to be taken in a surprising way is refused, saying what is wrong and where.
@Suite struct InputValidationTests {
    @Test func aLimitOrOtherCountBelowOneIsAUsageError() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let id = try shell.openGap()
        for arguments in [
            ["list", "--limit", "-1"], ["list", "--limit", "0"], ["list", "--limit=-5"], ["timers", "--limit", "0"],
            ["outbox", "list", "--limit", "-1"], ["similar", id, "--limit", "0"], ["fire", id, "forward", "--revision", "0"],
            ["migrate", "systemic-gap-escalation", "--to", "-1"], ["run", "--recheck", "0"],
        ] {
            let result = shell.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.output)\(result.errors)")
            #expect(result.errors.contains("takes a whole number from 1"), "\(arguments): \(result.errors)")
        }
        let notANumber = shell.run("list", "--limit", "ten")
        #expect(notANumber.status == 2)
        #expect(notANumber.errors.contains("option --limit takes a whole number from 1, not \"ten\""), "\(notANumber.errors)")
        #expect(shell.run("list", "--limit", "1").output.contains(id))
    }

    @Test func aFieldsFileWithADuplicateKeyIsRefusedWithItsPlace() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let file = shell.folder.appendingPathComponent("gap.json")
        try """
        {
          "title": "Kinderbetreuung fehlt",
          "description": "Keine Betreuung",
          "title": "Sprachkurse fehlen"
        }
        """.write(to: file, atomically: true, encoding: .utf8)
        let result = shell.run("open", "systemic-gap-escalation", "--as", "cm.siegburg", "--fields", "gap.json")
        #expect(result.status == 1)
        #expect(result.errors.contains("gap.json:4:3: \"title\" is given twice (first at 2:3)"), "\(result.errors)")
        #expect(shell.run("list").output == "no tickets match\n")
    }

    @Test func aSetWithAnEmptyElementIsRefused() throws {
        let shell = Shell()
        try shell.prepareKIM()
        for value in [",,,", "SGB II,,SGB VIII", "SGB II,", " , "] {
            let result = shell.run(
                "open", "systemic-gap-escalation", "--as", "cm.siegburg", "--set", "title=Lücke", "--set", "description=Keine",
                "--set", "legal_domains=\(value)")
            #expect(result.status == 1, "\(value): \(result.output)")
            #expect(result.errors.contains("legal_domains"), "\(value): \(result.errors)")
            #expect(result.errors.contains("empty element"), "\(value): \(result.errors)")
        }
        #expect(shell.run("list").output == "no tickets match\n")
        let good = shell.run(
            "open", "systemic-gap-escalation", "--as", "cm.siegburg", "--set", "title=Lücke", "--set", "description=Keine",
            "--set", "legal_domains=SGB II, sgb viii")
        #expect(good.status == 0, "\(good.errors)")
    }
}
