/// "Did you mean …?" for misspelt names: keys, fields, states, options and commands.
///
/// A suggestion is made only when it is close: at most one edit for names of up to five characters, at most two for
/// longer ones (an edit is an insertion, a deletion, a substitution or a swap of neighbours; case does not count).
/// No suggestion is better than a wrong one. The cost is bounded: names longer than ``maximumNameLength`` get none,
/// and only the first ``maximumCandidates`` candidates are compared, each in time proportional to the name's length.
public enum NameSuggestion {
    /// Names longer than this get no suggestion; no id or key of the format is that long.
    public static let maximumNameLength = 64
    /// At most this many candidates are compared for one name.
    public static let maximumCandidates = 10_000

    /// How many edits a name of `length` characters may be away from a suggestion.
    public static func tolerance(forLength length: Int) -> Int {
        length <= 5 ? 1 : 2
    }

    /// The closest known name if it is near enough to be a likely typo, else nil.
    public static func closest(to name: String, among candidates: [String]) -> String? {
        let lowered = Array(name.lowercased())
        guard !lowered.isEmpty, lowered.count <= maximumNameLength else { return nil }
        var best: String?
        var limit = tolerance(forLength: lowered.count)
        for candidate in candidates.prefix(maximumCandidates) {
            // A cheap bound first: a name with fewer bytes than `lowered.count - limit` has too few characters.
            guard candidate.utf8.count + limit >= lowered.count else { continue }
            let other = Array(candidate.lowercased())
            guard let distance = editDistance(lowered, other, atMost: limit) else { continue }
            best = candidate
            if distance == 0 { break }
            // Only a strictly closer candidate replaces the first one found at this distance.
            limit = distance - 1
        }
        return best
    }

    /// Whether `name` is close to `intended` and no other candidate is closer: then it is likely a misspelling of it.
    public static func isLikelyMisspelling(_ name: String, of intended: String, among candidates: [String]) -> Bool {
        let length = name.count
        let limit = tolerance(forLength: length)
        guard length <= maximumNameLength, abs(length - intended.count) <= limit,
            editDistance(Array(name.lowercased()), Array(intended.lowercased()), atMost: limit) != nil
        else { return false }
        return closest(to: name, among: candidates) == intended
    }

    /// `did you mean "x"?`, or nil.
    public static func hint(for name: String, among candidates: [String]) -> String? {
        closest(to: name, among: candidates).map { "did you mean \"\($0)\"?" }
    }

    /// The optimal-string-alignment distance (insertions, deletions, substitutions and swaps of neighbours) if it is at
    /// most `limit`, else nil. Only a band of width `2 × limit + 1` around the diagonal is computed, so the cost is
    /// proportional to `a.count × limit`, and it stops as soon as every path is too long.
    static func editDistance(_ a: [Character], _ b: [Character], atMost limit: Int) -> Int? {
        guard limit >= 0, abs(a.count - b.count) <= limit else { return nil }
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        let outside = limit + 1
        var beforePrevious = [Int](repeating: outside, count: b.count + 1)
        var previous = (0...b.count).map { min($0, outside) }
        var row = [Int](repeating: outside, count: b.count + 1)
        for i in 1...a.count {
            let low = max(1, i - limit)
            let high = min(b.count, i + limit)
            // Cells just outside the band are read by this row and the next; the rest are never read.
            row[low - 1] = low == 1 ? min(i, outside) : outside
            if high < b.count { row[high + 1] = outside }
            var rowMinimum = row[low - 1]
            for j in low...high {
                var value = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                // A swap of two neighbours counts as one edit ("titel" → "title").
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, beforePrevious[j - 2] + 1)
                }
                row[j] = min(value, outside)
                rowMinimum = min(rowMinimum, row[j])
            }
            // Every later row is at least this row's minimum: give up once it is too far.
            if rowMinimum > limit { return nil }
            swap(&beforePrevious, &previous)
            swap(&previous, &row)
        }
        let distance = previous[b.count]
        return distance <= limit ? distance : nil
    }
}
