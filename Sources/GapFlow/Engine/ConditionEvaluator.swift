/// Evaluates a transition's guard against a ticket's fields and explains a failure in words.
struct ConditionEvaluator {
    let definition: Definition
    let fields: [String: FieldValue]
    let today: LocalDate

    /// Why the condition does not hold, or nil when it holds. The file's description wins over a generated one.
    func failure(of condition: Condition) -> String? {
        switch condition {
        case .all(let parts, let description):
            for part in parts {
                if let reason = failure(of: part) { return description ?? reason }
            }
            return nil
        case .any(let parts, let description):
            let reasons = parts.compactMap { failure(of: $0) }
            guard reasons.count == parts.count else { return nil }
            return description ?? "none of these holds: " + reasons.joined(separator: "; ")
        case .not(let inner, let description):
            guard failure(of: inner) == nil else { return nil }
            return description ?? "this must not hold: \(phrase(inner))"
        case .compare(let field, let op, let operand, let description):
            guard !holds(field: field, op: op, operand: operand) else { return nil }
            return description ?? phrase(condition)
        }
    }

    private func holds(field: String, op: Condition.Comparison, operand: Condition.Operand) -> Bool {
        let value = fields[field].flatMap { $0.isEmpty ? nil : $0 }
        switch op {
        case .set: return value != nil
        case .unset: return value == nil
        default: break
        }
        guard let value else { return op == .ne }
        let target: FieldValue? =
            switch operand {
            case .value(let literal): literal
            case .today(let offset): .date(today.adding(days: offset))
            case .none, .values: nil
            }
        switch op {
        case .eq: return value == target
        case .ne: return value != target
        case .in:
            guard case .values(let list) = operand else { return false }
            return list.contains(value)
        case .contains:
            guard case .choices(let held) = value, case .choices(let wanted)? = target else { return false }
            return wanted.allSatisfy(held.contains)
        case .lt, .le, .gt, .ge:
            guard let order = compare(value, target) else { return false }
            switch op {
            case .lt: return order < 0
            case .le: return order <= 0
            case .gt: return order > 0
            default: return order >= 0
            }
        case .set, .unset:
            return false
        }
    }

    private func compare(_ lhs: FieldValue, _ rhs: FieldValue?) -> Int? {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)?): a < b ? -1 : (a == b ? 0 : 1)
        case (.date(let a), .date(let b)?): a < b ? -1 : (a == b ? 0 : 1)
        default: nil
        }
    }

    /// A generated sentence for a condition, e.g. `field "cases_observed" must be at least 3`.
    private func phrase(_ condition: Condition) -> String {
        switch condition {
        case .all(let parts, let description): description ?? parts.map(phrase).joined(separator: " and ")
        case .any(let parts, let description): description ?? parts.map(phrase).joined(separator: " or ")
        case .not(let inner, let description): description ?? "not (\(phrase(inner)))"
        case .compare(let field, let op, let operand, let description):
            description
                ?? {
                    let title = definition.field(field).map { "\"\(field)\" (\($0.title))" } ?? "\"\(field)\""
                    let target: String =
                        switch operand {
                        case .none: ""
                        case .value(let value): " " + value.plainText
                        case .values(let values): " " + values.map(\.plainText).joined(separator: ", ")
                        case .today(let offset): offset == 0 ? " today" : " today \(offset > 0 ? "+" : "")\(offset) days"
                        }
                    return "field \(title) must \(op.phrase)\(target)"
                }()
        }
    }
}
