import Foundation

/// The current time, passed in so tests can move it (session expiry, throttle windows).
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The system clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}
