import Foundation
import OpsCore

/// The optional LLM-backed planner: an OpenAI-compatible `/v1/chat/completions` server (a local Ollama or vLLM)
/// fills the plan structure through a function whose schema only admits the catalog's operations, and its
/// proposal goes through exactly the deterministic planner's validation: the operation is re-chosen per platform
/// from the catalog, parameters pass the catalog's validator, targets must exist in the inventory. Requests the
/// safety screen refuses never reach the model; follow-ups to an open question, any failure, timeout, invalid
/// or non-plan proposal are answered by the deterministic planner.
public struct LLMConductorPlanner: ConductorPlanner {
    /// Where the model is and how long to wait for it.
    public let config: LLMConductorConfig
    private let fallback: DeterministicPlanner
    private let transport: any LLMTransport

    /// A planner that asks the server in `config`, and `fallback` whenever that does not give a valid plan.
    public init(
        config: LLMConductorConfig, fallback: DeterministicPlanner = DeterministicPlanner(),
        transport: any LLMTransport = URLSessionLLMTransport()
    ) {
        self.config = config
        self.fallback = fallback
        self.transport = transport
    }

    /// Plans one message with the model, validated like the deterministic planner's plans, else with the
    /// deterministic planner (whose answer then says why in its explanation, kind `llm`).
    public func answer(
        _ text: String, state: ConversationState?, catalog: Catalog, inventory: ConductorInventory
    ) async -> (ConductorAnswer, ConversationState) {
        let deterministic = fallback.plan(text, state: state, catalog: catalog, inventory: inventory)
        // Refusals stay refusals, and a conversation with an open question continues where it is.
        if deterministic.0.kind == .refuse && deterministic.0.explanation.contains(where: { $0.kind == "refusal" }) {
            return deterministic
        }
        if PlanFrame.decode(state?.frame)?.pendingField != nil { return deterministic }
        switch await propose(text, catalog: catalog, inventory: inventory) {
        case .success(let answer):
            return (
                answer.0,
                ConversationState(
                    awaitingConfirmation: answer.0.kind == .plan ? answer.0.plans : nil, frame: answer.1.json)
            )
        case .failure(let error):
            var (answer, next) = deterministic
            answer.explanation.append(ConductorMatch(words: "", kind: "llm", value: "fallback: \(error)", score: 0))
            return (answer, next)
        }
    }

    /// Reads a reply to the plans awaiting confirmation, exactly as the deterministic planner does.
    public func confirm(
        _ text: String, state: ConversationState, catalog: Catalog, inventory: ConductorInventory
    ) async -> ConductorConfirmation {
        // The stored frame holds what was shown, whichever planner proposed it.
        fallback.reconfirm(text, state: state, catalog: catalog, inventory: inventory)
    }

    /// Asks the model and validates its proposal into an answer.
    func propose(_ text: String, catalog: Catalog, inventory: ConductorInventory) async
        -> Result<(ConductorAnswer, PlanFrame), LLMPlannerError>
    {
        let (catalogIndex, inventoryIndex) = fallback.indexes(catalog, inventory)
        do {
            let body = try LLMRequestBuilder.body(
                text: text, model: config.model, catalog: catalogIndex, inventory: inventoryIndex)
            var headers = ["Content-Type": "application/json", "Accept": "application/json"]
            if let key = config.apiKey, !key.isEmpty { headers["Authorization"] = "Bearer " + key }
            let (status, data) = try await withDeadline(config.timeout) { [transport, config, headers] in
                try await transport.post(config.endpoint, headers: headers, body: body, timeout: config.timeout)
            }
            guard (200..<300).contains(status) else { return .failure(.status(status)) }
            let proposal = try LLMProposal.decode(data)
            return LLMProposalValidator(catalog: catalogIndex, inventory: inventoryIndex).validate(proposal, text: text)
        } catch let error as LLMPlannerError {
            return .failure(error)
        } catch {
            return .failure(.transport(String(describing: error)))
        }
    }

    /// Runs `work`, throwing `LLMPlannerError.timeout` when it takes longer than `limit`.
    private func withDeadline<T: Sendable>(
        _ limit: Duration, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw LLMPlannerError.timeout
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw LLMPlannerError.timeout }
            return first
        }
    }
}
