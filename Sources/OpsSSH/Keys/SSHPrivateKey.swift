import NIOSSH

/// A private key read from a key file, ready for swift-nio-ssh public key authentication.
///
/// Only the key types swift-nio-ssh signs with are representable: Ed25519 and ECDSA on NIST P-256, P-384 and
/// P-521. The value keeps the `NIOSSHPrivateKey` (which is `Sendable`) and derived public data, never the file
/// text or passphrase. Its `description` and reflection show the type and fingerprint only, so logging the value
/// or dumping it in a test failure cannot leak the secret.
public struct SSHPrivateKey: Sendable {
    /// The SSH algorithm name: "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384" or "ecdsa-sha2-nistp521".
    public let keyType: String
    /// The key in swift-nio-ssh's form, for `NIOSSHUserAuthenticationOffer.Offer.PrivateKey(privateKey:)`.
    public let nioKey: NIOSSHPrivateKey
    /// The matching public key.
    public let publicKey: NIOSSHPublicKey
    /// The public key as an authorized_keys line without comment, e.g. "ssh-ed25519 AAAAC3Nz…" (sshd(8),
    /// AUTHORIZED_KEYS FILE FORMAT).
    public let publicKeyOpenSSH: String
    /// "SHA256:" and the unpadded base64 SHA-256 of the public key blob, exactly as `ssh-keygen -lf` prints it.
    public let fingerprint: String
    /// The comment stored in an OpenSSH-format key file (often user@host); empty for PEM keys, which have none.
    public let comment: String

    init(keyType: String, nioKey: NIOSSHPrivateKey, comment: String) {
        self.keyType = keyType
        self.nioKey = nioKey
        self.publicKey = nioKey.publicKey
        self.publicKeyOpenSSH = String(openSSHPublicKey: nioKey.publicKey)
        self.fingerprint = SSHPublicKeyFingerprint.sha256(of: nioKey.publicKey)
        self.comment = comment
    }
}

extension SSHPrivateKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The key type and fingerprint; never key material.
    public var description: String { "SSHPrivateKey(\(keyType) \(fingerprint))" }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// Shows only public parts, so `dump` and test failure output never print the private key.
    public var customMirror: Mirror {
        Mirror(self, children: ["keyType": keyType, "fingerprint": fingerprint, "comment": comment])
    }
}
