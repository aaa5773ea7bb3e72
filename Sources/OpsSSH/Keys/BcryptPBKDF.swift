import Crypto

/// `bcrypt_pbkdf`, the key derivation function of encrypted OpenSSH private keys (PROTOCOL.key: kdfname
/// "bcrypt", kdfoptions = string salt, uint32 rounds), as OpenBSD defines it in `bcrypt_pbkdf.c`.
///
/// It is PBKDF2 with SHA-512 collapsing the passphrase and salt, eksblowfish ("bcrypt_hash") as the pseudo-random
/// function, and one deviation: the output blocks are interleaved byte by byte rather than concatenated, so every
/// output byte depends on all of the rounds.
enum BcryptPBKDF {
    /// bcrypt_hash yields eight 32-bit words.
    private static let hashWords = 8
    private static let hashSize = hashWords * 4
    /// The block bcrypt_hash encrypts 64 times; its text is part of the algorithm.
    private static let magic = Array("OxychromaticBlowfishSwatDynamite".utf8)

    /// Derives `count` bytes from `passphrase` and `salt` with `rounds` iterations.
    ///
    /// Returns nil where OpenBSD's implementation fails: an empty passphrase or salt, zero rounds, a salt over
    /// 1 MiB, or more than 1024 output bytes.
    static func deriveKey(passphrase: [UInt8], salt: [UInt8], rounds: Int, count: Int) -> [UInt8]? {
        guard rounds >= 1, !passphrase.isEmpty, !salt.isEmpty, salt.count <= 1 << 20,
            count >= 1, count <= hashSize * hashSize
        else { return nil }
        let stride = (count + hashSize - 1) / hashSize
        let bytesPerBlock = (count + stride - 1) / stride
        let sha2Passphrase = Array(SHA512.hash(data: passphrase))
        var key = [UInt8](repeating: 0, count: count)
        var remaining = count
        var blockNumber: UInt32 = 1
        while remaining > 0 {
            let counter = withUnsafeBytes(of: blockNumber.bigEndian) { Array($0) }
            var sha2Salt = Array(SHA512.hash(data: salt + counter))
            var roundOutput = bcryptHash(sha2Passphrase: sha2Passphrase, sha2Salt: sha2Salt)
            var output = roundOutput
            for _ in 1..<rounds {
                sha2Salt = Array(SHA512.hash(data: roundOutput))
                roundOutput = bcryptHash(sha2Passphrase: sha2Passphrase, sha2Salt: sha2Salt)
                for index in 0..<hashSize { output[index] ^= roundOutput[index] }
            }
            // The pbkdf2 deviation: output byte i of block n goes to key[i * stride + n - 1].
            var written = 0
            for index in 0..<min(bytesPerBlock, remaining) {
                let destination = index * stride + Int(blockNumber) - 1
                if destination >= count { break }
                key[destination] = output[index]
                written += 1
            }
            remaining -= written
            blockNumber += 1
        }
        return key
    }

    /// bcrypt_hash: eksblowfish keyed with the SHA-512 of the passphrase and salted with a SHA-512 salt, then
    /// "OxychromaticBlowfishSwatDynamite" encrypted 64 times; the words come out little-endian.
    static func bcryptHash(sha2Passphrase: [UInt8], sha2Salt: [UInt8]) -> [UInt8] {
        var cipher = Blowfish()
        cipher.expandState(data: sha2Salt, key: sha2Passphrase)
        for _ in 0..<64 {
            cipher.expand0State(key: sha2Salt)
            cipher.expand0State(key: sha2Passphrase)
        }
        var words = [UInt32](repeating: 0, count: hashWords)
        magic.withUnsafeBufferPointer { magic in
            var position = 0
            for index in 0..<hashWords { words[index] = Blowfish.streamWord(magic, &position) }
        }
        for _ in 0..<64 { cipher.encrypt(blocks: &words) }
        var out = [UInt8]()
        out.reserveCapacity(hashSize)
        for word in words {
            out += [UInt8(word & 0xFF), UInt8((word >> 8) & 0xFF), UInt8((word >> 16) & 0xFF), UInt8(word >> 24)]
        }
        return out
    }
}
