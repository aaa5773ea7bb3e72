/// The RC4 stream cipher, which NTLM sealing uses (MS-NLMP 3.4.3, 6 "RC4") and swift-crypto does not provide.
///
/// Stateful: one value encrypts (or decrypts: the same operation) a continuous stream, so NTLM keeps one per
/// direction for the life of the security context. Broken as a general cipher: use it for NTLM only.
public struct RC4: Sendable {
    private var state: [UInt8]
    private var i: UInt8 = 0
    private var j: UInt8 = 0

    /// The key-scheduling algorithm over a key of 1 to 256 bytes.
    public init(key: [UInt8]) throws(NTLMError) {
        guard (1...256).contains(key.count) else { throw .invalidKeyLength(algorithm: "RC4", length: key.count) }
        var state = (0...255).map { UInt8($0) }
        var j: UInt8 = 0
        for index in 0..<256 {
            j = j &+ state[index] &+ key[index % key.count]
            state.swapAt(index, Int(j))
        }
        self.state = state
    }

    /// XORs `bytes` with the next `bytes.count` bytes of the key stream and advances the stream.
    public mutating func process(_ bytes: [UInt8]) -> [UInt8] {
        var output = bytes
        var i = self.i
        var j = self.j
        // The state has exactly 256 entries and every index is a UInt8, so no access can leave the buffer.
        state.withUnsafeMutableBufferPointer { state in
            output.withUnsafeMutableBufferPointer { output in
                for index in output.indices {
                    i &+= 1
                    j &+= state[Int(i)]
                    state.swapAt(Int(i), Int(j))
                    output[index] ^= state[Int(state[Int(i)] &+ state[Int(j)])]
                }
            }
        }
        self.i = i
        self.j = j
        return output
    }

    /// RC4K (MS-NLMP 6): a one-shot encryption with a fresh key, as used for the EncryptedRandomSessionKey.
    static func oneShot(key: [UInt8], _ bytes: [UInt8]) throws(NTLMError) -> [UInt8] {
        var cipher = try RC4(key: key)
        return cipher.process(bytes)
    }
}
