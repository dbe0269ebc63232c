import Foundation
import Testing

@testable import GapFlow
@testable import GapFlowDocuments

/// The rules of OParl 1.1 that `--format oparl` must keep, per object type: what a conformance checker of a council
/// information system would refuse.
enum OParlConformance {
    static let schema = "https://schema.oparl.org/1.1/"

    /// Required properties beyond `id`, `type`, `created` and `modified`, and which of them are URLs (or arrays of URLs).
    static let rules: [String: (required: [String], urls: [String])] = [
        "Meeting": (["name", "start", "agendaItem"], ["location"]),
        "AgendaItem": (["meeting", "number", "order", "public"], ["meeting", "consultation"]),
        "Consultation": (["paper", "meeting", "agendaItem"], ["paper", "meeting", "agendaItem"]),
        "Paper": (["body", "name", "reference", "consultation"], ["body", "consultation"]),
        "Location": (["description"], []),
    ]

    static func isURL(_ text: String?) -> Bool {
        guard let text, let url = URL(string: text), ["https", "http"].contains(url.scheme ?? ""), url.host != nil else { return false }
        return !text.contains(" ")
    }

    static func isDateTime(_ text: String?) -> Bool {
        guard let text else { return false }
        return Timestamp.parse(text) != nil && text.contains("T")
    }

    /// Every problem of a list document, as "type id: what".
    static func problems(_ document: JSONNode) -> [String] {
        var problems: [String] = []
        guard let data = document["data"]?.elements, document["pagination"]?.members != nil, document["links"]?.members != nil else {
            return ["not an OParl list: data, pagination and links are required"]
        }
        var objects: [JSONNode] = []
        for object in data {
            objects.append(object)
            objects += object["agendaItem"]?.elements ?? []
        }
        let ids = objects.compactMap { $0["id"]?.string }
        if Set(ids).count != ids.count { problems.append("ids are not unique") }
        for object in objects {
            let id = object["id"]?.string ?? "?"
            guard let type = object["type"]?.string, type.hasPrefix(schema), let rule = rules[String(type.dropFirst(schema.count))] else {
                problems.append("\(id): type \(object["type"]?.string ?? "none") is not an OParl 1.1 type this export may hold")
                continue
            }
            if !isURL(object["id"]?.string) { problems.append("\(id): id is not a URL") }
            for key in ["created", "modified"] where !isDateTime(object[key]?.string) {
                problems.append("\(id): \(key) is not a date-time")
            }
            for key in rule.required where object[key] == nil { problems.append("\(id): \(key) is missing") }
            for key in rule.urls {
                guard let value = object[key] else { continue }
                let urls = value.elements.map { $0.map(\.string) } ?? [value.string]
                for url in urls where !isURL(url) { problems.append("\(id): \(key) is not a URL") }
                // A reference within the document must name one of its objects (the body is published elsewhere).
                for url in urls where key != "body" && !ids.contains(url ?? "") { problems.append("\(id): \(key) names no object") }
            }
            if type.hasSuffix("AgendaItem"), (object["order"]?.integer ?? 0) < 1 { problems.append("\(id): order must be 1 or more") }
            if type.hasSuffix("AgendaItem"), object["public"]?.value != .bool(true), object["public"]?.value != .bool(false) {
                problems.append("\(id): public must be a boolean")
            }
        }
        return problems
    }
}

@Suite struct OParlConformanceTests {
    @Test func everyExportedObjectKeepsTheOParlRulesOfItsType() throws {
        let folder = TemporaryFolder()
        let engine = try Fixtures.kimEngine(in: folder, store: .memory)
        let meeting = try engine.addMeeting(
            workflow: "systemic-gap-escalation", date: try #require(LocalDate(parsing: "2026-12-10")), time: "14:00",
            title: "Lenkungsgruppe", place: "Kreishaus Siegburg")
        var values = Fixtures.gapValues
        for title in ["Kinderbetreuung fehlt", "Lücke mit / und ? im Titel"] {
            values["title"] = .text(title)
            let id = try engine.open(workflow: "systemic-gap-escalation", Command(.open, actor: Fixtures.coordinator, values: values))
                .ticket.id
            try engine.fire(id, Command(.fire(event: "forward"), actor: Fixtures.coordinator, values: ["legal_domains": .text("SGB II")]))
            try engine.fire(id, Command(.fire(event: "table"), actor: Fixtures.kiLead, values: ["proposal": .text("Vorschlag")]))
        }
        let agenda = try engine.agenda(for: try engine.meeting(String(meeting.id), workflow: "systemic-gap-escalation"))
        let document = try JSONParser.parse(
            AgendaExport.oparl(agenda, baseURL: "https://ris.example.de/oparl/v1", now: Fixtures.start).compact)
        #expect(OParlConformance.problems(document) == [])
        let data = try #require(document["data"]?.elements)
        #expect(
            data.compactMap { $0["type"]?.string }.map { String($0.dropFirst(OParlConformance.schema.count)) } == [
                "Meeting", "Location", "Consultation", "Consultation", "Paper", "Paper",
            ])
        // Items of a point the workflow does not declare public are not public (KIM: only the fixed items are).
        let items = try #require(data.first?["agendaItem"]?.elements)
        #expect(items.filter { $0["number"]?.string?.contains(".") == true }.allSatisfy { $0["public"]?.value == .bool(false) })
        #expect(items.first?["public"]?.value == .bool(true))
        // The checker itself refuses what OParl refuses.
        let broken = try JSONParser.parse(
            #"{"data": [{"id": "urn:x", "type": "https://schema.oparl.org/1.1/Paper", "name": "x"}], "pagination": {}, "links": {}}"#)
        #expect(
            OParlConformance.problems(broken) == [
                "urn:x: id is not a URL", "urn:x: created is not a date-time", "urn:x: modified is not a date-time",
                "urn:x: body is missing", "urn:x: reference is missing", "urn:x: consultation is missing",
            ])
    }
}
