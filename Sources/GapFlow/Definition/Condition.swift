/// A guard on a transition, written as structured data in the definition file.
///
/// Leaves compare one field with a value (`{"field": "cases_observed", "op": "ge", "value": 3}`);
/// `all`, `any` and `not` combine them. Every node may carry a `description`, which is what a
/// user reads when the guard blocks an event.
public indirect enum Condition: Sendable, Equatable {
    case all([Condition], description: String?)
    case any([Condition], description: String?)
    case not(Condition, description: String?)
    case compare(field: String, op: Comparison, operand: Operand, description: String?)

    /// The comparison of a leaf.
    public enum Comparison: String, Sendable, CaseIterable {
        case eq, ne, lt, le, gt, ge
        /// The field's value is one of a list.
        case `in`
        /// A set field contains a value.
        case contains
        /// The field has a value / has none.
        case set, unset

        /// How the comparison reads in a message.
        var phrase: String {
            switch self {
            case .eq: "equal"
            case .ne: "differ from"
            case .lt: "be less than"
            case .le: "be at most"
            case .gt: "be greater than"
            case .ge: "be at least"
            case .in: "be one of"
            case .contains: "contain"
            case .set: "be set"
            case .unset: "be empty"
            }
        }
    }

    /// What a leaf compares its field with.
    public enum Operand: Sendable, Equatable {
        case none
        case value(FieldValue)
        case values([FieldValue])
        /// Today's date plus a number of calendar days (for date fields).
        case today(offsetDays: Int)
    }

    /// The description written in the file, if any.
    public var description: String? {
        switch self {
        case .all(_, let description), .any(_, let description), .not(_, let description),
            .compare(_, _, _, let description):
            description
        }
    }
}
