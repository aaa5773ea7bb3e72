import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("API tokens")
struct TokenAuthTests {
    @Test func bearerTokenAuthenticatesAndRecordsLastUse() async throws {
        try await TestApp.run { test in
            let token = try await test.token("oscar")
            let response = try await test.send(.GET, "/api/v1/me", bearer: token)
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(body["username"] as? String == "oscar")
            #expect(body["role"] as? String == "operator")
            #expect(body["authenticated_by"] as? String == "token")
            let stored = try #require(try await APIToken.query(on: test.app.db).first())
            #expect(stored.lastUsedAt != nil)
            #expect(stored.tokenHash != token)
            #expect(!stored.tokenHash.contains(token))
        }
    }

    @Test func revokedTokenIsRefused() async throws {
        try await TestApp.run { test in
            let session = try await test.session("oscar")
            let created = try await test.send(.POST, "/api/v1/tokens", session: session, json: #"{"name":"ci job"}"#)
            #expect(created.status == .created)
            let body = try created.json()
            let token = try #require(body["token"] as? String)
            let id = try #require(body["id"] as? String)
            #expect(token.hasPrefix("pcmops_"))
            #expect(try await test.send(.GET, "/api/v1/me", bearer: token).status == .ok)
            // act
            let revoked = try await test.send(.DELETE, "/api/v1/tokens/\(id)", bearer: token)
            #expect(revoked.status == .noContent)
            // assert
            let after = try await test.send(.GET, "/api/v1/me", bearer: token)
            #expect(after.status == .unauthorized)
            #expect(after.headers.first(name: "WWW-Authenticate")?.contains("invalid_token") == true)
            #expect(after.headers.contentType?.description.contains("problem+json") == true)
            #expect(try await AuditEntry.query(on: test.app.db).filter(\.$action == "token.revoke").count() == 1)
        }
    }

    @Test func listingNeverShowsTheSecret() async throws {
        try await TestApp.run { test in
            let token = try await test.token("vera")
            let response = try await test.send(.GET, "/api/v1/tokens", bearer: token)
            #expect(response.status == .ok)
            #expect(!response.text.contains(token))
            #expect(response.text.contains(String(token.prefix(13))))
            let page = try await test.send(.GET, "/account/tokens", session: try await test.session("vera"))
            #expect(!page.text.contains(token))
        }
    }

    @Test func expiredTokenIsRefused() async throws {
        try await TestApp.run { test in
            let token = try await test.token("vera", expiresInDays: 1)
            #expect(try await test.send(.GET, "/api/v1/me", bearer: token).status == .ok)
            test.clock.advance(by: 86400 + 1)
            #expect(try await test.send(.GET, "/api/v1/me", bearer: token).status == .unauthorized)
        }
    }

    @Test func disabledUsersTokensStopWorking() async throws {
        try await TestApp.run { test in
            let token = try await test.token("vera")
            try await test.accounts.setDisabled(username: "vera", disabled: true, by: .init(name: nil, source: .system))
            #expect(try await test.send(.GET, "/api/v1/me", bearer: token).status == .unauthorized)
        }
    }

    @Test(arguments: ["garbage", "pcmops_doesnotexist", String(repeating: "x", count: 500)])
    func malformedTokensGet401(_ token: String) async throws {
        try await TestApp.run { test in
            let response = try await test.send(.GET, "/api/v1/me", bearer: token)
            #expect(response.status == .unauthorized)
        }
    }

    @Test func usersCannotRevokeOthersTokensButAdminsCan() async throws {
        try await TestApp.run { test in
            _ = try await test.token("vera")
            let veraToken = try #require(try await APIToken.query(on: test.app.db).first())
            let oscar = try await test.token("oscar")
            let refused = try await test.send(.DELETE, "/api/v1/tokens/\(try veraToken.requireID())", bearer: oscar)
            #expect(refused.status == .notFound)
            let admin = try await test.token("admin")
            let allowed = try await test.send(.DELETE, "/api/v1/tokens/\(try veraToken.requireID())", bearer: admin)
            #expect(allowed.status == .noContent)
        }
    }

    @Test func listingAllTokensNeedsAdmin() async throws {
        try await TestApp.run { test in
            let oscar = try await test.token("oscar")
            #expect(try await test.send(.GET, "/api/v1/tokens?all=true", bearer: oscar).status == .forbidden)
            let admin = try await test.token("admin")
            let all = try await test.send(.GET, "/api/v1/tokens?all=true", bearer: admin)
            #expect(all.status == .ok)
            #expect(all.text.contains("oscar"))
        }
    }

    @Test(arguments: [
        (#"{"name":""}"#, HTTPStatus.badRequest), (#"{"nom":"x"}"#, .badRequest),
        (#"{"name":"x","expires_in_days":0}"#, .badRequest),
        (#"not json"#, .badRequest), (#"{"name":"x","expires_in_days":"soon"}"#, .badRequest),
    ])
    func badTokenRequestsAre4xx(_ body: String, _ status: HTTPStatus) async throws {
        try await TestApp.run { test in
            let token = try await test.token("vera")
            let response = try await test.send(.POST, "/api/v1/tokens", bearer: token, json: body)
            #expect(response.status == status, "\(body)")
            #expect(response.headers.contentType?.description.contains("problem+json") == true)
            #expect(try response.json()["detail"] as? String != nil)
        }
    }

    @Test func webTokenPageShowsTheNewTokenOnce() async throws {
        try await TestApp.run { test in
            let session = try await test.session("oscar")
            let created = try await test.send(
                .POST, "/account/tokens", session: session, form: ["name": "laptop", "expires_in_days": ""])
            #expect(created.status == .created)
            #expect(created.text.contains("pcmops_"))
            let list = try await test.send(.GET, "/account/tokens", session: session)
            #expect(list.text.contains("laptop"))
            let stored = try #require(try await APIToken.query(on: test.app.db).first())
            let secretShown = created.text.range(of: "pcmops_[A-Za-z0-9_-]{43}", options: .regularExpression).map {
                String(created.text[$0])
            }
            #expect(secretShown != nil)
            #expect(!list.text.contains(secretShown ?? "-"))
            #expect(stored.name == "laptop")
            let bad = try await test.send(
                .POST, "/account/tokens", session: session, form: ["name": "x", "expires_in_days": "soon"])
            #expect(bad.status == .badRequest)
        }
    }
}
