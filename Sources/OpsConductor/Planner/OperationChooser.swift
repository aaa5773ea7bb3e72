import OpsCore

/// Scores catalog operations against a request's concepts and picks the best for one platform.
///
/// score = explained + 0.5 × covered: `explained` is how well the operation's words account for the request's
/// (weighted: "check" counts less than "disk"), `covered` how much of the action or workflow id the request
/// names (so "restart" prefers `restart` to `safe-restart`, and "safe restart" the reverse).
enum OperationChooser {
    struct Scored: Sendable {
        var operation: CatalogOperation
        var score: Double
        var explained: Double
    }

    /// Two operations closer than this are ambiguous: the planner asks.
    static let ambiguityMargin = 0.06
    /// Below this the request does not name the operation.
    static let minimumExplained = 0.45

    static func score(_ operation: CatalogOperation, _ concepts: [Lexicon.Concept]) -> Scored {
        var total = 0.0
        var explained = 0.0
        var strongMatch = false
        for concept in concepts {
            let strength = concept.canonical.map { operation.vocabulary[$0] ?? 0 }.max() ?? 0
            total += concept.weight
            explained += concept.weight * strength
            if strength >= 0.8, !concept.implied, concept.weight >= 0.4 { strongMatch = true }
        }
        let primary = Set(concepts.filter { !$0.implied && $0.weight >= 0.4 }.flatMap { $0.canonical })
        let covered = operation.idTerms.isEmpty
            ? 0 : Double(operation.idTerms.filter(primary.contains).count) / Double(operation.idTerms.count)
        let ratio = total > 0 ? explained / total : 0
        return Scored(operation: operation, score: strongMatch ? ratio + 0.5 * covered : 0, explained: ratio)
    }

    /// The operations for `platform` (nil: any), best first, that the concepts name at all.
    static func ranked(_ catalog: CatalogIndex, _ concepts: [Lexicon.Concept], platform: OSFamily?) -> [Scored] {
        guard concepts.contains(where: { !$0.implied && $0.weight >= 0.4 }) else { return [] }
        return catalog.operations.lazy
            .filter { platform == nil || $0.platforms.contains(platform ?? .linux) }
            .map { score($0, concepts) }
            .filter { $0.score > 0 && $0.explained >= minimumExplained }
            .sorted { a, b in
                if a.score != b.score { return a.score > b.score }
                if a.operation.idTerms.count != b.operation.idTerms.count {
                    return a.operation.idTerms.count < b.operation.idTerms.count
                }
                return a.operation.reference < b.operation.reference
            }
    }
}
