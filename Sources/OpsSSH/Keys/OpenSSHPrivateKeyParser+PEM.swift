import Crypto
import NIOSSH

/// Unencrypted PEM keys: SEC 1 "EC PRIVATE KEY" (RFC 5915) and PKCS #8 "PRIVATE KEY" (RFC 5208), as written by
/// `ssh-keygen -m PEM` / `ssh-keygen -m PKCS8` and OpenSSL. ECDSA keys are decoded by swift-crypto's
/// `pemRepresentation` initialisers once the curve is known; Ed25519 PKCS #8 keys (RFC 8410) from their seed.
extension OpenSSHPrivateKeyParser {
    static func parsePEM(_ block: PEMBlock, der: [UInt8], target: String) throws(SSHError) -> SSHPrivateKey {
        let algorithm =
            block.label == "EC PRIVATE KEY" ? PEMPrivateKeyAlgorithm.sec1(der) : PEMPrivateKeyAlgorithm.pkcs8(der)
        switch algorithm {
        case nil:
            throw .malformedKey("the \(block.label) block is not valid DER")
        case .rsa:
            throw .unsupportedKeyType(target: target, keyType: "ssh-rsa")
        case .dsa:
            throw .unsupportedKeyType(target: target, keyType: "ssh-dss")
        case .other:
            throw .unsupportedKeyFormat(
                "the \(block.label) block holds a key algorithm other than ECDSA P-256/384/521 or Ed25519")
        case .ed25519(let seed):
            do {
                let key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
                return SSHPrivateKey(keyType: "ssh-ed25519", nioKey: NIOSSHPrivateKey(ed25519Key: key), comment: "")
            } catch {
                throw .malformedKey("the Ed25519 seed is invalid")
            }
        case .ecdsa(let curve):
            do {
                let nioKey: NIOSSHPrivateKey
                switch curve {
                case "nistp256":
                    nioKey = NIOSSHPrivateKey(p256Key: try P256.Signing.PrivateKey(pemRepresentation: block.text))
                case "nistp384":
                    nioKey = NIOSSHPrivateKey(p384Key: try P384.Signing.PrivateKey(pemRepresentation: block.text))
                default: nioKey = NIOSSHPrivateKey(p521Key: try P521.Signing.PrivateKey(pemRepresentation: block.text))
                }
                return SSHPrivateKey(keyType: "ecdsa-sha2-" + curve, nioKey: nioKey, comment: "")
            } catch {
                throw .malformedKey("the \(curve) key in the \(block.label) block does not decode")
            }
        }
    }
}
