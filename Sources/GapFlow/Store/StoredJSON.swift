/// The storage format of field values: single-key objects that name their type, e.g. `{"date": "2027-03-01"}`.
///
/// Self-describing, so the store can read a ticket without its definition and SQL can filter with `json_extract`.
public enum StoredJSON {
    public static func encode(_ value: FieldValue) -> JSONValue {
        .object([(tag(of: value), value.json)])
    }

    public static func tag(of value: FieldValue) -> String {
        switch value {
        case .text: "text"
        case .integer: "integer"
        case .date: "date"
        case .choice: "choice"
        case .choices: "choices"
        case .ticket: "ticket"
        }
    }

    public static func encode(_ fields: [String: FieldValue]) -> String {
        JSONValue.object(fields.keys.sorted().compactMap { key in fields[key].map { (key, encode($0)) } }).compact
    }

    public static func encode(_ changes: [FieldChange]) -> String {
        JSONValue.array(
            changes.map { change in
                .object([
                    ("field", .string(change.field)), ("old", change.old.map(encode) ?? .null),
                    ("new", change.new.map(encode) ?? .null),
                ])
            }
        ).compact
    }

    public static func decodeValue(_ node: JSONNode) -> FieldValue? {
        guard let member = node.members?.first, node.members?.count == 1 else { return nil }
        let value = member.value
        switch member.key {
        case "text": return value.string.map(FieldValue.text)
        case "integer": return value.integer.map(FieldValue.integer)
        case "date": return value.string.flatMap(LocalDate.init(parsing:)).map(FieldValue.date)
        case "choice": return value.string.map(FieldValue.choice)
        case "ticket": return value.string.map(FieldValue.ticket)
        case "choices":
            guard let elements = value.elements else { return nil }
            let ids = elements.compactMap(\.string)
            return ids.count == elements.count ? .choices(ids) : nil
        default: return nil
        }
    }

    public static func decodeFields(_ text: String) -> [String: FieldValue]? {
        guard let members = (try? JSONParser.parse(text))?.members else { return nil }
        var fields: [String: FieldValue] = [:]
        for member in members {
            guard let value = decodeValue(member.value) else { return nil }
            fields[member.key] = value
        }
        return fields
    }

    public static func decodeChanges(_ text: String) -> [FieldChange]? {
        guard let elements = (try? JSONParser.parse(text))?.elements else { return nil }
        var changes: [FieldChange] = []
        for element in elements {
            guard let members = element.members,
                let field = members.first(where: { $0.key == "field" })?.value.string
            else { return nil }
            func side(_ key: String) -> FieldValue?? {
                guard let node = members.first(where: { $0.key == key })?.value else { return .some(nil) }
                if case .null = node.value { return .some(nil) }
                return decodeValue(node).map { .some($0) }
            }
            guard let old = side("old"), let new = side("new") else { return nil }
            changes.append(FieldChange(field: field, old: old, new: new))
        }
        return changes
    }
}
