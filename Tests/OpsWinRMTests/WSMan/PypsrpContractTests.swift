import Foundation
import OpsCore
import Testing

@testable import OpsWinRM

/// Contract tests against real Windows hosts, through pypsrp's recordings (Fixtures/pypsrp): the client's
/// requests must match what pypsrp sent Windows, and the recorded answers (output, exit codes, faults,
/// unicode, operation timeouts) must come out right. Differences in what is sent are declared one by one
/// below, each with its reason; the comparison is otherwise exact (after canonical form).
@Suite("Contract: pypsrp's recorded WinRS exchanges")
struct PypsrpContractTests {
    // MARK: Declared differences

    /// This client always gives the process a pipe as stdin; pypsrp leaves the option out.
    static let consoleModeStdin = RequestDifference.optionOnlySent(
        "WINRS_CONSOLEMODE_STDIN", in: "Command",
        because: "this client always sends WINRS_CONSOLEMODE_STDIN=FALSE (MS-WSMV 3.1.4.11), pypsrp never does")
    /// Default shells: no profile and UTF-8, which pypsrp sends only when asked.
    static let noProfile = RequestDifference.optionOnlySent(
        "WINRS_NOPROFILE", in: "Create", because: "WinRSClient's shells skip the profile by default; pypsrp's do not")
    static let codepage = RequestDifference.optionOnlySent(
        "WINRS_CODEPAGE", in: "Create", because: "WinRSClient's shells use code page 65001 by default; pypsrp's do not")
    /// After Done, WinRSClient releases the command with terminate (as pywinrm does); pypsrp's tests sent ctrl_c.
    static let releaseSignal = RequestDifference(
        reason: "WinRSClient releases a finished command with signal terminate; pypsrp's tests sent ctrl_c",
        operation: "Signal",
        adjustRecorded: { envelope in
            envelope.editBody { body in
                body.children[0].children[0].text = WinRSSignal.terminate.rawValue
            }
        })
    /// pypsrp writes `End="False"` on chunks before the last and `End="True"` on the last; this client leaves
    /// `End` out before the last and writes `End="true"` (xs:boolean) on it.
    static let sendEndSpelling = RequestDifference(
        reason: "pypsrp writes End=\"False\"/\"True\"; this client omits End before the last chunk and writes \"true\"",
        operation: "Send",
        adjustRecorded: { envelope in
            envelope.editBody { body in
                var stream = body.children[0].children[0]
                let end = stream.attribute("End")?.lowercased()
                stream.attributes.removeAll { $0.name == "End" }
                if end == "true" {
                    stream.attributes.append(WSManXMLAttribute(namespace: nil, name: "End", value: "true"))
                }
                body.children[0].children[0] = stream
            }
        })
    /// The shell options of pypsrp's plain `WinRS(wsman)`: no code page, profile loaded.
    static let pypsrpDefaults = WinRSShellOptions(codepage: nil, noProfile: false)
    static let lowLevel: [RequestDifference] = [.sessionID, .booleanSpelling, consoleModeStdin]
    static let client: [RequestDifference] = lowLevel + [noProfile, codepage, releaseSignal]

    // MARK: WinRSClient.run over the recordings

    @Test func standardCommandThroughRun() async throws {
        // setup
        let replay = try PypsrpReplay("test_winrs_standard", differences: Self.client)
        let client = WinRSClient(session: try replay.session())
        let output = OutputLog()
        // act
        let exitCode = try await client.run(
            command: "cmd.exe", arguments: ["/c", "echo", "hi"], deadline: .now + .seconds(30), onOutput: output.append)
        try await client.close()
        // assert
        #expect(replay.mismatches == [])
        #expect(replay.unconsumed == 0)
        #expect(exitCode == 0)
        #expect(output.text(.stdout) == "hi\r\n")
        #expect(output.text(.stderr) == "")
    }

    @Test func stderrAndExitCodeThroughRun() async throws {
        // setup
        let replay = try PypsrpReplay("test_winrs_stderr_rc", differences: Self.client)
        let client = WinRSClient(session: try replay.session())
        let output = OutputLog()
        // act: one argument with &, > and spaces, escaped in the XML and passed unquoted
        let exitCode = try await client.run(
            command: "cmd.exe", arguments: ["/c echo out && echo err>&2 && exit 1"], deadline: .now + .seconds(30),
            onOutput: output.append)
        try await client.close()
        // assert
        #expect(replay.mismatches == [])
        #expect(replay.unconsumed == 0)
        #expect(exitCode == 1)
        #expect(output.text(.stdout) == "out \r\n")
        #expect(output.text(.stderr) == "err \r\n")
    }

    @Test func unicodeOutputWithCodepage65001ThroughRun() async throws {
        // setup: pypsrp asked for code page 65001 here, as WinRSClient always does
        let differences = Self.lowLevel + [Self.noProfile, Self.releaseSignal]
        let replay = try PypsrpReplay("test_winrs_unicode", differences: differences)
        let client = WinRSClient(session: try replay.session())
        let output = OutputLog()
        // act
        let exitCode = try await client.run(
            command: "powershell.exe", arguments: ["Write-Host こんにちは"], deadline: .now + .seconds(30),
            onOutput: output.append)
        // The recording's last answer relates to another message than its request (an artefact of how it was
        // recorded): the client must refuse it rather than take it as the Delete's answer.
        let closing = await #expect(throws: WSManError.self) { try await client.close() }
        // assert
        #expect(replay.mismatches == [])
        #expect(replay.unconsumed == 0)
        #expect(exitCode == 0)
        #expect(output.text(.stdout) == "こんにちは\n")
        #expect(
            closing
                == .relatesToMismatch(
                    operation: "Delete", expected: "uuid:52898947-C9BF-4DA9-9A9D-FAFB0CDB5566",
                    received: "uuid:C6D0BB3D-5D04-44D6-ADC9-1DB2E445AB14"))
    }

    @Test func operationTimeoutFaultsArePolledThroughRun() async throws {
        // setup: OperationTimeout PT10S; the service answers two Receives with w:TimedOut while the script sleeps
        let replay = try PypsrpReplay("test_winrs_operation_timeout", differences: Self.client)
        let client = WinRSClient(session: try replay.session())
        let output = OutputLog()
        // act
        let exitCode = try await client.run(
            command: "powershell.exe", arguments: ["Write-Host hi; Start-Sleep 30; Write-Host hi again"],
            deadline: .now + .seconds(30), onOutput: output.append)
        try await client.close()
        // assert
        #expect(replay.mismatches == [])
        #expect(replay.unconsumed == 0)
        #expect(exitCode == 0)
        #expect(output.chunks.map { String(decoding: $0.bytes, as: UTF8.self) } == ["hi", "\n", "hi", " again\n"])
    }

    // MARK: WinRSShell operations over the recordings

    @Test func standardCommandThroughShellOperations() async throws {
        // setup
        let replay = try PypsrpReplay("test_winrs_standard", differences: Self.lowLevel)
        let session = try replay.session()
        // act
        let shell = try await WinRSShell.create(on: session, options: Self.pypsrpDefaults)
        let commandID = try await shell.command("cmd.exe", arguments: ["/c", "echo", "hi"])
        let result = try await shell.receive(commandID: commandID)
        try await shell.signal(commandID: commandID, .ctrlC)
        try await shell.delete()
        // assert
        #expect(replay.mismatches == [])
        #expect(replay.unconsumed == 0)
        #expect(shell.shellID == "4283CBDC-3706-415B-88BD-B385F3E51A53")
        #expect(commandID == "CF84C20A-0A35-43FA-AF78-0B4711DA5F30")
        #expect(result.output == [WinRSOutput(stream: .stdout, bytes: Array("hi\r\n".utf8))])
        #expect(result.exitCode == 0)
    }

    @Test func stdinInTwoSends() async throws {
        // setup
        let replay = try PypsrpReplay("test_winrs_send", differences: Self.lowLevel + [Self.sendEndSpelling])
        let shell = try await WinRSShell.create(on: try replay.session(), options: Self.pypsrpDefaults)
        // act
        let commandID = try await shell.command("powershell.exe", arguments: ["-"])
        try await shell.send(commandID: commandID, Array(#"Write-Host "output 1";"#.utf8), end: false)
        try await shell.send(commandID: commandID, Array(#"Write-Host "output 2";"#.utf8), end: true)
        let result = try await shell.receive(commandID: commandID)
        try await shell.signal(commandID: commandID, .ctrlC)
        try await shell.delete()
        // assert
        #expect(replay.mismatches == [])
        #expect(replay.unconsumed == 0)
        #expect(result.exitCode == 0)
        #expect(result.output.flatMap(\.bytes) == Array("output 1\noutput 2\n".utf8))
    }

    @Test func environmentVariablesWithEveryPunctuationCharacter() async throws {
        // setup
        let replay = try PypsrpReplay("test_winrs_environment", differences: Self.lowLevel)
        let complex = #"_-(){}[]<>*+-/\?"!@#$^&|;:i,.`~0"#
        var options = Self.pypsrpDefaults
        options.environment = [("env1", "var1"), ("1234", "5678"), (complex, complex)]
        // act
        let shell = try await WinRSShell.create(on: try replay.session(), options: options)
        let commandID = try await shell.command("cmd.exe", arguments: ["/c", "set"])
        let result = try await shell.receive(commandID: commandID)
        try await shell.signal(commandID: commandID, .ctrlC)
        try await shell.delete()
        // assert
        #expect(replay.mismatches == [])
        #expect(replay.unconsumed == 0)
        let lines = String(decoding: result.output.flatMap(\.bytes), as: UTF8.self).split(separator: "\r\n").map(
            String.init)
        #expect(lines.contains("env1=var1"))
        #expect(lines.contains("1234=5678"))
        #expect(lines.contains("\(complex)=\(complex)"))
    }

    @Test func shellNameIdleTimeoutAndWorkingDirectory() async throws {
        // setup
        let lifetime = RequestDifference(
            reason: "pypsrp's test also set rsp:Lifetime, which this client never sets", operation: "Create",
            adjustRecorded: { envelope in
                envelope.editBody { $0.children[0].children.removeAll { $0.name == "Lifetime" } }
            })
        let replay = try PypsrpReplay("test_winrs_extra_opts", differences: Self.lowLevel + [lifetime])
        var options = Self.pypsrpDefaults
        options.idleTimeout = .seconds(60)
        options.name = "shell 1"
        options.workingDirectory = #"C:\Windows"#
        // act
        let shell = try await WinRSShell.create(on: try replay.session(), options: options)
        let commandID = try await shell.command("powershell.exe", arguments: ["(pwd).Path"])
        let result = try await shell.receive(commandID: commandID)
        try await shell.signal(commandID: commandID, .ctrlC)
        try await shell.delete()
        // assert
        #expect(replay.mismatches == [])
        #expect(replay.unconsumed == 0)
        #expect(result.output.flatMap(\.bytes) == Array("C:\\Windows\r\n".utf8))
    }

    @Test func noProfileOptionMustComply() async throws {
        // setup
        let replay = try PypsrpReplay("test_winrs_noprofile", differences: Self.lowLevel)
        // act
        let shell = try await WinRSShell.create(
            on: try replay.session(), options: WinRSShellOptions(codepage: nil, noProfile: true))
        let commandID = try await shell.command("cmd.exe", arguments: ["/c", "set"])
        let result = try await shell.receive(commandID: commandID)
        try await shell.signal(commandID: commandID, .ctrlC)
        try await shell.delete()
        // assert
        #expect(replay.mismatches == [])
        #expect(replay.unconsumed == 0)
        #expect(result.exitCode == 0)
        let text = String(decoding: result.output.flatMap(\.bytes), as: UTF8.self)
        #expect(text.contains("USERPROFILE=C:\\Users\\Default"))
    }

    @Test func commandFaultFromProviderThenRetryWithFullPath() async throws {
        // setup
        let replay = try PypsrpReplay("test_winrs_no_cmd_shell", differences: Self.lowLevel)
        let shell = try await WinRSShell.create(on: try replay.session(), options: Self.pypsrpDefaults)
        // act: without cmd.exe, powershell.exe needs its full path
        let error = await #expect(throws: WSManError.self) {
            _ = try await shell.command("powershell.exe", arguments: ["Write-Host", "hi"], skipCmdShell: true)
        }
        let commandID = try await shell.command(
            #"C:\Windows\system32\WindowsPowerShell\v1.0\powershell.exe"#, arguments: ["Write-Host", "hi"],
            skipCmdShell: true)
        let result = try await shell.receive(commandID: commandID)
        try await shell.signal(commandID: commandID, .ctrlC)
        try await shell.delete()
        // assert
        #expect(replay.mismatches == [])
        #expect(replay.unconsumed == 0)
        guard case .fault(let fault) = error else {
            Issue.record("expected a fault, got \(String(describing: error))"); return
        }
        #expect(fault.code == 2_147_942_402)
        #expect(fault.subcode == "InternalError")
        #expect(fault.message == "The system cannot find the file specified.")
        #expect(fault.provider == "Shell cmd plugin")
        #expect(fault.machine == "server2008r2.domain.local")
        #expect(!fault.isRetryable)
        #expect(result.output.flatMap(\.bytes) == Array("hi\n".utf8))
    }

    @Test func receiveForAnUnknownCommandIsATypedFault() async throws {
        // setup
        let replay = try PypsrpReplay("test_winrs_bad_cmd_id", differences: Self.lowLevel)
        let shell = try await WinRSShell.create(on: try replay.session(), options: Self.pypsrpDefaults)
        let commandID = try await shell.command("cmd.exe", arguments: ["/c", "echo", "hi"])
        // act
        let error = await #expect(throws: WSManError.self) {
            _ = try await shell.receive(commandID: "87E77BEB-6761-4C48-9D70-A00266B8459A")
        }
        try await shell.signal(commandID: commandID, .ctrlC)
        try await shell.delete()
        // assert
        #expect(replay.mismatches == [])
        #expect(replay.unconsumed == 0)
        guard case .fault(let fault) = error else {
            Issue.record("expected a fault, got \(String(describing: error))"); return
        }
        #expect(fault.code == WinRMFault.Code.unknownShellOrCommand)
        #expect(fault.isUnknownShellOrCommand)
        #expect(fault.subcode == "InvalidSelectors")
        #expect(fault.soapCode == "Sender")
        #expect(fault.machine == "192.168.56.15")
        #expect(
            fault.message.hasPrefix("The Windows Remote Shell received a request to perform an operation on a command"))
        #expect(!fault.description.contains("<"))
    }

    @Test func openThenDelete() async throws {
        // setup
        let replay = try PypsrpReplay("test_winrs_open_already_opened", differences: Self.lowLevel)
        // act
        let shell = try await WinRSShell.create(on: try replay.session(), options: Self.pypsrpDefaults)
        try await shell.delete()
        // assert
        #expect(replay.mismatches == [])
        #expect(replay.unconsumed == 0)
        #expect(shell.shellID == "ED7FD87E-E041-4BC2-A22F-B58FF7833094")
    }

    @Test func providerFaultInsideTheMessage() throws {
        // setup: pypsrp polled before starting a command, which this client cannot do; the answer is read alone
        let recording = try PypsrpRecording.load("test_winrs_fail_poll_process")
        let request = try WSManXMLParser.parse(Array(recording.messages[1].request.utf8))
        let messageID = try #require(
            request.child(XMLNamespace.soap, "Header")?.child(XMLNamespace.addressing, "MessageID")
        ).text
        let reply = WSManHTTPResponse(status: 500, body: Array(recording.messages[1].response.utf8))
        // act
        let error = #expect(throws: WSManError.self) {
            _ = try WSManSession.check(reply, answering: .receive, messageID: messageID)
        }
        // assert
        guard case .fault(let fault) = error else {
            Issue.record("expected a fault, got \(String(describing: error))"); return
        }
        #expect(fault.code == 87)
        #expect(fault.subcode == "InvalidParameter")
        #expect(fault.message == "The parameter is incorrect.")
        #expect(fault.provider == "Shell cmd plugin")
        #expect(fault.machine == "127.0.0.1")
    }

    @Test func aDifferenceInTheRequestIsCaught() async throws {
        // setup: the replay must fail when the client sends something else (here: another argument)
        let replay = try PypsrpReplay("test_winrs_standard", differences: Self.lowLevel)
        let shell = try await WinRSShell.create(on: try replay.session(), options: Self.pypsrpDefaults)
        // act
        await #expect(throws: WSManError.self) {
            _ = try await shell.command("cmd.exe", arguments: ["/c", "echo", "bye"])
        }
        // assert
        #expect(replay.mismatches.count == 1)
        #expect(replay.mismatches.first?.contains("bye") == true)
    }
}

/// Collects streamed output in order, from a `@Sendable` callback.
final class OutputLog: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [WinRSOutput] = []

    @Sendable func append(_ output: WinRSOutput) {
        lock.withLock { collected.append(output) }
    }

    var chunks: [WinRSOutput] { lock.withLock { collected } }

    func bytes(_ stream: ExecStream) -> [UInt8] {
        chunks.filter { $0.stream == stream }.flatMap(\.bytes)
    }

    func text(_ stream: ExecStream) -> String {
        String(decoding: bytes(stream), as: UTF8.self)
    }
}
