import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("CSRF protection")
struct CSRFTests {
    @Test(arguments: [CSRFChoice.missing, .wrong])
    func formPostWithoutTheTokenIsRefusedAndChangesNothing(_ choice: CSRFChoice) async throws {
        try await TestApp.run { test in
            // setup
            let admin = try await test.session("admin")
            let auditBefore = try await AuditEntry.query(on: test.app.db).count()
            // act
            let response = try await test.send(
                .POST, "/admin/users", session: admin, csrf: choice,
                form: ["username": "mallory", "role": "admin", "password": "a long enough password"])
            // assert
            #expect(response.status == .forbidden)
            #expect(response.text.contains("CSRF"))
            #expect(try await test.accounts.find("mallory") == nil)
            #expect(try await AuditEntry.query(on: test.app.db).count() == auditBefore)
        }
    }

    @Test func roleChangeWithWrongTokenChangesNothing() async throws {
        try await TestApp.run { test in
            let admin = try await test.session("admin")
            let response = try await test.send(
                .POST, "/admin/users/vera/role", session: admin, csrf: .wrong, form: ["role": "admin"])
            #expect(response.status == .forbidden)
            #expect(try await test.accounts.require("vera").role == .viewer)
        }
    }

    @Test func logoutWithoutTokenKeepsTheSession() async throws {
        try await TestApp.run { test in
            let session = try await test.session("vera")
            let response = try await test.send(.POST, "/logout", session: session, csrf: .missing, form: [:])
            #expect(response.status == .forbidden)
            #expect(try await test.send(.GET, "/", session: session).status == .ok)
        }
    }

    @Test func apiCallsWithASessionCookieNeedTheHeader() async throws {
        try await TestApp.run { test in
            let session = try await test.session("vera")
            let refused = try await test.send(
                .POST, "/api/v1/tokens", session: session, csrf: .missing, json: #"{"name":"x"}"#)
            #expect(refused.status == .forbidden)
            #expect(try await APIToken.query(on: test.app.db).count() == 0)
            let allowed = try await test.send(
                .POST, "/api/v1/tokens", session: session, csrf: .valid, json: #"{"name":"x"}"#)
            #expect(allowed.status == .created)
        }
    }

    @Test func bearerTokenRequestsAreExempt() async throws {
        try await TestApp.run { test in
            let token = try await test.token("admin")
            let response = try await test.send(
                .POST, "/api/v1/users", bearer: token, json: #"{"username":"newbie","role":"viewer"}"#)
            #expect(response.status == .created)
        }
    }
}
