import Fluent
import Foundation
import OpsCore

/// One step on one target without its output: what the run page's table needs, cheap for big runs.
struct ExecutionSummary: Sendable {
    var targetIndex: Int
    var target: String
    var address: String
    var step: Int
    var action: String
    var status: String
    var exitCode: Int?
    var error: String?
    var rollback: String?
    var truncated: Bool
    var startedAt: Date?
    var finishedAt: Date?
}

extension RunService {
    /// Every execution of a run, output left out (it is read per target).
    func executionSummaries(_ publicID: String) async throws -> [ExecutionSummary] {
        try await executionSummaries(try await find(publicID))
    }

    func executionSummaries(_ run: Run) async throws -> [ExecutionSummary] {
        let rows = try await Execution.query(on: database).filter(\.$run.$id == run.requireID())
            .field(\.$id).field(\.$run.$id).field(\.$targetIndex).field(\.$targetName).field(\.$targetAddress)
            .field(\.$stepIndex).field(\.$stepAction).field(\.$status).field(\.$exitCode).field(\.$error)
            .field(\.$rollbackStatus).field(\.$truncated).field(\.$startedAt).field(\.$finishedAt)
            .sort(\.$targetIndex).sort(\.$stepIndex).all()
        return rows.map {
            ExecutionSummary(
                targetIndex: $0.targetIndex, target: $0.targetName, address: $0.targetAddress, step: $0.stepIndex,
                action: $0.stepAction, status: $0.status, exitCode: $0.exitCode, error: $0.error,
                rollback: $0.rollbackStatus, truncated: $0.truncated, startedAt: $0.startedAt, finishedAt: $0.finishedAt
            )
        }
    }

    /// The run as the API shows it, its progress counted from `executions` (read for the page already).
    func show(_ run: Run, executions: [ExecutionSummary]) -> RunDTO {
        RunDTO(
            run,
            progress: Self.progress(
                of: run, executions.map { (target: $0.targetIndex, step: $0.step, status: $0.status) }))
    }

    /// The executions of one target of a run, with output (printed so far for steps not ended).
    func executions(_ publicID: String, target: String) async throws -> [ExecutionDTO] {
        try await executions(try await find(publicID), target: target)
    }

    /// With `seq`, a step not ended shows what it printed up to that event: the run page, drawn up to `seq`,
    /// then follows the events after it.
    func executions(_ run: Run, target: String, through seq: Int? = nil) async throws -> [ExecutionDTO] {
        let rows = try await ExecutionRows.of(run: run.requireID(), target: target, on: database)
        return try await withPrintedOutput(rows, runID: run.requireID(), through: seq).map(ExecutionDTO.init)
    }

    /// The highest event sequence number of a run so far (0 when none).
    func latestSeq(_ run: Run) async throws -> Int {
        try await RunEvent.query(on: database).filter(\.$run.$id == run.requireID()).max(\.$seq) ?? 0
    }
}
