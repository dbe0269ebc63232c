import Foundation
import Testing

@testable import GapFlowCLI

/// `actor add --municipality A --municipality B`: the scope keeps every entry, and an unknown one is refused.
@Suite struct ScopeCommandTests {
    @Test func actorAddKeepsEveryMunicipalityAndArea() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let added = shell.run("actor", "add", "cm.cluster", "--role", "cm", "--municipality", "Much", "--municipality", "eitorf")
        #expect(added.status == 0, "\(added.errors)")
        #expect(added.output.contains("actor cm.cluster: cm (Much, Eitorf)"))
        #expect(
            shell.run("actor", "add", "koordination.links", "--role", "cm_coordination", "--municipality", "Linksrheinisch").status == 0)
        let list = shell.run("actor", "list").output
        #expect(list.contains("Much, Eitorf"))
        #expect(list.contains("linksrheinisch"))
        let json = shell.run("actor", "list", "--json").output.filter { !$0.isWhitespace }
        #expect(json.contains(#""scope":["Much","Eitorf"]"#))
    }

    @Test func anUnknownMunicipalityInTheScopeIsRefusedAndNothingIsSaved() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let refused = shell.run("actor", "add", "cm.bonn", "--role", "cm", "--municipality", "Much", "--municipality", "Bonn")
        #expect(refused.status == 1)
        #expect(refused.errors.contains("\"Bonn\" is neither a municipality nor an area"))
        #expect(!shell.run("actor", "list").output.contains("cm.bonn"))
    }
}

/// `actor deputy` and `actor deputies`: periods with an end, refused when they overlap.
@Suite struct DeputyCommandTests {
    @Test func aDeputyPeriodIsRecordedListedAndShownInTheHistory() throws {
        let shell = Shell()
        try shell.prepareKIM()
        #expect(shell.run("actor", "add", "vertretung", "--role", "cm").status == 0)
        let added = shell.run("actor", "deputy", "koordination", "--deputy", "vertretung", "--from", "25.11.2026", "--to", "04.12.2026")
        #expect(added.status == 0, "\(added.errors)")
        #expect(shell.run("actor", "deputies").output.contains("koordination  vertretung  2026-11-25  2026-12-04"))
        let overlap = shell.run("actor", "deputy", "koordination", "--deputy", "ki.leitung", "--from", "01.12.2026", "--to", "10.12.2026")
        #expect(overlap.status == 1 && overlap.errors.contains("overlaps"))
        let open = shell.run("actor", "deputy", "koordination", "--deputy", "ki.leitung", "--from", "01.01.2027")
        #expect(open.status == 2 && open.errors.contains("it must end"))
        let id = try shell.openGap()
        #expect(shell.run("fire", id, "forward", "--as", "vertretung").status == 0)
        #expect(shell.run("history", id).output.contains("vertretung for koordination as deputy (cm_coordination)"))
    }
}

/// `group add|list|show`: the register from the command line.
@Suite struct GroupCommandTests {
    @Test func groupsAreRegisteredListedAndAGroupWithoutMembersIsRefused() throws {
        let shell = Shell()
        try shell.prepareKIM()
        let empty = shell.run("group", "add", "PG Schule", "--topic", "Schule")
        #expect(empty.status == 1 && empty.errors.contains("needs at least one member"))
        #expect(shell.run("group", "add", "PG Schule", "--topic", "Schule", "--member", "pg.sprache").status == 0)
        #expect(shell.run("group", "list").output.contains("PG Schule  Schule  pg.sprache"))
        #expect(shell.run("group", "show", "PG Schule").status == 0)
        #expect(shell.run("group", "show", "PG Kita").status == 1)
    }
}
