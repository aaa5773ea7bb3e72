import Foundation
import OpsCore
import Testing

@testable import OpsWinRM

@Suite("WinRS client: running commands", .timeLimit(.minutes(5)))
struct WinRSClientTests {
    static func client(_ service: FakeWinRSService, commandsPerShell: Int = 500) -> WinRSClient {
        WinRSClient(session: WinRSShellTests.session(service), commandsPerShell: commandsPerShell)
    }

    static func output(_ text: String, _ stream: ExecStream = .stdout) -> WinRSOutput {
        WinRSOutput(stream: stream, bytes: Array(text.utf8))
    }

    @Test func runsACommandAndReleasesIt() async throws {
        // setup
        let service = FakeWinRSService()
        service.script("Receive", .output([Self.output("hi\r\n"), Self.output("warn", .stderr)], exitCode: 7))
        let client = Self.client(service)
        let log = OutputLog()
        // act
        let exitCode = try await client.run(
            command: "cmd.exe", arguments: ["/c", "echo hi"], deadline: .now + .seconds(600), onOutput: log.append)
        // assert
        #expect(exitCode == 7)
        #expect(log.chunks == [Self.output("hi\r\n"), Self.output("warn", .stderr)])
        #expect(service.operations == ["Create", "Command", "Receive", "Signal"])
        #expect(service.requests[3].signal == "terminate")
        #expect(service.requests[3].commandID == "COMMAND-1")
        #expect(await client.openShellID == "SHELL-1")
    }

    @Test func outputIsStreamedAsEachReceiveArrives() async throws {
        // setup
        let service = FakeWinRSService()
        service.script(
            "Receive", .output([Self.output("one")], exitCode: nil), .output([Self.output("two")], exitCode: nil),
            .output([Self.output("three")], exitCode: 0))
        let client = Self.client(service)
        let requestsSeen = Counter()
        // act
        _ = try await client.run(command: "x", deadline: .now + .seconds(600)) { _ in
            requestsSeen.record(service.requests.count)
        }
        // assert: each chunk reached the callback before the next Receive was sent
        #expect(requestsSeen.values == [3, 4, 5])
    }

    @Test func timedOutReceivesArePolledAgain() async throws {
        // setup
        let service = FakeWinRSService()
        service.script(
            "Receive", .output([Self.output("a")], exitCode: nil), WinRSReplies.timedOutFault,
            WinRSReplies.timedOutFault,
            .output([Self.output("b")], exitCode: 0))
        let client = Self.client(service)
        let log = OutputLog()
        // act
        let exitCode = try await client.run(command: "x", deadline: .now + .seconds(600), onOutput: log.append)
        // assert
        #expect(exitCode == 0)
        #expect(log.text(.stdout) == "ab")
        #expect(service.operations.filter { $0 == "Receive" }.count == 4)
    }

    @Test func stdinIsSentInChunksBeforeReceiving() async throws {
        // setup
        let service = FakeWinRSService()
        let client = WinRSClient(session: WinRSShellTests.session(service, maxEnvelopeSize: 10_000))
        let script = Array(String(repeating: "Write-Output 'ü'\n", count: 2_000).utf8)
        // act
        _ = try await client.run(command: "powershell.exe", stdin: script, deadline: .now + .seconds(600))
        // assert
        let sends = service.requests.filter { $0.operation == "Send" }
        #expect(sends.count > 3)
        #expect(sends.flatMap(\.stdin) == script)
        #expect(sends.last?.end == true)
        #expect(sends.dropLast().allSatisfy { !$0.end })
        #expect(service.operations.firstIndex(of: "Receive") == 2 + sends.count)
    }

    @Test func emptyStdinIsClosedAndNilSendsNothing() async throws {
        let service = FakeWinRSService()
        let client = Self.client(service)
        _ = try await client.run(command: "a", stdin: [], deadline: .now + .seconds(600))
        _ = try await client.run(command: "b", deadline: .now + .seconds(600))
        #expect(
            service.operations == ["Create", "Command", "Send", "Receive", "Signal", "Command", "Receive", "Signal"])
    }

    @Test func outputBytesThatAreNotUTF8AreKept() async throws {
        let service = FakeWinRSService()
        let raw: [UInt8] = [0x93, 0xFA, 0x96, 0x7B, 0xC3]  // Shift-JIS, then a cut UTF-8 sequence
        service.script("Receive", .output([WinRSOutput(stream: .stdout, bytes: raw)], exitCode: 0))
        let log = OutputLog()
        _ = try await Self.client(service).run(command: "x", deadline: .now + .seconds(600), onOutput: log.append)
        #expect(log.bytes(.stdout) == raw)
    }

    @Test func oneShellServesSeveralCommandsAndIsRecycled() async throws {
        // setup
        let service = FakeWinRSService()
        let client = Self.client(service, commandsPerShell: 2)
        // act
        for _ in 0..<3 { _ = try await client.run(command: "x", deadline: .now + .seconds(600)) }
        // assert
        #expect(
            service.operations == [
                "Create", "Command", "Receive", "Signal", "Command", "Receive", "Signal", "Delete", "Create", "Command",
                "Receive", "Signal",
            ])
        #expect(
            service.requests.filter { $0.operation == "Command" }.map(\.shellID) == ["SHELL-1", "SHELL-1", "SHELL-2"])
        #expect(service.requests[7].shellID == "SHELL-1")
        #expect(await client.openShellID == "SHELL-2")
        #expect(await client.commandsRunInShell == 1)
    }

    @Test func aReusedShellThatIsGoneIsReplacedAndTheCommandRunsOnce() async throws {
        // setup: the service reaped the idle shell between two commands
        let service = FakeWinRSService()
        let client = Self.client(service)
        _ = try await client.run(command: "first", deadline: .now + .seconds(600))
        service.script(
            "Command", .fault(code: 2_150_858_843, subcode: "InvalidSelectors", message: "The shell was not found."))
        service.script("Receive", .output([Self.output("second")], exitCode: 0))
        let log = OutputLog()
        // act
        let exitCode = try await client.run(command: "second", deadline: .now + .seconds(600), onOutput: log.append)
        // assert
        #expect(exitCode == 0)
        #expect(log.text(.stdout) == "second")
        #expect(service.operations.suffix(5) == ["Command", "Create", "Command", "Receive", "Signal"])
        #expect(await client.openShellID == "SHELL-2")
    }

    @Test func aFullShellIsReplacedAndTheCommandRunsOnce() async throws {
        let service = FakeWinRSService()
        let client = Self.client(service)
        _ = try await client.run(command: "first", deadline: .now + .seconds(600))
        service.script(
            "Command",
            .fault(
                code: WinRMFault.Code.maxCommandsPerShell, subcode: "QuotaLimit",
                message: "Too many commands in this shell."))
        _ = try await client.run(command: "second", deadline: .now + .seconds(600))
        #expect(service.operations.suffix(6) == ["Command", "Delete", "Create", "Command", "Receive", "Signal"])
    }

    @Test func aFaultOfANewShellsCommandIsNotRetried() async throws {
        // setup
        let service = FakeWinRSService()
        service.script(
            "Command",
            .fault(code: 2_147_942_402, subcode: "InternalError", message: "The system cannot find the file specified.")
        )
        let client = Self.client(service)
        // act
        let error = await #expect(throws: WSManError.self) {
            _ = try await client.run(command: "missing.exe", deadline: .now + .seconds(600))
        }
        // assert
        guard case .fault(let fault) = error else {
            Issue.record("expected a fault, got \(String(describing: error))")
            return
        }
        #expect(fault.code == 2_147_942_402)
        #expect(service.operations == ["Create", "Command", "Delete"])
        #expect(await client.openShellID == nil)
    }

    @Test func aQuotaFaultOnCreateIsRetryableAndLeavesNothingToDelete() async throws {
        let service = FakeWinRSService()
        service.script(
            "Create",
            .fault(
                code: 2_150_859_236, subcode: "QuotaLimit",
                message: "The maximum number of concurrent shells is reached."))
        let error = await #expect(throws: WSManError.self) {
            _ = try await Self.client(service).run(command: "x", deadline: .now + .seconds(600))
        }
        #expect(error?.isRetryable == true)
        #expect(service.operations == ["Create"])
    }

    @Test(
        "failures while the command runs terminate it and delete the shell",
        arguments: [
            FakeWinRSService.Reply.fault(
                code: 995, subcode: "InternalError", message: "The I/O operation has been aborted."),
            .http(status: 200, body: Array("<s:Envelope><unclosed".utf8)),
            .http(status: 500, body: []),
            .envelope(WinRSReplies.envelope(action: "ReceiveResponse", relatesTo: "uuid:someone-else", body: "")),
            .envelope(
                WinRSReplies.envelope(
                    action: "ReceiveResponse", relatesTo: "{RELATES_TO}",
                    body: "<rsp:ReceiveResponse><rsp:Stream Name=\"stdout\">%%%</rsp:Stream></rsp:ReceiveResponse>")),
        ])
    func failureWhileReceiving(reply: FakeWinRSService.Reply) async throws {
        // setup
        let service = FakeWinRSService()
        service.script("Receive", .output([Self.output("partial")], exitCode: nil), reply)
        let client = Self.client(service)
        let log = OutputLog()
        // act
        await #expect(throws: WSManError.self) {
            _ = try await client.run(command: "x", deadline: .now + .seconds(600), onOutput: log.append)
        }
        // assert
        #expect(log.text(.stdout) == "partial")
        #expect(service.operations == ["Create", "Command", "Receive", "Receive", "Signal", "Delete"])
        #expect(service.requests[4].signal == "terminate")
        #expect(service.requests[4].commandID == "COMMAND-1")
        #expect(await client.openShellID == nil)
    }

    @Test func aFailedCleanupIsLoggedAndTheOriginalErrorReported() async throws {
        // setup: the Receive fails, then the Delete of the cleanup fails too
        let service = FakeWinRSService()
        service.script(
            "Receive", .fault(code: 995, subcode: "InternalError", message: "The I/O operation has been aborted."))
        service.script("Signal", .http(status: 500, body: []))
        service.script("Delete", .http(status: 500, body: []))
        let logs = CapturingLogHandler()
        let client = WinRSClient(session: WinRSShellTests.session(service), logger: logs.logger())
        // act
        let error = await #expect(throws: WSManError.self) {
            _ = try await client.run(command: "x", deadline: .now + .seconds(600))
        }
        // assert
        guard case .fault(let fault) = error else {
            Issue.record("expected the Receive's fault, got \(String(describing: error))")
            return
        }
        #expect(fault.code == 995)
        #expect(service.operations == ["Create", "Command", "Receive", "Signal", "Delete"])
        let warnings = logs.entries.filter { $0.level == .warning }
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.contains("not deleted") == true)
        #expect(warnings.first?.metadata["winrm.shell"] == "SHELL-1")
        #expect(warnings.first?.metadata["winrm.command"] == "COMMAND-1")
    }

    @Test func aSendTooLargeForTheServiceIsReportedAndCleanedUp() async throws {
        // setup: the service's MaxEnvelopeSize is smaller than it said (HTTP 413, mz#156)
        let service = FakeWinRSService()
        service.script("Send", .http(status: 413, body: []))
        let client = Self.client(service)
        // act
        let error = await #expect(throws: WSManError.self) {
            _ = try await client.run(command: "x", stdin: Array("script".utf8), deadline: .now + .seconds(600))
        }
        // assert
        #expect(error == .httpStatus(code: 413, bodyBytes: 0))
        #expect(error?.description.contains("MaxEnvelopeSize") == true)
        #expect(service.operations == ["Create", "Command", "Send", "Signal", "Delete"])
    }

    @Test func aMissingShellIDFailsWithoutCleanup() async throws {
        let service = FakeWinRSService()
        service.script(
            "Create", .envelope(WinRSReplies.envelope(action: "CreateResponse", relatesTo: "{RELATES_TO}", body: "")))
        await #expect(throws: WSManError.malformedResponse(operation: "Create", reason: "it names no ShellId")) {
            _ = try await Self.client(service).run(command: "x", deadline: .now + .seconds(600))
        }
        #expect(service.operations == ["Create"])
    }

    @Test func aFailedReleaseKeepsTheExitCodeButNotTheShell() async throws {
        // setup
        let service = FakeWinRSService()
        service.script("Signal", .fault(code: 2_150_858_843, subcode: "InvalidSelectors", message: "Gone."))
        service.script("Receive", .output([], exitCode: 4))
        let client = Self.client(service)
        // act
        let exitCode = try await client.run(command: "x", deadline: .now + .seconds(600))
        _ = try await client.run(command: "y", deadline: .now + .seconds(600))
        // assert
        #expect(exitCode == 4)
        #expect(service.operations.prefix(6) == ["Create", "Command", "Receive", "Signal", "Delete", "Create"])
    }

    @Test func runsAreSerialised() async throws {
        // setup: the first command's Receive is slow
        let service = FakeWinRSService()
        service.script("Receive", .after(.milliseconds(150), .output([Self.output("slow")], exitCode: 0)))
        let client = Self.client(service)
        // act
        async let first = client.run(command: "slow", deadline: .now + .seconds(600))
        try await Task.sleep(for: .milliseconds(20))
        async let second = client.run(command: "fast", deadline: .now + .seconds(600))
        _ = try await (first, second)
        // assert
        #expect(service.operations == ["Create", "Command", "Receive", "Signal", "Command", "Receive", "Signal"])
    }

    @Test func closeDeletesTheShell() async throws {
        let service = FakeWinRSService()
        let client = Self.client(service)
        try await client.close()
        #expect(service.operations == [])
        _ = try await client.run(command: "x", deadline: .now + .seconds(600))
        try await client.close()
        #expect(service.operations.last == "Delete")
        #expect(service.requests.last?.shellID == "SHELL-1")
        #expect(await client.openShellID == nil)
    }

    @Test func closeReportsAFailedDelete() async throws {
        let service = FakeWinRSService()
        let client = Self.client(service)
        _ = try await client.run(command: "x", deadline: .now + .seconds(600))
        service.script("Delete", .http(status: 500, body: []))
        await #expect(throws: WSManError.httpStatus(code: 500, bodyBytes: 0)) { try await client.close() }
        #expect(await client.openShellID == nil)
    }
}

/// Collects values from a `@Sendable` callback.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Int] = []

    func record(_ value: Int) {
        lock.withLock { recorded.append(value) }
    }

    var values: [Int] { lock.withLock { recorded } }
}
