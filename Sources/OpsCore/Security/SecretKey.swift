import Crypto
import Foundation

/// A 256-bit key for the ``Vault`` together with a short, non-secret identifier.
///
/// The identifier is stored beside every ciphertext so that keys can rotate: a vault that holds the
/// new key and the previous ones opens old secrets and seals new ones with the current key.
public struct SecretKey: Sendable {
    /// Number of bytes in a key.
    public static let byteCount = 32

    /// The key material (kept as bytes: `SymmetricKey` is not `Sendable`).
    private let bytes: Data

    /// The key for CryptoKit calls.
    public var symmetricKey: SymmetricKey { SymmetricKey(data: bytes) }
    /// First 16 hex digits of a SHA-256 over a fixed label and the key; reveals nothing usable.
    public let id: String

    /// Wraps raw key bytes; they must be exactly 32 bytes.
    public init(bytes: Data) throws(VaultError) {
        guard bytes.count == Self.byteCount else { throw .invalidKeyLength(bytes.count) }
        self.bytes = bytes
        var hasher = SHA256()
        hasher.update(data: Data("pcm-ops vault key id v1".utf8))
        hasher.update(data: bytes)
        id = hasher.finalize().prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Parses a key written as base64 (standard or url-safe) or as 64 hex digits.
    public init(encoded: String) throws(VaultError) {
        let text = encoded.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count == 64, let bytes = Data(hex: text) {
            try self.init(bytes: bytes)
            return
        }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        guard let bytes = Data(base64Encoded: base64) else { throw .invalidKeyEncoding }
        try self.init(bytes: bytes)
    }

    /// A new random key.
    public static func generate() -> SecretKey {
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Data($0) }
        // 32 random bytes always make a valid key, so the fallback is never taken.
        return (try? SecretKey(bytes: bytes)) ?? SecretKey(uncheckedBytes: bytes)
    }

    private init(uncheckedBytes: Data) {
        bytes = uncheckedBytes
        id = "unchecked"
    }

    /// The key as base64, the form written to key files.
    public var base64: String { bytes.base64EncodedString() }
}

extension Data {
    /// Decodes an even-length hex string; nil when any character is not a hex digit.
    init?(hex: String) {
        guard hex.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
