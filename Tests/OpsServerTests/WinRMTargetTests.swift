import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// A throwaway self-signed CA certificate (public only), for CA bundle checks.
enum TestCA {
    static let pem = """
        -----BEGIN CERTIFICATE-----
        MIIBizCCATGgAwIBAgIUJS/fC8azkxoN+sPN6iUy2jEOJ/AwCgYIKoZIzj0EAwIw
        GjEYMBYGA1UEAwwPcGNtLW9wcyB0ZXN0IENBMCAXDTI2MTIwNzAyMjI0N1oYDzIx
        MjYxMTEzMDIyMjQ3WjAaMRgwFgYDVQQDDA9wY20tb3BzIHRlc3QgQ0EwWTATBgcq
        hkjOPQIBBggqhkjOPQMBBwNCAAS2XxxR4dp018DLxXj32mohdIg96fQfpyKHCDsb
        WtGSPbHIjI5LiDZv1KwoiYWuR6pm+syJRgRnFxnS8GVcKwbKo1MwUTAdBgNVHQ4E
        FgQUVLMP0A3lKCqg1tvmhutV23FITr8wHwYDVR0jBBgwFoAUVLMP0A3lKCqg1tvm
        hutV23FITr8wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAwL4i
        fpEDkzH1wpUcGXlPkiOXSydxtk7+LMWnN9iXy70CIFsuntUXtlYFoVK2efZdqlBb
        xWVkSL2irdt9AE3CIotZ
        -----END CERTIFICATE-----

        """

    /// Files in a fresh directory: `ca.pem` (the certificate), `junk.pem` (text), `broken.pem` (a PEM
    /// frame around bytes that are no certificate).
    static func files() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pcmops-ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try pem.write(to: directory.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
        try "not a certificate\n".write(
            to: directory.appendingPathComponent("junk.pem"), atomically: true, encoding: .utf8)
        try "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".write(
            to: directory.appendingPathComponent("broken.pem"), atomically: true, encoding: .utf8)
        return directory
    }
}

/// The WinRM settings of a target: defaults, validation, clearing, and how the pages show them.
@Suite("WinRM target settings")
struct WinRMTargetTests {
    static func post(_ test: TestApp, _ json: String) async throws -> TestingHTTPResponse {
        try await test.send(.POST, "/api/v1/targets", bearer: try await test.token("admin"), json: json)
    }

    static func patch(_ test: TestApp, _ name: String, _ json: String) async throws -> TestingHTTPResponse {
        try await test.send(.PATCH, "/api/v1/targets/\(name)", bearer: try await test.token("admin"), json: json)
    }

    @Test func aWindowsTargetNeedsOnlyAnAddressAndTheTransport() async throws {
        try await TestApp.run { test in
            // act
            let created = try await Self.post(test, #"{"name":"win01","address":"10.0.0.9","transport":"winrm"}"#)

            // assert
            #expect(created.status == .created, "\(created.text)")
            let body = try created.json()
            #expect(body["port"] as? Int == 5986)
            #expect(body["os"] as? String == "windows")
            for field in ["winrm_auth", "winrm_scheme", "tls_verify", "tls_ca_bundle", "winrm_codepage"] {
                #expect(body[field] == nil, "\(field) is absent: the default")
            }
            let target = try await TargetService(database: test.app.db, audit: test.audit, allowLocal: false).require(
                "win01")
            let endpoint = target.winrmEndpoint(defaultCABundle: nil)
            #expect(endpoint.url == "https://10.0.0.9:5986/wsman")
            #expect(endpoint.authentication == .ntlm)
            #expect(endpoint.tlsVerification == .system)
        }
    }

    @Test func settingsAreStoredShownAndCleared() async throws {
        let directory = try TestCA.files()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bundle = directory.appendingPathComponent("ca.pem").path
        try await TestApp.run { test in
            // setup
            let created = try await Self.post(
                test,
                #"{"name":"w","transport":"winrm","address":"10.0.0.9","port":5985,"winrm_auth":"negotiate","winrm_codepage":932}"#
            )
            #expect(created.status == .created, "\(created.text)")

            // act
            let https = try await Self.patch(
                test, "w", #"{"port":443,"winrm_scheme":"https","winrm_auth":"basic","tls_ca_bundle":"\#(bundle)"}"#)
            let off = try await Self.patch(test, "w", #"{"tls_verify":false}"#)
            let target = try await TargetService(database: test.app.db, audit: test.audit, allowLocal: false).require(
                "w")
            let endpoint = target.winrmEndpoint(defaultCABundle: "/elsewhere.pem")
            let cleared = try await Self.patch(
                test, "w",
                #"{"port":5985,"winrm_scheme":"","winrm_auth":"","tls_ca_bundle":"","tls_verify":true,"winrm_codepage":65001}"#
            )

            // assert
            #expect(try created.json()["winrm_auth"] as? String == "negotiate")
            #expect(try created.json()["winrm_codepage"] as? Int == 932)
            #expect(https.status == .ok, "\(https.text)")
            #expect(try https.json()["tls_ca_bundle"] as? String == bundle)
            #expect(try off.json()["tls_verify"] as? Bool == false)
            #expect(endpoint.url == "https://10.0.0.9:443/wsman")
            #expect(endpoint.authentication == .basic)
            #expect(endpoint.tlsVerification == .none)
            #expect(cleared.status == .ok, "\(cleared.text)")
            for field in ["winrm_auth", "winrm_scheme", "tls_verify", "tls_ca_bundle", "winrm_codepage"] {
                #expect(try cleared.json()[field] == nil, "\(field) cleared")
            }
            let audit = try await AuditEntry.query(on: test.app.db).filter(\.$action == "target.update").all()
            #expect(audit.contains { $0.details?.contains(#""tls_verify":"off""#) == true })
        }
    }

    @Test func theServersCABundleIsTheDefaultTrust() async throws {
        let target = Target()
        target.address = "w"
        target.port = 5986
        #expect(target.winrmEndpoint(defaultCABundle: "/srv/ca.pem").tlsVerification == .caBundle(path: "/srv/ca.pem"))
        target.tlsCABundle = "/own.pem"
        #expect(target.winrmEndpoint(defaultCABundle: "/srv/ca.pem").tlsVerification == .caBundle(path: "/own.pem"))
        target.tlsVerify = false
        #expect(target.winrmEndpoint(defaultCABundle: "/srv/ca.pem").tlsVerification == .none)
    }

    @Test(arguments: [
        (#"{"name":"w","transport":"winrm","port":5985,"winrm_auth":"basic"}"#, 422, "winrm_auth: Basic"),
        (#"{"name":"w","transport":"winrm","winrm_scheme":"http","winrm_auth":"basic"}"#, 422, "use HTTPS"),
        (#"{"name":"w","transport":"winrm","winrm_auth":"kerberos"}"#, 400, "winrm_auth"),
        (#"{"name":"w","transport":"winrm","winrm_scheme":"ftp"}"#, 400, "winrm_scheme"),
        (#"{"name":"w","transport":"winrm","winrm_codepage":0}"#, 400, "winrm_codepage"),
        (#"{"name":"w","transport":"winrm","winrm_codepage":70000}"#, 400, "winrm_codepage"),
        (
            #"{"name":"w","transport":"winrm","tls_ca_bundle":"relative.pem"}"#, 422,
            "tls_ca_bundle: must be an absolute"
        ),
        (#"{"name":"w","transport":"winrm","tls_ca_bundle":"/nonexistent/ca.pem"}"#, 422, "tls_ca_bundle: no file"),
        (#"{"name":"w","transport":"winrm","tls_ca_bundle":"/"}"#, 422, "is a directory"),
        (#"{"name":"w","transport":"winrm","os":"linux"}"#, 422, "os: a winrm target runs windows"),
        (#"{"name":"w","transport":"winrm","username":"a@b@c"}"#, 422, "username"),
        (#"{"name":"w","winrm_auth":"ntlm"}"#, 422, "winrm_auth: applies to winrm targets only"),
        (#"{"name":"w","tls_verify":false}"#, 422, "tls_verify: applies to winrm targets only"),
        (#"{"name":"w","winrm_codepage":437}"#, 422, "winrm_codepage: applies"),
        (#"{"name":"w","username":"ops@corp"}"#, 422, "'@' (user@domain) is only for"),
    ])
    func badSettingsAreRefusedNamingTheField(_ body: String, _ status: Int, _ mentions: String) async throws {
        try await TestApp.run { test in
            // act
            let response = try await Self.post(test, body)

            // assert
            #expect(response.status.code == UInt(status), "\(body): \(response.text)")
            #expect((try response.json()["detail"] as? String)?.contains(mentions) == true, "\(response.text)")
            #expect(try await Target.query(on: test.app.db).count() == 0)
        }
    }

    @Test(arguments: ["junk.pem", "broken.pem"])
    func aCABundleMustHoldPEMCertificates(_ file: String) async throws {
        let directory = try TestCA.files()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestApp.run { test in
            let path = directory.appendingPathComponent(file).path
            let response = try await Self.post(
                test, #"{"name":"w","transport":"winrm","tls_ca_bundle":"\#(path)"}"#)
            #expect(response.status == .unprocessableEntity)
            #expect((try response.json()["detail"] as? String)?.contains("tls_ca_bundle: \(path)") == true)
        }
    }

    @Test func aWindowsLoginOnTheTargetAndLeavingWinRMClearsTheSettings() async throws {
        try await TestApp.run { test in
            // setup
            let created = try await Self.post(
                test, #"{"name":"w","transport":"winrm","username":"ops@corp.example","tls_verify":false}"#)
            #expect(created.status == .created, "\(created.text)")

            // act
            let refused = try await Self.patch(test, "w", #"{"transport":"ssh","os":"linux"}"#)
            let moved = try await Self.patch(test, "w", #"{"transport":"ssh","os":"linux","username":"ops"}"#)

            // assert
            #expect(try created.json()["username"] as? String == "ops@corp.example")
            #expect(refused.status == .unprocessableEntity)
            #expect((try refused.json()["detail"] as? String)?.contains("username") == true)
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(try moved.json()["tls_verify"] == nil)
            #expect(try moved.json()["port"] as? Int == 5986, "the port stays as it was")
        }
    }

    @Test func aTargetBecomingWinRMTurnsWindows() async throws {
        try await TestApp.run { test in
            _ = try await Self.post(test, #"{"name":"w","address":"10.0.0.9"}"#)
            let patched = try await Self.patch(test, "w", #"{"transport":"winrm","port":5985}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(try patched.json()["os"] as? String == "windows")
        }
    }

    @Test func theFormSetsTheSettingsAndThePagesFlagUnverifiedTLS() async throws {
        try await TestApp.run { test in
            // setup
            let admin = try await test.session("admin")

            // act
            let created = try await test.send(
                .POST, "/inventory/new-target", session: admin,
                form: [
                    "name": "win01", "address": "10.0.0.9", "transport": "winrm", "os": "windows",
                    "winrm_auth": "basic", "tls_verify": "off", "winrm_codepage": "",
                ])
            let detail = try await test.send(.GET, "/targets/win01", session: admin)
            let list = try await test.send(.GET, "/targets", session: admin)
            let turnedOn = try await test.send(
                .POST, "/targets/win01", session: admin,
                form: [
                    "address": "10.0.0.9", "transport": "winrm", "os": "windows", "winrm_auth": "basic",
                    "tls_verify": "",
                ])
            let refused = try await test.send(
                .POST, "/inventory/new-target", session: admin,
                form: [
                    "name": "w2", "address": "10.0.0.9", "transport": "winrm", "port": "5985", "winrm_auth": "basic",
                ])
            let ssh = try await test.send(
                .POST, "/inventory/new-target", session: admin,
                form: ["name": "s1", "address": "10.0.0.8", "transport": "ssh"])

            // assert
            #expect(created.status == .seeOther, "\(created.text)")
            #expect(detail.text.contains("https://10.0.0.9:5986/wsman"))
            #expect(detail.text.contains("accepts any certificate"))
            #expect(detail.text.contains("Require an elevated session"))
            #expect(list.text.contains("TLS unverified"))
            #expect(turnedOn.status == .seeOther)
            let target = try await TargetService(database: test.app.db, audit: test.audit, allowLocal: false).require(
                "win01")
            #expect(target.tlsVerify == nil)
            #expect(target.winrmAuth == "basic")
            #expect(target.winrmCodepage == nil)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Basic authentication over plain HTTP"))
            #expect(ssh.status == .seeOther, "an ssh target's empty Windows fields are no settings")
        }
    }

    @Test func theServerRefusesACABundleOptionThatIsNoPEMFile() throws {
        #expect(throws: ConfigError.self) {
            try ServerConfig.load(flags: ServerFlags(winrmCABundle: "/nonexistent.pem"), environment: [:])
        }
        #expect(throws: ConfigError.self) {
            try ServerConfig.load(flags: ServerFlags(), environment: ["PCMOPS_WINRM_CA_BUNDLE": "/"])
        }
        let directory = try TestCA.files()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ca.pem").path
        let config = try ServerConfig.load(flags: ServerFlags(), environment: ["PCMOPS_WINRM_CA_BUNDLE": path])
        #expect(config.winrmCABundle == path)
    }
}
