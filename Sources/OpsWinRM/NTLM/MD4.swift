/// MD4 message digest (RFC 1320), which NTLM needs for NTOWFv1 (`MD4(UNICODE(password))`, MS-NLMP 3.3.1) and
/// swift-crypto does not provide. Broken as a general hash: use it for NTLM only.
public enum MD4 {
    /// The 16-byte MD4 digest of `message`.
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
        // RFC 1320 §3.1–3.2: append 0x80, zeros to 56 mod 64, then the bit length as a 64-bit little-endian word.
        var padded = message
        padded.append(0x80)
        while padded.count % 64 != 56 { padded.append(0) }
        let bitLength = UInt64(message.count) &* 8
        for shift in stride(from: 0, to: 64, by: 8) {
            padded.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }

        var words = [UInt32](repeating: 0, count: 16)
        for blockStart in stride(from: 0, to: padded.count, by: 64) {
            for index in 0..<16 {
                let byte = blockStart + index * 4
                words[index] =
                    UInt32(padded[byte]) | UInt32(padded[byte + 1]) << 8 | UInt32(padded[byte + 2]) << 16
                    | UInt32(padded[byte + 3]) << 24
            }
            state = processBlock(state, words)
        }
        var digest: [UInt8] = []
        digest.reserveCapacity(16)
        for word in [state.0, state.1, state.2, state.3] {
            for shift in stride(from: 0, to: 32, by: 8) {
                digest.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
            }
        }
        return digest
    }

    /// RFC 1320 §3.4: three rounds of sixteen operations over one 64-byte block.
    private static func processBlock(
        _ state: (UInt32, UInt32, UInt32, UInt32), _ x: [UInt32]
    ) -> (UInt32, UInt32, UInt32, UInt32) {
        var (a, b, c, d) = state
        func rotl(_ value: UInt32, _ bits: UInt32) -> UInt32 { (value << bits) | (value >> (32 - bits)) }
        func f(_ x: UInt32, _ y: UInt32, _ z: UInt32) -> UInt32 { (x & y) | (~x & z) }
        func g(_ x: UInt32, _ y: UInt32, _ z: UInt32) -> UInt32 { (x & y) | (x & z) | (y & z) }
        func h(_ x: UInt32, _ y: UInt32, _ z: UInt32) -> UInt32 { x ^ y ^ z }

        // Round 1: [abcd k s] a = (a + F(b,c,d) + X[k]) <<< s
        for base in stride(from: 0, to: 16, by: 4) {
            a = rotl(a &+ f(b, c, d) &+ x[base], 3)
            d = rotl(d &+ f(a, b, c) &+ x[base + 1], 7)
            c = rotl(c &+ f(d, a, b) &+ x[base + 2], 11)
            b = rotl(b &+ f(c, d, a) &+ x[base + 3], 19)
        }
        // Round 2: a = (a + G(b,c,d) + X[k] + 5A827999) <<< s, k = column order 0,4,8,12
        let k2: UInt32 = 0x5a82_7999
        for base in 0..<4 {
            a = rotl(a &+ g(b, c, d) &+ x[base] &+ k2, 3)
            d = rotl(d &+ g(a, b, c) &+ x[base + 4] &+ k2, 5)
            c = rotl(c &+ g(d, a, b) &+ x[base + 8] &+ k2, 9)
            b = rotl(b &+ g(c, d, a) &+ x[base + 12] &+ k2, 13)
        }
        // Round 3: a = (a + H(b,c,d) + X[k] + 6ED9EBA1) <<< s, k in bit-reversed order 0,2,1,3
        let k3: UInt32 = 0x6ed9_eba1
        for base in [0, 2, 1, 3] {
            a = rotl(a &+ h(b, c, d) &+ x[base] &+ k3, 3)
            d = rotl(d &+ h(a, b, c) &+ x[base + 8] &+ k3, 9)
            c = rotl(c &+ h(d, a, b) &+ x[base + 4] &+ k3, 11)
            b = rotl(b &+ h(c, d, a) &+ x[base + 12] &+ k3, 15)
        }
        return (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }
}
