import Foundation
import OpsCore

/// How the run page and the CLI say where a run's targets are (issue 17.4).
extension RunDTO {
    /// Headline order: how targets ended first, then what is still going on.
    public static let headlineOrder: [ExecutionStatus] = [
        .succeeded, .failed, .timedOut, .interrupted, .cancelled, .skipped, .running, .pending,
    ]

    /// "10 targets · 9 succeeded · 1 failed at step 2 (claim)": the targets by outcome, states with none left out.
    public var targetHeadline: String {
        let parts = Self.headlineOrder.filter { targetCounts[$0] > 0 }.map { status in
            "\(targetCounts[status]) \(status.rawValue.replacingOccurrences(of: "_", with: " "))\(stoppedAt(status))"
        }
        return ([targetCount == 1 ? "1 target" : "\(targetCount) targets"] + parts).joined(separator: " · ")
    }

    /// Where the targets that ended `status` stopped, as the run page and the CLI say it after "1 failed":
    /// " at step 2 (claim)", or ": 1 at step 2 (claim), 2 at step 3 (echo)". Empty for a one-step run and for the
    /// states that name no step (succeeded, cancelled, skipped, running, pending).
    public func stoppedAt(_ status: ExecutionStatus) -> String {
        guard steps.count > 1 else { return "" }
        let stops: [(step: RunStepDTO, count: Int)] = steps.compactMap { step in
            let count: Int
            switch status {
            case .failed: count = step.stopped.failed
            case .timedOut: count = step.stopped.timedOut
            case .interrupted: count = step.stopped.interrupted
            default: count = 0
            }
            return count > 0 ? (step, count) : nil
        }
        if stops.count == 1, let only = stops.first { return " at step \(only.step.index + 1) (\(only.step.action))" }
        return stops.isEmpty
            ? ""
            : ": "
                + stops.map { "\($0.count) at step \($0.step.index + 1) (\($0.step.action))" }.joined(separator: ", ")
    }
}
