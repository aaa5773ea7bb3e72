import Fluent
import Foundation
import OpsCore

/// Fills a database with months of finished runs through the product's own models and history tables, for
/// `scripts/bench-history` and the history tests (issue 17.2). Deterministic for a given seed: runs of 1 to 50
/// targets (a few popular hosts in many of them) and 1 to 4 steps, over the `days` before `now`, mostly succeeded,
/// some failed; every execution with a line of output and its status event, every run with its end event. Some runs
/// share their `created_at` with the one before, as runs started together do.
public struct HistorySeeder: Sendable {
    public struct Summary: Sendable, Equatable {
        public var runs = 0
        public var executions = 0
        public var events = 0
    }

    public var executions: Int
    public var days: Double = 180
    public var seed: UInt64 = 17
    /// How many hosts and tools the history names (`host-0001`…, `tool-01`…).
    public var hosts = 500
    public var tools = 12
    public var users = 20

    public init(executions: Int) {
        self.executions = executions
    }

    private struct Plan {
        var targets: [String]
        var steps: Int
        var statuses: [[ExecutionStatus]]
        var tool: String
        var user: String
    }

    /// Adds the history to `database` (migrated), `now` being its newest moment; `progress` hears the executions
    /// written so far, every 100,000.
    public func seed(
        into database: any Database, now: Date, progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> Summary {
        var random = SplitMix64(seed: seed)
        var plans = [Plan]()
        var planned = 0
        while planned < executions {
            let roll = random.unit()
            var width =
                roll < 0.3
                ? 1 : roll < 0.5 ? 2 : roll < 0.75 ? 3 + random.below(3) : roll < 0.95 ? 6 + random.below(15) : 50
            let stepRoll = random.unit()
            let steps = stepRoll < 0.8 ? 1 : stepRoll < 0.95 ? 2 : 4
            width = max(1, min(width, (executions - planned + steps - 1) / steps))
            var names = Set<String>()
            while names.count < min(width, hosts) {
                // Squared: the first hosts are in many runs, as a fleet's busiest hosts are.
                let host = Int(random.unit() * random.unit() * Double(hosts))
                names.insert(String(format: "host-%04d", host + 1))
            }
            let targets = names.sorted()
            var statuses = [[ExecutionStatus]]()
            for _ in targets {
                var row = [ExecutionStatus]()
                for _ in 0..<steps {
                    if row.last.map({ $0 != .succeeded }) ?? false {
                        row.append(.skipped)
                        continue
                    }
                    let outcome = random.unit()
                    row.append(outcome < 0.94 ? .succeeded : outcome < 0.985 ? .failed : .timedOut)
                }
                statuses.append(row)
            }
            plans.append(
                Plan(
                    targets: targets, steps: steps, statuses: statuses,
                    tool: String(format: "tool-%02d", random.below(tools) + 1),
                    user: String(format: "user-%02d", random.below(users) + 1)))
            planned += targets.count * steps
        }
        let span = days * 86400
        let start = now.addingTimeInterval(-span)
        var summary = Summary()
        var createdAt = start
        var reported = 0
        for chunk in stride(from: 0, to: plans.count, by: 100) {
            var runs = [(run: Run, names: [String])]()
            var executionRows = [Execution]()
            var events = [RunEvent]()
            var ended = [(tool: String, status: RunStatus, at: Date)]()
            for (offset, plan) in plans[chunk..<min(chunk + 100, plans.count)].enumerated() {
                let index = chunk + offset
                // Every 40th run starts with the one before it.
                if index % 40 != 39 { createdAt = start.addingTimeInterval(span * Double(index) / Double(plans.count)) }
                let run = makeRun(plan, createdAt: createdAt)
                runs.append((run, plan.targets))
                let runID = run.id ?? UUID()
                var seq = 0
                for (targetIndex, name) in plan.targets.enumerated() {
                    for step in 0..<plan.steps {
                        let status = plan.statuses[targetIndex][step]
                        executionRows.append(
                            makeExecution(
                                runID: runID, target: name, index: targetIndex, step: step, status: status,
                                at: createdAt))
                        seq += 1
                        events.append(
                            RunEvent(
                                run: runID, seq: seq, kind: "execution.status",
                                payload: #"{"target":"\#(name)","step":\#(step),"status":"\#(status.rawValue)"}"#,
                                at: createdAt, target: targetIndex))
                    }
                }
                seq += 1
                events.append(
                    RunEvent(
                        run: runID, seq: seq, kind: "run.finished", payload: #"{"status":"\#(run.status)"}"#,
                        at: createdAt))
                if let status = RunStatus(rawValue: run.status), let finished = run.finishedAt,
                    finished > now.addingTimeInterval(-8 * 86400)
                {
                    ended.append((plan.tool, status, finished))
                }
            }
            let (runRows, executionBatch, eventBatch, endedRuns) = (runs, executionRows, events, ended)
            try await database.transaction { database in
                for part in stride(from: 0, to: runRows.count, by: 100) {
                    try await runRows[part..<min(part + 100, runRows.count)].map(\.run).create(on: database)
                }
                try await RunHistoryTables.addTargets(runRows, on: database)
                for part in stride(from: 0, to: executionBatch.count, by: 500) {
                    try await executionBatch[part..<min(part + 500, executionBatch.count)].create(on: database)
                }
                for part in stride(from: 0, to: eventBatch.count, by: 1000) {
                    try await eventBatch[part..<min(part + 1000, eventBatch.count)].create(on: database)
                }
                for run in endedRuns {
                    try await RunHistoryTables.countEnded(tool: run.tool, status: run.status, at: run.at, on: database)
                }
            }
            summary.runs += runs.count
            summary.executions += executionRows.count
            summary.events += events.count
            if summary.executions / 100_000 > reported {
                reported = summary.executions / 100_000
                progress(summary.executions)
            }
        }
        return summary
    }

    private func makeRun(_ plan: Plan, createdAt: Date) -> Run {
        let run = Run()
        run.id = UUID()
        run.publicID = RunService.newPublicID()
        run.tool = plan.tool
        run.action = plan.steps == 1 ? "check" : nil
        run.workflow = plan.steps == 1 ? nil : "rollout"
        run.parametersJSON = "{}"
        run.stepsJSON =
            "[" + (1...plan.steps).map { #"{"action":"step\#($0)","name":"Step \#($0)"}"# }.joined(separator: ",")
            + "]"
        run.requestedBy = plan.user
        run.source = "api"
        run.status =
            RunStatus.final(
                targetsSucceeded: plan.statuses.map { $0.allSatisfy { $0 == .succeeded } }, cancelled: false
            ).rawValue
        run.maxConcurrency = "50"
        run.maxErrors = "0"
        run.targetCount = plan.targets.count
        run.cancelRequested = false
        run.createdAt = createdAt
        run.startedAt = createdAt
        run.finishedAt = createdAt.addingTimeInterval(30)
        run.progressText = StoredProgress.text(RunProgress(stepCount: plan.steps, targets: plan.statuses))
        return run
    }

    private func makeExecution(
        runID: UUID, target: String, index: Int, step: Int, status: ExecutionStatus, at: Date
    ) -> Execution {
        let execution = Execution()
        execution.id = UUID()
        execution.$run.id = runID
        execution.targetIndex = index
        execution.targetName = target
        execution.targetAddress = "10.0.\(index / 250).\(index % 250 + 1)"
        execution.stepIndex = step
        execution.stepAction = "step\(step + 1)"
        execution.status = status.rawValue
        execution.exitCode = status == .succeeded ? 0 : status == .skipped ? nil : 1
        execution.stdout = status == .skipped ? "" : "\(target): check \(status.rawValue) at step \(step + 1)\n"
        execution.stderr = status == .failed ? "error: the check failed\n" : ""
        execution.truncated = false
        execution.attempt = 1
        execution.startedAt = status == .skipped ? nil : at
        execution.finishedAt = at.addingTimeInterval(20)
        return execution
    }
}

/// A small, fast, seeded generator (Steele et al.'s SplitMix64): the same seed gives the same history.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// In [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// In [0, bound).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
}
