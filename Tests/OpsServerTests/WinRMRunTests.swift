import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// Windows targets in runs and connection tests, without a WinRM peer: what is refused before any
/// connection, and what a target nothing listens for reports.
@Suite("WinRM targets in runs")
struct WinRMRunTests {
    /// A tool for both platforms, with a POSIX and a PowerShell action.
    static func anyPlatformTools() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pcmops-tools-\(UUID().uuidString)")
        let tool = directory.appendingPathComponent("anywhere")
        try FileManager.default.createDirectory(at: tool, withIntermediateDirectories: true)
        try """
        id: anywhere
        name: Anywhere
        description: Runs anywhere.
        platforms: [linux, windows]
        category: test
        actions:
          - id: posix
            name: POSIX
            interpreter: sh
            script: |
              echo hi
            timeout: 30
          - id: ps
            name: PowerShell
            interpreter: powershell
            script: |
              Write-Output 'hi'
            timeout: 30
        """.write(to: tool.appendingPathComponent("tool.yml"), atomically: true, encoding: .utf8)
        return directory
    }

    static func setUp(_ test: TestApp, credential: String) async throws -> String {
        let admin = try await test.token("admin")
        let created = try await test.send(.POST, "/api/v1/credentials", bearer: admin, json: credential)
        #expect(created.status == .created, "\(created.text)")
        let target = try await test.send(
            .POST, "/api/v1/targets", bearer: admin,
            json: #"{"name":"win01","address":"127.0.0.1","port":1,"transport":"winrm","credential":"c"}"#)
        #expect(target.status == .created, "\(target.text)")
        return try await test.token("oscar")
    }

    static let windowsAccount = #"{"name":"c","kind":"winrm","username":"CORP\\ops","password":"pw-123"}"#
    static let sshPassword = #"{"name":"c","kind":"ssh_password","username":"ops","password":"pw-123"}"#

    @Test func aLinuxToolIsRefusedOnAWindowsTargetByThePlatformRules() async throws {
        try await TestApp.run { test in
            let token = try await Self.setUp(test, credential: Self.windowsAccount)
            let response = try await test.send(
                .POST, "/api/v1/runs", bearer: token, json: #"{"tool":"system","action":"ping","targets":["win01"]}"#)
            #expect(response.status == .badRequest)
            #expect(response.text.contains("not on win01 (windows)"), "\(response.text)")
        }
    }

    @Test func aPOSIXScriptIsRefusedOnAWinRMTargetOfAToolForBothPlatforms() async throws {
        let tools = try Self.anyPlatformTools()
        defer { try? FileManager.default.removeItem(at: tools) }
        try await TestApp.run(configure: { $0.toolsDirectory = tools.path }) { test in
            let token = try await Self.setUp(test, credential: Self.windowsAccount)
            let refused = try await test.send(
                .POST, "/api/v1/runs", bearer: token, json: #"{"tool":"anywhere","action":"posix","targets":["win01"]}"#
            )
            let accepted = try await test.send(
                .POST, "/api/v1/runs", bearer: token, json: #"{"tool":"anywhere","action":"ps","targets":["win01"]}"#)
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("action 'posix' is a sh script and winrm targets run PowerShell"))
            #expect(accepted.status == .created, "\(accepted.text)")
            let id = try #require(try accepted.json()["id"] as? String)
            _ = try await RunsAPITests.waitForEnd(test, id, token)
        }
    }

    @Test func aWindowsTargetWithAnSSHCredentialFailsAtAuthenticationWithoutConnecting() async throws {
        try await TestApp.run { test in
            // setup
            let token = try await Self.setUp(test, credential: Self.sshPassword)

            // act
            let created = try await test.send(
                .POST, "/api/v1/runs", bearer: token,
                json:
                    #"{"tool":"windows-service-update","action":"check-process","targets":["win01"],"parameters":{"source_path":"C:\\a\\b.exe","target_path":"C:\\c\\b.exe"}}"#
            )
            let id = try #require(try created.json()["id"] as? String, "\(created.text)")
            let ended = try await RunsAPITests.waitForEnd(test, id, token)
            let executions = try await test.send(.GET, "/api/v1/runs/\(id)/executions", bearer: token)
            let tested = try await test.send(.POST, "/api/v1/targets/win01/test", bearer: token).json()

            // assert
            #expect(ended["status"] as? String == "failed")
            #expect(
                executions.text.contains(
                    "authentication: credential 'c' holds an SSH password, not a Windows account"), "\(executions.text)"
            )
            #expect(tested["ok"] as? Bool == false)
            #expect(tested["failed_stage"] as? String == "authentication")
            #expect((tested["message"] as? String)?.contains("kind winrm") == true)
        }
    }

    @Test func aWindowsTargetNothingListensForFailsAtConnect() async throws {
        try await TestApp.run { test in
            // setup
            let token = try await Self.setUp(test, credential: Self.windowsAccount)

            // act
            let created = try await test.send(
                .POST, "/api/v1/runs", bearer: token,
                json:
                    #"{"tool":"windows-service-update","action":"check-process","targets":["win01"],"parameters":{"source_path":"C:\\a\\b.exe","target_path":"C:\\c\\b.exe"}}"#
            )
            let id = try #require(try created.json()["id"] as? String, "\(created.text)")
            _ = try await RunsAPITests.waitForEnd(test, id, token)
            let executions = try await test.send(.GET, "/api/v1/runs/\(id)/executions", bearer: token)
            let rows = try #require(
                try JSONSerialization.jsonObject(with: Data(executions.text.utf8)) as? [[String: Any]])
            let tested = try await test.send(.POST, "/api/v1/targets/win01/test?admin=true", bearer: token).json()

            // assert
            #expect((rows.first?["error"] as? String)?.hasPrefix("connect: ") == true, "\(executions.text)")
            #expect(!executions.text.contains("pw-123"))
            #expect(tested["ok"] as? Bool == false)
            #expect(tested["failed_stage"] as? String == "connect")
            #expect(tested["transport"] as? String == "winrm")
        }
    }

    @Test func theTestPageOffersTheElevationCheckForWindowsTargetsOnly() async throws {
        try await TestApp.run { test in
            _ = try await Self.setUp(test, credential: Self.windowsAccount)
            let session = try await test.session("oscar")
            let tested = try await test.send(
                .POST, "/targets/win01/test", session: session, form: ["admin": "true"])
            #expect(tested.status == .ok)
            #expect(tested.text.contains("Connection failed at connect"))
            let audit = try await AuditEntry.query(on: test.app.db).filter(\.$action == "target.test").all()
            #expect(audit.count == 1)
        }
    }
}
