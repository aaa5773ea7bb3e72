import Foundation
import NIOSSH
import Testing

@testable import OpsSSH

@Suite("Recording and storing known_hosts entries")
struct KnownHostEntryTests {
    @Test(
        "entries made for accept-new are lines ssh-keygen -F finds, for port 22 and [host]:2222", arguments: [22, 2222])
    func madeEntryFoundBySSHKeygen(port: Int) throws {
        // setup
        let keygen = try SSHKeygen()
        try keygen.generate("host", type: "ecdsa", bits: 256)
        let key = try NIOSSHPublicKey(openSSHPublicKey: try keygen.publicKey("host"))

        // act
        let entry = KnownHostEntry.make(host: "Web01.Example.com", port: port, key: key)
        try keygen.write("known_hosts", entry.knownHostsLine + "\n")
        let lookupName = port == 22 ? "web01.example.com" : "[web01.example.com]:\(port)"
        let found = try keygen.run("ssh-keygen", ["-F", lookupName, "-f", keygen.path("known_hosts")])

        // assert
        #expect(found.status == 0)
        #expect(found.stdout.contains(try keygen.publicKey("host")))
        #expect(entry.fingerprint == (try keygen.fingerprint("host.pub")))
        #expect(
            KnownHostsVerifier.verify(host: "web01.example.com", port: port, presented: key, entries: [entry])
                == .trusted)
    }

    @Test("hashed entries made here are found by ssh-keygen -F and by the verifier")
    func madeHashedEntry() throws {
        // setup
        let keygen = try SSHKeygen()
        try keygen.generate("host", type: "ed25519")
        let key = try NIOSSHPublicKey(openSSHPublicKey: try keygen.publicKey("host"))

        // act
        let entry = KnownHostEntry.makeHashed(host: "db.example.com", port: 2222, key: key)
        try keygen.write("known_hosts", entry.knownHostsLine + "\n")
        let found = try keygen.run("ssh-keygen", ["-F", "[db.example.com]:2222", "-f", keygen.path("known_hosts")])

        // assert
        #expect(entry.knownHostsLine.hasPrefix("|1|"))
        #expect(found.status == 0)
        #expect(
            KnownHostsVerifier.verify(host: "db.example.com", port: 2222, presented: key, entries: [entry]) == .trusted)
        #expect(
            KnownHostsVerifier.verify(host: "db.example.com", port: 22, presented: key, entries: [entry]) == .unknown)
    }

    @Test("lines render back exactly as written, markers, hashes and comments included")
    func lineRoundTrip() throws {
        // setup
        let keygen = try SSHKeygen()
        try keygen.generate("host", type: "ed25519")
        let key = try keygen.publicKey("host")
        try keygen.write("hashed", "web01 \(key)\n")
        try keygen.succeed("ssh-keygen", ["-H", "-f", keygen.path("hashed")])
        let lines = [
            "@revoked * \(key)",
            "@cert-authority *.example.com,!bad.example.com \(key) corp CA",
            "[10.0.0.5]:2222 \(key)",
            try keygen.read("hashed").trimmingCharacters(in: .whitespacesAndNewlines),
        ]

        // act
        let (entries, errors) = KnownHostsParser.parse(lines.joined(separator: "\n"))

        // assert
        #expect(errors.isEmpty)
        #expect(entries.map(\.knownHostsLine) == lines)
    }

    @Test("entries survive a JSON round trip, and JSON with a broken key is refused")
    func codable() throws {
        // setup
        let keygen = try SSHKeygen()
        try keygen.generate("host", type: "ed25519")
        let key = try keygen.publicKey("host")
        try keygen.write("hashed", "web01 \(key)\n")
        try keygen.succeed("ssh-keygen", ["-H", "-f", keygen.path("hashed")])
        let entries = KnownHostsParser.parse("@revoked web* \(key) old\n" + (try keygen.read("hashed"))).entries

        // act
        let data = try JSONEncoder().encode(entries)
        let decoded = try JSONDecoder().decode([KnownHostEntry].self, from: data)
        let broken = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "AAAA", with: "!!!!")

        // assert
        #expect(decoded == entries)
        #expect(decoded.map(\.fingerprint) == entries.map(\.fingerprint))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([KnownHostEntry].self, from: Data(broken.utf8))
        }
    }

    @Test("host key policies use the names ssh_config uses")
    func policyNames() {
        #expect(HostKeyPolicy(rawValue: "strict") == .strict)
        #expect(HostKeyPolicy(rawValue: "accept-new") == .acceptNew)
        #expect(HostKeyPolicy(rawValue: "accept-any") == nil)
    }
}
