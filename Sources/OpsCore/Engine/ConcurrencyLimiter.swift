/// A process-wide cap on invocations running at once, across every run: a counting semaphore whose
/// waiters are served first come, first served, and leave the queue when their task is cancelled.
public actor ConcurrencyLimiter {
    public nonisolated let limit: Int
    private var inUse = 0
    private var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID = 0

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Waits for a permit; throws `CancellationError` when the task is cancelled while waiting.
    public func acquire() async throws {
        try Task.checkCancellation()
        if inUse < limit {
            inUse += 1
            return
        }
        let id = nextID
        nextID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiters.append((id, continuation))
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Gives a permit back, to the longest waiter if any.
    public func release() {
        if waiters.isEmpty {
            inUse = max(0, inUse - 1)
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    /// Permits held now (for metrics and tests).
    public var running: Int { inUse }
    /// Tasks waiting for a permit.
    public var waiting: Int { waiters.count }
}

extension ConcurrencyLimiter {
    /// Runs `body` holding a permit, and gives it back however `body` ends.
    public nonisolated func withPermit<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }
}
