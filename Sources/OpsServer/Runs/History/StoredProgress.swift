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
    /// understood. Read in one pass over its bytes: a page of runs reads fifty of these.
    static func progress(_ text: String?) -> RunProgress? {
        guard var text else { return nil }
        return text.withUTF8 { bytes -> RunProgress? in
            // Numbers per part: part 0 is the version, then executions, targets, and two rows per step.
            var parts = [[Int]]()
            var current = [Int]()
            var number = 0
            var digits = 0
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    guard digits < 18 else { return nil }
                    number = number * 10 + Int(byte - UInt8(ascii: "0"))
                    digits += 1
                case UInt8(ascii: ","), UInt8(ascii: "|"):
                    guard digits > 0 else { return nil }
                    current.append(number)
                    number = 0
                    digits = 0
                    if byte == UInt8(ascii: "|") {
                        parts.append(current)
                        current = []
                    }
                default:
                    return nil
                }
            }
            guard digits > 0 else { return nil }
            current.append(number)
            parts.append(current)
            let width = ExecutionStatus.allCases.count
            guard parts.count >= 3, parts[0] == [Int(version)], parts[1].count == width, parts[2].count == width
            else { return nil }
            var progress = RunProgress(stepCount: parts.count - 3)
            progress.executions = counts(parts[1], from: 0)
            progress.targets = counts(parts[2], from: 0)
            for (index, part) in parts.dropFirst(3).enumerated() {
                guard part.count == 2 * width else { return nil }
                progress.steps[index].executions = counts(part, from: 0)
                progress.steps[index].stopped = counts(part, from: width)
            }
            return progress
        }
    }

    /// The counts at `start`, one per status in ``ExecutionStatus/allCases`` order.
    private static func counts(_ numbers: [Int], from start: Int) -> ExecutionCounts {
        var counts = ExecutionCounts()
        for (offset, status) in ExecutionStatus.allCases.enumerated() { counts[status] = numbers[start + offset] }
        return counts
    }

    private static func row(_ counts: ExecutionCounts) -> String {
        ExecutionStatus.allCases.map { String(counts[$0]) }.joined(separator: ",")
    }
}
