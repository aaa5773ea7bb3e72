/// A hard deadline of the client's own around work that waits on the service: the service's OperationTimeout
/// bounds one Receive, but a host that never says Done, or a connection that hangs, must not hold a run past
/// its deadline (pywinrm#292, #397 retried forever).
enum WinRSDeadline {
    /// Runs `body`, and cancels it and throws ``WSManError/deadlineExceeded(operation:)`` if it has not finished
    /// by `deadline`. Cancelling the calling task cancels `body` too (it then throws `CancellationError`).
    static func run<T: Sendable>(
        until deadline: ContinuousClock.Instant, operation: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        guard ContinuousClock.now < deadline else { throw WSManError.deadlineExceeded(operation: operation) }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw WSManError.deadlineExceeded(operation: operation)
            }
            return value
        }
    }
}
