/// When and how long to wait before sending a throttled AWS request again: capped exponential backoff with
/// full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"). Only throttling is retried; any other
/// error is returned at once, since repeating a rejected or failed call gains nothing and may repeat a side effect.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; 1 means never retry.
    public var maxAttempts: Int
    /// The ceiling of the first retry's delay; it doubles with each further retry.
    public var baseDelay: Duration
    /// No delay ceiling grows past this.
    public var maxDelay: Duration

    /// Defaults: 5 attempts, 200 ms doubling to at most 20 s. `maxAttempts` below 1 counts as 1.
    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(20)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The largest delay before retry number `retry` (1 is the first retry): `min(maxDelay, baseDelay × 2^(retry-1))`.
    public func delayCeiling(beforeRetry retry: Int) -> Duration {
        let exponent = min(max(retry - 1, 0), 62)
        let ceiling = Self.seconds(baseDelay) * Double(UInt64(1) << UInt64(exponent))
        return .seconds(min(ceiling, Self.seconds(maxDelay)))
    }

    /// Full jitter: a delay drawn uniformly from `0 ..< delayCeiling(beforeRetry:)`.
    public func delay(beforeRetry retry: Int, random: some RandomSource) -> Duration {
        let fraction = min(max(random.nextUnitInterval(), 0), 1)
        return .seconds(Self.seconds(delayCeiling(beforeRetry: retry)) * fraction)
    }

    /// Whether to send again after `attempt` attempts (1 after the first) failed with `error`.
    public func shouldRetry(_ error: any Error, afterAttempt attempt: Int) -> Bool {
        guard attempt < maxAttempts, let awsError = error as? AWSError else { return false }
        return awsError.isThrottling
    }

    /// Runs `operation` until it succeeds, fails with an error that is not retried, or uses up `maxAttempts`;
    /// then returns its value or throws its last error. `sleep` waits between attempts and is where cancellation
    /// arrives: its error ends the loop.
    public func run<Value>(
        random: some RandomSource = SystemRandomSource(),
        sleep: (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        _ operation: () async throws -> Value
    ) async throws -> Value {
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch {
                guard shouldRetry(error, afterAttempt: attempt) else { throw error }
                try await sleep(delay(beforeRetry: attempt, random: random))
                try Task.checkCancellation()
                attempt += 1
            }
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
