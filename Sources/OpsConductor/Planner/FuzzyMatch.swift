/// Typo-tolerant word comparison (optimal string alignment distance: insertions, deletions, substitutions
/// and swaps of two neighbours each cost 1).
enum FuzzyMatch {
    /// The most edits a word of this length may be away from a vocabulary word. Short words get none:
    /// `htop` must not become `stop`.
    static func allowedDistance(forLength length: Int) -> Int {
        switch length {
        case ..<5: 0
        case 5..<8: 1
        default: 2
        }
    }

    /// The distance between `a` and `b`, or nil when it exceeds `limit` (stops early).
    static func distance(_ a: String, _ b: String, limit: Int) -> Int? {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        if abs(x.count - y.count) > limit { return nil }
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) <= limit ? max(x.count, y.count) : nil }
        var previousPrevious = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return nil }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[y.count] <= limit ? previous[y.count] : nil
    }

    /// The closest of `candidates` within the allowed distance for `word`, preferring the smallest distance
    /// then the first given; nil when none is close enough or two different words tie.
    static func closest(to word: String, in candidates: some Sequence<String>) -> (word: String, distance: Int)? {
        // Four letters: only two neighbours swapped ("stpo", "pign"); "htop" is not "stop".
        if word.count == 4 {
            let letters = Array(word)
            let swaps = (0..<3).map { index -> String in
                var swapped = letters
                swapped.swapAt(index, index + 1)
                return String(swapped)
            }
            let found = Set(candidates.filter { swaps.contains($0) })
            return found.count == 1 ? found.first.map { ($0, 1) } : nil
        }
        let limit = allowedDistance(forLength: word.count)
        guard limit > 0 else { return nil }
        var best: (word: String, distance: Int)?
        var tied = false
        for candidate in candidates where candidate.count >= 4 {
            guard let found = distance(word, candidate, limit: limit) else { continue }
            if let current = best {
                if found < current.distance {
                    best = (candidate, found)
                    tied = false
                } else if found == current.distance, candidate != current.word {
                    tied = true
                }
            } else {
                best = (candidate, found)
            }
        }
        return tied ? nil : best
    }
}
