import Foundation
import OpsCore

/// A run's ``RunProgress`` as the `runs.progress` column keeps it, so a page of runs reads its counts from the run
/// rows alone (issue 17.2). Plain text read without a JSON decoder (a list decodes fifty of these per page):
/// `1|E|T|S0|S1…`, where E and T are the executions and the targets in each state and each S a step's executions
/// then its stopped targets in each state, every state in ``ExecutionStatus/allCases`` order, comma-separated.
enum StoredProgress {
    /// The format's version: text of another version (or none) is recounted from the executions.
    static let version = "1"

    /// The column's text for `progress`.
    static func text(_ progress: RunProgress) -> String {
        var parts = [version, row(progress.executions), row(progress.targets)]
        for step in progress.steps { parts.append(row(step.executions) + "," + row(step.stopped)) }
        return parts.joined(separator: "|")
    }

    /// The progress a column's text holds, or nil when there is none (a row older than the column) or it is not
    /// understood.
    static func progress(_ text: String?) -> RunProgress? {
        guard let text else { return nil }
        let parts = text.split(separator: "|", omittingEmptySubsequences: false)
        let width = ExecutionStatus.allCases.count
        guard parts.count >= 3, parts[0] == version, let executions = counts(parts[1], width),
            let targets = counts(parts[2], width)
        else { return nil }
        var progress = RunProgress(stepCount: parts.count - 3)
        progress.executions = executions[0]
        progress.targets = targets[0]
        for (index, part) in parts.dropFirst(3).enumerated() {
            guard let step = counts(part, 2 * width) else { return nil }
            progress.steps[index].executions = step[0]
            progress.steps[index].stopped = step[1]
        }
        return progress
    }

    private static func row(_ counts: ExecutionCounts) -> String {
        ExecutionStatus.allCases.map { String(counts[$0]) }.joined(separator: ",")
    }

    /// `count` numbers as counts, `ExecutionStatus.allCases.count` at a time.
    private static func counts(_ text: Substring, _ count: Int) -> [ExecutionCounts]? {
        let numbers = text.split(separator: ",", omittingEmptySubsequences: false).compactMap { Int($0) }
        guard numbers.count == count, numbers.allSatisfy({ $0 >= 0 }) else { return nil }
        let width = ExecutionStatus.allCases.count
        return stride(from: 0, to: count, by: width).map { start in
            var counts = ExecutionCounts()
            for (offset, status) in ExecutionStatus.allCases.enumerated() { counts[status] = numbers[start + offset] }
            return counts
        }
    }
}
