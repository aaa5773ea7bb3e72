import Crypto
import Foundation
import NIOSSH

/// SSH public key fingerprints as OpenSSH prints them (`ssh-keygen -lf`, `ssh` host key prompts): "SHA256:"
/// followed by the base64 of the SHA-256 of the key's wire blob (RFC 4253 §6.6 public key format), without the
/// trailing "=" padding.
public enum SSHPublicKeyFingerprint {
    /// The fingerprint of a key swift-nio-ssh understands (for example a server's host key).
    public static func sha256(of key: NIOSSHPublicKey) -> String {
        sha256(ofBlob: wireBlob(of: key))
    }

    /// The fingerprint of an authorized_keys / known_hosts style key, "type base64 [comment]". Works for any key
    /// type, including ones swift-nio-ssh cannot use (ssh-rsa, ssh-dss): it hashes the blob after checking that
    /// it is valid base64 and names the same type.
    public static func sha256(ofOpenSSH text: String) throws(SSHError) -> String {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2 else {
            throw .malformedPublicKey("expected \"type base64-key [comment]\"")
        }
        let blob = try validatedBlob(keyType: String(fields[0]), keyBase64: String(fields[1]))
        return sha256(ofBlob: blob)
    }

    /// "SHA256:" + unpadded base64 of SHA-256(blob).
    static func sha256(ofBlob blob: [UInt8]) -> String {
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }

    /// The key's wire blob: string type, then the type's fields (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4).
    static func wireBlob(of key: NIOSSHPublicKey) -> [UInt8] {
        // swift-nio-ssh exposes the blob only through its OpenSSH text form, whose base64 it always writes validly.
        let text = String(openSSHPublicKey: key)
        let base64 = text.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        return Data(base64Encoded: base64).map { Array($0) } ?? []
    }

    /// Decodes `keyBase64` and checks that the blob starts with the string `keyType`. Keys of types swift-nio-ssh
    /// knows must also parse completely (a valid curve point, a 32-byte Ed25519 key).
    static func validatedBlob(keyType: String, keyBase64: String) throws(SSHError) -> [UInt8] {
        guard let data = Data(base64Encoded: keyBase64) else {
            throw .malformedPublicKey("the key is not valid base64")
        }
        let blob = Array(data)
        var reader = SSHWireReader(blob, failure: { SSHError.malformedPublicKey($0) })
        let embeddedType = try reader.readText("key type inside the key blob")
        guard embeddedType == keyType else {
            throw .malformedPublicKey("the key blob is a \(embeddedType) key but is labelled \(keyType)")
        }
        if OpenSSHPrivateKeyParser.supportedKeyTypes.contains(keyType) {
            do {
                _ = try NIOSSHPublicKey(openSSHPublicKey: "\(keyType) \(keyBase64)")
            } catch {
                throw .malformedPublicKey("the \(keyType) key does not parse")
            }
        }
        return blob
    }
}
