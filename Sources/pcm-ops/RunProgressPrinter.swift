import Foundation
import OpsCore
import OpsServer

/// Live progress of a CLI run. On a terminal: one status line redrawn in place (the step running and
/// how many targets are through it, targets by outcome, elapsed, ETA, current target) with failures
/// printed above it. Elsewhere: one plain line per finished step. JSON output: nothing until the end.
actor RunProgressPrinter: RunObserver {
    enum Mode { case terminal, lines, silent }

    let reference: String
    let mode: Mode
    let verbose: Bool
    private var targets: [String] = []
    private var steps: [String] = []
    private var waiting: [RunChange] = []
    private var started = false
    private var status: [[ExecutionStatus]] = []
    private var current: String = ""
    private var start = ContinuousClock.now
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private var finishedTargets = 0
    private var runID = ""

    init(reference: String, mode: Mode, verbose: Bool) {
        self.reference = reference
        self.mode = mode
        self.verbose = verbose
    }

    /// Names the targets and steps (from the stored run); changes that came earlier are replayed.
    func begin(runID: String, executions: [ExecutionDTO]) {
        self.runID = runID
        var names = [String]()
        var stepNames = [String]()
        for execution in executions {
            if execution.step == 0 { names.append(execution.target) }
            if names.count == 1 { stepNames.append(execution.action) }
        }
        targets = names
        steps = stepNames
        status = Array(repeating: Array(repeating: .pending, count: steps.count), count: targets.count)
        started = true
        start = .now
        if mode != .silent {
            emit("run \(runID): \(reference) on \(targets.count) target\(targets.count == 1 ? "" : "s")")
        }
        let earlier = waiting
        waiting = []
        for change in earlier { apply(change) }
        draw(force: true)
    }

    func record(_ change: RunChange) async {
        guard started else {
            waiting.append(change)
            return
        }
        apply(change)
        draw(force: false)
    }

    func end() {
        if mode == .terminal { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }

    private func apply(_ change: RunChange) {
        switch change {
        case .executionStarted(let target, let step):
            status[target][step] = .running
            current = targets[target]
        case .executionFinished(let target, let step, let outcome):
            status[target][step] = outcome.status
            let targetDone = status[target].allSatisfy(\.isTerminal)
            if targetDone { finishedTargets += 1 }
            report(target: target, step: step, outcome: outcome)
        default:
            break
        }
    }

    private func report(target: Int, step: Int, outcome: ExecutionOutcome) {
        guard mode != .silent else { return }
        let name = targets[target]
        let action = steps.count > 1 ? "\(steps[step]) (step \(step + 1)/\(steps.count))" : steps[step]
        let ok = outcome.status == .succeeded
        let line =
            "[\(finishedTargets)/\(targets.count)] \(name) \(action): \(outcome.status.rawValue)"
            + (outcome.error.map { " — \(TerminalText.safe($0))" } ?? "")
        if mode == .lines || !ok && outcome.status != .skipped {
            emit(line)
        }
        if verbose && (!outcome.stdout.isEmpty || !outcome.stderr.isEmpty) {
            for text in [outcome.stdout, outcome.stderr] where !text.isEmpty {
                for outputLine in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(
                    text.hasSuffix("\n") ? 1 : 0)
                {
                    emit("  \(name) | \(TerminalText.safe(String(outputLine)))")
                }
            }
        }
    }

    /// Prints a permanent line (above the status line on a terminal).
    private func emit(_ line: String) {
        if mode == .terminal { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
        if mode == .terminal { draw(force: true) }
    }

    private func draw(force: Bool) {
        guard mode == .terminal, started else { return }
        let now = ContinuousClock.now
        guard force || now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = now
        var counts = ExecutionCounts()
        for steps in status { counts[TargetOutcome(steps: steps).status] += 1 }
        let total = max(1, targets.count)
        let width = 24
        let filled = finishedTargets * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed =
            Double((now - start).components.seconds) + Double((now - start).components.attoseconds) / 1e18
        let eta =
            finishedTargets > 0 && finishedTargets < targets.count
            ? String(
                format: " ETA %.0fs",
                elapsed / Double(finishedTargets) * Double(targets.count - finishedTargets))
            : ""
        let activeStep =
            status.compactMap { $0.lastIndex(of: .running) }.max().map { step in
                let through = status.filter { $0[step].isTerminal }.count
                return "step \(step + 1)/\(steps.count) \(steps[step]) \(through)/\(targets.count) through  "
            } ?? ""
        let failed = counts.failed + counts.timedOut + counts.interrupted
        let line =
            "\(activeStep)\(bar) \(finishedTargets)/\(targets.count) targets  ok \(counts.succeeded)  "
            + "failed \(failed)  running \(counts.running)  pending \(counts.pending)  skipped \(counts.skipped)  "
            + (counts.cancelled > 0 ? "cancelled \(counts.cancelled)  " : "")
            + String(format: "%.1fs", elapsed) + eta + (current.isEmpty ? "" : "  → \(current)")
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line.prefix(160)).utf8))
    }
}
