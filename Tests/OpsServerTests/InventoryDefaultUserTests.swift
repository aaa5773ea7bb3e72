import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// Hosts whose inventory names no login, local hosts refused by a server without `--allow-local`, and host
/// names Ansible allows that are not DNS names.
@Suite("Inventory import: default user and host names")
struct InventoryDefaultUserTests {
    static let ini = """
        [app]
        app01 ansible_host=10.3.0.1
        app02 ansible_host=10.3.0.2 ansible_user=alice
        db01 ansible_host=10.3.0.3 ansible_password=db-secret-pw

        [tools]
        control ansible_connection=local
        """

    func importINI(
        _ test: TestApp, _ text: String = ini, query: String = ""
    ) async throws -> TestingHTTPResponse {
        try await test.send(
            .POST, "/api/v1/inventory/import?file_name=hosts.ini" + query, bearer: try await test.token("admin"),
            headers: ["Content-Type": "text/plain"], body: text)
    }

    func target(_ test: TestApp, _ name: String) async throws -> Target {
        try await TargetService(database: test.app.db, audit: test.audit, allowLocal: false).require(name)
    }

    @Test func defaultUserGoesToHostsWithoutAUserAndTheReportSaysWhich() async throws {
        try await TestApp.run { test in
            // act
            let response = try await importINI(test, query: "&default_user=deploy")

            // assert
            #expect(response.status == .ok, "\(response.text)")
            let report = try response.json()
            #expect(report["default_user"] as? String == "deploy")
            #expect(report["default_user_hosts"] as? [String] == ["app01", "db01"])
            #expect(try await target(test, "app01").username == "deploy")
            #expect(try await target(test, "app02").username == "alice")
            let credential = try #require(try await Credential.query(on: test.app.db).first())
            #expect(credential.username == "deploy", "the password's credential is for the default user")
        }
    }

    @Test func withoutADefaultUserTheHostsKeepTheirCredentialsUser() async throws {
        try await TestApp.run { test in
            // act
            let report = try await importINI(test).json()

            // assert
            #expect(report["default_user"] == nil)
            #expect(report["default_user_hosts"] as? [String] == ["app01", "db01"])
            #expect(try await target(test, "app01").username == nil)
            let credential = try #require(try await Credential.query(on: test.app.db).first())
            #expect(credential.username == InventoryImporter.credentialUser)
        }
    }

    @Test(arguments: ["a b", "x@y", "db:1", String(repeating: "u", count: 65), "tab%09in"])
    func badDefaultUserIsRefusedBeforeAnythingIsImported(_ user: String) async throws {
        try await TestApp.run { test in
            // setup
            let encoded = user.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? user
            let query = "&default_user=" + (user.contains("%") ? user : encoded)

            // act
            let response = try await importINI(test, query: query)

            // assert
            #expect(response.status == .badRequest, "\(response.text)")
            #expect((try response.json()["detail"] as? String)?.hasPrefix("default_user:") == true, "\(response.text)")
            #expect(try await Target.query(on: test.app.db).count() == 0)
        }
    }

    @Test func localHostIsRefusedNamingTheServerFlag() async throws {
        try await TestApp.run { test in
            // act
            let report = try await importINI(test).json()

            // assert: the rest is imported; the local host's reason names what an admin can do.
            let rejected = try #require(report["rejected"] as? [[String: Any]])
            #expect(rejected.map { $0["name"] as? String } == ["control"])
            let reason = try #require(rejected.first?["reason"] as? String)
            #expect(reason.contains("--allow-local"), "\(reason)")
            #expect(!reason.contains("PCMOPS_ALLOW_LOCAL"), "\(reason)")
            #expect((report["default_user_hosts"] as? [String])?.contains("control") == false)
        }
    }

    @Test func webFormSendsTheDefaultUserAndShowsWhoGotIt() async throws {
        try await TestApp.run { test in
            // setup
            let session = try await test.session("admin")
            let boundary = "pcmopsboundary"
            func field(_ name: String, _ value: String) -> String {
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
            }
            func body(user: String) -> String {
                field("csrf_token", session.csrf) + field("default_user", user)
                    + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hosts.ini\"\r\n"
                    + "Content-Type: text/plain\r\n\r\n[app]\napp01 ansible_host=10.3.0.1\n\r\n--\(boundary)--\r\n"
            }
            let headers: HTTPHeaders = ["Content-Type": "multipart/form-data; boundary=\(boundary)"]

            // act
            let refused = try await test.send(
                .POST, "/inventory/import", session: session, csrf: .missing, headers: headers, body: body(user: "a b"))
            let response = try await test.send(
                .POST, "/inventory/import", session: session, csrf: .missing, headers: headers, body: body(user: "ops"))

            // assert
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("default_user: must be a login name"))
            #expect(response.status == .ok, "\(response.text.prefix(300))")
            #expect(response.text.contains("1 host without ansible_user logs in as ops, the default user given."))
            #expect(try await target(test, "app01").username == "ops")
            let form = try await test.send(.GET, "/inventory/import", session: session)
            #expect(form.text.contains(#"name="default_user""#))
        }
    }

    @Test func ipv6AndUnderscoredHostNamesBecomeTargetsThatCanBeFetched() async throws {
        try await TestApp.run { test in
            // setup
            let text = "some_host\n[v6]\n2001:db8::10\n[2001:db8::11]:2222\n"

            // act
            let report = try await importINI(test, text).json()

            // assert
            #expect((report["added"] as? [String])?.sorted() == ["2001:db8::10", "2001:db8::11", "some_host"])
            #expect(try await target(test, "some_host").address == "some_host")
            #expect(try await target(test, "2001:db8::11").port == 2222)
            let fetched = try await test.send(
                .GET, "/api/v1/targets/2001:db8::10", bearer: try await test.token("admin"))
            #expect(fetched.status == .ok, "\(fetched.text)")
            #expect(try fetched.json()["address"] as? String == "2001:db8::10")
        }
    }
}
