import Crypto
import NIOSSH

/// Builds swift-nio-ssh ECDSA keys on the NIST curves from the raw scalar and point of an OpenSSH key file
/// (RFC 5656 §3.1: curve "nistp256", "nistp384" or "nistp521"; Q as an uncompressed SEC 1 point; d as an mpint).
enum ECDSAKeyBuilder {
    /// The byte length of a private scalar on `curve`.
    static func scalarLength(curve: String) -> Int? {
        switch curve {
        case "nistp256": 32
        case "nistp384": 48
        case "nistp521": 66
        default: nil
        }
    }

    /// The private key with scalar `scalar` (big-endian, leading zeros optional), checked against the stored
    /// public point so a damaged or mismatched file is reported rather than used.
    static func privateKey(curve: String, scalar: [UInt8], expectedPoint: [UInt8]) throws(SSHError) -> NIOSSHPrivateKey
    {
        guard let length = scalarLength(curve: curve) else {
            throw .malformedKey("unknown ECDSA curve \(curve)")
        }
        guard !scalar.isEmpty, scalar.count <= length else {
            throw .malformedKey("the ECDSA private scalar does not fit \(curve)")
        }
        let raw = [UInt8](repeating: 0, count: length - scalar.count) + scalar
        do {
            switch curve {
            case "nistp256":
                let key = try P256.Signing.PrivateKey(rawRepresentation: raw)
                try check(Array(key.publicKey.x963Representation), expectedPoint)
                return NIOSSHPrivateKey(p256Key: key)
            case "nistp384":
                let key = try P384.Signing.PrivateKey(rawRepresentation: raw)
                try check(Array(key.publicKey.x963Representation), expectedPoint)
                return NIOSSHPrivateKey(p384Key: key)
            default:
                let key = try P521.Signing.PrivateKey(rawRepresentation: raw)
                try check(Array(key.publicKey.x963Representation), expectedPoint)
                return NIOSSHPrivateKey(p521Key: key)
            }
        } catch let error as SSHError {
            throw error
        } catch {
            throw .malformedKey("the ECDSA private scalar is not valid for \(curve)")
        }
    }

    private static func check(_ derived: [UInt8], _ expected: [UInt8]) throws(SSHError) {
        guard derived == expected else {
            throw .malformedKey("the ECDSA private scalar does not produce the stored public point")
        }
    }
}
