import Foundation
import OpsCore

/// One step of a run across its targets (the `steps` of a run): how many targets are through it, and how many
/// stopped there.
public struct RunStepDTO: Sendable, Codable, Hashable {
    /// 0-based, as `step` of an execution.
    public var index: Int
    public var action: String
    /// The action's name in the catalog when the run started.
    public var name: String
    public var pending: Int
    public var running: Int
    public var succeeded: Int
    public var failed: Int
    public var timedOut: Int
    public var cancelled: Int
    public var skipped: Int
    public var interrupted: Int
    /// Targets done with this step, whichever way.
    public var finished: Int
    /// Targets whose outcome was decided at this step ("failed at step N"), by their status there.
    public var stopped: Stopped

    /// Targets that stopped at a step, by how: a target stops at its first step that did not succeed.
    public struct Stopped: Sendable, Codable, Hashable {
        public var failed: Int
        public var timedOut: Int
        public var interrupted: Int
        public var cancelled: Int

        enum CodingKeys: String, CodingKey {
            case failed, interrupted, cancelled
            case timedOut = "timed_out"
        }

        /// Failed, timed out or interrupted: what the run page shows as "failed at step N".
        public var failures: Int { failed + timedOut + interrupted }
    }

    enum CodingKeys: String, CodingKey {
        case index, action, name, pending, running, succeeded, failed, cancelled, skipped, interrupted, finished
        case stopped
        case timedOut = "timed_out"
    }

    init(index: Int, action: String, name: String, _ step: RunProgress.Step) {
        self.index = index
        self.action = action
        self.name = name
        let counts = step.executions
        pending = counts.pending
        running = counts.running
        succeeded = counts.succeeded
        failed = counts.failed
        timedOut = counts.timedOut
        cancelled = counts.cancelled
        skipped = counts.skipped
        interrupted = counts.interrupted
        finished = step.finished
        stopped = Stopped(
            failed: step.stopped.failed, timedOut: step.stopped.timedOut, interrupted: step.stopped.interrupted,
            cancelled: step.stopped.cancelled)
    }

    /// `1. change`, as the pages and the CLI name a step.
    public var label: String { "\(index + 1). \(action)" }

    /// What else happened at this step, after "n of N through": " · 3 running · 1 failed · 6 skipped".
    public var notes: String {
        [
            (running, "running"), (failed, "failed"), (timedOut, "timed out"), (interrupted, "interrupted"),
            (cancelled, "cancelled"), (skipped, "skipped"),
        ]
        .filter { $0.0 > 0 }.map { " · \($0.0) \($0.1)" }.joined()
    }

    /// The same object in an event's payload (`run.finished`).
    var json: JSONValue {
        .object([
            "index": .int(index), "action": .string(action), "name": .string(name), "pending": .int(pending),
            "running": .int(running), "succeeded": .int(succeeded), "failed": .int(failed), "timed_out": .int(timedOut),
            "cancelled": .int(cancelled), "skipped": .int(skipped), "interrupted": .int(interrupted),
            "finished": .int(finished),
            "stopped": .object([
                "failed": .int(stopped.failed), "timed_out": .int(stopped.timedOut),
                "interrupted": .int(stopped.interrupted), "cancelled": .int(stopped.cancelled),
            ]),
        ])
    }

    /// The steps of `run` (their action and name as planned) with `progress`.
    static func steps(of run: Run, _ progress: RunProgress) -> [RunStepDTO] {
        let planned = StoredStep.decode(run.stepsJSON)
        return progress.steps.enumerated().map { index, step in
            let plan = index < planned.count ? planned[index] : StoredStep(action: "", name: nil)
            return RunStepDTO(index: index, action: plan.action, name: plan.name ?? plan.action, step)
        }
    }
}

/// The part of a run's stored steps (`runs.steps`) that names them.
struct StoredStep: Decodable, Sendable {
    var action: String
    var name: String?

    static func decode(_ json: String) -> [StoredStep] {
        memo.value(for: json) { (try? JSONDecoder().decode([StoredStep].self, from: Data($0.utf8))) ?? [] }
    }

    private static let memo = DecodedTextMemo<[StoredStep]>()
}
