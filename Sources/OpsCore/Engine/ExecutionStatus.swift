/// Where one target's step is (DESIGN.md §5): `pending → running → succeeded | failed | timed_out |
/// cancelled | skipped | interrupted`. Terminal means terminal: nothing leaves it.
public enum ExecutionStatus: String, Sendable, Codable, CaseIterable {
    case pending, running, succeeded, failed
    case timedOut = "timed_out"
    case cancelled, skipped, interrupted

    public var isTerminal: Bool { self != .pending && self != .running }

    /// True when the state machine allows going from `self` to `next`.
    public func canTransition(to next: ExecutionStatus) -> Bool {
        switch self {
        case .pending: next != .pending
        case .running: next.isTerminal
        default: false
        }
    }
}

/// Where a run is (DESIGN.md §5): `queued → running → succeeded | failed | partially_failed | cancelled`.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case queued, running, succeeded, failed
    case partiallyFailed = "partially_failed"
    case cancelled

    public var isTerminal: Bool { self != .queued && self != .running }

    public func canTransition(to next: RunStatus) -> Bool {
        switch self {
        case .queued: next != .queued
        case .running: next.isTerminal
        default: false
        }
    }

    /// The final status of a run whose targets ended as given (`true` = every step succeeded).
    public static func final(targetsSucceeded: [Bool], cancelled: Bool) -> RunStatus {
        if cancelled { return .cancelled }
        let succeeded = targetsSucceeded.filter { $0 }.count
        if succeeded == targetsSucceeded.count { return .succeeded }
        return succeeded == 0 ? .failed : .partiallyFailed
    }
}

/// How many executions are in each state (the `counts` object of a run).
public struct ExecutionCounts: Sendable, Codable, Hashable {
    public var pending = 0
    public var running = 0
    public var succeeded = 0
    public var failed = 0
    public var timedOut = 0
    public var cancelled = 0
    public var skipped = 0
    public var interrupted = 0

    public init() {}

    public init<S: Sequence>(_ statuses: S) where S.Element == ExecutionStatus {
        for status in statuses { self[status] += 1 }
    }

    public subscript(status: ExecutionStatus) -> Int {
        get {
            switch status {
            case .pending: pending
            case .running: running
            case .succeeded: succeeded
            case .failed: failed
            case .timedOut: timedOut
            case .cancelled: cancelled
            case .skipped: skipped
            case .interrupted: interrupted
            }
        }
        set {
            switch status {
            case .pending: pending = newValue
            case .running: running = newValue
            case .succeeded: succeeded = newValue
            case .failed: failed = newValue
            case .timedOut: timedOut = newValue
            case .cancelled: cancelled = newValue
            case .skipped: skipped = newValue
            case .interrupted: interrupted = newValue
            }
        }
    }

    public var total: Int { ExecutionStatus.allCases.reduce(0) { $0 + self[$1] } }

    enum CodingKeys: String, CodingKey {
        case pending, running, succeeded, failed, cancelled, skipped, interrupted
        case timedOut = "timed_out"
    }
}
