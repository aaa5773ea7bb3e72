import Fluent
import Foundation
import OpsCore

extension RunService {
    public func find(_ publicID: String) async throws -> Run {
        guard let run = try await Run.query(on: database).filter(\.$publicID == publicID).first() else {
            throw RunError.notFound(publicID)
        }
        return run
    }

    public func show(_ publicID: String) async throws -> RunDTO {
        try await show(try await find(publicID))
    }

    func show(_ run: Run) async throws -> RunDTO {
        let progress = try await self.progress([run])
        return try await withOrigin(
            RunDTO(run, progress: progress[try run.requireID()] ?? RunProgress(stepCount: 0)), id: run.requireID())
    }

    /// Every execution of the run with its output: stored for steps that ended, printed so far for the others.
    public func executions(_ publicID: String) async throws -> [ExecutionDTO] {
        let run = try await find(publicID)
        let rows = try await ExecutionRows.of(run: run.requireID(), on: database)
        return try await withPrintedOutput(rows, runID: run.requireID()).map(ExecutionDTO.init)
    }

    /// Events after `seq`, oldest first (replay for a reconnecting client, or `runs show --follow`).
    public func events(_ publicID: String, after seq: Int, limit: Int = 1000) async throws -> [RunEventMessage] {
        try await events(runID: try await find(publicID).requireID(), after: seq, limit: limit)
    }

    func events(runID: UUID, after seq: Int, limit: Int = 1000) async throws -> [RunEventMessage] {
        try await RunEvent.query(on: database).filter(\.$run.$id == runID).filter(\.$seq > seq)
            .sort(\.$seq).limit(limit).all().map { RunEventMessage(seq: $0.seq, kind: $0.kind, data: $0.payload) }
    }

    /// Each run's progress by execution, target and step, from one query over their executions (status and
    /// position only, not output).
    func progress(_ runs: [Run]) async throws -> [UUID: RunProgress] {
        let runIDs = runs.compactMap(\.id)
        guard !runIDs.isEmpty else { return [:] }
        let rows = try await Execution.query(on: database).filter(\.$run.$id ~~ runIDs)
            .field(\.$run.$id).field(\.$targetIndex).field(\.$stepIndex).field(\.$status).all()
        let byRun = Dictionary(grouping: rows, by: \.$run.id)
        var result = [UUID: RunProgress]()
        for run in runs {
            guard let id = run.id else { continue }
            result[id] = Self.progress(
                of: run, (byRun[id] ?? []).map { (target: $0.targetIndex, step: $0.stepIndex, status: $0.status) })
        }
        return result
    }

    /// The progress of `run` from its executions' positions and statuses, in any order. Its steps are the planned
    /// ones (or as many as the executions have).
    static func progress(of run: Run, _ cells: [(target: Int, step: Int, status: String)]) -> RunProgress {
        let stepCount = max(StoredStep.decode(run.stepsJSON).count, (cells.map(\.step).max() ?? -1) + 1)
        var grid = [Int: [ExecutionStatus?]]()
        for cell in cells where cell.step >= 0 {
            // An unknown status counts as no execution: the target is still counted, as not done with that step.
            grid[cell.target, default: Array(repeating: nil, count: stepCount)][cell.step] = ExecutionStatus(
                rawValue: cell.status)
        }
        var progress = RunProgress(stepCount: stepCount)
        for statuses in grid.values { progress.add(target: statuses) }
        return progress
    }

    /// Finishes runs orphaned by a process that stopped; called at start and now and then.
    @discardableResult
    public func recoverOrphanedRuns() async throws -> [String] {
        try await RunRecovery(database: database, services: services, logger: logger).recover()
    }
}
