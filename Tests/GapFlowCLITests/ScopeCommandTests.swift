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
