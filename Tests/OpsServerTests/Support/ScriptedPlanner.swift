import Foundation
import OpsConductor
import OpsCore

/// A planner double for the server's Conductor tests: understands "restart SERVICE on GROUP", asks for the service
/// when it is missing and takes it from the next message, refuses "rm", and binds a confirmation to the group's
/// members as they were shown (re-resolved from the inventory at "yes"), as the contract says.
struct ScriptedPlanner: ConductorPlanner {
    func answer(
        _ text: String, state: ConversationState?, catalog: Catalog, inventory: ConductorInventory
    ) async -> (ConductorAnswer, ConversationState) {
        let words = text.lowercased().split(separator: " ").map(String.init)
        if words.contains("rm") {
            return (
                ConductorAnswer(kind: .refuse, text: "No catalog action deletes files.", confidence: 1),
                state ?? .init()
            )
        }
        var group = state?.frame.flatMap { $0.split(separator: "|").first.map(String.init) } ?? ""
        var unit: String? = nil
        if let on = words.firstIndex(of: "on"), on + 1 < words.count { group = words[on + 1] }
        if words.first == "restart", words.count > 1, words[1] != "on" { unit = words[1] }
        if words.count == 1, !group.isEmpty { unit = words[0] }
        guard let members = inventory.groups.first(where: { $0.name == group })?.members else {
            let question = ConductorQuestion(
                field: "targets", text: "Which servers?", choices: inventory.groups.map(\.name))
            return (
                ConductorAnswer(kind: .clarify, text: "Which servers?", confidence: 0.5, questions: [question]),
                ConversationState(frame: group)
            )
        }
        guard let unit else {
            let question = ConductorQuestion(field: "parameters.unit", text: "Which service?")
            return (
                ConductorAnswer(kind: .clarify, text: "Which service?", confidence: 0.6, questions: [question]),
                ConversationState(frame: group)
            )
        }
        let plan = ConductorPlan(
            tool: "linux-service", action: "restart", workflow: nil, parameters: ["unit": unit], targets: members,
            destructive: true, platform: .linux)
        let answer = ConductorAnswer(
            kind: .plan, text: "Restart \(unit) on \(members.count) targets of \(group).", confidence: 0.9,
            plans: [plan],
            explanation: [ConductorMatch(words: "restart", kind: "action", value: "linux-service.restart", score: 1)])
        return (answer, ConversationState(awaitingConfirmation: [plan], frame: group))
    }

    func confirm(
        _ text: String, state: ConversationState, catalog: Catalog, inventory: ConductorInventory
    ) async -> ConductorConfirmation {
        switch text.lowercased().trimmingCharacters(in: .whitespaces) {
        case "yes":
            guard let shown = state.awaitingConfirmation, let group = state.frame else { return .notAConfirmation }
            let members = inventory.groups.first { $0.name == group }?.members ?? []
            let now = shown.map { plan in
                var plan = plan
                plan.targets = members
                return plan
            }
            if now == shown { return .launch(shown) }
            return .changed(
                ConductorAnswer(
                    kind: .plan, text: "The targets changed: now \(members.count).", confidence: 0.9, plans: now))
        case "no": return .declined
        default: return .notAConfirmation
        }
    }
}
