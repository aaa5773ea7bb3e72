import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("Admin: users on the web and over the API")
struct AdminUsersTests {
    @Test func adminAddsAUserWithAGeneratedPasswordShownOnce() async throws {
        try await TestApp.run { test in
            let admin = try await test.session("admin")
            let response = try await test.send(
                .POST, "/admin/users", session: admin, form: ["username": "Dana", "role": "operator", "password": ""])
            #expect(response.status == .created)
            #expect(response.text.contains("shown only this once"))
            let dana = try await test.accounts.require("dana")
            #expect(dana.role == .operator)
            let entry = try await AuditEntry.query(on: test.app.db).filter(\.$action == "user.create").filter(
                \.$object == "user:dana"
            ).first()
            #expect(entry?.actor == "admin")
            #expect(entry?.source == "web")
            let list = try await test.send(.GET, "/admin/users", session: admin)
            #expect(!list.text.contains("shown only this once"))
        }
    }

    @Test(arguments: [
        (["username": "bad name", "role": "viewer"], HTTPStatus.badRequest, "username may contain"),
        (["username": "vera", "role": "viewer"], .conflict, "already exists"),
        (["username": "newone", "role": "superuser"], .badRequest, "role 'superuser'"),
        (["username": "newone", "role": "viewer", "password": "short"], .badRequest, "at least 12"),
    ])
    func badNewUsersAreRefusedWithAMessage(_ form: [String: String], _ status: HTTPStatus, _ message: String)
        async throws
    {
        try await TestApp.run { test in
            let admin = try await test.session("admin")
            let response = try await test.send(.POST, "/admin/users", session: admin, form: form)
            #expect(response.status == status)
            #expect(response.text.contains(message))
            #expect(try await User.query(on: test.app.db).count() == 3)
        }
    }

    @Test func roleChangeDisableEnableAndReset() async throws {
        try await TestApp.run { test in
            let admin = try await test.session("admin")
            #expect(
                try await test.send(.POST, "/admin/users/vera/role", session: admin, form: ["role": "operator"]).status
                    == .seeOther)
            #expect(try await test.accounts.require("vera").role == .operator)
            #expect(
                try await test.send(.POST, "/admin/users/vera/disable", session: admin, form: [:]).status == .seeOther)
            #expect(try await test.accounts.require("vera").disabled)
            let afterDisable = try await test.send(.GET, "/admin/users", session: admin)
            #expect(afterDisable.text.contains("Disabled vera."))
            #expect(afterDisable.text.contains("flash-success"))
            #expect(
                try await test.send(.POST, "/admin/users/vera/enable", session: admin, form: [:]).status == .seeOther)
            #expect(try await test.accounts.require("vera").disabled == false)
            let before = try await test.accounts.require("vera").passwordHash
            let reset = try await test.send(.POST, "/admin/users/vera/password", session: admin, form: [:])
            #expect(reset.status == .ok)
            #expect(reset.text.contains("New password for vera"))
            #expect(try await test.accounts.require("vera").passwordHash != before)
            let page = try await test.send(.GET, "/admin/users", session: admin)
            #expect(!page.text.contains("flash-success"), "a flash is shown once")
        }
    }

    @Test func theLastAdminCannotBeDemotedOrDisabled() async throws {
        try await TestApp.run { test in
            let admin = try await test.session("admin")
            let demote = try await test.send(.POST, "/admin/users/admin/role", session: admin, form: ["role": "viewer"])
            #expect(demote.status == .seeOther)
            #expect(try await test.accounts.require("admin").role == .admin)
            let page = try await test.send(.GET, "/admin/users", session: admin)
            #expect(page.text.contains("last active admin"))
            let api = try await test.send(
                .PATCH, "/api/v1/users/admin", bearer: try await test.token("admin"), json: #"{"disabled":true}"#)
            #expect(api.status == .conflict)
            #expect(try await test.accounts.require("admin").disabled == false)
        }
    }

    @Test func unknownUserIs404() async throws {
        try await TestApp.run { test in
            let admin = try await test.session("admin")
            #expect(
                try await test.send(.POST, "/admin/users/ghost/disable", session: admin, form: [:]).status == .notFound)
            #expect(
                try await test.send(
                    .PATCH, "/api/v1/users/ghost", bearer: try await test.token("admin"), json: #"{"role":"viewer"}"#
                ).status == .notFound)
        }
    }

    @Test func apiCreatesListsAndUpdatesUsers() async throws {
        try await TestApp.run { test in
            let token = try await test.token("admin")
            let created = try await test.send(
                .POST, "/api/v1/users", bearer: token, json: #"{"username":"eve","role":"operator"}"#)
            #expect(created.status == .created)
            let body = try created.json()
            #expect((body["password"] as? String)?.count == 20)
            #expect(!created.text.contains("password_hash"))
            let updated = try await test.send(
                .PATCH, "/api/v1/users/eve", bearer: token, json: #"{"role":"viewer","disabled":true}"#)
            #expect(updated.status == .ok)
            #expect(try updated.json()["disabled"] as? Bool == true)
            let list = try await test.send(.GET, "/api/v1/users", bearer: token)
            #expect(list.text.contains("eve"))
            #expect(!list.text.contains("$2b$"))
        }
    }

    @Test(arguments: [
        (#"{"username":"x1"}"#, HTTPStatus.badRequest), (#"{"username":"x1","role":"god"}"#, .badRequest),
        (#"{"username":"vera","role":"viewer"}"#, .conflict), (#"[1,2]"#, .badRequest),
    ])
    func apiRejectsBadUserBodies(_ body: String, _ status: HTTPStatus) async throws {
        try await TestApp.run { test in
            let response = try await test.send(
                .POST, "/api/v1/users", bearer: try await test.token("admin"), json: body)
            #expect(response.status == status, "\(body)")
        }
    }

    @Test func apiNeedsJSON() async throws {
        try await TestApp.run { test in
            let response = try await test.send(
                .POST, "/api/v1/users", bearer: try await test.token("admin"),
                form: ["username": "x", "role": "viewer"])
            #expect(response.status == .unsupportedMediaType)
        }
    }

    @Test func emptyPatchIsABadRequest() async throws {
        try await TestApp.run { test in
            let response = try await test.send(
                .PATCH, "/api/v1/users/vera", bearer: try await test.token("admin"), json: "{}")
            #expect(response.status == .badRequest)
        }
    }

    @Test func usersChangeTheirOwnPassword() async throws {
        try await TestApp.run { test in
            let vera = try await test.session("vera")
            let wrong = try await test.send(
                .POST, "/account/password", session: vera,
                form: ["current": "nope", "new": "another fine password", "confirm": "another fine password"])
            #expect(wrong.status == .forbidden)
            let mismatch = try await test.send(
                .POST, "/account/password", session: vera,
                form: ["current": fixturePassword, "new": "another fine password", "confirm": "different"])
            #expect(mismatch.status == .badRequest)
            let ok = try await test.send(
                .POST, "/account/password", session: vera,
                form: ["current": fixturePassword, "new": "another fine password", "confirm": "another fine password"])
            #expect(ok.status == .seeOther)
            let user = try await test.accounts.require("vera")
            #expect(await PasswordHashing(cost: 4).verify("another fine password", against: user.passwordHash))
            #expect(try await test.send(.GET, "/", session: vera).status == .seeOther)
        }
    }
}
