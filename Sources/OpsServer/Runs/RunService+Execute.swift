import Fluent
import Foundation
import OpsCore

extension RunService {
    static let leaseDuration: TimeInterval = 30

    /// Stores the run, its scripts and one pending execution per target and step, in one transaction.
    func store(
        _ prepared: PreparedRun, requester: String, source: String, hash: String
    ) async throws -> (Run, [[UUID]]) {
        let now = services.clock.now()
        let run = Run()
        run.id = UUID()
        run.publicID = Self.newPublicID()
        run.tool = prepared.tool.id
        run.action = prepared.action
        run.workflow = prepared.workflow
        run.parametersJSON = JSONValue.object(prepared.shownValues.mapValues(JSONValue.string)).text
        run.stepsJSON = (try? String(decoding: JSONEncoder.sorted.encode(prepared.steps), as: UTF8.self)) ?? "[]"
        run.requestedBy = requester
        run.source = source
        run.status = RunStatus.queued.rawValue
        run.maxConcurrency = prepared.maxConcurrency.description
        run.maxErrors = prepared.maxErrors.description
        run.targetCount = prepared.targets.count
        run.change = prepared.request.change
        run.idempotencyKey = prepared.request.idempotencyKey
        run.requestHash = hash
        run.cancelRequested = false
        run.owner = services.identity.description
        run.leaseExpiresAt = now.addingTimeInterval(Self.leaseDuration)
        run.createdAt = now
        run.progressText = StoredProgress.text(
            RunProgress(
                stepCount: prepared.steps.count,
                targets: Array(
                    repeating: Array(repeating: ExecutionStatus.pending, count: prepared.steps.count),
                    count: prepared.targets.count)))
        var ids = [[UUID]]()
        var executions = [Execution]()
        for (index, target) in prepared.targets.enumerated() {
            var row = [UUID]()
            for (stepIndex, step) in prepared.steps.enumerated() {
                let execution = Execution()
                execution.id = UUID()
                execution.$run.id = run.id ?? UUID()
                execution.targetIndex = index
                execution.targetID = target.targetID
                execution.targetName = target.name
                execution.targetAddress = target.address
                execution.stepIndex = stepIndex
                execution.stepAction = step.action
                execution.status = ExecutionStatus.pending.rawValue
                execution.stdout = ""
                execution.stderr = ""
                execution.truncated = false
                execution.attempt = 1
                execution.leaseOwner = nil
                executions.append(execution)
                row.append(execution.id ?? UUID())
            }
            ids.append(row)
        }
        let rows = executions
        try await database.retryingTransaction { database in
            try await run.create(on: database)
            try await Self.recordOrigin(of: prepared.request, runID: run.requireID(), on: database)
            if let conversation = prepared.request.conversation, let id = run.id {
                try await RunConversationLink.query(on: database).filter(\.$id == id)
                    .set(\.$conversationID, to: conversation).update()
            }
            try await RunHistoryTables.addTargets(prepared.targets.map(\.name), of: run, on: database)
            for chunk in stride(from: 0, to: rows.count, by: 200) {
                try await rows[chunk..<min(chunk + 200, rows.count)].create(on: database)
            }
            for step in prepared.steps {
                for script in step.scripts {
                    try await Self.saveScript(script, tool: prepared.tool.id, step: step, now: now, on: database)
                }
            }
        }
        return (run, ids)
    }

    static func saveScript(
        _ script: PreparedRun.ScriptRef, tool: String, step: PreparedRun.StepRecord, now: Date,
        on database: any Database
    ) async throws {
        let name = "\(script.phase):\(script.origin)"
        let exists = try await ScriptRecord.query(on: database)
            .filter(\.$tool == tool).filter(\.$action == step.action).filter(\.$name == name)
            .filter(\.$sha256 == script.sha256).count()
        guard exists == 0 else { return }
        let record = ScriptRecord()
        record.tool = tool
        record.action = step.action
        record.name = name
        record.interpreter = step.interpreter
        record.content = script.content ?? ""
        record.sha256 = script.sha256
        record.createdAt = now
        try await record.create(on: database)
    }

    /// `r-` and 10 characters of Crockford base 32.
    static func newPublicID() -> String {
        let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")
        var generator = SystemRandomNumberGenerator()
        return "r-" + String((0..<10).map { _ in alphabet[Int(generator.next() % 32)] })
    }

    /// Drives a stored run to its end: the engine, the recorder, the lease and cancel watch.
    func execute(
        _ prepared: PreparedRun, run: Run, executionIDs: [[UUID]], observers: [any RunObserver]
    ) async -> RunSummary {
        let runID = run.id ?? UUID()
        let publicID = run.publicID
        var logger = self.logger
        logger[metadataKey: "run.id"] = .string(publicID)
        let recorder = RunRecorder(
            database: database, runID: runID, publicID: publicID, tool: run.tool,
            targets: prepared.targets.map { .init(name: $0.name, address: $0.address) },
            steps: prepared.steps.map(\.action), stepNames: prepared.steps.map(\.name), executionIDs: executionIDs,
            bus: services.runEvents,
            now: { [clock = services.clock] in clock.now() }, logger: logger)
        var transport = TargetTransport(
            targets: Dictionary(prepared.targets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
            hostKeys: prepared.hostKeys, limiter: services.limiter, handshakes: services.handshakes,
            logger: logger)
        transport.ssm = ssmTransport(prepared.targets, executionIDs: executionIDs)
        let engine = RunEngine(
            plan: prepared.plan, transport: transport, observer: ObserverChain(observers: [recorder] + observers))
        await services.activeRuns.register(publicID, engine)
        let watch = Task { await watchLease(runID: runID, engine: engine) }
        logger.info("run started", metadata: ["targets": .stringConvertible(prepared.targets.count)])
        let summary = await engine.run()
        await transport.winrm.closeAll()
        watch.cancel()
        await recorder.drain()
        await services.activeRuns.remove(publicID)
        logger.info("run finished", metadata: ["status": .string(summary.status.rawValue)])
        try? await audit.record(
            "run.finish", actor: run.requestedBy, object: "run:\(publicID)",
            details: ["status": summary.status.rawValue, "succeeded": String(summary.counts.succeeded)],
            source: .system)
        return summary
    }

    /// Every second: has someone asked (maybe from another process) to cancel? Every ten: extend
    /// the lease, so other processes know this one still drives the run.
    private func watchLease(runID: UUID, engine: RunEngine) async {
        var tick = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            if Task.isCancelled { return }
            tick += 1
            if let run = try? await Run.find(runID, on: database), run.cancelRequested {
                engine.cancel(reason: "cancelled by \(run.cancelledBy ?? "someone")")
                return
            }
            if tick % 10 == 0 {
                try? await Run.query(on: database).filter(\.$id == runID)
                    .set(\.$leaseExpiresAt, to: services.clock.now().addingTimeInterval(Self.leaseDuration)).update()
            }
        }
    }

    /// Asks a run to stop: at once when this process drives it, else within a second through the
    /// database (the owning process watches), else — its owner is gone — by recovering it now.
    public func cancel(_ publicID: String, by actor: AccountService.Actor) async throws -> Run {
        guard let run = try await Run.query(on: database).filter(\.$publicID == publicID).first() else {
            throw RunError.notFound(publicID)
        }
        guard let status = RunStatus(rawValue: run.status), !status.isTerminal else {
            throw RunError.notCancellable(id: publicID, status: run.status)
        }
        let who = actor.name ?? "system"
        run.cancelRequested = true
        run.cancelledBy = who
        try await run.save(on: database)
        try await audit.record(
            "run.cancel", actor: actor.name, object: "run:\(publicID)", source: actor.source,
            sourceAddress: actor.address)
        if await services.activeRuns.cancel(publicID, reason: "cancelled by \(who)") { return run }
        _ = try await RunRecovery(database: database, services: services, logger: logger).recover(only: run.id)
        return try await Run.find(run.id, on: database) ?? run
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
