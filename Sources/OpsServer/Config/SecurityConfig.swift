import Foundation

/// Sessions, login throttling and password hashing.
public struct SecurityConfig: Sendable {
    /// A session unused for this long ends.
    public var sessionIdleTimeout: TimeInterval = 8 * 3600
    /// A session ends this long after login, used or not.
    public var sessionLifetime: TimeInterval = 24 * 3600
    /// Failed logins for one username within ``throttleWindow`` before further tries get 429.
    public var maxFailuresPerUser = 5
    /// Failed logins from one address within ``throttleWindow`` before further tries get 429.
    public var maxFailuresPerAddress = 20
    /// The sliding window the two limits count over.
    public var throttleWindow: TimeInterval = 15 * 60
    /// bcrypt cost; 12 in production, lowered by tests only.
    public var bcryptCost = 12

    public init() {}
}
