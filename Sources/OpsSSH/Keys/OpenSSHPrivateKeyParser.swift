import Foundation
import NIOSSH

/// Reads SSH private key files into ``SSHPrivateKey`` values swift-nio-ssh can authenticate with.
///
/// Formats:
/// - OpenSSH's own, `-----BEGIN OPENSSH PRIVATE KEY-----` (PROTOCOL.key "openssh-key-v1"), plain or encrypted with
///   bcrypt_pbkdf and AES (what `ssh-keygen` writes by default);
/// - PEM `-----BEGIN EC PRIVATE KEY-----` (SEC 1, RFC 5915) and `-----BEGIN PRIVATE KEY-----` (PKCS #8, RFC 5208),
///   unencrypted, as `ssh-keygen -m PEM` / `-m PKCS8` and OpenSSL write them.
///
/// Key types: Ed25519 and ECDSA P-256/P-384/P-521. RSA, DSA and security-key types are refused with
/// ``SSHError/unsupportedKeyType(target:keyType:)`` (they work with the openssh transport), before any passphrase
/// is asked for. Error messages never contain the passphrase or key bytes.
public enum OpenSSHPrivateKeyParser {
    /// The SSH key types this parser (and swift-nio-ssh) can use.
    public static let supportedKeyTypes: Set<String> = [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
    ]

    /// Parses the key file `text`. `passphrase` opens encrypted OpenSSH keys (nil or empty when there is none);
    /// `target` names the target the key is for, so an unsupported key type can say where it was meant to be used.
    public static func parse(_ text: String, passphrase: String?, target: String) throws(SSHError) -> SSHPrivateKey {
        guard let block = try PEMBlock.first(in: text) else {
            throw .unsupportedKeyFormat(describeUnarmored(text))
        }
        switch block.label {
        case "OPENSSH PRIVATE KEY":
            return try parseKeyV1(try decodedBody(block), passphrase: passphrase, target: target)
        case "RSA PRIVATE KEY":
            throw .unsupportedKeyType(target: target, keyType: "ssh-rsa")
        case "DSA PRIVATE KEY":
            throw .unsupportedKeyType(target: target, keyType: "ssh-dss")
        case "ENCRYPTED PRIVATE KEY":
            throw .unsupportedKeyFormat(encryptedPEMAdvice("an encrypted PKCS #8 key"))
        case "EC PRIVATE KEY", "PRIVATE KEY":
            if block.isProcTypeEncrypted {
                throw .unsupportedKeyFormat(encryptedPEMAdvice("an encrypted PEM key"))
            }
            return try parsePEM(block, der: try decodedBody(block), target: target)
        default:
            throw .unsupportedKeyFormat("a PEM \"\(block.label)\" block is not a private key this transport reads")
        }
    }

    private static func decodedBody(_ block: PEMBlock) throws(SSHError) -> [UInt8] {
        guard let bytes = block.derBytes, !bytes.isEmpty else {
            throw .malformedKey("the base64 body of the \(block.label) block is damaged")
        }
        return bytes
    }

    private static func encryptedPEMAdvice(_ what: String) -> String {
        "\(what) is not supported; convert it to the OpenSSH format with `ssh-keygen -p -f KEY` "
            + "(it keeps or changes the passphrase and rewrites the file)"
    }

    /// Explains text with no BEGIN line: a public key, a PuTTY or ssh.com key, or nothing recognisable.
    private static func describeUnarmored(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return "the key is empty" }
        if trimmed.hasPrefix("PuTTY-User-Key-File") {
            return "a PuTTY .ppk key; export it with `puttygen KEY.ppk -O private-openssh-new -o KEY`"
        }
        if trimmed.hasPrefix("---- BEGIN SSH2") {
            return "an SSH2 (ssh.com) key; convert it with `ssh-keygen -i -f KEY`"
        }
        if trimmed.hasPrefix("ssh-") || trimmed.hasPrefix("ecdsa-") || trimmed.hasPrefix("sk-") {
            return "this is a public key; give the private key file instead (the one without .pub)"
        }
        return "no \"-----BEGIN … PRIVATE KEY-----\" line found"
    }
}
