import Fluent
import Foundation
import OpsAWS
import OpsCore

/// Crash safety for SSM: a run whose process stopped while SSM commands ran is not given up. This process takes
/// the run over (owner and lease), polls each recorded command again without sending it, stores what the
/// instances really did, and only then finishes the run (steps never started end `interrupted`).
extension RunRecovery {
    /// Starts resuming `run` in the background when it has unfinished executions with a recorded SSM command;
    /// returns false when there is nothing to resume (the caller then finishes the run at once).
    func resumeSSM(_ run: Run, now: Date) async throws -> Bool {
        let runID = try run.requireID()
        let pending = try await Execution.query(on: database).filter(\.$run.$id == runID)
            .filter(\.$ssmCommandID != nil)
            .filter(\.$status ~~ [ExecutionStatus.pending.rawValue, ExecutionStatus.running.rawValue]).all()
        var groups: [String: (SSMScope, [(key: InvocationKey, instanceID: String, execution: Execution)])] = [:]
        let targetIDs = Array(Set(pending.compactMap(\.targetID)))
        let targets = Dictionary(
            try await Target.query(on: database).filter(\.$id ~~ targetIDs).all().compactMap { t in t.id.map { ($0, t) }
            },
            uniquingKeysWith: { first, _ in first })
        for execution in pending {
            guard let commandID = execution.ssmCommandID, let targetID = execution.targetID,
                let target = targets[targetID], let instance = target.instanceID,
                let environment = target.awsEnvironment, let region = target.awsRegion
            else { continue }
            let scope = SSMScope(environment: environment, account: target.awsAccount, region: region)
            let key = InvocationKey(target: execution.targetIndex, step: execution.stepIndex, phase: .action)
            groups[commandID, default: (scope, [])].1.append((key, instance, execution))
        }
        guard !groups.isEmpty else { return false }
        let previous = run.owner ?? "unknown"
        run.owner = services.identity.description
        run.leaseExpiresAt = now.addingTimeInterval(RunService.leaseDuration)
        run.note = "resuming SSM commands after \(previous) stopped"
        try await database.retryingTransaction { try await run.save(on: $0) }
        logger.notice(
            "resuming SSM polling of an interrupted run",
            metadata: ["run.id": .string(run.publicID), "commands": .stringConvertible(groups.count)])
        let recovery = self
        Task { await recovery.pollThenFinish(run, groups: groups, previousOwner: previous) }
        return true
    }

    private func pollThenFinish(
        _ run: Run, groups: [String: (SSMScope, [(key: InvocationKey, instanceID: String, execution: Execution)])],
        previousOwner: String
    ) async {
        let runs = RunService(database: database, services: services, logger: logger)
        let transport = SSMTransport(
            resolve: { _ in .failure(TransportFailure(stage: "connect", message: "resume only")) },
            api: { [access = runs.awsAccess] scope in try await RunService.ssmClient(access, scope) },
            recorder: { _, _, _, _ in })
        let lease = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(10))
                try? await Run.query(on: database).filter(\.$id == run.id ?? UUID())
                    .set(\.$leaseExpiresAt, to: services.clock.now().addingTimeInterval(RunService.leaseDuration))
                    .update()
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for (commandID, (scope, items)) in groups {
                group.addTask {
                    let executions = Dictionary(items.map { ($0.key, $0.execution) }, uniquingKeysWith: { a, _ in a })
                    for await event in transport.resume(
                        commandID: commandID, scope: scope, invocations: items.map { ($0.key, $0.instanceID) })
                    {
                        guard case .finished(let key, let result) = event, let execution = executions[key] else {
                            continue
                        }
                        await store(result, on: execution, commandID: commandID)
                    }
                }
            }
        }
        lease.cancel()
        do {
            run.owner = previousOwner
            try await finish(run, now: services.clock.now())
        } catch {
            logger.error("could not finish a resumed run", metadata: ["error": .string("\(error)")])
        }
    }

    private func store(_ result: Result<ExecResult, TransportFailure>, on execution: Execution, commandID: String)
        async
    {
        let now = services.clock.now()
        switch result {
        case .success(let exec):
            execution.status =
                (exec.succeeded ? ExecutionStatus.succeeded : exec.timedOut ? .timedOut : .failed).rawValue
            execution.exitCode = exec.exitStatus
            execution.stdout = exec.stdout
            execution.stderr = exec.stderr
            execution.truncated = exec.stdoutTruncated || exec.stderrTruncated
            execution.error = exec.succeeded ? nil : "resumed after a restart: SSM command \(commandID)"
        case .failure(let failure):
            execution.status = ExecutionStatus.failed.rawValue
            execution.error = "resumed after a restart: \(failure.description)"
        }
        execution.startedAt = execution.startedAt ?? now
        execution.finishedAt = now
        try? await database.retryingTransaction { try await execution.save(on: $0) }
    }
}
