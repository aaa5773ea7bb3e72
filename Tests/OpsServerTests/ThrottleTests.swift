import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("Login throttling")
struct ThrottleTests {
    @Test func repeatedFailuresForAUserGet429EvenWithTheRightPassword() async throws {
        try await TestApp.run { test in
            // setup
            let limit = test.app.services.config.security.maxFailuresPerUser
            let csrf = try await LoginTests.loginForm(test)
            for _ in 0..<limit {
                let response = try await LoginTests.submit(
                    test, username: "oscar", password: "wrong password!!", csrf: csrf)
                #expect(response.status == .unauthorized)
            }
            // act
            let blocked = try await LoginTests.submit(test, username: "oscar", password: fixturePassword, csrf: csrf)
            // assert
            #expect(blocked.status == .tooManyRequests)
            let retryAfter = try #require(blocked.headers.first(name: .retryAfter).flatMap(Int.init))
            #expect(retryAfter > 0 && retryAfter <= 15 * 60)
            #expect(blocked.cookie(SessionStore.cookieName) == nil)
            #expect(try await AuditEntry.query(on: test.app.db).filter(\.$action == "login.throttled").count() == 1)
            // Other users are not affected.
            let other = try await LoginTests.submit(test, username: "vera", password: fixturePassword, csrf: csrf)
            #expect(other.status == .seeOther)
            // After the window the user may sign in again.
            test.clock.advance(by: Double(retryAfter) + 1)
            let later = try await LoginTests.submit(test, username: "oscar", password: fixturePassword, csrf: csrf)
            #expect(later.status == .seeOther)
        }
    }

    @Test func aSuccessResetsTheUserCount() async throws {
        try await TestApp.run { test in
            let limit = test.app.services.config.security.maxFailuresPerUser
            let csrf = try await LoginTests.loginForm(test)
            for _ in 0..<(limit - 1) {
                _ = try await LoginTests.submit(test, username: "oscar", password: "wrong password!!", csrf: csrf)
            }
            test.clock.advance(by: 1)
            #expect(
                try await LoginTests.submit(test, username: "oscar", password: fixturePassword, csrf: csrf).status
                    == .seeOther)
            test.clock.advance(by: 1)
            _ = try await LoginTests.submit(test, username: "oscar", password: "wrong password!!", csrf: csrf)
            #expect(
                try await LoginTests.submit(test, username: "oscar", password: fixturePassword, csrf: csrf).status
                    == .seeOther)
        }
    }

    @Test func manyFailuresFromOneAddressBlockThatAddress() async throws {
        try await TestApp.run { test in
            // setup: failures against many names from one address
            let security = test.app.services.config.security
            for index in 0..<security.maxFailuresPerAddress {
                try await test.audit.record(
                    "login.failure", actor: nil, object: "user:guess\(index)", source: .web, sourceAddress: "192.0.2.7")
            }
            let throttle = LoginThrottle(database: test.app.db, security: security, now: { test.clock.now() })
            // act / assert
            #expect(try await throttle.retryAfter(username: "admin", address: "192.0.2.7") != nil)
            #expect(try await throttle.retryAfter(username: "admin", address: "192.0.2.8") == nil)
            test.clock.advance(by: security.throttleWindow + 1)
            #expect(try await throttle.retryAfter(username: "admin", address: "192.0.2.7") == nil)
        }
    }
}
