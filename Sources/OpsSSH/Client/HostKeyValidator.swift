import NIOCore
import NIOSSH

/// Checks the server's host key against the store before any authentication happens (RFC 4253 §8:
/// the key is known once the key exchange completes, and user authentication only starts after it).
/// There is deliberately no "accept any key" mode.
final class HostKeyValidator: NIOSSHClientServerAuthenticationDelegate, Sendable {
    let endpoint: SSHEndpoint
    let store: any HostKeyStore
    let progress: ConnectProgress

    init(endpoint: SSHEndpoint, store: any HostKeyStore, progress: ConnectProgress) {
        self.endpoint = endpoint
        self.store = store
        self.progress = progress
    }

    func validateHostKey(hostKey: NIOSSHPublicKey, validationCompletePromise: EventLoopPromise<Void>) {
        progress.reached(.hostKey)
        let endpoint = endpoint
        let store = store
        let progress = progress
        validationCompletePromise.completeWithTask {
            let entries = try await store.entries(forHost: endpoint.host, port: endpoint.port)
            let presented = SSHPublicKeyFingerprint.sha256(of: hostKey)
            let refusal: SSHError
            switch KnownHostsVerifier.verify(
                host: endpoint.host, port: endpoint.port, presented: hostKey, entries: entries)
            {
            case .trusted:
                progress.hostKeyAccepted()
                return
            case .unknown where endpoint.hostKeyPolicy == .acceptNew:
                try await store.trustNew(
                    KnownHostEntry.make(host: endpoint.host, port: endpoint.port, key: hostKey), target: endpoint.name)
                progress.hostKeyAccepted()
                return
            case .unknown:
                refusal = .hostKeyUnknown(host: endpoint.knownHostsName, presented: presented)
            case .mismatch(let expected):
                refusal = .hostKeyMismatch(host: endpoint.knownHostsName, expected: expected, presented: presented)
            case .revoked:
                refusal = .hostKeyRevoked(host: endpoint.knownHostsName, presented: presented)
            }
            progress.hostKeyRefused(refusal)
            await store.recordRefusal(target: endpoint.name, host: endpoint.host, port: endpoint.port, error: refusal)
            throw refusal
        }
    }
}
