import Testing

@testable import OpsSSH

@Suite("Blowfish and bcrypt_pbkdf")
struct BlowfishTests {
    @Test("the generated constants are pi's hex digits: P starts 243F6A88 85A308D3, S-boxes start and end right")
    func constantsArePi() {
        let cipher = Blowfish()
        #expect(cipher.pWord(0) == 0x243F_6A88)
        #expect(cipher.pWord(1) == 0x85A3_08D3)
        #expect(cipher.pWord(17) == 0x8979_FB1B)
        #expect(cipher.sWord(box: 0, 0) == 0xD131_0BA6)
        #expect(cipher.sWord(box: 3, 255) == 0x3AC3_72E6)
        #expect(BlowfishConstants.initialP.count == 18)
        #expect(
            [
                BlowfishConstants.initialS0, BlowfishConstants.initialS1, BlowfishConstants.initialS2,
                BlowfishConstants.initialS3,
            ].allSatisfy { $0.count == 256 })
    }

    /// Eric Young's published Blowfish ECB vectors (also checked against `openssl enc -bf-ecb`).
    @Test(
        "Blowfish encrypts Eric Young's test vectors",
        arguments: [
            (UInt64(0x0000_0000_0000_0000), UInt64(0x0000_0000_0000_0000), UInt64(0x4EF9_9745_6198_DD78)),
            (0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0x5186_6FD5_B85E_CB8A),
            (0x3000_0000_0000_0000, 0x1000_0000_0000_0001, 0x7D85_6F9A_6130_63F2),
            (0xFEDC_BA98_7654_3210, 0x0123_4567_89AB_CDEF, 0x0ACE_AB0F_C6A0_A28D),
        ] as [(UInt64, UInt64, UInt64)])
    func testVectors(key: UInt64, plaintext: UInt64, ciphertext: UInt64) {
        // setup
        let keyBytes = (0..<8).map { UInt8(truncatingIfNeeded: key >> (56 - 8 * $0)) }
        var cipher = Blowfish(key: keyBytes)

        // act
        let (left, right) = cipher.encrypt(UInt32(plaintext >> 32), UInt32(truncatingIfNeeded: plaintext))

        // assert
        #expect((UInt64(left) << 32 | UInt64(right)) == ciphertext)
    }

    @Test("bcrypt_pbkdf spreads output blocks byte by byte: a longer request extends, not repeats, the key")
    func interleavedOutput() throws {
        // setup
        let passphrase = Array("password".utf8)
        let salt = Array("salt".utf8)

        // act
        let short = try #require(BcryptPBKDF.deriveKey(passphrase: passphrase, salt: salt, rounds: 2, count: 32))
        let long = try #require(BcryptPBKDF.deriveKey(passphrase: passphrase, salt: salt, rounds: 2, count: 48))

        // assert: with 48 bytes the stride is 2, so block 1 fills the even bytes and block 2 the odd ones.
        #expect(short != Array(long.prefix(32)))
        let evenBytesOfLong = stride(from: 0, to: 48, by: 2).map { long[$0] }
        #expect(evenBytesOfLong == Array(short.prefix(24)))
    }

    @Test("bcrypt_pbkdf refuses what OpenBSD refuses: empty passphrase, empty salt, zero rounds")
    func refusesDegenerateInput() {
        #expect(BcryptPBKDF.deriveKey(passphrase: [], salt: [1], rounds: 1, count: 16) == nil)
        #expect(BcryptPBKDF.deriveKey(passphrase: [1], salt: [], rounds: 1, count: 16) == nil)
        #expect(BcryptPBKDF.deriveKey(passphrase: [1], salt: [1], rounds: 0, count: 16) == nil)
    }
}
