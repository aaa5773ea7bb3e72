import Foundation
import NIOConcurrencyHelpers
import OpsCore
import Testing

@testable import OpsSSH

@Suite("SSH exec against real sshd", .enabled(if: SSHTestServer.isAvailable))
struct SSHExecIntegrationTests {
    func connect(_ server: SSHTestServer) async throws -> SSHConnection {
        try await SSHConnection.connect(to: try server.endpoint(), hostKeys: try server.trustingStore())
    }

    @Test func exitCodesStdoutAndStderrAreSeparate() async throws {
        let server = try SSHTestServer.require()
        let connection = try await connect(server)
        for code in [0, 1, 255] {
            let result = try await connection.execute(ExecRequest(command: "echo out; echo err >&2; exit \(code)"))
            #expect(result.exitStatus == code)
            #expect(result.stdout == "out\n")
            #expect(result.stderr == "err\n")
            #expect(result.exitSignal == nil)
        }
        await connection.close()
    }

    @Test func outputIsStreamedAsItArrives() async throws {
        let server = try SSHTestServer.require()
        let connection = try await connect(server)
        let chunks = NIOLockedValueBox([(ExecStream, String)]())
        let result = try await connection.execute(
            ExecRequest(command: "echo one; sleep 0.3; echo two >&2; sleep 0.3; echo three")
        ) { event in
            if case .output(let stream, let bytes) = event {
                chunks.withLockedValue { $0.append((stream, String(decoding: bytes, as: UTF8.self))) }
            }
        }
        await connection.close()
        let seen = chunks.withLockedValue { $0 }
        #expect(seen.count == 3)
        #expect(seen.map(\.0) == [.stdout, .stderr, .stdout])
        #expect(result.stdout == "one\nthree\n")
    }

    @Test func signalIsReported() async throws {
        let server = try SSHTestServer.require()
        let connection = try await connect(server)
        let result = try await connection.execute(ExecRequest(command: "kill -TERM $$"))
        await connection.close()
        #expect(result.exitSignal == "TERM")
        #expect(result.exitStatus == nil)
        #expect(!result.succeeded)
    }

    @Test func tenMegabytesOfOutputAreCappedWithFlatMemory() async throws {
        let server = try SSHTestServer.require()
        let connection = try await connect(server)
        let before = residentMemory()
        let result = try await connection.execute(
            ExecRequest(
                command: "head -c 10485760 /dev/zero | tr '\\0' x; echo done >&2", timeout: .seconds(60),
                outputCap: 1 << 20))
        let growth = residentMemory() - before
        await connection.close()
        #expect(result.exitStatus == 0)
        #expect(result.stdoutTruncated)
        #expect(result.stdout.hasPrefix(String(repeating: "x", count: 1000)))
        #expect(result.stdout.contains("output truncated: kept 1048576 bytes, dropped 9437184 bytes"))
        #expect(result.stdout.utf8.count < (1 << 20) + 200)
        #expect(result.stderr == "done\n")
        #expect(growth < 64 << 20, "resident memory grew by \(growth >> 20) MiB for 10 MB of output")
    }

    @Test func commandTimeoutClosesTheChannel() async throws {
        let server = try SSHTestServer.require()
        let connection = try await connect(server)
        let result = try await connection.execute(ExecRequest(command: "echo started; sleep 30", timeout: .seconds(1)))
        #expect(result.timedOut)
        #expect(result.exitStatus == nil)
        #expect(result.stdout == "started\n")
        // The connection is still usable for the next step.
        let next = try await connection.execute(ExecRequest(command: "echo next"))
        #expect(next.stdout == "next\n")
        await connection.close()
    }

    @Test func sudoThatWantsAPasswordFailsClearlyInsteadOfHanging() async throws {
        let server = try SSHTestServer.require()
        let connection = try await connect(server)
        let command = Privilege.wrap("id -u", requiresAdmin: true, username: server.user)
        #expect(command.hasPrefix("sudo -n -- /bin/sh -c "))
        let result = try await connection.execute(ExecRequest(command: command, timeout: .seconds(20)))
        await connection.close()
        #expect(Privilege.sudoNeedsPassword(result), "stderr: \(result.stderr)")
        #expect(Privilege.sudoPasswordMessage(target: "t1", username: server.user).contains("NOPASSWD"))
    }

    @Test func jumpHostTunnelsThroughTheBastion() async throws {
        let server = try SSHTestServer.require()
        let store = try server.trustingStore()
        let bastion = try await SSHConnection.connect(
            to: try server.endpoint(port: server.bastion_port), hostKeys: store)
        let connection = try await SSHConnection.connect(to: try server.endpoint(), through: bastion, hostKeys: store)
        let result = try await connection.execute(ExecRequest(command: "echo via-jump"))
        await connection.close()
        #expect(result.stdout == "via-jump\n")
        #expect(server.log(server.bastion_log).contains("direct-tcpip"))
    }

    @Test func jumpHostChecksTheTargetsHostKeyToo() async throws {
        let server = try SSHTestServer.require()
        let onlyBastion = InMemoryHostKeyStore(
            entries: try server.entries(port: server.bastion_port, keyFiles: server.bastion_host_keys))
        let bastion = try await SSHConnection.connect(
            to: try server.endpoint(port: server.bastion_port), hostKeys: onlyBastion)
        do {
            _ = try await SSHConnection.connect(to: try server.endpoint(), through: bastion, hostKeys: onlyBastion)
            Issue.record("expected the target's unknown host key to be refused")
        } catch let error as SSHConnectionError {
            #expect(error.stage == .hostKey)
        }
    }

    @Test func twoHundredConcurrentConnections() async throws {
        let server = try SSHTestServer.require()
        let store = try server.trustingStore()
        let endpoint = try server.endpoint()
        let clock = ContinuousClock()
        let cpuBefore = processCPUSeconds()
        let start = clock.now
        // Key exchanges go through a gate of 4 per core, as the server's runs do (AppServices.handshakes): 200
        // handshakes at once on a debug build kept both event loops busy for over 20 s, and every other suite's
        // connection timed out at the host_key stage behind them (issue 17). All 200 connections are still open
        // at once before any command runs.
        let handshakes = ConcurrencyLimiter(limit: 4 * ProcessInfo.processInfo.activeProcessorCount)
        let connections = try await withThrowingTaskGroup(of: SSHConnection.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    try await handshakes.withPermit { try await SSHConnection.connect(to: endpoint, hostKeys: store) }
                }
            }
            var collected = [SSHConnection]()
            for try await connection in group { collected.append(connection) }
            return collected
        }
        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
            for (index, connection) in connections.enumerated() {
                group.addTask {
                    let result = try await connection.execute(ExecRequest(command: "echo \(index)"))
                    await connection.close()
                    return result.stdout
                }
            }
            var collected = [String]()
            for try await output in group { collected.append(output) }
            return collected
        }
        let wall = clock.now - start
        #expect(Set(outputs) == Set((0..<200).map { "\($0)\n" }))
        print(
            "200 concurrent SSH connections (curve25519, ed25519 key): wall \(wall), client CPU "
                + String(format: "%.2f s", processCPUSeconds() - cpuBefore) + ", RSS \(residentMemory() >> 20) MiB")
    }
}

/// User + system CPU seconds of this process.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(
        usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
