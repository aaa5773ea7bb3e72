import Foundation
import OpsCore

/// A run's ``RunProgress`` as the `runs.progress` column keeps it: every count in ``ExecutionStatus/allCases``
/// order, so a page of runs reads its counts from the run rows alone (issue 17.2).
struct StoredProgress: Codable, Sendable, Equatable {
    /// Format version: a row of another version is recounted from its executions.
    var v = 1
    /// Executions, and targets, in each state.
    var e: [Int]
    var t: [Int]
    /// Per step: its executions in each state, then the targets stopped there in each state.
    var s: [[Int]]

    init(_ progress: RunProgress) {
        e = Self.row(progress.executions)
        t = Self.row(progress.targets)
        s = progress.steps.map { Self.row($0.executions) + Self.row($0.stopped) }
    }

    var progress: RunProgress? {
        let width = ExecutionStatus.allCases.count
        guard v == 1, e.count == width, t.count == width, s.allSatisfy({ $0.count == 2 * width }) else { return nil }
        var progress = RunProgress(stepCount: s.count)
        progress.executions = Self.counts(e[...])
        progress.targets = Self.counts(t[...])
        for (index, row) in s.enumerated() {
            progress.steps[index].executions = Self.counts(row[..<width])
            progress.steps[index].stopped = Self.counts(row[width...])
        }
        return progress
    }

    /// The column's text for `progress`.
    static func text(_ progress: RunProgress) -> String {
        (try? String(decoding: JSONEncoder().encode(StoredProgress(progress)), as: UTF8.self)) ?? ""
    }

    /// The progress a column's text holds, or nil when there is none (a row older than the column) or it is not
    /// understood.
    static func progress(_ text: String?) -> RunProgress? {
        guard let text, let stored = try? JSONDecoder().decode(StoredProgress.self, from: Data(text.utf8)) else {
            return nil
        }
        return stored.progress
    }

    private static func row(_ counts: ExecutionCounts) -> [Int] { ExecutionStatus.allCases.map { counts[$0] } }

    private static func counts(_ row: ArraySlice<Int>) -> ExecutionCounts {
        var counts = ExecutionCounts()
        for (status, count) in zip(ExecutionStatus.allCases, row) { counts[status] = count }
        return counts
    }
}
