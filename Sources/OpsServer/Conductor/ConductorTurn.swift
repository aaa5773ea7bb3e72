import Foundation
import OpsConductor
import OpsCore

/// What one message to Conductor means, the same in a stored conversation and in the CLI's chat: a "yes" that
/// launches the plans awaiting confirmation (they still hold exactly), or a reply to show with the state to keep.
enum ConductorTurn {
    enum Decision: Sendable {
        /// Launch these (the caller checks the role first).
        case launch([ConductorPlan])
        case reply(ConductorReply, ConversationState)
    }

    static func decide(
        _ text: String, state: ConversationState, planner: any ConductorPlanner, catalog: Catalog,
        inventory: ConductorInventory
    ) async -> Decision {
        var next = state
        if let awaiting = state.awaitingConfirmation, !awaiting.isEmpty {
            switch await planner.confirm(text, state: state, catalog: catalog, inventory: inventory) {
            case .launch(let plans):
                return .launch(plans)
            case .changed(let answer):
                // What was shown no longer holds: show the new plan and ask again.
                next.awaitingConfirmation = answer.kind == .plan && !answer.plans.isEmpty ? answer.plans : nil
                return .reply(ConductorReply(answer), next)
            case .declined:
                next.awaitingConfirmation = nil
                return .reply(
                    ConductorReply(
                        ConductorAnswer(kind: .clarify, text: "Dropped the plan; nothing was launched.", confidence: 1)),
                    next)
            case .notAConfirmation:
                break
            }
        }
        let (answer, planned) = await planner.answer(text, state: state, catalog: catalog, inventory: inventory)
        next = planned
        // Every plan waits for "yes"; the planner may already have said so.
        if answer.kind == .plan, next.awaitingConfirmation?.isEmpty ?? true { next.awaitingConfirmation = answer.plans }
        return .reply(ConductorReply(answer), next)
    }
}

/// Launches confirmed plans, one run each, exactly as the run form would submit them, the chat's "yes" standing for
/// the destructive confirmation. Every plan is checked before any starts, so a plan that no longer validates
/// launches nothing. Every launch is audited.
struct ConductorLauncher {
    let runs: RunService
    let audit: AuditLog

    enum Outcome: Sendable {
        case launched([RunService.Submission])
        /// A plan did not validate (a target was deleted, a parameter's rule changed): nothing started.
        case refused(RunError)
    }

    func launch(
        _ plans: [ConductorPlan], conversation: UUID?, by actor: AccountService.Actor,
        observers: @Sendable (ConductorPlan) -> [any RunObserver] = { _ in [] }
    ) async throws -> Outcome {
        let requests = plans.map { plan in
            var request = RunRequest(tool: plan.tool, action: plan.action, workflow: plan.workflow)
            request.targets = plan.targets
            request.parameters = plan.parameters
            request.confirm = true
            request.conversation = conversation
            return request
        }
        do {
            for request in requests { _ = try await runs.planner(actor: actor).prepare(request) }
        } catch let error as RunError {
            return .refused(error)
        }
        var submissions = [RunService.Submission]()
        for (plan, request) in zip(plans, requests) {
            let submission = try await runs.submit(
                request, by: actor, source: "conductor", observers: observers(plan))
            submissions.append(submission)
            var details = ["tool": plan.reference, "targets": String(plan.targets.count)]
            if let conversation { details["conversation"] = conversation.uuidString.lowercased() }
            try await audit.record(
                "conductor.launch", actor: actor.name, object: "run:\(submission.run.publicID)", details: details,
                source: actor.source, sourceAddress: actor.address)
        }
        return .launched(submissions)
    }

    /// The reply that says what launched, or why nothing did.
    static func reply(_ outcome: Outcome, plans: [ConductorPlan]) -> ConductorReply {
        switch outcome {
        case .refused(let error):
            return ConductorReply(
                ConductorAnswer(kind: .refuse, text: "Nothing was launched: \(error.description)", confidence: 1))
        case .launched(let submissions):
            let ids = submissions.map(\.run.publicID)
            let described = zip(plans, ids).map { plan, id in
                "run \(id): \(plan.reference) on \(plan.targets.count) target\(plan.targets.count == 1 ? "" : "s")"
            }
            var reply = ConductorReply(
                ConductorAnswer(
                    kind: .plan, text: "Launched " + described.joined(separator: "; ") + ".", confidence: 1,
                    plans: plans))
            reply.runID = ids.first
            reply.runIDs = ids
            return reply
        }
    }
}
