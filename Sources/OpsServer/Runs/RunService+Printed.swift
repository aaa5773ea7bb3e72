import Fluent
import Foundation
import OpsCore

/// Output printed so far (issue 16.1): an execution's row gets its output when the step ends; until then what it
/// printed is in the run's `output` events, numbered. The API, `log.txt` and the run page read it from there, so a
/// running step's output is never invisible, and the page, drawn up to an event number, continues from exactly it.
extension RunService {
    /// The most a running step's output shown from events holds per stream (as much as a stored step keeps).
    static let printedCap = 1 << 20

    /// `executions` with the output printed so far filled in for those not ended, from events up to `seq` (all
    /// when nil). Rows that already hold output, and ended ones, are left as they are.
    func withPrintedOutput(_ executions: [Execution], runID: UUID, through seq: Int? = nil) async throws
        -> [Execution]
    {
        let open = executions.filter { execution in
            guard let status = ExecutionStatus(rawValue: execution.status) else { return false }
            return !status.isTerminal && execution.stdout.isEmpty && execution.stderr.isEmpty
        }
        guard !open.isEmpty else { return executions }
        let printed = try await printed(runID: runID, targets: Set(open.map(\.targetIndex)), through: seq)
        for execution in open {
            guard let text = printed[Cell(target: execution.targetIndex, step: execution.stepIndex)] else { continue }
            execution.stdout = text.stdout
            execution.stderr = text.stderr
            execution.truncated = text.truncated
        }
        return executions
    }

    struct Cell: Hashable {
        var target: Int
        var step: Int
    }

    struct Printed {
        var stdout = ""
        var stderr = ""
        var truncated = false

        mutating func add(_ text: String, stream: String) {
            let kept = stream == "stderr" ? stderr : stdout
            var added = text
            if kept.utf8.count + text.utf8.count > RunService.printedCap {
                added = String(
                    decoding: text.utf8.prefix(max(0, RunService.printedCap - kept.utf8.count)), as: UTF8.self)
                truncated = true
            }
            if stream == "stderr" { stderr += added } else { stdout += added }
        }
    }

    /// Every step's output of `targets` as their events hold it, through event `seq`.
    func printed(runID: UUID, targets: Set<Int>, through seq: Int?) async throws -> [Cell: Printed] {
        struct Payload: Decodable {
            var step: Int
            var stream: String
            var text: String
        }
        let query = RunEvent.query(on: database).filter(\.$run.$id == runID).filter(\.$targetIndex ~~ targets)
            .filter(\.$kind == "output")
        if let seq { query.filter(\.$seq <= seq) }
        var result = [Cell: Printed]()
        for event in try await query.sort(\.$seq).all() {
            guard let target = event.targetIndex,
                let payload = try? JSONDecoder().decode(Payload.self, from: Data(event.payload.utf8))
            else { continue }
            result[Cell(target: target, step: payload.step), default: Printed()].add(
                payload.text, stream: payload.stream)
        }
        return result
    }
}
