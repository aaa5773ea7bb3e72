import Foundation
import NIOConcurrencyHelpers

/// Where trusted host keys live. The server keeps them in its database; tests may use memory.
public protocol HostKeyStore: Sendable {
    /// Every entry that could apply to the host (the verifier does the matching).
    func entries(forHost host: String, port: Int) async throws -> [KnownHostEntry]
    /// Records a key first seen under the accept-new policy.
    func trustNew(_ entry: KnownHostEntry, target: String) async throws
    /// Records a refused key (mismatch, unknown, revoked) for the audit log.
    func recordRefusal(target: String, host: String, port: Int, error: SSHError) async
}

/// A host key store in memory, for tests and one-off tools.
public final class InMemoryHostKeyStore: HostKeyStore {
    private let state: NIOLockedValueBox<(entries: [KnownHostEntry], refusals: [SSHError])>

    public init(entries: [KnownHostEntry] = []) {
        state = NIOLockedValueBox((entries, []))
    }

    public var allEntries: [KnownHostEntry] { state.withLockedValue { $0.entries } }
    public var refusals: [SSHError] { state.withLockedValue { $0.refusals } }

    public func add(_ entries: [KnownHostEntry]) { state.withLockedValue { $0.entries += entries } }

    public func entries(forHost host: String, port: Int) async throws -> [KnownHostEntry] { allEntries }

    public func trustNew(_ entry: KnownHostEntry, target: String) async throws {
        state.withLockedValue { $0.entries.append(entry) }
    }

    public func recordRefusal(target: String, host: String, port: Int, error: SSHError) async {
        state.withLockedValue { $0.refusals.append(error) }
    }
}
