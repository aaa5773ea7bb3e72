import Foundation

/// The wall clock, injected so tests pin signing dates and credential expiry.
public protocol AWSClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The system's wall clock.
public struct SystemAWSClock: AWSClock {
    /// The system clock.
    public init() {}

    /// `Date()`.
    public func now() -> Date { Date() }
}
