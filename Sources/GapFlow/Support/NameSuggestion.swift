/// "Did you mean …?" for misspelt names: keys, fields, states, options and commands.
public enum NameSuggestion {
    /// The closest known name if it is near enough to be a likely typo, else nil.
    public static func closest(to name: String, among candidates: [String]) -> String? {
        let lowered = name.lowercased()
        let tolerance = name.count <= 3 ? 1 : (name.count <= 7 ? 2 : 3)
        let scored = candidates.map { ($0, editDistance(lowered, $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= tolerance else { return nil }
        return best.0
    }

    /// `did you mean "x"?`, or nil.
    public static func hint(for name: String, among candidates: [String]) -> String? {
        closest(to: name, among: candidates).map { "did you mean \"\($0)\"?" }
    }

    /// The optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var beforePrevious = Array(0...b.count)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var row = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                // A swap of two neighbours counts as one edit ("titel" → "title").
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    row[j] = min(row[j], beforePrevious[j - 2] + 1)
                }
            }
            beforePrevious = previous
            previous = row
        }
        return previous[b.count]
    }
}
