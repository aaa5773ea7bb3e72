import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("Sign in, sign out, sessions")
struct LoginTests {
    /// Fetches the login form and returns its CSRF cookie (= form token).
    static func loginForm(_ test: TestApp) async throws -> String {
        let page = try await test.send(.GET, "/login")
        #expect(page.status == .ok)
        return try #require(page.cookie(LoginController.loginCSRFCookie))
    }

    static func submit(
        _ test: TestApp, username: String, password: String, csrf: String, next: String = ""
    ) async throws -> TestingHTTPResponse {
        try await test.send(
            .POST, "/login",
            form: ["username": username, "password": password, "csrf_token": csrf, "next": next],
            headers: ["Cookie": "\(LoginController.loginCSRFCookie)=\(csrf)"])
    }

    @Test func signInSetsAHardenedSessionCookieAndShowsTheDashboard() async throws {
        try await TestApp.run { test in
            // setup
            let csrf = try await Self.loginForm(test)
            // act
            let response = try await Self.submit(test, username: "admin", password: fixturePassword, csrf: csrf)
            // assert
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/")
            let header = try #require(response.headers[.setCookie].first { $0.hasPrefix("pcmops_session=") })
            #expect(header.contains("HttpOnly"))
            #expect(header.contains("SameSite=Lax"))
            #expect(!header.contains("Secure"))
            let cookie = try #require(response.cookie(SessionStore.cookieName))
            let dashboard = try await test.send(.GET, "/", headers: ["Cookie": "pcmops_session=\(cookie)"])
            #expect(dashboard.status == .ok)
            #expect(dashboard.text.contains("Dashboard"))
            #expect(dashboard.text.contains("Active users"))
            let entries = try await AuditEntry.query(on: test.app.db).filter(\.$action == "login.success").count()
            #expect(entries == 1)
        }
    }

    @Test func secureCookieWhenThePublicURLIsHTTPS() async throws {
        try await TestApp.run(configure: { $0.publicURL = URL(string: "https://ops.example.com") }) { test in
            let csrf = try await Self.loginForm(test)
            let response = try await Self.submit(test, username: "admin", password: fixturePassword, csrf: csrf)
            let header = try #require(response.headers[.setCookie].first { $0.hasPrefix("pcmops_session=") })
            #expect(header.contains("Secure"))
            #expect(response.headers.first(name: "Strict-Transport-Security")?.contains("max-age=") == true)
        }
    }

    @Test func wrongPasswordIsRefusedAndAudited() async throws {
        try await TestApp.run { test in
            let csrf = try await Self.loginForm(test)
            let response = try await Self.submit(test, username: "admin", password: "not the password", csrf: csrf)
            #expect(response.status == .unauthorized)
            #expect(response.text.contains("Invalid username or password"))
            #expect(response.cookie(SessionStore.cookieName) == nil)
            let failures = try await AuditEntry.query(on: test.app.db).filter(\.$action == "login.failure").all()
            #expect(failures.count == 1)
            #expect(failures.first?.object == "user:admin")
            #expect(failures.first?.details?.contains("not the password") == false)
        }
    }

    @Test func unknownUserAndDisabledUserGetTheSameAnswer() async throws {
        try await TestApp.run { test in
            try await test.accounts.setDisabled(username: "vera", disabled: true, by: .init(name: nil, source: .system))
            let csrf = try await Self.loginForm(test)
            let unknown = try await Self.submit(test, username: "nobody", password: fixturePassword, csrf: csrf)
            let disabled = try await Self.submit(test, username: "vera", password: fixturePassword, csrf: csrf)
            #expect(unknown.status == .unauthorized)
            #expect(disabled.status == .unauthorized)
            #expect(unknown.text.contains("Invalid username or password"))
            #expect(disabled.text.contains("Invalid username or password"))
        }
    }

    @Test func loginWithoutTheFormTokenIsRefusedAndCreatesNoSession() async throws {
        try await TestApp.run { test in
            let response = try await test.send(
                .POST, "/login", form: ["username": "admin", "password": fixturePassword, "csrf_token": "forged"])
            #expect(response.status == .forbidden)
            #expect(response.cookie(SessionStore.cookieName) == nil)
            #expect(try await UserSession.query(on: test.app.db).count() == 0)
        }
    }

    @Test func emptyFieldsAreABadRequest() async throws {
        try await TestApp.run { test in
            let csrf = try await Self.loginForm(test)
            let response = try await Self.submit(test, username: "", password: "", csrf: csrf)
            #expect(response.status == .badRequest)
            #expect(response.text.contains("Enter a username and a password"))
        }
    }

    @Test func nextIsFollowedOnlyForLocalPaths() async throws {
        try await TestApp.run { test in
            let csrf = try await Self.loginForm(test)
            let local = try await Self.submit(
                test, username: "admin", password: fixturePassword, csrf: csrf, next: "/admin/users")
            #expect(local.headers.first(name: .location) == "/admin/users")
            let csrf2 = try await Self.loginForm(test)
            let evil = try await Self.submit(
                test, username: "admin", password: fixturePassword, csrf: csrf2, next: "//evil.example/x")
            #expect(evil.headers.first(name: .location) == "/")
        }
        #expect(LoginController.safeNext("https://evil.example") == "")
        #expect(LoginController.safeNext("/\\evil.example") == "")
    }

    @Test func pagesRedirectAnonymousVisitorsToTheLoginPage() async throws {
        try await TestApp.run { test in
            let response = try await test.send(.GET, "/admin/users")
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/login?next=%2Fadmin%2Fusers")
        }
    }

    @Test func logoutEndsTheSession() async throws {
        try await TestApp.run { test in
            let session = try await test.session("vera")
            let response = try await test.send(.POST, "/logout", session: session, form: [:])
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/login?m=logged_out")
            let after = try await test.send(.GET, "/", session: session)
            #expect(after.status == .seeOther)
            #expect(try await AuditEntry.query(on: test.app.db).filter(\.$action == "logout").count() == 1)
        }
    }

    @Test func sessionEndsAfterIdleTimeout() async throws {
        try await TestApp.run { test in
            // setup
            let session = try await test.session("vera")
            #expect(try await test.send(.GET, "/", session: session).status == .ok)
            // act
            test.clock.advance(by: test.app.services.config.security.sessionIdleTimeout + 1)
            let response = try await test.send(.GET, "/", session: session)
            // assert
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(response.headers[.setCookie].contains { $0.hasPrefix("pcmops_session=;") })
            #expect(try await UserSession.query(on: test.app.db).count() == 0)
        }
    }

    @Test func sessionEndsAtItsLifetimeEvenWhenInUse() async throws {
        try await TestApp.run { test in
            let session = try await test.session("vera")
            let lifetime = test.app.services.config.security.sessionLifetime
            var elapsed: TimeInterval = 0
            while elapsed + 3600 < lifetime {
                test.clock.advance(by: 3600)
                elapsed += 3600
                #expect(try await test.send(.GET, "/", session: session).status == .ok)
            }
            test.clock.advance(by: lifetime - elapsed + 1)
            #expect(try await test.send(.GET, "/", session: session).status == .seeOther)
        }
    }

    @Test func disablingAUserEndsTheirSessions() async throws {
        try await TestApp.run { test in
            let session = try await test.session("oscar")
            try await test.accounts.setDisabled(
                username: "oscar", disabled: true, by: .init(name: nil, source: .system))
            #expect(try await test.send(.GET, "/", session: session).status == .seeOther)
        }
    }
}
