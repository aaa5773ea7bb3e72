import Fluent
import Foundation
import Logging
import OpsCore

/// Finishes runs whose process stopped (crash, kill, power loss) while they ran: nothing is left
/// `running`. Steps that had not ended become `interrupted` with the reason, the run gets its final
/// status, and both get events, so a page watching the run sees the end.
///
/// A run is orphaned when its owner is a process on this host that no longer exists, or when the
/// owner's lease expired (it stopped renewing it, on any host).
struct RunRecovery {
    let database: any Database
    let services: AppServices
    let logger: Logger

    /// Recovers every orphaned run (or only `only`); returns their public ids.
    @discardableResult
    func recover(only: UUID? = nil) async throws -> [String] {
        let now = services.clock.now()
        let query = Run.query(on: database).filter(
            \.$status ~~ [RunStatus.queued.rawValue, RunStatus.running.rawValue])
        if let only { query.filter(\.$id == only) }
        var recovered = [String]()
        for run in try await query.all() where isOrphaned(run, now: now) {
            if try await resumeSSM(run, now: now) { continue }
            try await finish(run, now: now)
            recovered.append(run.publicID)
        }
        return recovered
    }

    func isOrphaned(_ run: Run, now: Date) -> Bool {
        guard let ownerText = run.owner else { return true }
        if ownerText == services.identity.description { return false }
        if let owner = ProcessIdentity(ownerText), owner.isDeadOnThisHost { return true }
        return (run.leaseExpiresAt ?? .distantPast) < now
    }

    func finish(_ run: Run, now: Date) async throws {
        let runID = try run.requireID()
        let owner = run.owner ?? "unknown"
        let reason =
            "interrupted: the process running this run (\(owner)) stopped before this step ended; "
            + "it was not retried"
        try await database.retryingTransaction { database in
            var seq =
                try await RunEvent.query(on: database).filter(\.$run.$id == runID).max(\.$seq) ?? 0
            func event(_ kind: String, _ payload: [String: JSONValue]) async throws {
                seq += 1
                try await RunEvent(
                    run: runID, seq: seq, kind: kind, payload: JSONValue.object(payload).text, at: now,
                    target: payload["target_index"].flatMap { if case .int(let index) = $0 { index } else { nil } }
                ).create(on: database)
            }
            let executions = try await Execution.query(on: database).filter(\.$run.$id == runID)
                .sort(\.$targetIndex).sort(\.$stepIndex).all()
            let stepsOfTarget = Dictionary(grouping: executions, by: \.targetIndex)
            // What the interrupted steps printed before the process stopped stays with them (issue 16.1).
            _ = try await RunService(database: database, services: services, logger: logger)
                .withPrintedOutput(executions, runID: runID)
            for execution in executions {
                guard let status = ExecutionStatus(rawValue: execution.status), !status.isTerminal else { continue }
                let wasRunning = status == .running
                execution.status = ExecutionStatus.interrupted.rawValue
                execution.error = wasRunning ? reason : "interrupted: not started before the process stopped"
                execution.finishedAt = now
                try await execution.save(on: database)
                let outcome = TargetOutcome(
                    steps: (stepsOfTarget[execution.targetIndex] ?? []).compactMap {
                        ExecutionStatus(rawValue: $0.status)
                    })
                try await event(
                    "execution.status",
                    [
                        "target": .string(execution.targetName), "target_index": .int(execution.targetIndex),
                        "step": .int(execution.stepIndex), "action": .string(execution.stepAction),
                        "status": .string(execution.status), "error": .string(execution.error ?? ""),
                        "at": .string(now.iso8601), "target_status": .string(outcome.status.rawValue),
                        "target_step": outcome.step.map(JSONValue.int) ?? .null,
                    ])
            }
            var byTarget = [Int: Bool]()
            for execution in executions {
                byTarget[execution.targetIndex, default: true] =
                    (byTarget[execution.targetIndex] ?? true) && execution.status == ExecutionStatus.succeeded.rawValue
            }
            let status = RunStatus.final(
                targetsSucceeded: byTarget.keys.sorted().compactMap { byTarget[$0] }, cancelled: run.cancelRequested)
            run.status = status.rawValue
            run.finishedAt = now
            run.owner = nil
            run.leaseExpiresAt = nil
            run.note = "recovered at \(now.iso8601): the process running it (\(owner)) had stopped"
            let progress = RunService.progress(
                of: run, executions.map { (target: $0.targetIndex, step: $0.stepIndex, status: $0.status) })
            run.progressText = StoredProgress.text(progress)
            try await run.save(on: database)
            try await RunHistoryTables.countEnded(tool: run.tool, status: status, at: now, on: database)
            try await event("run.status", ["status": .string(status.rawValue)])
            try await event(
                "run.finished",
                [
                    "status": .string(status.rawValue), "finished_at": .string(now.iso8601),
                    "counts": JSONValue.counts(progress.executions),
                    "target_counts": JSONValue.counts(progress.targets),
                    "steps": .array(RunStepDTO.steps(of: run, progress).map(\.json)),
                ])
        }
        try await AuditLog(database: database, now: { now }, logger: logger).record(
            "run.recover", actor: nil, object: "run:\(run.publicID)",
            details: ["owner": owner, "status": run.status], source: .system)
        logger.notice(
            "recovered an interrupted run", metadata: ["run.id": .string(run.publicID), "owner": .string(owner)])
    }
}
