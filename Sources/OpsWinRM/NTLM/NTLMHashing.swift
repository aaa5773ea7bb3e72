import Crypto

/// The MD5 and HMAC-MD5 helpers of MS-NLMP 6 ("MD5", "HMAC_MD5"), over swift-crypto.
enum NTLMHashing {
    static func md5(_ bytes: [UInt8]) -> [UInt8] { Array(Insecure.MD5.hash(data: bytes)) }

    static func hmacMD5(key: [UInt8], _ bytes: [UInt8]) -> [UInt8] {
        Array(HMAC<Insecure.MD5>.authenticationCode(for: bytes, using: SymmetricKey(data: key)))
    }

    /// Compares two byte strings in time independent of where they differ (signatures, MICs).
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}
