import Testing

@testable import OpsWinRM

@Suite("MD4 (RFC 1320)")
struct MD4Tests {
    /// RFC 1320 §A.5, the test suite.
    @Test(arguments: [
        ("", "31d6cfe0d16ae931b73c59d7e0c089c0"),
        ("a", "bde52cb31de33e46245e05fbdbd6fb24"),
        ("abc", "a448017aaf21d8525fc10ae87aa6729d"),
        ("message digest", "d9130a8164549fe818874806e1c7014b"),
        ("abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "043f8582f241db351ce627e153e7f0e4"),
        (
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
            "e33b4ddc9c38f2199c3e7b164fcc0536"
        ),
    ])
    func rfc1320Suite(message: String, digest: String) {
        #expect(MD4.hash(Array(message.utf8)) == hex(digest))
    }

    /// MS-NLMP §4.2.2.1.2: NTOWFv1("Password") = MD4(UNICODE("Password")).
    @Test func ntHashOfThePassword() {
        #expect(MD4.hash(utf16("Password")) == hex("a4f49c406510bdcab6824ee7c30fd852"))
    }

    /// Padding edge cases around the 56-byte boundary, against the 64-byte multiple the RFC pads to.
    @Test(arguments: [55, 56, 57, 63, 64, 65, 119, 120])
    func lengthsAroundTheBlockBoundary(length: Int) {
        let digest = MD4.hash([UInt8](repeating: 0x61, count: length))
        #expect(digest.count == 16)
        #expect(digest != MD4.hash([UInt8](repeating: 0x61, count: length + 1)))
    }
}
