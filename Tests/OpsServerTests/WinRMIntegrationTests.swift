import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// The WinRM emulator of scripts/lib/winrm.sh (Tests/winrm_emulator), as the server tests need it.
struct WinRMFixture {
    var httpPort: Int
    var httpsPort: Int
    var ca: String
    var records: String
    var user: String
    var password: String
    var limitedUser: String
    var limitedPassword: String
    var domainUser: String
    var domainPassword: String

    static let current: WinRMFixture? = {
        let environment = ProcessInfo.processInfo.environment
        func value(_ name: String) -> String? {
            environment["PCMOPS_TEST_WINRM_" + name].flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let http = value("HTTP_PORT").flatMap(Int.init), let https = value("HTTPS_PORT").flatMap(Int.init),
            let ca = value("CA"), let records = value("RECORDS"), let user = value("USER"),
            let password = value("PASSWORD"), let limitedUser = value("LIMITED_USER"),
            let limitedPassword = value("LIMITED_PASSWORD"), let domainUser = value("DOMAIN_USER"),
            let domainPassword = value("DOMAIN_PASSWORD")
        else { return nil }
        return WinRMFixture(
            httpPort: http, httpsPort: https, ca: ca, records: records, user: user, password: password,
            limitedUser: limitedUser, limitedPassword: limitedPassword, domainUser: domainUser,
            domainPassword: domainPassword)
    }()

    /// Whether a record (command line, scripts, stdin) holds `text` anywhere.
    static func mentions(_ record: [String: Any], _ text: String) -> Bool {
        guard let data = try? JSONSerialization.data(withJSONObject: record, options: [.withoutEscapingSlashes])
        else { return false }
        return String(decoding: data, as: UTF8.self).contains(text)
    }

    /// The emulator's record log: one object per command that ran.
    func commands() throws -> [[String: Any]] {
        let text = try String(contentsOfFile: records, encoding: .utf8)
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["kind"] as? String == "command" }
    }
}

/// Windows targets added, tested and run on through the API against the WinRM emulator, with every
/// authentication the product supports. They need the OpsWinRM session (the lead's) to pass.
@Suite("Windows targets against the WinRM emulator", .enabled(if: WinRMFixture.current != nil))
struct WinRMIntegrationTests {
    /// A mode of reaching the emulator: what the target says, and what the emulator must have seen.
    struct Mode: Sendable, CustomStringConvertible {
        var name: String
        var https: Bool
        var auth: String
        var settings: String
        var domain = false
        /// The disk check's threshold in its runs: unique per mode, it finds the mode's scripts in the records.
        var threshold = 90

        var description: String { name }
    }

    static let modes = [
        Mode(name: "ntlm-http", https: false, auth: "ntlm", settings: #""winrm_auth":"ntlm""#, threshold: 91),
        Mode(
            name: "negotiate-http", https: false, auth: "negotiate", settings: #""winrm_auth":"negotiate""#,
            threshold: 92),
        Mode(
            name: "ntlm-http-domain", https: false, auth: "ntlm", settings: #""winrm_auth":"ntlm""#, domain: true,
            threshold: 93),
        Mode(name: "basic-https", https: true, auth: "basic", settings: #""winrm_auth":"basic""#, threshold: 94),
        Mode(name: "ntlm-https-cbt", https: true, auth: "ntlm", settings: #""winrm_auth":"ntlm""#, threshold: 95),
        Mode(name: "ntlm-https-unverified", https: true, auth: "ntlm", settings: #""tls_verify":false"#, threshold: 96),
    ]

    static func setUp(
        _ test: TestApp, _ fixture: WinRMFixture, mode: Mode, name: String = "win", user: String? = nil,
        password: String? = nil
    ) async throws -> String {
        let admin = try await test.token("admin")
        let login = user ?? (mode.domain ? fixture.domainUser : fixture.user)
        let secret = password ?? (mode.domain ? fixture.domainPassword : fixture.password)
        let credential = String(
            decoding: try JSONEncoder().encode([
                "name": "\(name)-account", "kind": "winrm", "username": login, "password": secret,
            ]), as: UTF8.self)
        let created = try await test.send(.POST, "/api/v1/credentials", bearer: admin, json: credential)
        #expect(created.status == .created, "\(created.text)")
        var settings = mode.settings
        if mode.https && !mode.settings.contains("tls_verify") {
            settings += #","tls_ca_bundle":"\#(fixture.ca)""#
        }
        let port = mode.https ? fixture.httpsPort : fixture.httpPort
        let target = try await test.send(
            .POST, "/api/v1/targets", bearer: admin,
            json:
                #"{"name":"\#(name)","address":"127.0.0.1","port":\#(port),"transport":"winrm","winrm_scheme":"\#(mode.https ? "https" : "http")","credential":"\#(name)-account",\#(settings)}"#
        )
        #expect(target.status == .created, "\(target.text)")
        return try await test.token("oscar")
    }

    @Test(arguments: modes)
    func testConnectionReportsEveryStage(_ mode: Mode) async throws {
        let fixture = try #require(WinRMFixture.current)
        try await TestApp.run { test in
            // setup
            let token = try await Self.setUp(test, fixture, mode: mode)

            // act
            let result = try await test.send(.POST, "/api/v1/targets/win/test?admin=true", bearer: token).json()

            // assert
            #expect(result["ok"] as? Bool == true, "\(mode): \(result)")
            let stages = (result["timings"] as? [[String: Any]])?.compactMap { $0["stage"] as? String } ?? []
            let expected = ["connect"] + (mode.https ? ["tls"] : []) + ["authentication", "shell", "exec"]
            #expect(Array(stages.prefix(expected.count)) == expected, "\(mode): \(stages)")
            #expect(stages.last == "admin")
            #expect((result["facts"] as? [String: String])?.isEmpty == false, "\(mode): \(result)")
        }
    }

    @Test(arguments: modes)
    func pingRunsAndEveryStepOfARunSharesOneShell(_ mode: Mode) async throws {
        let fixture = try #require(WinRMFixture.current)
        try await TestApp.run { test in
            // setup
            let token = try await Self.setUp(test, fixture, mode: mode)

            // act
            let ping = try await test.send(
                .POST, "/api/v1/runs", bearer: token,
                json: #"{"tool":"windows-system","action":"ping","targets":["win"]}"#)
            let pingID = try #require(try ping.json()["id"] as? String, "\(ping.text)")
            let pinged = try await RunsAPITests.waitForEnd(test, pingID, token)
            let health = try await test.send(
                .POST, "/api/v1/runs", bearer: token,
                json:
                    #"{"tool":"windows-system","workflow":"health","targets":["win"],"parameters":{"threshold":"\#(mode.threshold)"}}"#
            )
            let healthID = try #require(try health.json()["id"] as? String, "\(health.text)")
            let checked = try await RunsAPITests.waitForEnd(test, healthID, token)

            // assert
            #expect(pinged["status"] as? String == "succeeded", "\(mode): \(pinged)")
            #expect(checked["status"] as? String == "succeeded", "\(mode): \(checked)")
            let commands = try fixture.commands()
            let disk = try #require(
                commands.last { WinRMFixture.mentions($0, "$PARAM_THRESHOLD = '\(mode.threshold)'") })
            let shell = try #require(disk["shell_id"] as? String)
            let run = commands.filter { $0["shell_id"] as? String == shell }
            #expect(run.count == 4, "ping, uptime, disk and memory in one shell: \(run.count)")
            #expect(run.allSatisfy { $0["auth"] as? String == mode.auth })
            #expect(run.allSatisfy { $0["scheme"] as? String == (mode.https ? "https" : "http") })
            // Over http, NTLM seals every message (AllowUnencrypted=false).
            #expect(mode.https || run.allSatisfy { $0["encrypted"] as? Bool == true })
        }
    }

    @Test func aWrongPasswordFailsAtAuthentication() async throws {
        let fixture = try #require(WinRMFixture.current)
        try await TestApp.run { test in
            let token = try await Self.setUp(test, fixture, mode: Self.modes[0], password: "not-the-password")
            let result = try await test.send(.POST, "/api/v1/targets/win/test", bearer: token).json()
            #expect(result["ok"] as? Bool == false)
            #expect(result["failed_stage"] as? String == "authentication", "\(result)")
            #expect(!(result["message"] as? String ?? "").contains("not-the-password"))
        }
    }

    @Test func anUntrustedCertificateFailsAtTLS() async throws {
        let fixture = try #require(WinRMFixture.current)
        try await TestApp.run { test in
            let mode = Mode(name: "system-store", https: true, auth: "ntlm", settings: #""tls_verify":true"#)
            let token = try await Self.setUp(test, fixture, mode: mode)
            let result = try await test.send(.POST, "/api/v1/targets/win/test", bearer: token).json()
            #expect(result["ok"] as? Bool == false)
            #expect(result["failed_stage"] as? String == "tls", "\(result)")
        }
    }

    @Test func aSessionThatIsNotElevatedFailsAtAdmin() async throws {
        let fixture = try #require(WinRMFixture.current)
        try await TestApp.run { test in
            // setup
            let token = try await Self.setUp(
                test, fixture, mode: Self.modes[0], user: fixture.limitedUser, password: fixture.limitedPassword)

            // act
            let plain = try await test.send(.POST, "/api/v1/targets/win/test", bearer: token).json()
            let admin = try await test.send(.POST, "/api/v1/targets/win/test?admin=true", bearer: token).json()

            // assert
            #expect(plain["ok"] as? Bool == true, "\(plain)")
            #expect(admin["ok"] as? Bool == false)
            #expect(admin["failed_stage"] as? String == "admin", "\(admin)")
        }
    }
}
