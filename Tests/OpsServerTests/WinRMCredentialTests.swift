import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// Credentials of kind `winrm`: a Windows account and its password, sealed like every secret.
@Suite("WinRM credentials")
struct WinRMCredentialTests {
    static func create(_ test: TestApp, _ fields: [String: String]) async throws -> TestingHTTPResponse {
        let body = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
        return try await test.send(.POST, "/api/v1/credentials", bearer: try await test.token("admin"), json: body)
    }

    @Test func everyFormOfAWindowsLoginIsStoredAndItsPasswordSealed() async throws {
        try await TestApp.run { test in
            // act
            let cases = [
                ("dom", "CORP\\ops", nil, "CORP\\ops", "windows account of CORP"),
                ("upn", "ops@corp.example", nil, "ops@corp.example", "windows account of corp.example"),
                ("local", "Administrator", nil, "Administrator", "windows local account"),
                ("split", "  ops  ", "CORP", "CORP\\ops", "windows account of CORP"),
                ("same", "ops@corp.example", "CORP.example", "ops@corp.example", "windows account of corp.example"),
                ("spaced", "CORP\\John Smith", nil, "CORP\\John Smith", "windows account of CORP"),
            ]
            for (name, login, domain, stored, summary) in cases {
                var fields = ["name": name, "kind": "winrm", "username": login, "password": "Pa55-\(name)-secret"]
                if let domain { fields["domain"] = domain }
                let response = try await Self.create(test, fields)

                // assert
                #expect(response.status == .created, "\(name): \(response.text)")
                let body = try response.json()
                #expect(body["kind"] as? String == "winrm")
                #expect(body["username"] as? String == stored, "\(name)")
                #expect(body["summary"] as? String == summary, "\(name)")
                #expect(!response.text.contains("secret"))
            }
            let stored = try #require(try await Credential.query(on: test.app.db).filter(\.$name == "dom").first())
            #expect(!String(decoding: stored.ciphertext, as: UTF8.self).contains("Pa55"))
            let opened = try CredentialService(database: test.app.db, vault: test.app.services.vault, audit: test.audit)
                .open(stored)
            #expect(opened == .winrmPassword("Pa55-dom-secret"))
            let listed = try await test.send(.GET, "/api/v1/credentials", bearer: try await test.token("admin"))
            #expect(!listed.text.contains("Pa55"))
        }
    }

    @Test(arguments: [
        (["username": "CORP\\ops"], HTTPStatus.badRequest, "password"),
        (["username": "", "password": "x"], .badRequest, "username"),
        (["username": "CORP\\", "password": "x"], .badRequest, "username: the user name is empty"),
        (["username": "\\ops", "password": "x"], .badRequest, "username: the domain is empty"),
        (["username": "ops@", "password": "x"], .badRequest, "username: the domain is empty"),
        (["username": "a@b@c", "password": "x"], .badRequest, "username"),
        (["username": "CORP\\a:b", "password": "x"], .badRequest, "username"),
        (["username": "ops\tx", "password": "x"], .badRequest, "username"),
        (["username": String(repeating: "u", count: 105), "password": "x"], .badRequest, "longer than 104"),
        (["username": "ops", "domain": "CO/RP", "password": "x"], .badRequest, "domain"),
        (["username": "CORP\\ops", "domain": "OTHER", "password": "x"], .unprocessableEntity, "domain"),
        (["username": "ops@corp.example", "domain": "EVIL", "password": "x"], .unprocessableEntity, "'corp.example'"),
    ])
    func badWindowsAccountsAreRefusedNamingTheField(
        _ fields: [String: String], _ status: HTTPStatus, _ mentions: String
    ) async throws {
        try await TestApp.run { test in
            // act
            let response = try await Self.create(test, fields.merging(["name": "w", "kind": "winrm"]) { a, _ in a })

            // assert
            #expect(response.status == status, "\(fields): \(response.text)")
            #expect((try response.json()["detail"] as? String)?.contains(mentions) == true, "\(response.text)")
            #expect(try await Credential.query(on: test.app.db).count() == 0)
        }
    }

    @Test func aDomainBelongsToWinRMCredentialsOnly() async throws {
        try await TestApp.run { test in
            let service = CredentialService(database: test.app.db, vault: test.app.services.vault, audit: test.audit)
            await #expect(throws: InventoryServiceError.invalid(field: "domain", message: "only for kind winrm")) {
                try await service.create(
                    name: "s", username: "ops", domain: "CORP", secret: .sshPassword("x"),
                    by: .init(name: "t", source: .system))
            }
            // An ssh login is still a POSIX one: '@' is not allowed there.
            await #expect(throws: InventoryServiceError.self) {
                try await service.create(
                    name: "s", username: "ops@corp", secret: .sshPassword("x"), by: .init(name: "t", source: .system))
            }
        }
    }

    @Test func theWebFormAddsAWindowsAccount() async throws {
        try await TestApp.run { test in
            // setup
            let admin = try await test.session("admin")

            // act
            let response = try await test.send(
                .POST, "/inventory/credentials", session: admin,
                form: ["name": "win", "kind": "winrm", "username": "ops", "domain": "CORP", "password": "form-pw-1"])
            let refused = try await test.send(
                .POST, "/inventory/credentials", session: admin,
                form: ["name": "win2", "kind": "winrm", "username": "a@b@c", "password": "x"])
            let page = try await test.send(.GET, "/inventory/credentials", session: admin)

            // assert
            #expect(response.status == .seeOther)
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("username:"))
            #expect(page.text.contains("CORP\\ops"))
            #expect(page.text.contains("<option value=\"winrm\""))
            #expect(!page.text.contains("form-pw-1"))
        }
    }

    /// openapi.yaml's WindowsLogin is the server's rule, so every client refuses what the server refuses.
    @Test func theWindowsLoginPatternIsTheServersRule() throws {
        let schema = try OpenAPIRulesTests.schema("WindowsLogin")
        let corpus = [
            "ops", "CORP\\ops", "ops@corp.example", " CORP\\ops ", "CORP\\John Smith", "a", "é@ü", "CO RP\\ops",
            "", " ", "\\", "@", "CORP\\", "\\ops", "ops@", "@corp", "a@b@c", "CORP\\a\\b", "CORP\\a@b", "x@y\\u",
            "ops\t", "\tops", "o\tps", "CORP\\ ops", "CORP \\ops", " CORP\\ops", "ops @corp", "ops@ corp", "ops@corp ",
            "CORP\\ ", "ops@ ", " @corp", "\u{3000}ops\u{3000}", "o\u{2028}ps", "o\u{A0}ps", "\u{A0}ops", "o\"ps",
            "o[ps", "o]ps", "o:ps",
            "o;ps", "o|ps", "o=ps", "o+ps", "o*ps", "o?ps", "o<ps", "o>ps", "o,ps", "o/ps", "CO:RP\\ops",
            "CO*RP\\ops", "ops@co|rp", String(repeating: "u", count: 104), String(repeating: "u", count: 105),
            String(repeating: "d", count: 255) + "\\u", String(repeating: "d", count: 256) + "\\u",
            "u@" + String(repeating: "d", count: 255), "u@" + String(repeating: "d", count: 256),
        ]
        for login in corpus {
            let server = (try? WindowsLogin.validate(login, field: "username")) != nil
            #expect(
                try OpenAPIRulesTests.matches(login, schema) == server, "\(login.debugDescription): server \(server)")
        }
    }
}
