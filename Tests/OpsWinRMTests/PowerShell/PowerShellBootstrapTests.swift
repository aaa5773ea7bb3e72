import Foundation
import OpsCore
import Testing

@testable import OpsWinRM

@Suite("PowerShell bootstrap and elevation check")
struct PowerShellBootstrapTests {
    /// The bootstrap's -EncodedCommand, computed independently (Python: base64 of the script's UTF-16LE).
    static let encodedBootstrap =
        "JABFAHIAcgBvAHIAQQBjAHQAaQBvAG4AUAByAGUAZgBlAHIAZQBuAGMAZQAgAD0AIAAnAFMAdABvAHAAJwAKACQAdQB0AGYAOAAgAD0AIABOAGUAdwAt"
        + "AE8AYgBqAGUAYwB0ACAAUwB5AHMAdABlAG0ALgBUAGUAeAB0AC4AVQBUAEYAOABFAG4AYwBvAGQAaQBuAGcAIAAkAGYAYQBsAHMAZQAKAFsAQwBvAG4A"
        + "cwBvAGwAZQBdADoAOgBJAG4AcAB1AHQARQBuAGMAbwBkAGkAbgBnACAAPQAgACQAdQB0AGYAOAAKAFsAQwBvAG4AcwBvAGwAZQBdADoAOgBPAHUAdABw"
        + "AHUAdABFAG4AYwBvAGQAaQBuAGcAIAA9ACAAJAB1AHQAZgA4AAoAJABwAGMAbQBTAGMAcgBpAHAAdAAgAD0AIABbAEMAbwBuAHMAbwBsAGUAXQA6ADoA"
        + "SQBuAC4AUgBlAGEAZABUAG8ARQBuAGQAKAApAAoAJgAgACgAWwBTAGMAcgBpAHAAdABCAGwAbwBjAGsAXQA6ADoAQwByAGUAYQB0AGUAKAAkAHAAYwBt"
        + "AFMAYwByAGkAcAB0ACkAKQA="

    @Test func bootstrapIsExactlyTheAgreedScript() {
        #expect(
            PowerShellBootstrap.script
                == """
                $ErrorActionPreference = 'Stop'
                $utf8 = New-Object System.Text.UTF8Encoding $false
                [Console]::InputEncoding = $utf8
                [Console]::OutputEncoding = $utf8
                $pcmScript = [Console]::In.ReadToEnd()
                & ([ScriptBlock]::Create($pcmScript))
                """)
    }

    @Test func commandLineIsFixedAndShort() {
        #expect(PowerShellBootstrap.executable == "powershell.exe")
        #expect(
            PowerShellBootstrap.arguments == [
                "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand", Self.encodedBootstrap,
            ])
        #expect(
            PowerShellBootstrap.commandLine
                == "powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand \(Self.encodedBootstrap)"
        )
        #expect(PowerShellBootstrap.commandLine.count == 686)
        #expect(PowerShellBootstrap.commandLine.count < 8_191)
    }

    @Test func encodedCommandIsBase64OfUTF16LittleEndian() {
        // computed with Python, including a character outside the BMP (a surrogate pair)
        #expect(
            PowerShellBootstrap.encodedCommand("Write-Host こんにちは 🎵")
                == "VwByAGkAdABlAC0ASABvAHMAdAAgAFMwkzBrMGEwbzAgADzYtd8=")
        #expect(PowerShellBootstrap.encodedCommand("") == "")
    }

    @Test func scriptsTravelAsUTF8WithoutBOM() {
        let script = "# pcm-ops: parameters\n$NAME = 'Zoë ''quoted'' 日本'\n"
        #expect(PowerShellBootstrap.stdin(for: script) == Array(script.utf8))
        #expect(PowerShellBootstrap.stdin(for: script).prefix(3) != [0xEF, 0xBB, 0xBF])
    }

    @Test func elevationCheckIsExactlyTheAgreedScript() {
        #expect(
            PowerShellElevationCheck.script
                == "if (([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent())"
                + ".IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) { 'elevated' } else { 'not-elevated' }"
        )
    }

    @Test func elevationAnswers() {
        #expect(PowerShellElevationCheck.interpret(stdout: Array("elevated\r\n".utf8)) == true)
        #expect(PowerShellElevationCheck.interpret(stdout: Array("not-elevated\r\n".utf8)) == false)
        #expect(PowerShellElevationCheck.interpret(stdout: Array("  elevated".utf8)) == true)
        #expect(PowerShellElevationCheck.interpret(stdout: Array("Elevated".utf8)) == nil)
        #expect(PowerShellElevationCheck.interpret(stdout: Array("elevated\nelevated".utf8)) == nil)
        #expect(PowerShellElevationCheck.interpret(stdout: []) == nil)
    }

    @Test func runPowerShellSendsTheBootstrapAndTheScriptOverStdin() async throws {
        // setup
        let service = FakeWinRSService()
        let client = WinRSClientTests.client(service)
        let script = "# pcm-ops: parameters\n$ErrorActionPreference = 'Stop'\nWrite-Output 'ok'\n"
        // act
        _ = try await client.runPowerShell(script, deadline: .now + .seconds(600))
        // assert
        let command = try #require(service.requests.first { $0.operation == "Command" })
        let line = try #require(
            try WSManXMLParser.parse(command.envelope).child(XMLNamespace.soap, "Body")?.child(
                XMLNamespace.shell, "CommandLine"))
        #expect(line.child(XMLNamespace.shell, "Command")?.text == "powershell.exe")
        #expect(line.children(XMLNamespace.shell, "Arguments").map(\.text) == PowerShellBootstrap.arguments)
        let sends = service.requests.filter { $0.operation == "Send" }
        #expect(sends.flatMap(\.stdin) == Array(script.utf8))
        #expect(sends.last?.end == true)
    }

    @Test func runPowerShellDecodesCLIXMLOnStderrAcrossReceives() async throws {
        // setup: the header in one Receive, the records split across the next two (WinRb/WinRM#106 shows such splits)
        let service = FakeWinRSService()
        service.script(
            "Receive",
            .output(
                [WinRSClientTests.output("#< CLIXML\r\n", .stderr), WinRSClientTests.output("out\r\n")], exitCode: nil),
            .output(
                [
                    WinRSClientTests.output(
                        "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\"><Obj S=\"progress\" RefId=\"0\">"
                            + "<MS><I64 N=\"SourceId\">1</I64></MS></Obj><S S=\"Error\">boom_x000D_", .stderr)
                ], exitCode: nil),
            .output([WinRSClientTests.output("_x000A_</S></Objs>", .stderr)], exitCode: 1))
        let log = OutputLog()
        // act
        let exitCode = try await WinRSClientTests.client(service).runPowerShell(
            "throw 'boom'", deadline: .now + .seconds(600), onOutput: log.append)
        // assert
        #expect(exitCode == 1)
        #expect(log.text(.stderr) == "boom\r\n")
        #expect(log.text(.stdout) == "out\r\n")
    }

    @Test func runPowerShellPassesUnfinishedCLIXMLThroughWhenTheCommandFails() async throws {
        // setup: the command is cut off mid-record
        let service = FakeWinRSService()
        service.script(
            "Receive",
            .output(
                [WinRSClientTests.output("#< CLIXML\r\n<Objs Version=\"1\"><S S=\"Error\">half", .stderr)],
                exitCode: nil),
            .fault(code: 995, subcode: "InternalError", message: "aborted"))
        let log = OutputLog()
        // act
        await #expect(throws: WSManError.self) {
            _ = try await WinRSClientTests.client(service).runPowerShell(
                "x", deadline: .now + .seconds(600), onOutput: log.append)
        }
        // assert
        #expect(log.text(.stderr) == "#< CLIXML\r\n<Objs Version=\"1\"><S S=\"Error\">half")
    }

    @Test(
        "the elevation check through the client",
        arguments: [("elevated\r\n", true), ("not-elevated\r\n", false)])
    func elevation(stdout: String, elevated: Bool) async throws {
        let service = FakeWinRSService()
        service.script("Receive", .output([WinRSClientTests.output(stdout)], exitCode: 0))
        #expect(try await WinRSClientTests.client(service).isElevated(deadline: .now + .seconds(600)) == elevated)
        #expect(
            service.requests.filter { $0.operation == "Send" }.flatMap(\.stdin)
                == Array(PowerShellElevationCheck.script.utf8))
    }

    @Test func anUnreadableElevationAnswerIsAnError() async throws {
        let service = FakeWinRSService()
        service.script(
            "Receive",
            .output(
                [
                    WinRSClientTests.output("something else"),
                    WinRSClientTests.output(
                        "#< CLIXML\r\n<Objs Version=\"1\"><S S=\"Error\">Access denied_x000D__x000A_</S></Objs>",
                        .stderr),
                ], exitCode: 1))
        let error = await #expect(throws: WSManError.self) {
            _ = try await WinRSClientTests.client(service).isElevated(deadline: .now + .seconds(600))
        }
        #expect(
            error
                == .unexpectedOutput(
                    operation: "the elevation check",
                    detail: "it exited with 1 and printed \"something else\" (stderr: Access denied)"))
    }
}
