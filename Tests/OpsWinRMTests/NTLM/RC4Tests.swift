import Testing

@testable import OpsWinRM

@Suite("RC4 (RFC 6229)")
struct RC4Tests {
    /// The key stream at `offset`: RC4 of zero bytes.
    private func keyStream(key: [UInt8], offset: Int) throws -> [UInt8] {
        var cipher = try RC4(key: key)
        _ = cipher.process([UInt8](repeating: 0, count: offset))
        return cipher.process([UInt8](repeating: 0, count: 16))
    }

    /// RFC 6229 §2, 40-bit key 0x0102030405.
    @Test(arguments: [
        (0, "b2396305f03dc027ccc3524a0a1118a8"), (16, "6982944f18fc82d589c403a47a0d0919"),
    ])
    func key40Bits(offset: Int, expected: String) throws {
        #expect(try keyStream(key: [1, 2, 3, 4, 5], offset: offset) == hex(expected))
    }

    /// RFC 6229 §2, 56-bit key 0x01020304050607.
    @Test(arguments: [
        (0, "293f02d47f37c9b633f2af5285feb46b"), (16, "e620f1390d19bd84e2e0fd752031afc1"),
    ])
    func key56Bits(offset: Int, expected: String) throws {
        #expect(try keyStream(key: [1, 2, 3, 4, 5, 6, 7], offset: offset) == hex(expected))
    }

    /// RFC 6229 §2, 128-bit key 0x0102030405060708090a0b0c0d0e0f10 (the NTLM key size), far into the stream.
    @Test(arguments: [
        (0, "9ac7cc9a609d1ef7b2932899cde41b97"), (16, "5248c4959014126a6e8a84f11d1a9e1c"),
        (240, "065902e4b620f6cc36c8589f66432f2b"), (256, "d39d566bc6bce3010768151549f3873f"),
        (496, "b6d1e6c4a5e4771cad79538df295fb11"), (1520, "b40110c4190b5622a96116b0017ed297"),
        (4080, "ff38265c1642c1abe8d3c2fe5e572bf8"), (4096, "a36a4c301ae8ac13610ccbc12256cacc"),
    ])
    func key128Bits(offset: Int, expected: String) throws {
        #expect(try keyStream(key: Array(1...16), offset: offset) == hex(expected))
    }

    /// The stream continues across calls: two halves equal one whole, and decryption is the same operation.
    @Test func isAContinuousStream() throws {
        let plaintext = Array("a message longer than one call".utf8)
        var whole = try RC4(key: Array(1...16))
        var halves = try RC4(key: Array(1...16))
        let ciphertext = whole.process(plaintext)
        #expect(halves.process(Array(plaintext[..<10])) + halves.process(Array(plaintext[10...])) == ciphertext)
        var decryptor = try RC4(key: Array(1...16))
        #expect(decryptor.process(ciphertext) == plaintext)
    }

    @Test(arguments: [0, 257])
    func rejectsKeysOutsideOneTo256Bytes(length: Int) {
        #expect(throws: NTLMError.invalidKeyLength(algorithm: "RC4", length: length)) {
            try RC4(key: [UInt8](repeating: 1, count: length))
        }
    }
}
