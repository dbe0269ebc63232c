import Foundation

/// An open ticket that resembles another, with why.
public struct SimilarTicket: Sendable {
    public let ticket: Ticket
    /// 0 … 1: the weighted share of matching fields and wording.
    public let score: Double
    /// What matched, best reason first.
    public let matches: [Match]

    /// One thing two tickets share.
    public enum Match: Sendable, Equatable, CustomStringConvertible {
        /// Values of a set field both hold (their titles).
        case sharedValues(field: String, values: [String])
        /// The same value of an enum field (its title).
        case sameValue(field: String, value: String)
        /// Words both texts use: their share of all words, and the first few.
        case wording(percent: Int, words: [String])

        /// As the CLI prints it, e.g. "Rechtskreise: SGB VIII" or "wording 42 %: kinderbetreuung".
        public var description: String {
            switch self {
            case .sharedValues(let field, let values): "\(field): \(values.joined(separator: ", "))"
            case .sameValue(let field, let value): "\(field): \(value)"
            case .wording(let percent, let words): "wording \(percent) %: " + words.joined(separator: ", ")
            }
        }
    }

    /// The matches as the CLI prints them.
    public var reasons: [String] { matches.map(\.description) }
}

extension Engine {
    /// The open tickets of the same workflow most like `id`, best first.
    ///
    /// Works on any workflow from its field types: shared values of set fields, equal enum values, and shared
    /// words in text fields (ignoring short and very common words) all count, weighted in that order.
    public func similar(to id: String, limit: Int = 10) throws -> [SimilarTicket] {
        let (ticket, definition) = try ticketWithDefinition(id)
        let open = definition.states.filter { !$0.isFinal }.map(\.id)
        // The store hands over the open tickets most likely to match (sharing the most words, from a full-text index
        // where it has one) instead of every open ticket; the rules below rank them.
        var words: Set<String> = []
        for field in definition.fields {
            if case .text = field.type { words.formUnion(Self.words(ticket.fields[field.id]?.plainText ?? "")) }
            if case .longText = field.type { words.formUnion(Self.words(ticket.fields[field.id]?.plainText ?? "")) }
        }
        let candidates = try store.read { tx in
            try tx.similarCandidates(
                to: ticket, words: words.sorted(), filter: TicketFilter(workflow: ticket.workflowID, states: open),
                limit: Self.similarCandidates)
        }.filter { $0.id != ticket.id }
        return candidates.map { Self.similarity(ticket, $0, definition) }.filter { $0.score > 0 }
            .sorted { ($0.score, $1.ticket.id) > ($1.score, $0.ticket.id) }.prefix(limit).map { $0 }
    }

    /// How many candidates the store hands over for ranking.
    static let similarCandidates = 500

    static func similarity(_ a: Ticket, _ b: Ticket, _ definition: Definition) -> SimilarTicket {
        var score = 0.0
        var weight = 0.0
        var reasons: [SimilarTicket.Match] = []
        var wordsA: Set<String> = []
        var wordsB: Set<String> = []
        for field in definition.fields {
            switch field.type {
            case .choiceSet:
                guard case .choices(let x)? = a.fields[field.id] else { continue }
                weight += 3
                guard case .choices(let y)? = b.fields[field.id] else { continue }
                let shared = Set(x).intersection(y)
                if !shared.isEmpty {
                    score += 3 * Double(shared.count) / Double(Set(x).union(y).count)
                    let titles = x.filter(shared.contains).map { field.type.choices?.value($0)?.title ?? $0 }
                    reasons.append(.sharedValues(field: field.title, values: titles))
                }
            case .choice:
                guard let x = a.fields[field.id] else { continue }
                weight += 1
                if x == b.fields[field.id] {
                    score += 1
                    reasons.append(.sameValue(field: field.title, value: field.type.choices?.value(x.plainText)?.title ?? x.plainText))
                }
            case .text, .longText:
                wordsA.formUnion(words(a.fields[field.id]?.plainText ?? ""))
                wordsB.formUnion(words(b.fields[field.id]?.plainText ?? ""))
            default:
                continue
            }
        }
        if !wordsA.isEmpty {
            weight += 4
            let overlap = Double(wordsA.intersection(wordsB).count) / Double(max(1, wordsA.union(wordsB).count))
            if overlap > 0 {
                score += 4 * overlap
                reasons.append(
                    .wording(percent: Int((overlap * 100).rounded()), words: Array(wordsA.intersection(wordsB).sorted().prefix(5))))
            }
        }
        return SimilarTicket(ticket: b, score: weight > 0 ? score / weight : 0, matches: reasons)
    }

    /// Lowercased words of four letters or more, without the commonest German and English ones.
    static func words(_ text: String) -> Set<String> {
        let stop: Set<String> = [
            "eine", "einer", "einen", "einem", "der", "die", "das", "und", "oder", "nicht", "sind", "wird", "werden", "wurde", "nach",
            "auch", "noch", "sich", "mit", "für", "bei", "über", "unter", "keine", "kein", "gibt", "this", "that", "with", "from",
        ]
        let tokens = text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        return Set(tokens.filter { $0.count >= 4 && !stop.contains($0) })
    }
}
