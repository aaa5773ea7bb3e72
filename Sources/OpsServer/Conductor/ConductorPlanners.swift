import OpsConductor

/// The planner a server runs with: the deterministic one, embedded and offline, unless `--conductor-llm-url` names
/// an LLM backend, which then proposes plans that the deterministic planner validates and falls back from.
enum ConductorPlanners {
    static func make(_ config: ConductorConfig) -> any ConductorPlanner {
        guard let url = config.llmURL, let model = config.llmModel else { return DeterministicPlanner() }
        return LLMConductorPlanner(config: LLMConductorConfig(url: url, model: model, apiKey: config.llmKey))
    }
}
