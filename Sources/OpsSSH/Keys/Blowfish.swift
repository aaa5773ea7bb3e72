/// The Blowfish block cipher (Schneier, "Description of a New Variable-Length Key, 64-Bit Block Cipher", 1993),
/// encryption only, with the "eksblowfish" key schedule variants that bcrypt and `bcrypt_pbkdf` use
/// (Provos and Mazières, "A Future-Adaptable Password Scheme", 1999; OpenBSD `blf.c`).
///
/// The state is one flat array: the 18-word P-array, then S-boxes 0 to 3 of 256 words each. The hot loops run
/// on an unsafe pointer into that array because `bcrypt_pbkdf` enciphers millions of blocks per key.
struct Blowfish {
    private static let sBoxOffset = 18
    private static let wordCount = 18 + 4 * 256

    private var state: [UInt32]

    /// The initial state: pi's hex digits, before any key is mixed in (`Blowfish_initstate`).
    init() {
        state =
            BlowfishConstants.initialP + BlowfishConstants.initialS0 + BlowfishConstants.initialS1
            + BlowfishConstants.initialS2 + BlowfishConstants.initialS3
    }

    /// Standard Blowfish keyed with `key` (1 to 56 bytes; longer keys simply cycle like the original).
    init(key: [UInt8]) {
        self.init()
        expand0State(key: key)
    }

    /// The initial P-array word `index`, for tests of the generated constants.
    func pWord(_ index: Int) -> UInt32 { state[index] }

    /// The S-box word `index` of box `box`, for tests of the generated constants.
    func sWord(box: Int, _ index: Int) -> UInt32 { state[Self.sBoxOffset + 256 * box + index] }

    /// Encrypts one 64-bit block given as two big-endian words.
    mutating func encrypt(_ left: UInt32, _ right: UInt32) -> (UInt32, UInt32) {
        state.withUnsafeMutableBufferPointer { buffer -> (UInt32, UInt32) in
            guard let words = buffer.baseAddress else { return (left, right) }
            var block = (left, right)
            Self.encipher(words, &block.0, &block.1)
            return block
        }
    }

    /// Encrypts consecutive 64-bit blocks in place (`blf_enc`): words 0-1 are the first block, and so on.
    mutating func encrypt(blocks: inout [UInt32]) {
        state.withUnsafeMutableBufferPointer { buffer in
            guard let words = buffer.baseAddress else { return }
            blocks.withUnsafeMutableBufferPointer { blocks in
                var index = 0
                while index + 1 < blocks.count {
                    Self.encipher(words, &blocks[index], &blocks[index + 1])
                    index += 2
                }
            }
        }
    }

    /// `Blowfish_expandstate`: the expensive key schedule with a salt (`data`) mixed into every encipherment.
    mutating func expandState(data: [UInt8], key: [UInt8]) {
        Self.withBytes(data) { data in
            Self.withBytes(key) { key in
                state.withUnsafeMutableBufferPointer { buffer in
                    guard let words = buffer.baseAddress else { return }
                    Self.expand(words, data: data, key: key)
                }
            }
        }
    }

    /// `Blowfish_expand0state`: the key schedule without salt, which is also standard Blowfish's.
    mutating func expand0State(key: [UInt8]) {
        Self.withBytes(key) { key in
            state.withUnsafeMutableBufferPointer { buffer in
                guard let words = buffer.baseAddress else { return }
                Self.expand(words, data: nil, key: key)
            }
        }
    }

    private static func withBytes(_ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        bytes.withUnsafeBufferPointer(body)
    }

    /// XORs the cycled key into the P-array, then replaces P and the S-boxes with successive encryptions of a
    /// running block, which absorbs the cycled `data` first when there is any.
    private static func expand(
        _ words: UnsafeMutablePointer<UInt32>, data: UnsafeBufferPointer<UInt8>?, key: UnsafeBufferPointer<UInt8>
    ) {
        var keyPosition = 0
        for index in 0..<18 {
            words[index] ^= streamWord(key, &keyPosition)
        }
        var dataPosition = 0
        var left: UInt32 = 0
        var right: UInt32 = 0
        var index = 0
        while index < wordCount {
            if let data {
                left ^= streamWord(data, &dataPosition)
                right ^= streamWord(data, &dataPosition)
            }
            encipher(words, &left, &right)
            words[index] = left
            words[index + 1] = right
            index += 2
        }
    }

    /// `Blowfish_stream2word`: the next big-endian word of `bytes`, wrapping around at the end.
    static func streamWord(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int) -> UInt32 {
        guard !bytes.isEmpty else { return 0 }
        var word: UInt32 = 0
        for _ in 0..<4 {
            if position >= bytes.count { position = 0 }
            word = (word << 8) | UInt32(bytes[position])
            position += 1
        }
        return word
    }

    /// Sixteen Feistel rounds over one block (`Blowfish_encipher`).
    @inline(__always)
    private static func encipher(_ words: UnsafeMutablePointer<UInt32>, _ left: inout UInt32, _ right: inout UInt32) {
        var xl = left ^ words[0]
        var xr = right
        var round = 1
        while round < 17 {
            xr ^= feistel(words, xl) ^ words[round]
            xl ^= feistel(words, xr) ^ words[round + 1]
            round += 2
        }
        left = xr ^ words[17]
        right = xl
    }

    /// Blowfish's F: ((S0[a] + S1[b]) ^ S2[c]) + S3[d] over the bytes a, b, c, d of `x`.
    @inline(__always)
    private static func feistel(_ words: UnsafeMutablePointer<UInt32>, _ x: UInt32) -> UInt32 {
        let s = words + sBoxOffset
        let a = s[Int(x >> 24)]
        let b = s[256 + Int((x >> 16) & 0xFF)]
        let c = s[512 + Int((x >> 8) & 0xFF)]
        let d = s[768 + Int(x & 0xFF)]
        return ((a &+ b) ^ c) &+ d
    }
}
