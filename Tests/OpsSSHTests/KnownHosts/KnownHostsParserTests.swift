import Foundation
import Testing

@testable import OpsSSH

@Suite("known_hosts parsing")
struct KnownHostsParserTests {
    @Test("comments and blank lines are skipped; entries keep patterns, key, comment and line number")
    func plainFile() throws {
        // setup
        let keygen = try SSHKeygen()
        try keygen.generate("a", type: "ed25519")
        try keygen.generate("b", type: "ecdsa", bits: 256)
        let text = """
            # fleet hosts

            web01.example.com,10.0.0.11 \(try keygen.publicKey("a")) web01 rotated 2024
              \t
            [db.example.com]:2222 \(try keygen.publicKey("b"))
            """

        // act
        let (entries, errors) = KnownHostsParser.parse(text)

        // assert
        #expect(errors.isEmpty)
        #expect(entries.map(\.line) == [3, 5])
        #expect(entries[0].hosts == .patterns(["web01.example.com", "10.0.0.11"]))
        #expect(entries[0].keyType == "ssh-ed25519")
        #expect(entries[0].comment == "web01 rotated 2024")
        #expect(entries[0].fingerprint == (try keygen.fingerprint("a.pub")))
        #expect(entries[1].hosts == .patterns(["[db.example.com]:2222"]))
        #expect(entries[1].keyType == "ecdsa-sha2-nistp256")
        #expect(entries[1].comment == nil)
        #expect(entries.allSatisfy { $0.marker == nil })
    }

    @Test("a known_hosts file saved with Windows line endings parses with the same line numbers")
    func crlfLineEndings() throws {
        // setup
        let keygen = try SSHKeygen()
        try keygen.generate("a", type: "ed25519")
        let text = "# hosts\r\nweb01 \(try keygen.publicKey("a")) note\r\n\r\nweb02 \(try keygen.publicKey("a"))\r\n"

        // act
        let (entries, errors) = KnownHostsParser.parse(text)

        // assert
        #expect(errors.isEmpty)
        #expect(entries.map(\.line) == [2, 4])
        #expect(entries.first?.comment == "note")
    }

    @Test("malformed lines are reported with their line numbers while the good lines around them still parse")
    func malformedLines() throws {
        // setup
        let keygen = try SSHKeygen()
        try keygen.generate("a", type: "ed25519")
        let good = try keygen.publicKey("a")
        let base64 = good.split(separator: " ")[1]
        let text = [
            "good1 \(good)",  // 1
            "bad-base64 ssh-ed25519 AAAA%%%notbase64",  // 2
            "good3 \(good)",  // 3
            "@trusted host \(good)",  // 4
            "missing-key ssh-ed25519",  // 5
            "wrong-type ssh-rsa \(base64)",  // 6
            "good7 \(good)",  // 7
            "|2|abc|def \(good)",  // 8
            "oldhost 1024 35 1234567890",  // 9
            "|1|c2hvcnQ=|c2hvcnQ= \(good)",  // 10
        ].joined(separator: "\n")

        // act
        let (entries, errors) = KnownHostsParser.parse(text)

        // assert
        #expect(entries.map(\.line) == [1, 3, 7])
        let reported = errors.compactMap { error -> Int? in
            if case .malformedKnownHostsLine(let line, _) = error { return line }
            return nil
        }
        #expect(reported == [2, 4, 5, 6, 8, 9, 10])
        #expect(errors[1].description.contains("@trusted"))
        #expect(errors[3].description.contains("ssh-rsa"))
        #expect(errors.allSatisfy { !$0.description.contains(String(base64)) })
    }

    @Test("keys swift-nio-ssh cannot use (ssh-rsa) are kept, with the fingerprint ssh-keygen prints")
    func rsaKept() throws {
        // setup
        let keygen = try SSHKeygen()
        try keygen.generate("rsa", type: "rsa", bits: 2048)

        // act
        let (entries, errors) = KnownHostsParser.parse("legacy.example.com \(try keygen.publicKey("rsa"))\n")

        // assert
        #expect(errors.isEmpty)
        #expect(entries.first?.keyType == "ssh-rsa")
        #expect(entries.first?.fingerprint == (try keygen.fingerprint("rsa.pub")))
    }

    @Test("@revoked and @cert-authority markers are read")
    func markers() throws {
        // setup
        let keygen = try SSHKeygen()
        try keygen.generate("a", type: "ed25519")
        let key = try keygen.publicKey("a")

        // act
        let (entries, errors) = KnownHostsParser.parse("@revoked * \(key)\n@cert-authority *.example.com \(key) ca\n")

        // assert
        #expect(errors.isEmpty)
        #expect(entries.map(\.marker) == [.revoked, .certAuthority])
        #expect(entries[1].hosts == .patterns(["*.example.com"]))
        #expect(entries[1].comment == "ca")
    }
}
