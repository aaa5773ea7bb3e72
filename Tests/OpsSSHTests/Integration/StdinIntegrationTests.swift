import Foundation
import OpsCore
import OpsTestSupport
import Testing

@testable import OpsSSH

@Suite("Standard input for scripts", .enabled(if: SSHTestServer.isAvailable))
struct StdinIntegrationTests {
    /// A script far longer than any command line, fed to `sh -s`.
    static let bigScript: [UInt8] = Array(
        ((0..<20_000).map { "echo line-\($0) '\(String(repeating: "x", count: 40))'" }.joined(separator: "\n") + "\n")
            .utf8)

    @Test func aLongScriptRunsThroughShellStdinOverSSH() async throws {
        let server = try SSHTestServer.require()
        let connection = try await SSHConnection.connect(
            to: try server.endpoint(), hostKeys: try server.trustingStore())
        let result = try await connection.execute(
            ExecRequest(command: "sh -s", timeout: .seconds(60), outputCap: 4 << 20, stdin: Self.bigScript))
        #expect(result.exitStatus == 0)
        #expect(result.stdout.split(separator: "\n").count == 20_000)
        #expect(result.stdout.hasSuffix("line-19999 \(String(repeating: "x", count: 40))\n"))
        // Without input the command sees end-of-file at once instead of hanging.
        let empty = try await connection.execute(ExecRequest(command: "cat; echo done", timeout: .seconds(20)))
        #expect(empty.stdout == "done\n")
        await connection.close()
    }

    @Test func bytesArriveUnchanged() async throws {
        let server = try SSHTestServer.require()
        let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let connection = try await SSHConnection.connect(
            to: try server.endpoint(), hostKeys: try server.trustingStore())
        let result = try await connection.execute(
            ExecRequest(command: "sha256sum", timeout: .seconds(30), stdin: payload))
        await connection.close()
        let expected = Data(payload).sha256Hex
        #expect(result.stdout.hasPrefix(expected), "\(result.stdout) vs \(expected)")
    }

    @Test func localAndOpenSSHTransportsTakeStdinToo() async throws {
        let server = try SSHTestServer.require()
        let local = try await ProcessRunner.run(
            executable: "/bin/sh", arguments: ["-s"], request: ExecRequest(command: "", stdin: Self.bigScript))
        #expect(local.stdout.split(separator: "\n").count == 20_000)
        let none = try await ProcessRunner.run(executable: "/bin/cat", arguments: [], request: ExecRequest(command: ""))
        #expect(none.stdout.isEmpty && none.exitStatus == 0)
        let client = OpenSSHClient(
            name: "rsa", host: server.host, port: server.port, username: server.user,
            credential: .keyFile(contents: try server.keyText("id_rsa"), passphrase: nil))
        let viaOpenSSH = try await client.execute(
            ExecRequest(command: "sh -s", timeout: .seconds(60), outputCap: 4 << 20, stdin: Self.bigScript),
            hostKeys: try server.trustingStore())
        #expect(viaOpenSSH.stdout.split(separator: "\n").count == 20_000)
    }
}

extension Data {
    var sha256Hex: String {
        let output = try? ChildProcess.run("/usr/bin/sha256sum", [], input: self)
        return String((output?.stdoutText ?? "").prefix(64))
    }
}

@Suite("Local process runner")
struct ProcessRunnerTests {
    @Test func aChildThatIgnoresItsInputDoesNotHurtUs() async throws {
        let result = try await ProcessRunner.run(
            executable: "/bin/sh", arguments: ["-c", "echo early; exit 7"],
            request: ExecRequest(command: "", stdin: Array(repeating: 0x41, count: 2 << 20)))
        #expect(result.exitStatus == 7)
        #expect(result.stdout == "early\n")
    }

    @Test func signalTimeoutAndCapAreReported() async throws {
        let killed = try await ProcessRunner.run(
            executable: "/bin/sh", arguments: ["-c", "kill -TERM $$"], request: ExecRequest(command: ""))
        #expect(killed.exitSignal == "TERM" && killed.exitStatus == nil)
        let slow = try await ProcessRunner.run(
            executable: "/bin/sh", arguments: ["-c", "echo started; sleep 30"],
            request: ExecRequest(command: "", timeout: .seconds(1)))
        #expect(slow.timedOut && slow.stdout == "started\n")
        let big = try await ProcessRunner.run(
            executable: "/bin/sh", arguments: ["-c", "head -c 100000 /dev/zero"],
            request: ExecRequest(command: "", outputCap: 10))
        #expect(big.stdoutTruncated && big.stdout.contains("dropped 99990 bytes"))
    }

    /// Only the three standard streams reach the program, even with descriptors of ours open that are not
    /// close-on-exec (a library's, or one opened by another thread while we spawn).
    @Test func theProgramInheritsOnlyItsStandardStreams() async throws {
        let null = open("/dev/null", O_RDONLY)
        let leaked = fcntl(null, F_DUPFD, 200)  // a copy without close-on-exec, well above the child's own
        close(null)
        defer { close(leaked) }
        #expect(leaked >= 200)
        let result = try await ProcessRunner.run(
            executable: "/bin/sh", arguments: ["-c", "cd /proc/self/fd && echo *"], request: ExecRequest(command: ""))
        // sh's own descriptor for reading the directory may show as well; nothing else may.
        let open = result.stdout.split(separator: " ").compactMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(Set([0, 1, 2]).isSubset(of: open))
        #expect(open.allSatisfy { $0 <= 3 }, "descriptors open in the child: \(open)")
    }

    @Test func aMissingProgramIsAClearError() async {
        await #expect(throws: SSHConnectionError.self) {
            try await ProcessRunner.run(
                executable: "/nonexistent/program", arguments: [], request: ExecRequest(command: ""))
        }
    }
}
