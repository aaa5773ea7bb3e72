import Foundation

/// How one target's step ended.
public struct ExecutionOutcome: Sendable, Equatable {
    public var status: ExecutionStatus
    public var exitCode: Int?
    public var exitSignal: String?
    /// Output of the action, then of validation and rollback after a banner line; secrets masked.
    public var stdout: String
    public var stderr: String
    public var truncated: Bool
    /// Why it did not succeed, in a sentence.
    public var error: String?
    /// How the rollback script went, when one ran: succeeded, failed, timed_out, cancelled.
    public var rollback: String?

    public init(
        status: ExecutionStatus, exitCode: Int? = nil, exitSignal: String? = nil, stdout: String = "",
        stderr: String = "", truncated: Bool = false, error: String? = nil, rollback: String? = nil
    ) {
        self.status = status
        self.exitCode = exitCode
        self.exitSignal = exitSignal
        self.stdout = stdout
        self.stderr = stderr
        self.truncated = truncated
        self.error = error
        self.rollback = rollback
    }
}

/// What the engine reports, in order, to whoever records the run.
public enum RunChange: Sendable, Equatable {
    case runStarted
    /// A target's step started (its action was handed to the transport).
    case executionStarted(target: Int, step: Int)
    /// Output as it arrived (secrets masked), of one phase of a step.
    case output(target: Int, step: Int, phase: ScriptPhase, stream: ExecStream, text: String)
    /// A step reached a terminal state (after its validation and rollback, when they ran).
    case executionFinished(target: Int, step: Int, ExecutionOutcome)
    case runFinished(RunStatus)
}

/// Records and publishes a run's changes (the database and the live event stream, or a test).
public protocol RunObserver: Sendable {
    func record(_ change: RunChange) async
}

/// What a finished run looked like.
public struct RunSummary: Sendable, Equatable {
    public var status: RunStatus
    public var counts: ExecutionCounts
    /// Per target: every step succeeded.
    public var targetsSucceeded: [Bool]
}
