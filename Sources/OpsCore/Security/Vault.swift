import Crypto
import Foundation

/// A secret sealed by the ``Vault``: what the database stores instead of the secret.
public struct SealedSecret: Sendable, Equatable, Codable {
    /// Identifier of the key that sealed it (``SecretKey/id``).
    public var keyID: String
    /// The 12-byte AES-GCM nonce.
    public var nonce: Data
    /// Ciphertext followed by the 16-byte authentication tag.
    public var ciphertext: Data

    public init(keyID: String, nonce: Data, ciphertext: Data) {
        self.keyID = keyID
        self.nonce = nonce
        self.ciphertext = ciphertext
    }
}

/// Encrypts secrets at rest with AES-256-GCM.
///
/// Every secret is bound to a `context` (for example `credential:42`) through the GCM additional
/// authenticated data, so a ciphertext copied onto another row fails to open instead of silently
/// decrypting as the wrong secret.
public struct Vault: Sendable {
    /// The key new secrets are sealed with.
    public let current: SecretKey
    private let keys: [String: SecretKey]

    /// A vault that seals with `current` and can still open secrets sealed with any of `previous`.
    public init(current: SecretKey, previous: [SecretKey] = []) {
        self.current = current
        var keys = [String: SecretKey]()
        for key in previous { keys[key.id] = key }
        keys[current.id] = current
        self.keys = keys
    }

    /// Seals `plaintext` under the current key.
    public func seal(_ plaintext: Data, context: String) throws(VaultError) -> SealedSecret {
        do {
            let box = try AES.GCM.seal(plaintext, using: current.symmetricKey, authenticating: Data(context.utf8))
            // Copy into fresh zero-based buffers: the box's fields are slices of one combined buffer.
            return SealedSecret(
                keyID: current.id, nonce: Data(Array(box.nonce)),
                ciphertext: Data(Array(box.ciphertext) + Array(box.tag)))
        } catch {
            throw .sealFailed
        }
    }

    /// Seals a UTF-8 string.
    public func seal(_ plaintext: String, context: String) throws(VaultError) -> SealedSecret {
        try seal(Data(plaintext.utf8), context: context)
    }

    /// Opens a sealed secret; fails when the key is unknown or anything was altered.
    public func open(_ sealed: SealedSecret, context: String) throws(VaultError) -> Data {
        guard let key = keys[sealed.keyID] else { throw .unknownKey(sealed.keyID) }
        guard sealed.ciphertext.count >= 16, let nonce = try? AES.GCM.Nonce(data: sealed.nonce) else {
            throw .tampered
        }
        do {
            let bytes = Array(sealed.ciphertext)
            let box = try AES.GCM.SealedBox(
                nonce: nonce, ciphertext: Data(bytes.dropLast(16)), tag: Data(bytes.suffix(16)))
            return try AES.GCM.open(box, using: key.symmetricKey, authenticating: Data(context.utf8))
        } catch {
            throw .tampered
        }
    }

    /// Opens a sealed UTF-8 string.
    public func openString(_ sealed: SealedSecret, context: String) throws(VaultError) -> String {
        guard let text = String(data: try open(sealed, context: context), encoding: .utf8) else {
            throw .tampered
        }
        return text
    }

    /// Re-seals a secret under the current key (after a rotation); unchanged when already current.
    public func reseal(_ sealed: SealedSecret, context: String) throws(VaultError) -> SealedSecret {
        guard sealed.keyID != current.id else { return sealed }
        return try seal(try open(sealed, context: context), context: context)
    }
}

/// What went wrong with a key or a sealed secret. Messages never contain secret material.
public enum VaultError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidKeyLength(Int)
    case invalidKeyEncoding
    case keyFile(path: String, reason: String)
    case unknownKey(String)
    case tampered
    case sealFailed

    public var description: String {
        switch self {
        case .invalidKeyLength(let count): "secret key must be 32 bytes (256 bits), got \(count)"
        case .invalidKeyEncoding: "secret key must be base64 or 64 hex digits"
        case .keyFile(let path, let reason): "secret key file \(path): \(reason)"
        case .unknownKey(let id): "secret was sealed with key \(id), which this server does not have"
        case .tampered: "secret failed authentication: it was altered or belongs to another record"
        case .sealFailed: "secret could not be encrypted"
        }
    }
}
