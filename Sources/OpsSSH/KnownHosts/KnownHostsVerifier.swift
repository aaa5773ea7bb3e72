import NIOSSH

/// The outcome of checking a presented host key against known_hosts entries.
public enum HostKeyVerdict: Sendable, Hashable {
    /// A plain entry for the host holds exactly this key.
    case trusted
    /// An `@revoked` entry for the host holds this key; refuse whatever else says.
    case revoked
    /// Entries exist for the host but none holds this key. The fingerprints ("SHA256:…") are those of the keys the
    /// entries hold, of any type, in file order without repeats.
    case mismatch(expectedFingerprints: [String])
    /// No plain entry names the host.
    case unknown
}

/// Decides whether a server's host key is the one known_hosts trusts, as `ssh` does before authenticating
/// (RFC 4251 §4.1, sshd(8) SSH_KNOWN_HOSTS FILE FORMAT).
///
/// Differences from OpenSSH, on the strict side: a host listed only with keys of other types is a ``HostKeyVerdict/mismatch(expectedFingerprints:)``
/// (OpenSSH would treat the new type as unknown and might accept it), so `accept-new` never adds a second key
/// for a known host. `@cert-authority` lines are skipped: they vouch for host certificates, which this transport
/// does not verify, so they neither trust nor contradict a plain key.
public enum KnownHostsVerifier {
    /// The verdict for `presented` from `host` on `port`; `entries` may hold lines for any hosts.
    public static func verify(
        host: String, port: Int, presented: NIOSSHPublicKey, entries: [KnownHostEntry]
    ) -> HostKeyVerdict {
        let presentedBlob = SSHPublicKeyFingerprint.wireBlob(of: presented)
        let forHost = entries.filter { $0.marker != .certAuthority && $0.matches(host: host, port: port) }
        if forHost.contains(where: { $0.marker == .revoked && $0.keyBlob == presentedBlob }) {
            return .revoked
        }
        let trusted = forHost.filter { $0.marker == nil }
        if trusted.contains(where: { $0.keyBlob == presentedBlob }) {
            return .trusted
        }
        guard !trusted.isEmpty else { return .unknown }
        var expected: [String] = []
        for fingerprint in trusted.map(\.fingerprint) where !expected.contains(fingerprint) {
            expected.append(fingerprint)
        }
        return .mismatch(expectedFingerprints: expected)
    }
}
