import Foundation

/// Caches another provider's temporary credentials until `refreshMargin` before they expire, so an account's
/// assumed role is asked for once per session rather than once per request. Concurrent callers during a refresh
/// share the one refresh. Credentials without an expiration are kept for good; failures are not cached.
public actor CachedCredentialProvider: AWSCredentialProvider {
    private let base: any AWSCredentialProvider
    private let clock: any AWSClock
    private let refreshMargin: Duration
    private var cached: ProvidedCredentials?
    private var refreshing: Task<ProvidedCredentials, any Error>?

    /// Caches `base`'s credentials; 5 minutes before expiry is the margin AWS SDKs use.
    public init(
        _ base: any AWSCredentialProvider, clock: any AWSClock = SystemAWSClock(),
        refreshMargin: Duration = .seconds(300)
    ) {
        self.base = base
        self.clock = clock
        self.refreshMargin = refreshMargin
    }

    /// The cached credentials while fresh, else new ones from the base provider.
    public func credentials() async throws -> ProvidedCredentials {
        if let cached, isFresh(cached) { return cached }
        if let refreshing { return try await refreshing.value }
        let task = Task { [base] in try await base.credentials() }
        refreshing = task
        defer { refreshing = nil }
        let fresh = try await task.value
        cached = fresh
        return fresh
    }

    /// Forgets the cached credentials, so the next call asks the base provider (after "refresh" in the UI).
    public func invalidate() {
        cached = nil
    }

    private func isFresh(_ credentials: ProvidedCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return true }
        let parts = refreshMargin.components
        let margin = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
        return clock.now() < expiration.addingTimeInterval(-margin)
    }
}
