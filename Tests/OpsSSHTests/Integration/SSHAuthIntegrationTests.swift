import Foundation
import OpsCore
import OpsTestSupport
import Testing

@testable import OpsSSH

/// Against a real OpenSSH sshd (scripts/lib/sshd.sh). Skipped only when run outside scripts/test.
@Suite("SSH against real sshd: keys, passwords, host keys", .enabled(if: SSHTestServer.isAvailable))
struct SSHAuthIntegrationTests {
    @Test(
        arguments: [
            ("id_ed25519", nil), ("id_ecdsa256", nil), ("id_ecdsa384", nil), ("id_ecdsa521", nil),
            ("id_ed25519_encrypted", "test passphrase"), ("id_ecdsa_pem", nil),
        ] as [(String, String?)])
    func keyAuthenticationWorksForEveryKeyType(_ keyName: String, _ passphrase: String?) async throws {
        // setup
        let server = try SSHTestServer.require()
        let endpoint = try server.endpoint(key: keyName, passphrase: passphrase)
        // act
        let connection = try await SSHConnection.connect(to: endpoint, hostKeys: try server.trustingStore())
        let result = try await connection.execute(ExecRequest(command: "echo hello-$(id -un)", timeout: .seconds(20)))
        await connection.close()
        // assert
        #expect(result.exitStatus == 0)
        #expect(result.stdout == "hello-\(server.user)\n")
        #expect(server.log(server.target_log).contains("Accepted publickey for \(server.user)"))
    }

    @Test(.enabled(if: !(SSHTestServer.current?.password.isEmpty ?? true)))
    func passwordAuthentication() async throws {
        let server = try SSHTestServer.require()
        var endpoint = try server.endpoint()
        endpoint.authentication = .password(server.password)
        let connection = try await SSHConnection.connect(to: endpoint, hostKeys: try server.trustingStore())
        let result = try await connection.execute(ExecRequest(command: "echo by-password"))
        await connection.close()
        #expect(result.stdout == "by-password\n")
        #expect(server.log(server.target_log).contains("Accepted password for \(server.user)"))
    }

    @Test func wrongPasswordFailsAtAuthentication() async throws {
        let server = try SSHTestServer.require()
        var endpoint = try server.endpoint()
        endpoint.authentication = .password("definitely-not-the-password")
        do {
            _ = try await SSHConnection.connect(to: endpoint, hostKeys: try server.trustingStore())
            Issue.record("expected an authentication failure")
        } catch let error as SSHConnectionError {
            #expect(error.stage == .authentication)
            #expect(error.message.contains("refused the password"))
            #expect(!error.description.contains("definitely-not-the-password"))
        }
    }

    @Test func unknownKeyFailsAtAuthentication() async throws {
        let server = try SSHTestServer.require()
        do {
            _ = try await SSHConnection.connect(
                to: try server.endpoint(key: "id_stranger"), hostKeys: try server.trustingStore())
            Issue.record("expected an authentication failure")
        } catch let error as SSHConnectionError {
            #expect(error.stage == .authentication)
            #expect(error.message.contains("refused the key"))
        }
    }

    @Test func hostKeyMismatchIsRefusedBeforeAnyAuthentication() async throws {
        // setup: the store trusts another key for this host; a unique user name marks our attempts in the log
        let server = try SSHTestServer.require()
        let probeUser = "probe\(UInt32.random(in: 1...UInt32.max))"
        let wrong = InMemoryHostKeyStore(
            entries: try server.entries(port: server.port, keyFiles: [server.other_host_key]))
        // act
        do {
            _ = try await SSHConnection.connect(to: try server.endpoint(user: probeUser), hostKeys: wrong)
            Issue.record("expected a host key mismatch")
        } catch let error as SSHConnectionError {
            // assert: refused with both fingerprints, recorded, and sshd never saw a user name
            #expect(error.stage == .hostKey)
            guard case .hostKeyMismatch(_, let expected, let presented) = error.underlying else {
                Issue.record("expected hostKeyMismatch, got \(error)")
                return
            }
            #expect(expected.first?.hasPrefix("SHA256:") == true)
            #expect(presented.hasPrefix("SHA256:"))
            #expect(expected.first != presented)
            #expect(error.message.contains(presented))
        }
        #expect(wrong.refusals.count == 1)
        try await Task.sleep(for: .milliseconds(300))
        #expect(!server.log(server.target_log).contains(probeUser), "sshd saw an authentication attempt")

        // control: with the right key the same user name does reach sshd (so the check above can fail)
        _ = try? await SSHConnection.connect(
            to: try server.endpoint(user: probeUser), hostKeys: try server.trustingStore())
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.log(server.target_log).contains(probeUser))
    }

    @Test func unknownHostIsRefusedWhenStrict() async throws {
        let server = try SSHTestServer.require()
        let empty = InMemoryHostKeyStore()
        do {
            _ = try await SSHConnection.connect(to: try server.endpoint(), hostKeys: empty)
            Issue.record("expected an unknown host refusal")
        } catch let error as SSHConnectionError {
            #expect(error.stage == .hostKey)
            guard case .hostKeyUnknown = error.underlying else {
                Issue.record("expected hostKeyUnknown, got \(error)")
                return
            }
        }
        #expect(empty.allEntries.isEmpty)
    }

    @Test func acceptNewRecordsTheFirstKeyAndThenChecksIt() async throws {
        let server = try SSHTestServer.require()
        let store = InMemoryHostKeyStore()
        let first = try await SSHConnection.connect(to: try server.endpoint(policy: .acceptNew), hostKeys: store)
        await first.close()
        #expect(store.allEntries.count == 1)
        #expect(store.allEntries.first?.matches(host: server.host, port: server.port) == true)
        // Now strict succeeds with the recorded key.
        let second = try await SSHConnection.connect(to: try server.endpoint(policy: .strict), hostKeys: store)
        await second.close()
        // And accept-new does not accept a different key for a known host.
        let changed = InMemoryHostKeyStore(
            entries: try server.entries(port: server.port, keyFiles: [server.other_host_key]))
        await #expect(throws: SSHConnectionError.self) {
            try await SSHConnection.connect(to: try server.endpoint(policy: .acceptNew), hostKeys: changed)
        }
        #expect(changed.allEntries.count == 1)
    }

    @Test func realKnownHostsFileFromSSHKeyscanIsTrusted() async throws {
        let server = try SSHTestServer.require()
        let text = try run("/usr/bin/ssh-keyscan", ["-p", String(server.port), "-t", "ed25519,ecdsa", server.host])
        let plain = KnownHostsParser.parse(text)
        #expect(plain.errors.isEmpty)
        #expect(plain.entries.count == 2)
        let connection = try await SSHConnection.connect(
            to: try server.endpoint(), hostKeys: InMemoryHostKeyStore(entries: plain.entries))
        await connection.close()

        // The same file hashed by ssh-keygen -H.
        let file = NSTemporaryDirectory() + "pcmops-kh-\(UUID().uuidString)"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        defer {
            try? FileManager.default.removeItem(atPath: file)
            try? FileManager.default.removeItem(atPath: file + ".old")
        }
        _ = try run("/usr/bin/ssh-keygen", ["-H", "-f", file])
        let hashedText = try String(contentsOfFile: file, encoding: .utf8)
        #expect(hashedText.contains("|1|"))
        let hashed = KnownHostsParser.parse(hashedText).entries
        let viaHashed = try await SSHConnection.connect(
            to: try server.endpoint(), hostKeys: InMemoryHostKeyStore(entries: hashed))
        await viaHashed.close()
    }

    @Test func refusedPortFailsAtConnect() async throws {
        let server = try SSHTestServer.require()
        var endpoint = try server.endpoint()
        endpoint.port = 1
        do {
            _ = try await SSHConnection.connect(to: endpoint, hostKeys: try server.trustingStore())
            Issue.record("expected a connect failure")
        } catch let error as SSHConnectionError {
            #expect(error.stage == .connect)
        }
    }
}

/// Runs a program and returns its standard output.
func run(_ executable: String, _ arguments: [String]) throws -> String {
    try ChildProcess.run(executable, arguments).stdoutText
}
