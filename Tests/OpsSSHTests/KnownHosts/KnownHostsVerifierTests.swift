import Foundation
import NIOSSH
import Testing

@testable import OpsSSH

@Suite("Host key verification against known_hosts")
struct KnownHostsVerifierTests {
    /// Two fresh Ed25519 keys: the host's real key and an impostor's.
    private func keys(_ keygen: SSHKeygen) throws -> (line: String, key: NIOSSHPublicKey, other: NIOSSHPublicKey) {
        try keygen.generate("host", type: "ed25519")
        try keygen.generate("impostor", type: "ed25519")
        let line = try keygen.publicKey("host")
        return (
            line, try NIOSSHPublicKey(openSSHPublicKey: line),
            try NIOSSHPublicKey(openSSHPublicKey: keygen.publicKey("impostor"))
        )
    }

    @Test("the listed key is trusted; another key for the same host is a mismatch; other hosts are unknown")
    func plainEntry() throws {
        // setup
        let keygen = try SSHKeygen()
        let (line, key, other) = try keys(keygen)
        let entries = KnownHostsParser.parse("web01.example.com \(line)").entries

        // act / assert
        #expect(
            KnownHostsVerifier.verify(host: "web01.example.com", port: 22, presented: key, entries: entries) == .trusted
        )
        #expect(
            KnownHostsVerifier.verify(host: "WEB01.Example.COM", port: 22, presented: key, entries: entries) == .trusted
        )
        #expect(
            KnownHostsVerifier.verify(host: "web01.example.com", port: 22, presented: other, entries: entries)
                == .mismatch(expectedFingerprints: [try keygen.fingerprint("host.pub")]))
        #expect(
            KnownHostsVerifier.verify(host: "web02.example.com", port: 22, presented: key, entries: entries) == .unknown
        )
    }

    @Test("[host]:2222 entries apply to port 2222 only, and plain entries to port 22 only")
    func nonStandardPort() throws {
        // setup
        let keygen = try SSHKeygen()
        let (line, key, other) = try keys(keygen)
        let entries = KnownHostsParser.parse(
            "[db.example.com]:2222 \(line)\ndb.example.com \(try keygen.publicKey("impostor"))"
        )
        .entries

        // act / assert
        #expect(
            KnownHostsVerifier.verify(host: "db.example.com", port: 2222, presented: key, entries: entries) == .trusted)
        #expect(
            KnownHostsVerifier.verify(host: "db.example.com", port: 22, presented: other, entries: entries) == .trusted)
        #expect(
            KnownHostsVerifier.verify(host: "db.example.com", port: 2200, presented: key, entries: entries) == .unknown)
    }

    @Test("entries hashed by ssh-keygen -H still match their hosts (port 22 and [host]:port) and nothing else")
    func hashedBySSHKeygen() throws {
        // setup
        let keygen = try SSHKeygen()
        let (line, key, other) = try keys(keygen)
        try keygen.write("known_hosts", "web01.example.com \(line)\n[web02.example.com]:2222 \(line)\n")
        try keygen.succeed("ssh-keygen", ["-H", "-f", keygen.path("known_hosts")])
        let hashed = try keygen.read("known_hosts")

        // act
        let (entries, errors) = KnownHostsParser.parse(hashed)

        // assert
        #expect(errors.isEmpty)
        #expect(!hashed.contains("example.com"))
        #expect(entries.count == 2)
        #expect(entries.allSatisfy { if case .hashed = $0.hosts { true } else { false } })
        #expect(
            KnownHostsVerifier.verify(host: "web01.example.com", port: 22, presented: key, entries: entries) == .trusted
        )
        #expect(
            KnownHostsVerifier.verify(host: "web02.example.com", port: 2222, presented: key, entries: entries)
                == .trusted)
        #expect(
            KnownHostsVerifier.verify(host: "web02.example.com", port: 22, presented: key, entries: entries) == .unknown
        )
        #expect(
            KnownHostsVerifier.verify(host: "web03.example.com", port: 22, presented: key, entries: entries) == .unknown
        )
        #expect(
            KnownHostsVerifier.verify(host: "web01.example.com", port: 22, presented: other, entries: entries)
                == .mismatch(expectedFingerprints: [try keygen.fingerprint("host.pub")]))
    }

    @Test("wildcards match, and a negated pattern excludes a host even when a wildcard matches it")
    func wildcardsAndNegation() throws {
        // setup
        let keygen = try SSHKeygen()
        let (line, key, _) = try keys(keygen)
        let entries = KnownHostsParser.parse("*.example.com,!bastion.example.com,web?.lab \(line)").entries

        // act / assert
        #expect(
            KnownHostsVerifier.verify(host: "app.example.com", port: 22, presented: key, entries: entries) == .trusted)
        #expect(
            KnownHostsVerifier.verify(host: "bastion.example.com", port: 22, presented: key, entries: entries)
                == .unknown)
        #expect(KnownHostsVerifier.verify(host: "web1.lab", port: 22, presented: key, entries: entries) == .trusted)
        #expect(KnownHostsVerifier.verify(host: "web10.lab", port: 22, presented: key, entries: entries) == .unknown)
        #expect(KnownHostsVerifier.verify(host: "example.com", port: 22, presented: key, entries: entries) == .unknown)
    }

    @Test("@revoked wins over a trusting line for the same key, and only covers the hosts it names")
    func revoked() throws {
        // setup
        let keygen = try SSHKeygen()
        let (line, key, _) = try keys(keygen)
        let entries = KnownHostsParser.parse("web01.example.com \(line)\n@revoked *.example.com \(line)\nlab01 \(line)")
            .entries

        // act / assert
        #expect(
            KnownHostsVerifier.verify(host: "web01.example.com", port: 22, presented: key, entries: entries) == .revoked
        )
        #expect(KnownHostsVerifier.verify(host: "lab01", port: 22, presented: key, entries: entries) == .trusted)
    }

    @Test("@cert-authority lines neither trust nor contradict a plain host key")
    func certAuthoritySkipped() throws {
        // setup
        let keygen = try SSHKeygen()
        let (line, key, other) = try keys(keygen)
        let entries = KnownHostsParser.parse("@cert-authority *.example.com \(line)").entries

        // act / assert
        #expect(
            KnownHostsVerifier.verify(host: "web01.example.com", port: 22, presented: key, entries: entries) == .unknown
        )
        #expect(
            KnownHostsVerifier.verify(host: "web01.example.com", port: 22, presented: other, entries: entries)
                == .unknown)
    }

    @Test("a mismatch lists every expected fingerprint once, including keys of other types such as ssh-rsa")
    func mismatchListsExpected() throws {
        // setup
        let keygen = try SSHKeygen()
        let (line, _, other) = try keys(keygen)
        try keygen.generate("rsa", type: "rsa", bits: 2048)
        let text =
            "web01.example.com \(line)\n10.0.0.1,web01.example.com \(try keygen.publicKey("rsa"))\nweb01.example.com \(line)"
        let entries = KnownHostsParser.parse(text).entries

        // act
        let verdict = KnownHostsVerifier.verify(host: "web01.example.com", port: 22, presented: other, entries: entries)

        // assert
        #expect(
            verdict
                == .mismatch(expectedFingerprints: [
                    try keygen.fingerprint("host.pub"), try keygen.fingerprint("rsa.pub"),
                ]))
    }

    @Test("a host listed only with an RSA key is a mismatch for an Ed25519 key, like a changed key")
    func otherKeyTypeIsMismatch() throws {
        // setup
        let keygen = try SSHKeygen()
        let (_, key, _) = try keys(keygen)
        try keygen.generate("rsa", type: "rsa", bits: 2048)
        let entries = KnownHostsParser.parse("web01.example.com \(try keygen.publicKey("rsa"))").entries

        // act
        let verdict = KnownHostsVerifier.verify(host: "web01.example.com", port: 22, presented: key, entries: entries)

        // assert
        #expect(verdict == .mismatch(expectedFingerprints: [try keygen.fingerprint("rsa.pub")]))
    }

    @Test("with no entries at all every host is unknown")
    func emptyKnownHosts() throws {
        let keygen = try SSHKeygen()
        let (_, key, _) = try keys(keygen)
        #expect(KnownHostsVerifier.verify(host: "web01.example.com", port: 22, presented: key, entries: []) == .unknown)
    }
}
