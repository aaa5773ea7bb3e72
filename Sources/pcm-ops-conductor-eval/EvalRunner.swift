import Foundation
import OpsConductor
import OpsCore

/// Plays every case through the planner the way the server does (confirm first when a plan awaits, else
/// answer), and scores the last turn.
struct EvalRunner {
    let planner: DeterministicPlanner
    let catalog: Catalog
    let inventory: ConductorInventory

    struct Outcome {
        var evalCase: EvalCase
        var passed: Bool
        var got: String
        var latencies: [Duration]
    }

    func run(_ cases: [EvalCase]) throws -> [Outcome] {
        try cases.map(run)
    }

    private func run(_ evalCase: EvalCase) throws -> Outcome {
        var state: ConversationState?
        var latencies = [Duration]()
        var answer: ConductorAnswer?
        var confirmation: ConductorConfirmation?
        let clock = ContinuousClock()
        for turn in evalCase.turns {
            confirmation = nil
            if let current = state, current.awaitingConfirmation?.isEmpty == false {
                let start = clock.now
                let reply = planner.reconfirm(turn, state: current, catalog: catalog, inventory: inventory)
                latencies.append(clock.now - start)
                if reply != .notAConfirmation {
                    // Like the server: a launched or declined plan no longer awaits confirmation.
                    confirmation = reply
                    if reply == .declined || reply == .launch(current.awaitingConfirmation ?? []) {
                        state?.awaitingConfirmation = nil
                    }
                    continue
                }
            }
            let start = clock.now
            let (next, nextState) = planner.plan(turn, state: state, catalog: catalog, inventory: inventory)
            latencies.append(clock.now - start)
            answer = next
            state = nextState
        }
        let (passed, got) = try judge(evalCase.expectation, answer, confirmation)
        return Outcome(evalCase: evalCase, passed: passed, got: got, latencies: latencies)
    }

    private func judge(
        _ expectation: EvalCase.Expectation, _ answer: ConductorAnswer?, _ confirmation: ConductorConfirmation?
    ) throws -> (Bool, String) {
        if let confirmation {
            let got: String
            switch confirmation {
            case .launch: got = "launch"
            case .declined: got = "declined"
            case .changed: got = "changed"
            case .notAConfirmation: got = "not a confirmation"
            }
            switch expectation {
            case .launch: return (got == "launch", got)
            case .declined: return (got == "declined", got)
            default: return (false, got)
            }
        }
        guard let answer else { return (false, "no answer") }
        let got = describe(answer)
        switch expectation {
        case .refuse: return (answer.kind == .refuse, got)
        case .clarify(let field): return (answer.kind == .clarify && answer.questions.first?.field == field, got)
        case .launch, .declined: return (false, got)
        case .plan(let expected):
            guard answer.kind == .plan, answer.plans.count == expected.count else { return (false, got) }
            for plan in expected {
                let targets = try ExpectedTargets.resolve(plan.selector, in: inventory)
                let found = answer.plans.contains { actual in
                    actual.reference == plan.reference && actual.parameters == plan.parameters
                        && actual.targets == targets
                }
                if !found { return (false, got) }
            }
            return (true, got)
        }
    }

    private func describe(_ answer: ConductorAnswer) -> String {
        switch answer.kind {
        case .refuse: return "refuse (\(answer.text))"
        case .clarify: return "clarify \(answer.questions.map(\.field).joined(separator: ",")) (\(answer.text))"
        case .plan:
            return "plan "
                + answer.plans.map { plan in
                    let parameters = plan.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                    return
                        "\(plan.reference) {\(parameters.joined(separator: ","))} [\(plan.targets.joined(separator: ","))]"
                }.joined(separator: " ;; ")
        }
    }
}
