import Fluent
import Foundation
import Logging
import OpsCore
import SQLKit

/// Writes a run's changes to the database and publishes them as numbered events (DESIGN.md §5, §10).
///
/// The engine's loop must not wait on disk for each output chunk, so changes are numbered and
/// published at once, then written by one background writer in transactions that take everything
/// queued since the last one: under load the batches grow, and the order is kept. ``drain()`` waits
/// until all is written.
actor RunRecorder: RunObserver {
    struct TargetInfo: Sendable {
        var name: String
        var address: String
    }

    enum Write: Sendable {
        case event(seq: Int, kind: String, payload: String, at: Date, target: Int?)
        case execution(id: UUID, ExecutionUpdate)
        case run(status: RunStatus, at: Date)
        /// The run's progress as ``StoredProgress`` text: the counts a list of runs shows.
        case progress(String)
    }

    struct ExecutionUpdate: Sendable {
        var status: ExecutionStatus
        var outcome: ExecutionOutcome?
        var startedAt: Date?
        var finishedAt: Date?
    }

    let database: any Database
    let runID: UUID
    let publicID: String
    /// The run's tool, for the dashboard's count of ended runs.
    let tool: String
    let targets: [TargetInfo]
    let steps: [String]
    /// The steps' names in the catalog, as `steps` of a run shows them.
    let stepNames: [String]
    /// Execution row ids by [target][step].
    let executionIDs: [[UUID]]
    let bus: RunEventBus
    let now: @Sendable () -> Date
    let logger: Logger
    private(set) var seq: Int
    private var statuses: [[ExecutionStatus]]
    private var queue: [Write] = []
    /// Whether an execution changed since the progress was last queued for writing.
    private var progressChanged = false
    private var writer: Task<Void, Never>?
    private(set) var writeFailures = 0

    init(
        database: any Database, runID: UUID, publicID: String, tool: String = "", targets: [TargetInfo],
        steps: [String],
        stepNames: [String] = [], executionIDs: [[UUID]], bus: RunEventBus, startSeq: Int = 0,
        now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.database = database
        self.runID = runID
        self.publicID = publicID
        self.tool = tool
        self.targets = targets
        self.steps = steps
        self.stepNames = stepNames
        self.executionIDs = executionIDs
        self.bus = bus
        self.seq = startSeq
        self.now = now
        self.logger = logger
        self.statuses = Array(repeating: Array(repeating: .pending, count: steps.count), count: targets.count)
    }

    func record(_ change: RunChange) async {
        let at = now()
        var events = [RunEventMessage]()
        func emit(_ kind: String, _ payload: [String: JSONValue], facts: RunEventMessage.Facts? = nil) {
            seq += 1
            let data = JSONValue.object(payload).text
            events.append(RunEventMessage(seq: seq, kind: kind, data: data, facts: facts))
            queue.append(.event(seq: seq, kind: kind, payload: data, at: at, target: facts?.targetIndex))
        }
        switch change {
        case .runStarted:
            queue.append(.run(status: .running, at: at))
            emit("run.status", ["status": .string(RunStatus.running.rawValue)])
        case .executionStarted(let target, let step):
            statuses[target][step] = .running
            progressChanged = true
            queue.append(.execution(id: executionIDs[target][step], .init(status: .running, startedAt: at)))
            emit(
                "execution.status", executionPayload(target, step, status: .running, outcome: nil, at: at),
                facts: .init(targetIndex: target))
        case .output(let target, let step, let phase, let stream, let text):
            emit(
                "output",
                [
                    "target": .string(targets[target].name), "target_index": .int(target), "step": .int(step),
                    "phase": .string(phase.rawValue), "stream": .string(stream.rawValue), "text": .string(text),
                ],
                facts: .init(
                    targetIndex: target,
                    output: (step: step, phase: phase.rawValue, stream: stream.rawValue, text: text)))
        case .executionFinished(let target, let step, let outcome):
            statuses[target][step] = outcome.status
            progressChanged = true
            queue.append(
                .execution(
                    id: executionIDs[target][step], .init(status: outcome.status, outcome: outcome, finishedAt: at)))
            emit(
                "execution.status", executionPayload(target, step, status: outcome.status, outcome: outcome, at: at),
                facts: .init(targetIndex: target))
        case .runFinished(let status):
            queue.append(.run(status: status, at: at))
            let progress = RunProgress(stepCount: steps.count, targets: statuses)
            let stepDTOs = progress.steps.enumerated().map { index, step in
                RunStepDTO(
                    index: index, action: steps[index], name: index < stepNames.count ? stepNames[index] : steps[index],
                    step)
            }
            emit("run.status", ["status": .string(status.rawValue)])
            emit(
                "run.finished",
                [
                    "status": .string(status.rawValue), "finished_at": .string(at.iso8601),
                    "counts": JSONValue.counts(progress.executions),
                    "target_counts": JSONValue.counts(progress.targets), "steps": .array(stepDTOs.map(\.json)),
                ])
        }
        await bus.publish(run: publicID, events)
        startWriter()
    }

    /// An `execution.status` payload; `target_status` and `target_step` are the target's ``TargetOutcome`` after it.
    private func executionPayload(
        _ target: Int, _ step: Int, status: ExecutionStatus, outcome: ExecutionOutcome?, at: Date
    ) -> [String: JSONValue] {
        let targetOutcome = TargetOutcome(steps: statuses[target])
        var payload: [String: JSONValue] = [
            "target": .string(targets[target].name), "target_index": .int(target), "step": .int(step),
            "action": .string(steps[step]), "status": .string(status.rawValue),
            "at": .string(at.iso8601),
            "target_status": .string(targetOutcome.status.rawValue),
            "target_step": targetOutcome.step.map(JSONValue.int) ?? .null,
        ]
        if let outcome {
            payload["exit_code"] = outcome.exitCode.map(JSONValue.int) ?? .null
            payload["error"] = outcome.error.map(JSONValue.string) ?? .null
            if let rollback = outcome.rollback { payload["rollback"] = .string(rollback) }
            payload["truncated"] = .bool(outcome.truncated)
        }
        return payload
    }

    private func startWriter() {
        guard writer == nil, !queue.isEmpty else { return }
        writer = Task { await self.writeLoop() }
    }

    private func writeLoop() async {
        while !queue.isEmpty {
            var batch = queue
            queue = []
            if progressChanged {
                // Counted once per batch, not per change: under load a batch holds many.
                progressChanged = false
                batch.append(
                    .progress(StoredProgress.text(RunProgress(stepCount: steps.count, targets: statuses))))
            }
            do {
                try await write(batch)
            } catch {
                writeFailures += 1
                logger.error(
                    "could not save run events",
                    metadata: ["run.id": .string(publicID), "error": .string(String(describing: error))])
                if writeFailures < 20 {
                    queue = batch + queue
                    try? await Task.sleep(for: .milliseconds(200))
                }
            }
        }
        writer = nil
    }

    /// Waits until every change recorded so far is in the database.
    func drain() async {
        while let writer {
            await writer.value
        }
    }

    /// Writes a batch in one transaction with SQL statements built directly: Fluent's model updates reflect over
    /// every property of the model for each statement, which cost a fan-out on many targets more CPU than
    /// talking to them did (issue 14's benchmark). Updates of one execution within a batch become one statement.
    private func write(_ batch: [Write]) async throws {
        let runID = runID
        let tool = tool
        try await database.retryingTransaction { database in
            guard let sql = database as? any SQLDatabase else {
                throw RunError.invalid(field: "database", message: "the database does not speak SQL")
            }
            var events = [Write]()
            var updates = [UUID: ExecutionUpdate]()
            var updateOrder = [UUID]()
            for write in batch {
                switch write {
                case .event:
                    events.append(write)
                case .execution(let id, let update):
                    if let earlier = updates[id] {
                        updates[id] = earlier.merged(with: update)
                    } else {
                        updates[id] = update
                        updateOrder.append(id)
                    }
                case .run(let status, let at):
                    var query = sql.update(Run.schema).set("status", to: SQLBind(status.rawValue))
                    if status == .running {
                        query = query.set("started_at", to: SQLBind(at))
                    } else if status.isTerminal {
                        query = query.set("finished_at", to: SQLBind(at)).set("owner", to: SQLLiteral.null)
                            .set("lease_expires_at", to: SQLLiteral.null)
                    }
                    try await query.where("id", .equal, SQLBind(runID)).run()
                    if status.isTerminal {
                        try await RunHistoryTables.countEnded(tool: tool, status: status, at: at, on: database)
                    }
                case .progress(let text):
                    try await sql.update(Run.schema).set("progress", to: SQLBind(text))
                        .where("id", .equal, SQLBind(runID)).run()
                }
            }
            for id in updateOrder {
                if let update = updates[id] { try await Self.apply(update, to: id, on: sql) }
            }
            for chunk in stride(from: 0, to: events.count, by: 200) {
                let insert = sql.insert(into: RunEvent.schema)
                    .columns("id", "run_id", "seq", "kind", "payload", "target_index", "created_at")
                for case .event(let seq, let kind, let payload, let at, let target) in events[
                    chunk..<min(chunk + 200, events.count)]
                {
                    insert.values(
                        SQLBind(UUID()), SQLBind(runID), SQLBind(seq), SQLBind(kind), SQLBind(payload),
                        SQLBind(target), SQLBind(at))
                }
                try await insert.run()
            }
        }
    }

    static func apply(_ update: ExecutionUpdate, to id: UUID, on sql: any SQLDatabase) async throws {
        var query = sql.update(Execution.schema).set("status", to: SQLBind(update.status.rawValue))
        if let startedAt = update.startedAt { query = query.set("started_at", to: SQLBind(startedAt)) }
        if let finishedAt = update.finishedAt { query = query.set("finished_at", to: SQLBind(finishedAt)) }
        if let outcome = update.outcome {
            query = query.set("exit_code", to: SQLBind(outcome.exitCode))
                .set("exit_signal", to: SQLBind(outcome.exitSignal))
                .set("stdout", to: SQLBind(outcome.stdout))
                .set("stderr", to: SQLBind(outcome.stderr))
                .set("truncated", to: SQLBind(outcome.truncated))
                .set("error", to: SQLBind(outcome.error))
                .set("rollback_status", to: SQLBind(outcome.rollback))
        }
        try await query.where("id", .equal, SQLBind(id)).run()
    }
}

extension RunRecorder.ExecutionUpdate {
    /// This update followed by `later` (both queued in one batch): the later status and outcome, the first start.
    func merged(with later: Self) -> Self {
        .init(
            status: later.status, outcome: later.outcome ?? outcome, startedAt: startedAt ?? later.startedAt,
            finishedAt: later.finishedAt ?? finishedAt)
    }
}

/// Several observers in order (the recorder, then a terminal progress display).
struct ObserverChain: RunObserver {
    let observers: [any RunObserver]
    func record(_ change: RunChange) async {
        for observer in observers { await observer.record(change) }
    }
}
