import Fluent
import Foundation
import OpsCore

@testable import OpsServer

/// Runs written straight into the history (run, executions, `run_targets`), as the engine leaves them, without
/// running anything: for pages that show runs.
enum HistoryRows {
    /// A run of `tool`.`action` created at `createdAt`, each target with its steps' statuses; the run's status is
    /// what the engine would give it unless `status` says otherwise.
    @discardableResult
    static func insert(
        _ test: TestApp, tool: String = "system", action: String = "ping", createdAt: Date,
        targets: [(name: String, steps: [ExecutionStatus])], status: RunStatus? = nil, by user: String = "oscar"
    ) async throws -> Run {
        let steps = targets.map(\.steps.count).max() ?? 1
        let run = Run()
        run.id = UUID()
        run.publicID = RunService.newPublicID()
        run.tool = tool
        run.action = action
        run.parametersJSON = "{}"
        run.stepsJSON =
            "[" + (1...steps).map { #"{"action":"step\#($0)","name":"Step \#($0)"}"# }.joined(separator: ",") + "]"
        run.requestedBy = user
        run.source = "api"
        let outcomes = targets.map { TargetOutcome(steps: $0.steps).status }
        run.status =
            status?.rawValue
            ?? (outcomes.contains { !$0.isTerminal }
                ? RunStatus.running.rawValue
                : RunStatus.final(targetsSucceeded: outcomes.map { $0 == .succeeded }, cancelled: false).rawValue)
        run.maxConcurrency = "50"
        run.maxErrors = "0"
        run.targetCount = targets.count
        run.cancelRequested = false
        run.createdAt = createdAt
        run.startedAt = createdAt
        if RunStatus(rawValue: run.status)?.isTerminal == true { run.finishedAt = createdAt.addingTimeInterval(30) }
        run.progressText = StoredProgress.text(RunProgress(stepCount: steps, targets: targets.map(\.steps)))
        try await run.create(on: test.app.db)
        for (index, target) in targets.enumerated() {
            for (step, state) in target.steps.enumerated() {
                let execution = Execution()
                execution.$run.id = try run.requireID()
                execution.targetIndex = index
                execution.targetName = target.name
                execution.targetAddress = "10.0.0.\(index + 1)"
                execution.stepIndex = step
                execution.stepAction = "step\(step + 1)"
                execution.status = state.rawValue
                execution.stdout = ""
                execution.stderr = ""
                execution.truncated = false
                execution.attempt = 1
                try await execution.create(on: test.app.db)
            }
        }
        try await RunHistoryTables.addTargets(targets.map(\.name), of: run, on: test.app.db)
        return run
    }
}
