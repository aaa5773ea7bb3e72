import Foundation

/// Sessions, login throttling and password hashing.
public struct SecurityConfig: Sendable {
    /// A session unused for this long ends.
    public var sessionIdleTimeout: TimeInterval = 8 * 3600
    /// A session ends this long after login, used or not.
    public var sessionLifetime: TimeInterval = 24 * 3600
    /// Failed password checks for one username from one client address within ``throttleWindow``
    /// before further tries from that address get 429. Other addresses are not affected, so a
    /// stranger cannot lock the account's owner out.
    public var maxFailuresPerUserAndAddress = 5
    /// Failed password checks from one address (any usernames) within ``throttleWindow`` before further tries get 429.
    public var maxFailuresPerAddress = 20
    /// The sliding window the limits count over.
    public var throttleWindow: TimeInterval = 15 * 60
    /// Failed checks for one username, from anywhere, before its password checks are spaced out.
    public var slowDownAfterFailures = 3
    /// The spacing after the first failure past ``slowDownAfterFailures``; it doubles with each further failure…
    public var slowDownBase: TimeInterval = 1
    /// …up to this.
    public var slowDownCap: TimeInterval = 30
    /// An attempt that would have to wait longer than this for its turn gets 429 instead of waiting.
    public var maxSlowDownWait: TimeInterval = 60
    /// bcrypt cost; 12 in production, lowered by tests only.
    public var bcryptCost = 12

    public init() {}
}
