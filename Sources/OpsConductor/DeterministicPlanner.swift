import OpsCore

/// The embedded planner: no network, no model. Reads a request with a verb lexicon, typo-tolerant matching
/// against the loaded catalog's own words, parameter extraction and target resolution against the inventory,
/// and answers with a plan over the catalog, a question, or a refusal, explaining which words matched what.
///
/// Indexes of each catalog and inventory snapshot are built once and reused (keyed by their content), so an
/// answer costs a few hash lookups per word.
public struct DeterministicPlanner: ConductorPlanner {
    private let cache: PlannerIndexCache

    /// A planner with its own index cache.
    public init() {
        cache = PlannerIndexCache()
    }

    /// Plans one message (see `plan`).
    public func answer(
        _ text: String, state: ConversationState?, catalog: Catalog, inventory: ConductorInventory
    ) async -> (ConductorAnswer, ConversationState) {
        plan(text, state: state, catalog: catalog, inventory: inventory)
    }

    /// `answer` without suspension, for callers that plan in a loop (the evaluation and the benchmark).
    public func plan(
        _ text: String, state: ConversationState?, catalog: Catalog, inventory: ConductorInventory
    ) -> (ConductorAnswer, ConversationState) {
        let (catalogIndex, inventoryIndex) = cache.indexes(catalog, inventory)
        let previous = PlanFrame.decode(state?.frame)
        let request = RequestText(text)
        if let refusal = SafetyScreen.screen(
            request, isTarget: inventoryIndex.namesTargetOrGroup, isModifier: inventoryIndex.isTargetModifier)
        {
            let answer = ConductorAnswer(
                kind: .refuse, text: refusal.reason, confidence: 0.95,
                explanation: [ConductorMatch(words: refusal.words, kind: "refusal", value: refusal.reason, score: 1)])
            return (answer, ConversationState(awaitingConfirmation: nil, frame: previous?.json))
        }
        if let address = request.words.first(where: { word in
            word.key.split(separator: ".").count == 4 && word.key.split(separator: ".").allSatisfy { UInt8($0) != nil }
                && inventoryIndex.target(named: word.key) == nil
        }) {
            let text = "\(address.key) is not an inventory target; I only act on inventory targets."
            let answer = ConductorAnswer(
                kind: .refuse, text: text, confidence: 0.8,
                explanation: [ConductorMatch(words: address.key, kind: "refusal", value: "not a target", score: 0.8)])
            return (answer, ConversationState(awaitingConfirmation: nil, frame: previous?.json))
        }
        let analysis = RequestAnalyzer.analyze(request, catalog: catalogIndex, inventory: inventoryIndex)
        if let verb = analysis.unsupported.first,
            !analysis.concepts.contains(where: { !$0.implied && $0.weight > Lexicon.Strength.weak.rawValue })
        {
            let answer = ConductorAnswer(
                kind: .refuse, text: "No catalog action does '\(verb)', so I can't plan it.", confidence: 0.8,
                explanation: analysis.matches + [
                    ConductorMatch(words: verb, kind: "refusal", value: "unsupported", score: 0.8)
                ])
            return (answer, ConversationState(awaitingConfirmation: nil, frame: previous?.json))
        }
        let composer = PlanComposer(catalog: catalogIndex, inventory: inventoryIndex)
        let sequence = request.words.map(\.key)
        var (answer, frame) = composer.compose(PlanFrame(analysis), matches: analysis.matches, sequence: sequence)
        if answer.kind != .plan, let previous, !previous.isAnswered(by: analysis), previous.pendingField != nil,
            answer.kind != .refuse || analysis.concepts.isEmpty
        {
            // Nothing new for the open question ("yes" while a unit is missing): ask it again.
            (answer, frame) = composer.compose(previous, matches: analysis.matches)
        } else if answer.kind != .plan, let previous, previous.isAnswered(by: analysis) {
            var merged = previous.merged(with: analysis)
            // "only web02" after web01 names other targets, not fewer: take them as they are.
            if analysis.selectionMode == .narrow, inventoryIndex.resolve(merged.selection).isEmpty,
                !inventoryIndex.resolve(analysis.selection).isEmpty
            {
                merged.selection = analysis.selection
            }
            (answer, frame) = composer.compose(merged, matches: analysis.matches, sequence: sequence)
        }
        // Every word of this message must be accounted for by the plan, or the plan becomes a question.
        if let audited = PlanAudit.audit(answer, analysis, catalog: catalogIndex) {
            answer = audited
            frame.pendingField = audited.kind == .clarify ? "action" : nil
        }
        let state = ConversationState(
            awaitingConfirmation: answer.kind == .plan ? answer.plans : nil, frame: frame.json)
        return (answer, state)
    }

    /// The indexes of these snapshots (built once, then cached).
    func indexes(_ catalog: Catalog, _ inventory: ConductorInventory) -> (CatalogIndex, InventoryIndex) {
        cache.indexes(catalog, inventory)
    }

    /// Reads a reply to the plans awaiting confirmation (see `reconfirm`).
    public func confirm(
        _ text: String, state: ConversationState, catalog: Catalog, inventory: ConductorInventory
    ) async -> ConductorConfirmation {
        reconfirm(text, state: state, catalog: catalog, inventory: inventory)
    }

    /// `confirm` without suspension.
    public func reconfirm(
        _ text: String, state: ConversationState, catalog: Catalog, inventory: ConductorInventory
    ) -> ConductorConfirmation {
        guard let shown = state.awaitingConfirmation, !shown.isEmpty else { return .notAConfirmation }
        switch ConfirmationReader.read(text) {
        case .other: return .notAConfirmation
        case .no: return .declined
        case .yes: break
        }
        let (catalogIndex, inventoryIndex) = cache.indexes(catalog, inventory)
        let current: ConductorAnswer
        if let frame = PlanFrame.decode(state.frame) {
            current = PlanComposer(catalog: catalogIndex, inventory: inventoryIndex).compose(frame, matches: []).0
        } else {
            current = PlanRecheck(catalog: catalogIndex, inventory: inventoryIndex).recheck(shown)
        }
        return current.kind == .plan && current.plans == shown ? .launch(shown) : .changed(current)
    }
}
