import Foundation
import OpsCore
import Testing

@testable import OpsSSH

@Suite("openssh fallback transport against real sshd", .enabled(if: SSHTestServer.isAvailable))
struct OpenSSHFallbackTests {
    func client(_ server: SSHTestServer, key: String = "id_rsa", policy: HostKeyPolicy = .strict) throws
        -> OpenSSHClient
    {
        OpenSSHClient(
            name: "rsa-host", host: server.host, port: server.port, username: server.user,
            credential: .keyFile(contents: try server.keyText(key), passphrase: nil), hostKeyPolicy: policy)
    }

    @Test func rsaKeyWorksThroughTheSystemClient() async throws {
        let server = try SSHTestServer.require()
        let result = try await client(server).execute(
            ExecRequest(command: "echo rsa-ok; echo warn >&2; exit 3"), hostKeys: try server.trustingStore())
        #expect(result.stdout == "rsa-ok\n")
        #expect(result.stderr == "warn\n")
        #expect(result.exitStatus == 3)
    }

    @Test func builtInTransportRefusesRSAWithAClearMessage() throws {
        let server = try SSHTestServer.require()
        do {
            _ = try OpenSSHPrivateKeyParser.parse(try server.keyText("id_rsa"), passphrase: nil, target: "rsa-host")
            Issue.record("expected a refusal")
        } catch {
            let message = String(describing: error)
            #expect(message.contains("rsa-host"))
            #expect(message.contains("ssh-rsa"))
            #expect(message.contains("openssh"))
        }
    }

    @Test func strictHostKeyCheckingRefusesAnUnknownHost() async throws {
        let server = try SSHTestServer.require()
        let store = InMemoryHostKeyStore()
        do {
            _ = try await client(server).execute(ExecRequest(command: "true"), hostKeys: store)
            Issue.record("expected a host key failure")
        } catch let error as SSHConnectionError {
            #expect(error.stage == .hostKey)
        }
        #expect(store.refusals.count == 1)
    }

    @Test func mismatchIsRefused() async throws {
        let server = try SSHTestServer.require()
        let wrong = InMemoryHostKeyStore(
            entries: try server.entries(port: server.port, keyFiles: [server.other_host_key]))
        await #expect(throws: SSHConnectionError.self) {
            try await client(server).execute(ExecRequest(command: "true"), hostKeys: wrong)
        }
    }

    @Test func acceptNewRecordsTheKeyInTheStore() async throws {
        let server = try SSHTestServer.require()
        let store = InMemoryHostKeyStore()
        let result = try await client(server, policy: .acceptNew).execute(
            ExecRequest(command: "echo first"), hostKeys: store)
        #expect(result.stdout == "first\n")
        #expect(!store.allEntries.isEmpty)
        let strict = try await client(server).execute(ExecRequest(command: "echo again"), hostKeys: store)
        #expect(strict.stdout == "again\n")
    }

    @Test func timeoutAndCapApplyToo() async throws {
        let server = try SSHTestServer.require()
        let store = try server.trustingStore()
        let slow = try await client(server).execute(
            ExecRequest(command: "sleep 30", timeout: .seconds(2)), hostKeys: store)
        #expect(slow.timedOut)
        let big = try await client(server).execute(
            ExecRequest(command: "head -c 300000 /dev/zero | tr '\\0' y", outputCap: 1000), hostKeys: store)
        #expect(big.stdoutTruncated)
        #expect(big.stdout.contains("dropped 299000 bytes"))
    }

    @Test func wrongKeyFailsAtAuthentication() async throws {
        let server = try SSHTestServer.require()
        do {
            _ = try await client(server, key: "id_stranger").execute(
                ExecRequest(command: "true"), hostKeys: try server.trustingStore())
            Issue.record("expected an authentication failure")
        } catch let error as SSHConnectionError {
            #expect(error.stage == .authentication)
        }
    }
}
