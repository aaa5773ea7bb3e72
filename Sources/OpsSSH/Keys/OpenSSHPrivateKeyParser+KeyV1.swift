import Crypto
import NIOSSH

/// The openssh-key-v1 container (OpenSSH PROTOCOL.key):
///
///     "openssh-key-v1\0"
///     string ciphername, string kdfname, string kdfoptions, uint32 N (= 1)
///     string publickey
///     string encrypted: uint32 checkint, uint32 checkint, key type and fields, string comment, padding 1, 2, 3…
///     [AEAD tag, for aes-gcm]
extension OpenSSHPrivateKeyParser {
    private static let magic = Array("openssh-key-v1".utf8) + [0]
    /// ssh-keygen uses 16 rounds; far more would stall the caller for minutes, so refuse past this.
    private static let maximumKDFRounds = 1 << 16

    static func parseKeyV1(_ blob: [UInt8], passphrase: String?, target: String) throws(SSHError) -> SSHPrivateKey {
        guard blob.starts(with: magic) else {
            throw .malformedKey("the OPENSSH PRIVATE KEY block does not start with \"openssh-key-v1\"")
        }
        var reader = SSHWireReader(blob.dropFirst(magic.count))
        let cipherName = try reader.readText("cipher name")
        let kdfName = try reader.readText("KDF name")
        let kdfOptions = try reader.readString("KDF options")
        let keyCount = try reader.readUInt32("number of keys")
        guard keyCount == 1 else {
            throw .unsupportedKeyFormat("the file holds \(keyCount) keys; OpenSSH key files hold exactly one")
        }
        let publicBlob = try reader.readString("public key")
        var publicReader = SSHWireReader(publicBlob)
        let publicType = try publicReader.readText("public key type")
        guard supportedKeyTypes.contains(publicType) else {
            // Refuse before asking for a passphrase: no passphrase makes an RSA key usable here.
            throw .unsupportedKeyType(target: target, keyType: publicType)
        }
        let section = try reader.readString("private key section")
        let cipher = try OpenSSHKeyCipher.named(cipherName)
        let encrypted = cipher.mode != .none
        let plaintext: [UInt8]
        if encrypted {
            let tag = try reader.readBytes(count: cipher.tagLength, "authentication tag")
            plaintext = try decrypt(
                section, tag: tag, cipher: cipher, kdfName: kdfName, kdfOptions: kdfOptions, passphrase: passphrase)
        } else {
            guard kdfName == "none" else {
                throw .malformedKey("the key is not encrypted but names the KDF \(kdfName)")
            }
            plaintext = section
        }
        guard plaintext.count % cipher.blockSize == 0 else {
            throw .malformedKey("the private key section is not a whole number of \(cipher.blockSize)-byte blocks")
        }

        var privateReader = SSHWireReader(plaintext)
        let check1 = try privateReader.readUInt32("first check integer")
        let check2 = try privateReader.readUInt32("second check integer")
        guard check1 == check2 else {
            throw encrypted ? .wrongPassphrase : .malformedKey("the check integers differ")
        }
        let privateType = try privateReader.readText("private key type")
        guard privateType == publicType else {
            throw .malformedKey("the private key is \(privateType) but the public key is \(publicType)")
        }
        let nioKey = try decodePrivateKey(type: privateType, reader: &privateReader)
        let comment = String(decoding: try privateReader.readString("comment"), as: UTF8.self)
        let padding = privateReader.readRemaining()
        guard padding.enumerated().allSatisfy({ Int($0.element) == $0.offset + 1 }) else {
            throw .malformedKey("bad padding after the private key")
        }
        let key = SSHPrivateKey(keyType: privateType, nioKey: nioKey, comment: comment)
        guard SSHPublicKeyFingerprint.wireBlob(of: key.publicKey) == publicBlob else {
            throw .malformedKey("the private key does not match the public key stored beside it")
        }
        return key
    }

    /// Derives key and IV with bcrypt_pbkdf (kdfoptions: string salt, uint32 rounds) and decrypts the section.
    private static func decrypt(
        _ section: [UInt8], tag: [UInt8], cipher: OpenSSHKeyCipher, kdfName: String, kdfOptions: [UInt8],
        passphrase: String?
    ) throws(SSHError) -> [UInt8] {
        guard let passphrase, !passphrase.isEmpty else { throw .passphraseRequired }
        guard kdfName == "bcrypt" else {
            throw .unsupportedKeyFormat("the key uses the KDF \(kdfName); only bcrypt is supported")
        }
        var options = SSHWireReader(kdfOptions)
        let salt = try options.readString("bcrypt salt")
        let rounds = Int(try options.readUInt32("bcrypt rounds"))
        guard (1...maximumKDFRounds).contains(rounds) else {
            throw .unsupportedKeyFormat("bcrypt with \(rounds) rounds is outside 1…\(maximumKDFRounds)")
        }
        guard section.count % cipher.blockSize == 0 else {
            throw .malformedKey("the encrypted section is not a whole number of cipher blocks")
        }
        guard
            let derived = BcryptPBKDF.deriveKey(
                passphrase: Array(passphrase.utf8), salt: salt, rounds: rounds,
                count: cipher.keyLength + cipher.ivLength)
        else {
            throw .malformedKey("invalid bcrypt parameters")
        }
        return try cipher.decrypt(
            section, tag: tag, key: Array(derived.prefix(cipher.keyLength)),
            iv: Array(derived.dropFirst(cipher.keyLength)))
    }

    /// The type-specific private fields: Ed25519 (RFC 8709 / PROTOCOL.key: string pk, string sk = seed ‖ pk) or
    /// ECDSA (RFC 5656 §3.1: string curve, string Q, mpint d).
    private static func decodePrivateKey(type: String, reader: inout SSHWireReader) throws(SSHError) -> NIOSSHPrivateKey
    {
        switch type {
        case "ssh-ed25519":
            let publicBytes = try reader.readString("Ed25519 public key")
            let secret = try reader.readString("Ed25519 private key")
            guard publicBytes.count == 32, secret.count == 64, Array(secret.suffix(32)) == publicBytes else {
                throw .malformedKey("the Ed25519 key has the wrong length or an inconsistent public half")
            }
            let key: Curve25519.Signing.PrivateKey
            do {
                key = try Curve25519.Signing.PrivateKey(rawRepresentation: secret.prefix(32))
            } catch {
                throw .malformedKey("the Ed25519 seed is invalid")
            }
            guard Array(key.publicKey.rawRepresentation) == publicBytes else {
                throw .malformedKey("the Ed25519 seed does not produce the stored public key")
            }
            return NIOSSHPrivateKey(ed25519Key: key)
        case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521":
            let curve = try reader.readText("ECDSA curve name")
            guard type == "ecdsa-sha2-" + curve else {
                throw .malformedKey("the \(type) key names the curve \(curve)")
            }
            let point = try reader.readString("ECDSA public point")
            let scalar = try reader.readPositiveMPInt("ECDSA private scalar")
            return try ECDSAKeyBuilder.privateKey(curve: curve, scalar: scalar, expectedPoint: point)
        default:
            throw .malformedKey("unexpected key type \(type)")
        }
    }
}
