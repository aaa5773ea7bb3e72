import OpsConductor

/// The planner a server runs with: the deterministic one, embedded and offline, unless an LLM backend is configured.
enum ConductorPlanners {
    static func make(_ config: ConductorConfig) -> any ConductorPlanner {
        DeterministicPlanner()
    }
}
