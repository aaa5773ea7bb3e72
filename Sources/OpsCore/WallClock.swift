import Foundation

/// The current time, passed in so tests can move it (session expiry, throttle windows).
public protocol WallClock: Sendable {
    func now() -> Date
    /// Returns once ``now()`` has reached `deadline` (at once when it has). A test clock moves itself there.
    func sleep(until deadline: Date) async throws
}

extension WallClock {
    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSince(now())
        if seconds > 0 { try await Task.sleep(for: .seconds(seconds)) }
    }
}

/// The system clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}
