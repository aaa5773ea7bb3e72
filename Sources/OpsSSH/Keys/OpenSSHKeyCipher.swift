import Crypto
import Foundation
import _CryptoExtras

/// The ciphers an openssh-key-v1 file may name for its private section (PROTOCOL.key "ciphername"), with the key
/// and IV lengths `bcrypt_pbkdf` must produce for them (OpenSSH `cipher.c`).
///
/// Supported: "none", AES-CTR (what `ssh-keygen` writes by default: aes256-ctr), AES-CBC and
/// aes256-gcm@openssh.com / aes128-gcm@openssh.com. Others, such as chacha20-poly1305@openssh.com and 3des-cbc,
/// are refused with a hint to re-encrypt the key.
struct OpenSSHKeyCipher {
    enum Mode { case none, ctr, cbc, gcm }

    let name: String
    let mode: Mode
    let keyLength: Int
    let ivLength: Int
    /// The private section is padded to a multiple of this.
    let blockSize: Int
    /// Bytes of authentication tag after the private section (AES-GCM only).
    let tagLength: Int

    /// The cipher named `name` in the key file.
    static func named(_ name: String) throws(SSHError) -> OpenSSHKeyCipher {
        switch name {
        case "none": OpenSSHKeyCipher(name: name, mode: .none, keyLength: 0, ivLength: 0, blockSize: 8, tagLength: 0)
        case "aes128-ctr": aes(name, .ctr, keyLength: 16)
        case "aes192-ctr": aes(name, .ctr, keyLength: 24)
        case "aes256-ctr": aes(name, .ctr, keyLength: 32)
        case "aes128-cbc": aes(name, .cbc, keyLength: 16)
        case "aes192-cbc": aes(name, .cbc, keyLength: 24)
        case "aes256-cbc": aes(name, .cbc, keyLength: 32)
        case "aes128-gcm@openssh.com":
            OpenSSHKeyCipher(name: name, mode: .gcm, keyLength: 16, ivLength: 12, blockSize: 16, tagLength: 16)
        case "aes256-gcm@openssh.com":
            OpenSSHKeyCipher(name: name, mode: .gcm, keyLength: 32, ivLength: 12, blockSize: 16, tagLength: 16)
        default:
            throw .unsupportedKeyFormat(
                "the key is encrypted with \(name), which is not supported; re-encrypt it with "
                    + "`ssh-keygen -p -Z aes256-ctr -f KEY`")
        }
    }

    private static func aes(_ name: String, _ mode: Mode, keyLength: Int) -> OpenSSHKeyCipher {
        OpenSSHKeyCipher(name: name, mode: mode, keyLength: keyLength, ivLength: 16, blockSize: 16, tagLength: 0)
    }

    /// Decrypts the private section. A failed GCM tag means the passphrase was wrong (or the file damaged, which
    /// OpenSSH cannot tell apart either); CTR and CBC always "succeed" and leave that to the check integers.
    func decrypt(_ ciphertext: [UInt8], tag: [UInt8], key: [UInt8], iv: [UInt8]) throws(SSHError) -> [UInt8] {
        let symmetricKey = SymmetricKey(data: key)
        do {
            switch mode {
            case .none:
                return ciphertext
            case .ctr:
                let nonce = try AES._CTR.Nonce(nonceBytes: iv)
                return Array(try AES._CTR.decrypt(ciphertext, using: symmetricKey, nonce: nonce))
            case .cbc:
                let cbcIV = try AES._CBC.IV(ivBytes: iv)
                return Array(try AES._CBC.decrypt(ciphertext, using: symmetricKey, iv: cbcIV, noPadding: true))
            case .gcm:
                let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: iv), ciphertext: ciphertext, tag: tag)
                return Array(try AES.GCM.open(box, using: symmetricKey))
            }
        } catch {
            if mode == .gcm { throw .wrongPassphrase }
            throw .malformedKey("cannot decrypt the private section with \(name)")
        }
    }
}
