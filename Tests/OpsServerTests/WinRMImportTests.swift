import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// Ansible `winrm` hosts imported as Windows targets: their settings, their accounts, and the hosts
/// skipped with a reason.
@Suite("WinRM inventory import")
struct WinRMImportTests {
    static func importINI(_ test: TestApp, _ text: String) async throws -> [String: Any] {
        let response = try await test.send(
            .POST, "/api/v1/inventory/import?file_name=hosts.ini", bearer: try await test.token("admin"),
            headers: ["Content-Type": "text/plain"], body: text)
        #expect(response.status == .ok, "\(response.text)")
        return try response.json()
    }

    @Test func windowsHostsBecomeWinRMTargetsWithTheirSettingsAndAccounts() async throws {
        let directory = try TestCA.files()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bundle = directory.appendingPathComponent("ca.pem").path
        try await TestApp.run { test in
            // setup
            let inventory = #"""
                [windows]
                w-ntlm ansible_host=10.0.0.1 ansible_port=5985 ansible_winrm_transport=ntlm ansible_user='CORP\ops' ansible_password=Win-pw-1
                w-basic ansible_host=10.0.0.2 ansible_winrm_transport=basic ansible_winrm_server_cert_validation=ignore ansible_user=ops@corp.example ansible_password=Win-pw-2
                w-ca ansible_host=10.0.0.3 ansible_port=443 ansible_winrm_ca_trust_path=\#(bundle)
                w-spaced ansible_host=10.0.0.4 ansible_user='CORP\John Smith' ansible_password=Win-pw-3
                w-kerberos ansible_host=10.0.0.5 ansible_winrm_transport=kerberos
                w-plainbasic ansible_host=10.0.0.6 ansible_winrm_transport=plaintext ansible_winrm_scheme=http
                w-nobundle ansible_host=10.0.0.7 ansible_winrm_ca_trust_path=/nonexistent/ca.pem
                w-nouser ansible_host=10.0.0.8 ansible_password=Win-pw-4

                [windows:vars]
                ansible_connection=winrm
                """#

            // act
            let report = try await Self.importINI(test, inventory)
            let second = try await Self.importINI(test, inventory)
            let targets = TargetService(database: test.app.db, audit: test.audit, allowLocal: false)
            let credentials = try await Credential.query(on: test.app.db).sort(\.$name).all()

            // assert
            #expect(
                (report["added"] as? [String])?.sorted() == ["w-basic", "w-ca", "w-nouser", "w-ntlm", "w-spaced"],
                "\(report)")
            let rejected = Dictionary(
                uniqueKeysWithValues: (report["rejected"] as? [[String: Any]] ?? []).map {
                    ($0["name"] as? String ?? "", $0["reason"] as? String ?? "")
                })
            #expect(rejected["w-kerberos"]?.contains("out of scope") == true)
            #expect(rejected["w-plainbasic"]?.contains("winrm_auth: Basic authentication over plain HTTP") == true)
            #expect(rejected["w-nobundle"]?.contains("tls_ca_bundle: no file at /nonexistent/ca.pem") == true)
            let warnings = report["warnings"] as? [[String: Any]] ?? []
            #expect(warnings.first?["name"] as? String == "w-nouser")
            #expect((second["unchanged"] as? [String])?.count == 5, "\(second)")

            let ntlm = try await targets.require("w-ntlm")
            #expect(ntlm.winrmEndpoint(defaultCABundle: nil).url == "http://10.0.0.1:5985/wsman")
            #expect(ntlm.winrmAuth == "ntlm")
            #expect(ntlm.os == "windows")
            let basic = try await targets.require("w-basic")
            #expect(basic.winrmEndpoint(defaultCABundle: nil).url == "https://10.0.0.2:5986/wsman")
            #expect(basic.tlsVerify == false)
            #expect(basic.username == "ops@corp.example")
            let ca = try await targets.require("w-ca")
            #expect(ca.winrmEndpoint(defaultCABundle: nil).url == "https://10.0.0.3:443/wsman")
            #expect(ca.tlsCABundle == bundle)
            let spaced = try await targets.require("w-spaced")
            #expect(spaced.username == nil, "a login with a space stays in the credential")

            #expect(credentials.map(\.kind) == ["winrm", "winrm", "winrm"])
            #expect(Set(credentials.map(\.username)) == ["CORP\\ops", "ops@corp.example", "CORP\\John Smith"])
            let service = CredentialService(database: test.app.db, vault: test.app.services.vault, audit: test.audit)
            let spacedCredential = try #require(credentials.first { $0.username == "CORP\\John Smith" })
            #expect(try service.open(spacedCredential) == .winrmPassword("Win-pw-3"))
            #expect(spaced.$credential.id == spacedCredential.id)
        }
    }
}
