import OpsCore

/// Scores catalog operations against a request and picks the best for one platform.
///
/// score = explained + 0.5 × covered + 0.1 × tool named − what the request cannot give:
/// - `explained`: how well the operation's words account for the request's concepts (weighted: "check" counts
///   less than "disk");
/// - `covered`: how much of the action or workflow id the request names, so "restart" prefers `restart` to
///   `safe-restart` and "safe restart" the reverse;
/// - `tool named`: the share of the tool's own id the request names ("service" for `windows-service`);
/// - 0.05 per required parameter the request has no value for, and 0.15 when the request holds a value the
///   operation has no parameter for (a service name means an action that takes one).
enum OperationChooser {
    struct Scored: Sendable {
        var operation: CatalogOperation
        var score: Double
        var explained: Double
    }

    /// What the request offers besides words: named values and unnamed ones by kind.
    struct Offer: Sendable {
        var named: Set<String> = []
        var words = 0
        var paths = 0
        /// The request's words in order, to find an action's name typed as it is ("verify reboot").
        var sequence: [String] = []
    }

    /// Two operations closer than this are ambiguous: the planner asks.
    static let ambiguityMargin = 0.06
    /// Below this the request does not name the operation.
    static let minimumExplained = 0.45

    static func score(_ operation: CatalogOperation, _ concepts: [Lexicon.Concept], offer: Offer)
        -> (score: Double, explained: Double)
    {
        var total = 0.0
        var explained = 0.0
        var strongMatch = false
        for concept in concepts {
            let strength = concept.canonical.map { operation.vocabulary[$0] ?? 0 }.max() ?? 0
            total += concept.weight
            explained += concept.weight * strength
            if strength >= 0.8, !concept.implied, concept.weight >= 0.4 { strongMatch = true }
        }
        guard strongMatch, total > 0 else { return (0, 0) }
        // Vague verbs ("check") do not claim an id ("check-process"); their alternatives still explain.
        let decisive = concepts.filter { !$0.implied && $0.weight > Lexicon.Strength.weak.rawValue }
        let primary = Set(decisive.compactMap(\.canonical.first) + decisive.compactMap(\.canonical.last))
        let covered =
            operation.idTerms.isEmpty
            ? 0 : Double(operation.idTerms.filter(primary.contains).count) / Double(operation.idTerms.count)
        let toolTerms = operation.toolTerms
        let everything = Set(concepts.flatMap(\.canonical))
        let toolNamed =
            toolTerms.isEmpty ? 0 : Double(toolTerms.filter(everything.contains).count) / Double(toolTerms.count)
        var penalty = 0.0
        var takesWords = false
        var lacking = false
        for spec in operation.parameters {
            let isPath = spec.name.hasSuffix("path") || spec.name.hasSuffix("dir")
            if spec.type == .string || spec.type == .enum, !spec.secret, !isPath { takesWords = true }
            guard operation.required.contains(spec.name), !offer.named.contains(spec.name) else { continue }
            if isPath ? offer.paths == 0 : offer.words == 0 {
                penalty += 0.08
                lacking = true
            }
        }
        if offer.words > 0, !takesWords { penalty += 0.25 }
        // Paths were given: an operation that takes none cannot use them.
        let takesPaths = operation.parameters.contains { $0.name.hasSuffix("path") || $0.name.hasSuffix("dir") }
        if offer.paths > 0, !takesPaths { penalty += 0.25 }
        let ratio = explained / total
        // An action's name typed as it is ("verify reboot") names it, unless the request lacks what it needs
        // ("stop service X" is about a service, not the update tool's stop-service step).
        let named = !lacking && typesName(of: operation, in: offer.sequence) ? 0.3 : 0
        return (ratio + 0.5 * covered + 0.1 * toolNamed + named - min(penalty, 0.3), ratio)
    }

    /// Whether the request holds the action's or workflow's name (or id) word for word, e.g. "verify reboot".
    private static func typesName(of operation: CatalogOperation, in sequence: [String]) -> Bool {
        for name in [operation.idTerms, operation.nameTerms] where name.count >= 2 {
            guard sequence.count >= name.count else { continue }
            for start in 0...(sequence.count - name.count)
            where name.indices.allSatisfy({ Lexicon.stems(sequence[start + $0]).contains(name[$0]) }) {
                return true
            }
        }
        return false
    }

    /// The operations for `platform` (nil: any), best first, that the concepts name at all; at most `limit`.
    static func ranked(
        _ catalog: CatalogIndex, _ concepts: [Lexicon.Concept], platform: OSFamily?, offer: Offer, limit: Int = 12
    ) -> [Scored] {
        guard concepts.contains(where: { !$0.implied && $0.weight >= 0.4 }) else { return [] }
        // Scores by index first: copying operations is what costs with large catalogs.
        var found = [(index: Int, score: Double, explained: Double)]()
        for (index, operation) in catalog.operations.enumerated() {
            if let platform, !operation.platforms.contains(platform) { continue }
            let scored = score(operation, concepts, offer: offer)
            if scored.score > 0, scored.explained >= minimumExplained {
                found.append((index, scored.score, scored.explained))
            }
        }
        found.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            let first = catalog.operations[a.index]
            let second = catalog.operations[b.index]
            if first.idTerms.count != second.idTerms.count { return first.idTerms.count < second.idTerms.count }
            return first.reference < second.reference
        }
        return found.prefix(limit).map {
            Scored(operation: catalog.operations[$0.index], score: $0.score, explained: $0.explained)
        }
    }
}
