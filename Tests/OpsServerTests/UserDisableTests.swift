import Fluent
import Foundation
import OpsCore
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// Disabling a user revokes their tokens and ends their sessions, whichever way it is done (web,
/// API, CLI); enabling them again brings neither back.
@Suite("Disabling a user revokes their tokens")
struct UserDisableTests {
    /// The `token.revoke` audit entries that name `reason`.
    static func revocations(_ test: TestApp, reason: String = "user disabled") async throws -> [AuditEntry] {
        try await AuditEntry.query(on: test.app.db).filter(\.$action == "token.revoke").all()
            .filter { $0.details?.contains(#""reason":"\#(reason)""#) == true }
    }

    @Test func onTheWebTokensStayRevokedAfterReEnabling() async throws {
        try await TestApp.run { test in
            // setup
            let first = try await test.token("vera")
            let second = try await test.token("vera")
            let admin = try await test.session("admin")
            #expect(try await test.send(.GET, "/api/v1/me", bearer: first).status == .ok)
            // act
            let disabled = try await test.send(.POST, "/admin/users/vera/disable", session: admin, form: [:])
            let whileDisabled = try await test.send(.GET, "/api/v1/me", bearer: first)
            let enabled = try await test.send(.POST, "/admin/users/vera/enable", session: admin, form: [:])
            // assert
            #expect(disabled.status == .seeOther)
            #expect(enabled.status == .seeOther)
            #expect(whileDisabled.status == .unauthorized)
            #expect(try await test.send(.GET, "/api/v1/me", bearer: first).status == .unauthorized)
            #expect(try await test.send(.GET, "/api/v1/me", bearer: second).status == .unauthorized)
            let stored = try await APIToken.query(on: test.app.db).all()
            #expect(stored.count == 2)
            #expect(stored.allSatisfy { $0.revokedAt != nil })
            let entries = try await Self.revocations(test)
            #expect(entries.count == 2)
            #expect(entries.allSatisfy { $0.actor == "admin" && $0.source == "web" })
            #expect(Set(entries.compactMap(\.object)) == Set(try stored.map { "token:\(try $0.requireID())" }))
            let disable = try await AuditEntry.query(on: test.app.db).filter(\.$action == "user.disable").first()
            #expect(disable?.details?.contains(#""tokens_revoked":"2""#) == true)
        }
    }

    @Test func theTokensPagesShowThemRevoked() async throws {
        try await TestApp.run { test in
            // setup
            _ = try await test.token("vera")
            let admin = try await test.session("admin")
            // act
            _ = try await test.send(.POST, "/admin/users/vera/disable", session: admin, form: [:])
            _ = try await test.send(.POST, "/admin/users/vera/enable", session: admin, form: [:])
            // assert
            let adminPage = try await test.send(.GET, "/admin/tokens", session: admin)
            #expect(adminPage.text.contains("<td>revoked</td>"))
            #expect(!adminPage.text.contains("<td>active</td>"))
            let ownPage = try await test.send(.GET, "/account/tokens", session: try await test.session("vera"))
            #expect(ownPage.text.contains("<td>revoked</td>"))
            #expect(!ownPage.text.contains("Revoke the token"), "nothing left to revoke")
        }
    }

    @Test func overTheAPITokensStayRevokedAfterReEnabling() async throws {
        try await TestApp.run { test in
            // setup
            let token = try await test.token("oscar")
            let admin = try await test.token("admin")
            // act
            let disabled = try await test.send(
                .PATCH, "/api/v1/users/oscar", bearer: admin, json: #"{"disabled":true}"#)
            let enabled = try await test.send(
                .PATCH, "/api/v1/users/oscar", bearer: admin, json: #"{"disabled":false}"#)
            // assert
            #expect(disabled.status == .ok)
            #expect(enabled.status == .ok)
            #expect(try enabled.json()["disabled"] as? Bool == false)
            #expect(try await test.send(.GET, "/api/v1/me", bearer: token).status == .unauthorized)
            #expect(try await test.send(.GET, "/api/v1/me", bearer: admin).status == .ok, "only oscar's tokens")
            let entries = try await Self.revocations(test)
            #expect(entries.count == 1)
            #expect(entries.first?.source == "api")
            let listed = try await test.send(.GET, "/api/v1/tokens?all=true", bearer: admin).text
            #expect(listed.contains("revoked_at"))
        }
    }

    @Test func fromTheCLITokensStayRevokedAfterReEnabling() async throws {
        // setup
        var config = ServerConfig()
        config.database = .sqliteMemory
        config.secretKey = SecretKey.generate().base64
        config.security.bcryptCost = 4
        // act
        let statuses = try await AdminConsole.with(config: config) { console in
            _ = try await console.addUser("ci", role: .operator, password: nil)
            _ = try await console.createToken(for: "ci", name: "build", expiresInDays: nil)
            try await console.setDisabled("ci", disabled: true)
            try await console.setDisabled("ci", disabled: false)
            return try await console.listTokens(for: "ci").map(\.status)
        }
        // assert
        #expect(statuses == ["revoked"])
    }

    @Test func sessionsEndAndStayEnded() async throws {
        try await TestApp.run { test in
            // setup
            let vera = try await test.session("vera")
            #expect(try await test.send(.GET, "/", session: vera).status == .ok)
            // act
            try await test.accounts.setDisabled(username: "vera", disabled: true, by: .init(name: nil, source: .system))
            let whileDisabled = try await test.send(.GET, "/", session: vera)
            try await test.accounts.setDisabled(
                username: "vera", disabled: false, by: .init(name: nil, source: .system))
            // assert
            #expect(whileDisabled.status == .seeOther)
            #expect(try await test.send(.GET, "/", session: vera).status == .seeOther)
            #expect(try await UserSession.query(on: test.app.db).count() == 0)
        }
    }

    @Test func alreadyRevokedTokensAreNotRevokedAgain() async throws {
        try await TestApp.run { test in
            // setup
            _ = try await test.token("vera")
            _ = try await test.token("vera")
            let earlier = try #require(try await APIToken.query(on: test.app.db).first())
            let system = AccountService.Actor(name: nil, source: .system)
            try await test.tokens.revoke(id: try earlier.requireID(), owner: nil, by: system)
            let revokedAt = try #require(try await APIToken.find(earlier.id, on: test.app.db)?.revokedAt)
            test.clock.advance(by: 60)
            // act
            try await test.accounts.setDisabled(username: "vera", disabled: true, by: system)
            try await test.accounts.setDisabled(username: "vera", disabled: true, by: system)
            // assert: one new revocation, the earlier one keeps its time, a repeated disable changes nothing
            #expect(try await Self.revocations(test).count == 1)
            #expect(try await APIToken.find(earlier.id, on: test.app.db)?.revokedAt == revokedAt)
            #expect(try await AuditEntry.query(on: test.app.db).filter(\.$action == "user.disable").count() == 1)
        }
    }

    @Test func refusingToDisableTheLastAdminRevokesNothing() async throws {
        try await TestApp.run { test in
            // setup
            let token = try await test.token("admin")
            // act
            let refused = try await test.send(
                .PATCH, "/api/v1/users/admin", bearer: token, json: #"{"disabled":true}"#)
            // assert
            #expect(refused.status == .conflict)
            #expect(try await test.send(.GET, "/api/v1/me", bearer: token).status == .ok)
            #expect(try await Self.revocations(test).isEmpty)
        }
    }
}
