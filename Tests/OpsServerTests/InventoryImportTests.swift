import Fluent
import Foundation
import OpsTestSupport
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("Inventory import and known hosts")
struct InventoryImportTests {
    static let yaml = """
        all:
          vars:
            ansible_user: deploy
          children:
            prod:
              vars:
                env: prod
              children:
                web:
                  hosts:
                    web[01:03].example.com:
                      role: web
                db:
                  hosts:
                    db01:
                      ansible_host: 10.0.0.10
                      ansible_port: 2222
                      ansible_password: db-secret-pw
                    db02:
                      ansible_host: 10.0.0.11
                      ansible_password: db-secret-pw
                    broken:
                      ansible_port: 99999
            windows:
              hosts:
                win01:
                  ansible_connection: winrm
        """

    func importYAML(_ test: TestApp, _ text: String = yaml, dryRun: Bool = false) async throws -> TestingHTTPResponse {
        try await test.send(
            .POST, "/api/v1/inventory/import?file_name=hosts.yml&dry_run=\(dryRun)",
            bearer: try await test.token("admin"),
            headers: ["Content-Type": "application/yaml"], body: text)
    }

    @Test func ansibleYAMLImportIsIdempotentAndReportsEverything() async throws {
        try await TestApp.run { test in
            // act: first import
            let first = try await importYAML(test)
            #expect(first.status == .ok, "\(first.text)")
            let report = try first.json()
            // assert
            #expect(
                (report["added"] as? [String])?.sorted() == [
                    "db01", "db02", "web01.example.com", "web02.example.com", "web03.example.com", "win01",
                ])
            let rejected = try #require(report["rejected"] as? [[String: Any]])
            #expect(rejected.count == 1)
            #expect(rejected.first?["name"] as? String == "broken")
            #expect([22, 23].contains(rejected.first?["line"] as? Int ?? 0))
            #expect((report["credentials_added"] as? [String])?.count == 1, "one credential for the shared password")
            #expect(Set(report["groups_added"] as? [String] ?? []) == ["prod", "web", "db", "windows"])
            let db01 = try await TargetService(database: test.app.db, audit: test.audit, allowLocal: false).require(
                "db01")
            #expect(db01.address == "10.0.0.10")
            #expect(db01.port == 2222)
            #expect(db01.username == "deploy")
            #expect(db01.tags["env"] == "prod")
            #expect(db01.source == "inventory")
            let win = try await TargetService(database: test.app.db, audit: test.audit, allowLocal: false).require(
                "win01")
            #expect(win.transport == "winrm" && win.os == "windows")
            let web = try await GroupService(database: test.app.db, audit: test.audit).members(of: "web").map(\.name)
            #expect(web == ["web01.example.com", "web02.example.com", "web03.example.com"])
            #expect(!first.text.contains("db-secret-pw"))

            // act: the same file again
            let second = try await importYAML(test).json()
            #expect((second["unchanged"] as? [String])?.count == 6)
            #expect((second["added"] as? [String])?.isEmpty == true)
            #expect((second["credentials_added"] as? [String])?.isEmpty == true)

            // act: a change
            let changed = try await importYAML(test, Self.yaml.replacingOccurrences(of: "2222", with: "2200")).json()
            #expect(changed["updated"] as? [String] == ["db01"])
            #expect(try await Target.query(on: test.app.db).count() == 6)
        }
    }

    @Test func dryRunChangesNothing() async throws {
        try await TestApp.run { test in
            let auditBefore = try await AuditEntry.query(on: test.app.db).filter(\.$action != "token.create").count()
            let response = try await importYAML(test, dryRun: true)
            let report = try response.json()
            #expect(report["dry_run"] as? Bool == true)
            #expect((report["added"] as? [String])?.count == 6)
            #expect(try await Target.query(on: test.app.db).count() == 0)
            #expect(try await Credential.query(on: test.app.db).count() == 0)
            #expect(try await TargetGroup.query(on: test.app.db).count() == 0)
            #expect(
                try await AuditEntry.query(on: test.app.db).filter(\.$action != "token.create").count() == auditBefore)
        }
    }

    @Test(arguments: [
        "all:\n\thosts: x\n", "- just\n- a list\n",
        "all:\n  children:\n    a:\n      children:\n        b:\n    b:\n      children:\n        a:\n",
    ])
    func filesThatDoNotParseAre422AndChangeNothing(_ text: String) async throws {
        try await TestApp.run { test in
            try await InventoryFixtures.seed(test)
            let response = try await importYAML(test, text)
            // Well formed for openapi.yaml (any text), but not an inventory: a 422, not a malformed request.
            #expect(response.status == .unprocessableEntity)
            #expect((try response.json()["detail"] as? String)?.contains("line") == true, "\(response.text)")
            #expect(try await Target.query(on: test.app.db).count() == 3)
        }
    }

    @Test func iniAndCSVImports() async throws {
        try await TestApp.run { test in
            let token = try await test.token("admin")
            let ini = "[web]\nweb[1:2] ansible_host=10.9.0.1\n[web:vars]\nrole=web\n"
            let iniReport = try await test.send(
                .POST, "/api/v1/inventory/import?format=ini", bearer: token, headers: ["Content-Type": "text/plain"],
                body: ini)
            #expect((try iniReport.json()["added"] as? [String]) == ["web1", "web2"])
            let csv =
                "name,address,port,transport,os,tags,groups\nlb01,10.2.0.1,22,ssh,linux,\"env=prod;role=lb\",edge\nbad,10.2.0.2,notaport,ssh,linux,,\n"
            let csvReport = try await test.send(
                .POST, "/api/v1/inventory/import?format=csv", bearer: token, headers: ["Content-Type": "text/csv"],
                body: csv)
            let report = try csvReport.json()
            #expect(report["added"] as? [String] == ["lb01"])
            #expect((report["rejected"] as? [[String: Any]])?.first?["line"] as? Int == 3)
            let lb = try await TargetService(database: test.app.db, audit: test.audit, allowLocal: false).require(
                "lb01")
            #expect(lb.tags == ["env": "prod", "role": "lb"])
        }
    }

    /// A text/csv or application/yaml body is read as its media type says, whatever `format` says.
    @Test func theMediaTypeDecidesTheFormatOfCSVAndYAMLBodies() async throws {
        try await TestApp.run { test in
            let token = try await test.token("admin")
            let csv = try await test.send(
                .POST, "/api/v1/inventory/import?format=yaml&dry_run=true", bearer: token,
                headers: ["Content-Type": "text/csv"], body: "name,address\nlb01,10.2.0.1\n")
            #expect(try csv.json()["added"] as? [String] == ["lb01"], "\(csv.text)")
            let notCSV = try await test.send(
                .POST, "/api/v1/inventory/import?format=yaml&dry_run=true", bearer: token,
                headers: ["Content-Type": "text/csv"], body: "{}")
            #expect(notCSV.status == .unprocessableEntity, "\(notCSV.text)")
            let yaml = try await test.send(
                .POST, "/api/v1/inventory/import?format=ini&dry_run=true", bearer: token,
                headers: ["Content-Type": "application/yaml"], body: "all:\n  hosts:\n    web9:\n")
            #expect(try yaml.json()["added"] as? [String] == ["web9"], "\(yaml.text)")
        }
    }

    @Test func webUploadShowsTheReport() async throws {
        try await TestApp.run { test in
            let session = try await test.session("admin")
            let boundary = "pcmopsboundary"
            let body =
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n\(session.csrf)\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hosts.ini\"\r\nContent-Type: text/plain\r\n\r\n"
                + "[app]\napp01 ansible_host=10.3.0.1\n\r\n--\(boundary)--\r\n"
            let response = try await test.send(
                .POST, "/inventory/import", session: session, csrf: .missing,
                headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"], body: body)
            #expect(response.status == .ok, "\(response.text.prefix(300))")
            #expect(response.text.contains("1 added"))
            let empty = try await test.send(
                .POST, "/inventory/import", session: session, csrf: .missing,
                headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"],
                body:
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n\(session.csrf)\r\n--\(boundary)--\r\n"
            )
            #expect(empty.status == .badRequest)
        }
    }

    @Test func knownHostsImportReportsBadLinesAndKeepsGoodOnes() async throws {
        try await TestApp.run { test in
            let token = try await test.token("admin")
            let key = try InventoryFixtures.generateKey()
            let publicKey = try #require(try? OpsSSHTestKey.publicLine(ofPrivate: key))
            let text =
                "# comment\n[10.0.0.1]:2222 \(publicKey)\nthis line is broken\n@revoked old.example.com \(publicKey)\n"
            let response = try await test.send(
                .POST, "/api/v1/known-hosts", bearer: token, headers: ["Content-Type": "text/plain"], body: text)
            #expect(response.status == .ok)
            let report = try response.json()
            #expect(report["added"] as? Int == 2)
            #expect((report["rejected"] as? [[String: Any]])?.first?["line"] as? Int == 3)
            let again = try await test.send(
                .POST, "/api/v1/known-hosts", bearer: token, headers: ["Content-Type": "text/plain"], body: text)
            #expect(try again.json()["unchanged"] as? Int == 2)
            let list = try await test.send(.GET, "/api/v1/known-hosts", bearer: token)
            #expect(list.text.contains("SHA256:"))
            #expect(list.text.contains("revoked"))
            let empty = try await test.send(
                .POST, "/api/v1/known-hosts", bearer: token, headers: ["Content-Type": "text/plain"], body: "")
            #expect(empty.status == .badRequest)
        }
    }
}

/// Public key lines for generated keys.
enum OpsSSHTestKey {
    static func publicLine(ofPrivate text: String) throws -> String {
        let directory = NSTemporaryDirectory() + "pcmops-pub-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/key"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        return try ChildProcess.run("/usr/bin/ssh-keygen", ["-y", "-f", path]).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

@Suite("Host key store lookups")
struct HostKeyStoreLookupTests {
    @Test func onlyEntriesThatCanApplyAreRead() async throws {
        try await TestApp.run { test in
            let key = try OpsSSHTestKey.publicLine(ofPrivate: try InventoryFixtures.generateKey())
            let text = [
                "Web01.Example.com \(key)", "db01.example.com \(key)", "*.example.org \(key)",
                "|1|F1E1KeoE/eEWhi10WpGv4OdiO6Y=|3988QV0VE8wmZL7suNrYQLITLCg= \(key)",
            ].joined(separator: "\n")
            let service = KnownHostsService(database: test.app.db, audit: test.audit)
            let report = try await service.importText(text, source: "test", by: .init(name: nil, source: .system))
            #expect(report.added == 4)
            let store = DatabaseHostKeyStore(
                service: service, audit: test.audit, actor: .init(name: nil, source: .system))
            let entries = try await store.entries(forHost: "web01.example.com", port: 22)
            #expect(entries.count == 3, "the plain match (any case), the wildcard and the hashed entry")
            #expect(entries.contains { $0.matches(host: "web01.example.com", port: 22) })
        }
    }
}
