import OpsCore

/// Holds a model's proposal to the deterministic planner's rules: an existing operation, known parameter
/// names, targets that exist, and then the same composition (per-platform choice, the catalog's validator).
/// Anything else is an `invalidProposal` and the deterministic planner answers.
struct LLMProposalValidator {
    let catalog: CatalogIndex
    let inventory: InventoryIndex

    func validate(_ proposal: LLMProposal, text: String) -> Result<(ConductorAnswer, PlanFrame), LLMPlannerError> {
        if proposal.kind == "refuse" {
            let reason = proposal.reason.map { String($0.prefix(300)) } ?? "No catalog action does that."
            let answer = ConductorAnswer(
                kind: .refuse, text: reason, confidence: 0.7,
                explanation: [ConductorMatch(words: "", kind: "llm", value: "refuse", score: 0.7)])
            return .success((answer, PlanFrame(RequestAnalysis())))
        }
        guard proposal.kind == "plan" else { return .failure(.invalidProposal("the model asked a question")) }
        guard let reference = proposal.operation,
            let operation = catalog.operations.first(where: { $0.reference == reference })
        else { return .failure(.invalidProposal("no operation '\(proposal.operation ?? "")' in the catalog")) }
        for name in proposal.parameters.keys where !operation.parameters.contains(where: { $0.name == name }) {
            return .failure(.invalidProposal("\(reference) has no parameter '\(name)'"))
        }
        var selection = TargetSelection()
        for host in proposal.targets.hosts {
            guard let index = inventory.target(named: RequestText.fold(host)) else {
                return .failure(.invalidProposal("no target '\(host)'"))
            }
            selection.hosts.append(inventory.inventory.targets[index].name)
        }
        for group in proposal.targets.groups {
            guard let index = inventory.groupsByKey[RequestText.fold(group)] else {
                return .failure(.invalidProposal("no group '\(group)'"))
            }
            selection.groups.append(inventory.groups[index].group.name)
        }
        for tag in proposal.targets.tags {
            let known = inventory.tagsByValue[RequestText.fold(tag.value)]?.first { $0.key == tag.key.lowercased() }
            guard let known else { return .failure(.invalidProposal("no tag \(tag.key)=\(tag.value)")) }
            selection.tags.append([known])
        }
        if let platform = proposal.targets.platform {
            guard let family = OSFamily(parsing: platform) else {
                return .failure(.invalidProposal("no platform '\(platform)'"))
            }
            selection.platforms = [family]
        }
        selection.all = proposal.targets.all
        guard !selection.isEmpty else { return .failure(.invalidProposal("no targets")) }
        // The operation's own words choose it again, per platform, through the deterministic composer.
        var frame = PlanFrame(RequestAnalysis())
        frame.concepts = (operation.idTerms + CatalogIndex.terms(operation.tool.id)).filter {
            Lexicon.platforms[$0] == nil
        }.map { Lexicon.Concept(words: $0, canonical: [$0], weight: 1) }
        frame.named = proposal.parameters
        frame.selection = selection
        let match = ConductorMatch(words: text, kind: "llm", value: reference, score: 0.9)
        var (answer, composed) = PlanComposer(catalog: catalog, inventory: inventory).compose(frame, matches: [match])
        guard answer.kind == .plan, answer.plans.contains(where: { $0.reference == reference }) else {
            let reason = answer.questions.first?.text ?? answer.text
            return .failure(.invalidProposal(reason))
        }
        answer.confidence = min(answer.confidence, 0.9)
        return .success((answer, composed))
    }
}
