/// How one target of a run stands, as users count targets (issue 17.4): "succeeded", "failed at step 2",
/// "skipped", "running", … rather than one count per step.
///
/// A target succeeded when every step did. Otherwise its first step that did not succeed decides: a failed, timed
/// out, interrupted or cancelled step is where the target stopped, with that status. Without an
/// `on_failure: continue` step this is the last step that ran (the later ones are skipped, or about to be); with
/// one, a failure earlier on still counts, as it does for the run's own status
/// (``RunStatus/final(targetsSucceeded:cancelled:)``) and for "rerun on failed targets". A target none of whose
/// steps ran is `skipped` (past max errors); one with a step running, or done with some steps and waiting for the
/// next, is `running`; one that has not started is `pending`.
public struct TargetOutcome: Sendable, Hashable {
    public var status: ExecutionStatus
    /// The step (0-based) the target stopped at, when it was failed, timed out, interrupted or cancelled there.
    public var step: Int?

    public init(status: ExecutionStatus, step: Int? = nil) {
        self.status = status
        self.step = step
    }

    /// The outcome of a target whose steps are, in order, `steps`.
    public init<C: Collection>(steps: C) where C.Element == ExecutionStatus {
        if steps.contains(.running) {
            self.init(status: .running)
        } else if steps.allSatisfy({ $0 == .pending }) {
            self.init(status: .pending)
        } else if let stop = steps.enumerated().first(where: { $0.element != .succeeded }) {
            switch stop.element {
            case .pending: self.init(status: .running)
            case .skipped: self.init(status: .skipped)
            default: self.init(status: stop.element, step: stop.offset)
            }
        } else {
            self.init(status: .succeeded)
        }
    }
}

/// A run's progress counted three ways: executions (one per target and step, the `counts` a run always had),
/// targets by their ``TargetOutcome``, and each step's executions (how many targets are through it).
public struct RunProgress: Sendable, Hashable {
    /// Every execution in each state.
    public var executions = ExecutionCounts()
    /// Every target in the state of its outcome.
    public var targets = ExecutionCounts()
    /// One entry per step, in order.
    public var steps: [Step]

    /// One step of every target.
    public struct Step: Sendable, Hashable {
        /// This step's executions (one per target) in each state.
        public var executions = ExecutionCounts()
        /// Targets whose outcome was decided at this step, by their status there: what "failed at step N" counts.
        public var stopped = ExecutionCounts()

        public init() {}

        /// Targets done with this step, whichever way (skipped included).
        public var finished: Int { executions.total - executions.pending - executions.running }
    }

    /// No target yet, `stepCount` steps.
    public init(stepCount: Int) {
        steps = Array(repeating: Step(), count: max(0, stepCount))
    }

    /// The progress of targets whose steps are `targets[t][step]`; statuses past `stepCount` are ignored.
    public init(stepCount: Int, targets: some Sequence<[ExecutionStatus]>) {
        self.init(stepCount: stepCount)
        for statuses in targets { add(target: statuses.map(Optional.some)) }
    }

    /// Counts one more target, its steps' statuses in order; `nil` for a step with no execution on record (counted
    /// as pending for the target's outcome, not counted as an execution).
    public mutating func add(target statuses: [ExecutionStatus?]) {
        let statuses = statuses.prefix(steps.count)
        for (step, status) in statuses.enumerated() {
            guard let status else { continue }
            executions[status] += 1
            steps[step].executions[status] += 1
        }
        let outcome = TargetOutcome(steps: statuses.map { $0 ?? .pending })
        targets[outcome.status] += 1
        if let step = outcome.step { steps[step].stopped[outcome.status] += 1 }
    }
}
