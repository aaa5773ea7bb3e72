import Foundation

/// Everything that can go wrong reaching a host over SSH. Each case names the stage and the target,
/// and never carries a secret (no passphrase, password or key material).
public enum SSHError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The key file is not in a format this transport reads.
    case unsupportedKeyFormat(String)
    /// The key is of a type swift-nio-ssh cannot use (RSA, DSA); use the `openssh` transport.
    case unsupportedKeyType(target: String, keyType: String)
    /// The key is encrypted and no passphrase was given.
    case passphraseRequired
    /// The passphrase does not open the key.
    case wrongPassphrase
    /// The key file is damaged or truncated.
    case malformedKey(String)
    /// A public key ("type base64 [comment]") that cannot be read: bad base64, or a blob of another type.
    case malformedPublicKey(String)
    /// A known_hosts line that cannot be used.
    case malformedKnownHostsLine(line: Int, reason: String)
    /// The host presented a key other than the trusted one. Fingerprints are SHA256, as OpenSSH prints them.
    case hostKeyMismatch(host: String, expected: [String], presented: String)
    /// Strict checking and no trusted key for the host.
    case hostKeyUnknown(host: String, presented: String)
    /// The host's key is marked @revoked.
    case hostKeyRevoked(host: String, presented: String)

    public var description: String {
        switch self {
        case .unsupportedKeyFormat(let detail): "unsupported private key format: \(detail)"
        case .unsupportedKeyType(let target, let keyType):
            "target \(target): \(keyType) keys are not supported by the built-in SSH transport (Ed25519 and ECDSA are); "
                + "set the target's transport to 'openssh' to use the system OpenSSH client"
        case .passphraseRequired: "the private key is encrypted; a passphrase is required"
        case .wrongPassphrase: "the passphrase does not decrypt the private key"
        case .malformedKey(let detail): "malformed private key: \(detail)"
        case .malformedPublicKey(let detail): "malformed public key: \(detail)"
        case .malformedKnownHostsLine(let line, let reason): "known_hosts line \(line): \(reason)"
        case .hostKeyMismatch(let host, let expected, let presented):
            "host key mismatch for \(host): expected \(expected.joined(separator: " or ")), presented \(presented)"
        case .hostKeyUnknown(let host, let presented):
            "no trusted host key for \(host) (presented \(presented)); import it with `pcm-ops known-hosts import` "
                + "or use the accept-new policy"
        case .hostKeyRevoked(let host, let presented): "host key \(presented) for \(host) is revoked"
        }
    }
}
