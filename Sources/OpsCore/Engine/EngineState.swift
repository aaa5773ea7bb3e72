/// The engine's bookkeeping: where each target is, what to run next, and the changes to report.
struct EngineState {
    struct TargetProgress {
        var statuses: [ExecutionStatus]
        var step = 0
        var phase = ScriptPhase.action
        var inFlight = false
        var failed = false
        /// The outcome of the current step being built up across its phases.
        var outcome = ExecutionOutcome(status: .running)
        var streams: [ExecStream: OutputRedactor.Stream] = [:]
        /// What the current phase has printed so far, as streamed (masked), up to the plan's output cap: the output
        /// kept when the phase ends without a result of its own (cancelled, or the connection lost).
        var printed: [ExecStream: String] = [:]
        var printedTruncated = false
    }

    let plan: RunPlan
    var targets: [TargetProgress]
    var nextTarget = 0
    var inFlight = 0
    var failures = 0
    var stopReason: String?
    var changes: [RunChange] = []
    var cancelled = false

    init(plan: RunPlan) {
        self.plan = plan
        targets = Array(
            repeating: TargetProgress(statuses: Array(repeating: .pending, count: plan.steps.count)),
            count: plan.targets.count)
    }

    var isFinished: Bool { inFlight == 0 && nextTarget >= targets.count }

    mutating func takeChanges() -> [RunChange] {
        defer { changes = [] }
        return changes
    }

    // MARK: admission

    /// Starts targets while the window has room and the error budget holds; once it does not, the
    /// targets not started end `skipped`.
    mutating func admit() -> [Invocation] {
        var invocations = [Invocation]()
        while stopReason == nil && inFlight < plan.maxConcurrency && nextTarget < targets.count {
            let index = nextTarget
            nextTarget += 1
            guard !plan.steps.isEmpty else { continue }
            inFlight += 1
            targets[index].inFlight = true
            invocations.append(start(target: index, step: 0))
        }
        if let stopReason, inFlight == 0 {
            while nextTarget < targets.count {
                end(target: nextTarget, from: 0, as: .skipped, error: stopReason)
                nextTarget += 1
            }
        }
        return invocations
    }

    private mutating func start(target: Int, step: Int) -> Invocation {
        targets[target].step = step
        targets[target].statuses[step] = .running
        targets[target].outcome = ExecutionOutcome(status: .running)
        changes.append(.executionStarted(target: target, step: step))
        return invocation(target: target, phase: .action)
    }

    private mutating func invocation(target: Int, phase: ScriptPhase) -> Invocation {
        let step = plan.steps[targets[target].step]
        targets[target].phase = phase
        targets[target].streams = [.stdout: plan.redactor.stream(), .stderr: plan.redactor.stream()]
        targets[target].printed = [:]
        targets[target].printedTruncated = false
        // A validation or rollback script exists whenever it is asked for.
        let script = step.script(for: phase) ?? step.script
        if phase != .action {
            let banner = "--- pcm-ops: \(phase.rawValue) ---\n"
            targets[target].outcome.stdout += banner
            changes.append(
                .output(target: target, step: targets[target].step, phase: phase, stream: .stdout, text: banner))
        }
        return Invocation(
            key: InvocationKey(target: target, step: targets[target].step, phase: phase),
            target: plan.targets[target],
            request: script.request(timeout: step.timeout, outputCap: plan.outputCap),
            requiresAdmin: step.requiresAdmin)
    }

    // MARK: transport events

    mutating func handle(_ event: TransportEvent) -> [Invocation] {
        switch event {
        case .started:
            return []
        case .output(let key, let stream, let bytes):
            guard isCurrent(key) else { return [] }
            emit(key, stream, targets[key.target].streams[stream]?.push(bytes) ?? "")
            return []
        case .finished(let key, let result):
            guard isCurrent(key) else { return [] }
            flushStreams(key)
            return finished(key, result)
        }
    }

    private func isCurrent(_ key: InvocationKey) -> Bool {
        key.target < targets.count && targets[key.target].inFlight && targets[key.target].step == key.step
            && targets[key.target].phase == key.phase
    }

    private mutating func flushStreams(_ key: InvocationKey) {
        for stream in [ExecStream.stdout, .stderr] {
            emit(key, stream, targets[key.target].streams[stream]?.finish() ?? "")
        }
    }

    /// Reports masked output as it streams, and keeps it (up to the cap) for an end without a result.
    private mutating func emit(_ key: InvocationKey, _ stream: ExecStream, _ text: String) {
        guard !text.isEmpty else { return }
        changes.append(.output(target: key.target, step: key.step, phase: key.phase, stream: stream, text: text))
        let kept = targets[key.target].printed[stream, default: ""]
        let room = plan.outputCap - kept.utf8.count
        if text.utf8.count <= room {
            targets[key.target].printed[stream] = kept + text
        } else {
            targets[key.target].printed[stream] = kept + String(decoding: text.utf8.prefix(max(0, room)), as: UTF8.self)
            targets[key.target].printedTruncated = true
        }
    }

    /// Adds the current phase's printed output to the target's outcome: used when the phase has no result that
    /// carries it (cancelled, the connection lost, a transport that only streams).
    private mutating func keepPrinted(_ t: Int) {
        targets[t].outcome.stdout += targets[t].printed[.stdout] ?? ""
        targets[t].outcome.stderr += targets[t].printed[.stderr] ?? ""
        targets[t].outcome.truncated = targets[t].outcome.truncated || targets[t].printedTruncated
        targets[t].printed = [:]
    }

    private mutating func finished(_ key: InvocationKey, _ result: Result<ExecResult, TransportFailure>) -> [Invocation]
    {
        let t = key.target
        let step = plan.steps[key.step]
        if case .success(let exec) = result, !(exec.stdout.isEmpty && exec.stderr.isEmpty) {
            targets[t].outcome.stdout += plan.redactor.redact(exec.stdout)
            targets[t].outcome.stderr += plan.redactor.redact(exec.stderr)
            targets[t].outcome.truncated = targets[t].outcome.truncated || exec.stdoutTruncated || exec.stderrTruncated
            targets[t].printed = [:]
        } else {
            // No output in the result (a failure, or a transport that only streamed it): keep what was printed.
            keepPrinted(t)
        }
        switch key.phase {
        case .action:
            if case .success(let exec) = result {
                targets[t].outcome.exitCode = exec.exitStatus
                targets[t].outcome.exitSignal = exec.exitSignal
            }
            switch Self.verdict(result, timeout: step.timeout) {
            case .ok:
                if step.validation != nil { return [invocation(target: t, phase: .validation)] }
                return complete(t, .succeeded, error: nil)
            case .failed(let status, let error):
                return fail(t, status, error: error)
            }
        case .validation:
            switch Self.verdict(result, timeout: step.timeout) {
            case .ok: return complete(t, .succeeded, error: nil)
            case .failed(_, let error): return fail(t, .failed, error: "validation failed: \(error)")
            }
        case .rollback:
            let rollback: String =
                switch Self.verdict(result, timeout: step.timeout) {
                case .ok: "succeeded"
                case .failed(let status, _): status == .timedOut ? "timed_out" : "failed"
                }
            targets[t].outcome.rollback = rollback
            let outcome = targets[t].outcome
            targets[t].outcome.error = (outcome.error ?? "failed") + "; rollback \(rollback.replacingUnderscores)"
            return complete(t, outcome.status, error: targets[t].outcome.error)
        }
    }

    enum Verdict {
        case ok
        case failed(ExecutionStatus, String)
    }

    static func verdict(_ result: Result<ExecResult, TransportFailure>, timeout: Duration) -> Verdict {
        switch result {
        case .failure(let failure):
            return .failed(.failed, failure.description)
        case .success(let exec):
            if exec.timedOut { return .failed(.timedOut, "timed out after \(timeout.components.seconds) s") }
            if let signal = exec.exitSignal { return .failed(.failed, "killed by signal \(signal)") }
            if exec.exitStatus != 0 {
                return .failed(.failed, "exit status \(exec.exitStatus.map(String.init) ?? "?")")
            }
            return .ok
        }
    }

    // MARK: step and target ends

    /// The current step failed: count the target as failed once, then follow the step's policy.
    private mutating func fail(_ t: Int, _ status: ExecutionStatus, error: String) -> [Invocation] {
        if !targets[t].failed {
            targets[t].failed = true
            failures += 1
            if failures > plan.maxErrors && stopReason == nil {
                stopReason =
                    "not started: \(failures) target\(failures == 1 ? "" : "s") failed, more than max errors (\(plan.maxErrors))"
            }
        }
        let step = plan.steps[targets[t].step]
        if step.onFailure == .rollback, step.rollback != nil {
            targets[t].outcome.status = status
            targets[t].outcome.error = error
            return [invocation(target: t, phase: .rollback)]
        }
        return complete(t, status, error: error)
    }

    /// The current step reached `status`: report it, then run the next step or end the target.
    private mutating func complete(_ t: Int, _ status: ExecutionStatus, error: String?) -> [Invocation] {
        let stepIndex = targets[t].step
        targets[t].statuses[stepIndex] = status
        var outcome = targets[t].outcome
        outcome.status = status
        outcome.error = error.map(plan.redactor.redact)
        changes.append(.executionFinished(target: t, step: stepIndex, outcome))
        let goOn = status == .succeeded || plan.steps[stepIndex].onFailure == .continue
        if goOn && stepIndex + 1 < plan.steps.count {
            return [start(target: t, step: stepIndex + 1)]
        }
        if stepIndex + 1 < plan.steps.count {
            end(target: t, from: stepIndex + 1, as: .skipped, error: "an earlier step failed")
        }
        targets[t].inFlight = false
        inFlight -= 1
        return admit()
    }

    /// Ends the steps of a target from `from` on without running them.
    private mutating func end(target t: Int, from: Int, as status: ExecutionStatus, error: String) {
        for step in from..<plan.steps.count where !targets[t].statuses[step].isTerminal {
            targets[t].statuses[step] = status
            changes.append(.executionFinished(target: t, step: step, ExecutionOutcome(status: status, error: error)))
        }
    }

    /// Cancels every step not yet terminal: running ones keep the output they had.
    mutating func cancelAll(reason: String) {
        cancelled = true
        for t in targets.indices {
            if targets[t].inFlight {
                let key = InvocationKey(target: t, step: targets[t].step, phase: targets[t].phase)
                flushStreams(key)
                keepPrinted(t)
                var outcome = targets[t].outcome
                outcome.status = .cancelled
                outcome.error = "cancelled: \(reason)"
                if targets[t].phase == .rollback { outcome.rollback = "cancelled" }
                targets[t].statuses[key.step] = .cancelled
                changes.append(.executionFinished(target: t, step: key.step, outcome))
                targets[t].inFlight = false
            }
            end(target: t, from: 0, as: .cancelled, error: "cancelled before it started: \(reason)")
        }
        inFlight = 0
        nextTarget = targets.count
    }

    var summary: RunSummary {
        let succeeded = targets.map { $0.statuses.allSatisfy { $0 == .succeeded } }
        return RunSummary(
            status: RunStatus.final(targetsSucceeded: succeeded, cancelled: cancelled),
            counts: ExecutionCounts(targets.flatMap(\.statuses)), targetsSucceeded: succeeded)
    }
}

extension String {
    fileprivate var replacingUnderscores: String { split(separator: "_").joined(separator: " ") }
}
