import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("Login throttling")
struct ThrottleTests {
    /// Submits the sign-in form from `peer`, optionally with an `X-Forwarded-For` header.
    static func submit(
        _ test: TestApp, _ username: String, _ password: String, csrf: String, from peer: String,
        forwardedFor: String? = nil
    ) async throws -> PeerTestResponse {
        var headers: HTTPHeaders = ["Cookie": "\(LoginController.loginCSRFCookie)=\(csrf)"]
        if let forwardedFor { headers.add(name: .xForwardedFor, value: forwardedFor) }
        return try await test.send(
            from: peer, .POST, "/login",
            form: ["username": username, "password": password, "csrf_token": csrf, "next": ""], headers: headers)
    }

    static func count(_ test: TestApp, _ action: String) async throws -> Int {
        try await AuditEntry.query(on: test.app.db).filter(\.$action == action).count()
    }

    static func throttle(_ test: TestApp) -> LoginThrottle {
        LoginThrottle(database: test.app.db, security: test.app.services.config.security, clock: test.clock)
    }

    @Test func repeatedFailuresFromOneAddressGet429EvenWithTheRightPassword() async throws {
        try await TestApp.run { test in
            // setup
            let limit = test.app.services.config.security.maxFailuresPerUserAndAddress
            let csrf = try await LoginTests.loginForm(test)
            for _ in 0..<limit {
                let response = try await Self.submit(test, "oscar", "wrong password!!", csrf: csrf, from: "192.0.2.1")
                #expect(response.status == .unauthorized)
            }
            // act
            let blocked = try await Self.submit(test, "oscar", fixturePassword, csrf: csrf, from: "192.0.2.1")
            // assert
            #expect(blocked.status == .tooManyRequests)
            let retryAfter = try #require(blocked.headers.first(name: .retryAfter).flatMap(Int.init))
            #expect(retryAfter > 0 && retryAfter <= 15 * 60)
            #expect(blocked.cookie(SessionStore.cookieName) == nil)
            #expect(try await Self.count(test, "login.throttled") == 1)
            // Other users are not affected.
            let other = try await Self.submit(test, "vera", fixturePassword, csrf: csrf, from: "192.0.2.1")
            #expect(other.status == .seeOther)
            // After the window the user may sign in again.
            test.clock.advance(by: Double(retryAfter) + 1)
            let later = try await Self.submit(test, "oscar", fixturePassword, csrf: csrf, from: "192.0.2.1")
            #expect(later.status == .seeOther)
        }
    }

    @Test func aSuccessResetsTheUserCount() async throws {
        try await TestApp.run { test in
            let limit = test.app.services.config.security.maxFailuresPerUserAndAddress
            let csrf = try await LoginTests.loginForm(test)
            for _ in 0..<(limit - 1) {
                _ = try await Self.submit(test, "oscar", "wrong password!!", csrf: csrf, from: "192.0.2.1")
            }
            test.clock.advance(by: 1)
            #expect(
                try await Self.submit(test, "oscar", fixturePassword, csrf: csrf, from: "192.0.2.1").status
                    == .seeOther)
            test.clock.advance(by: 1)
            _ = try await Self.submit(test, "oscar", "wrong password!!", csrf: csrf, from: "192.0.2.1")
            #expect(
                try await Self.submit(test, "oscar", fixturePassword, csrf: csrf, from: "192.0.2.1").status
                    == .seeOther)
        }
    }

    @Test func manyFailuresFromOneAddressBlockThatAddressOnly() async throws {
        try await TestApp.run { test in
            // setup: failures against many names from one address
            let security = test.app.services.config.security
            let throttle = Self.throttle(test)
            for index in 0..<security.maxFailuresPerAddress {
                guard
                    case .proceed(let reservation) = try await throttle.reserve(
                        username: "guess\(index)", address: "192.0.2.7")
                else {
                    Issue.record("attempt \(index) was refused")
                    return
                }
                try await throttle.finish(reservation, succeeded: false)
            }
            // act / assert
            guard case .refuse(_, let reason) = try await throttle.reserve(username: "admin", address: "192.0.2.7")
            else {
                Issue.record("the address was not blocked")
                return
            }
            #expect(reason == "address")
            #expect(try await !Self.refused(throttle.reserve(username: "admin", address: "192.0.2.8")))
            test.clock.advance(by: security.throttleWindow + 1)
            #expect(try await !Self.refused(throttle.reserve(username: "admin", address: "192.0.2.7")))
        }
    }

    static func refused(_ decision: LoginThrottle.Decision) -> Bool {
        if case .refuse = decision { return true }
        return false
    }

    /// Issue 18: 15 parallel wrong passwords for one user were all checked. Now at most the limit are.
    @Test func parallelWrongPasswordsForOneUserGetAtMostTheLimitOfChecks() async throws {
        try await TestApp.run { test in
            // setup
            let limit = test.app.services.config.security.maxFailuresPerUserAndAddress
            let csrf = try await LoginTests.loginForm(test)
            // act
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<15 {
                    group.addTask {
                        try await Self.submit(test, "oscar", "wrong password \(index)", csrf: csrf, from: "192.0.2.3")
                            .status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            // assert: each password check leaves one login.failure; the rest were refused before checking
            #expect(statuses.filter { $0 == .unauthorized }.count == limit)
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 15 - limit)
            #expect(try await Self.count(test, "login.failure") == limit)
            #expect(try await Self.count(test, "login.throttled") == 15 - limit)
            #expect(try await LoginAttempt.query(on: test.app.db).count() == limit)
        }
    }

    /// Issue 18: the per-address limit went past 20 under parallel attempts.
    @Test func parallelAttemptsFromOneAddressStayWithinTheAddressLimit() async throws {
        try await TestApp.run { test in
            // setup
            let limit = test.app.services.config.security.maxFailuresPerAddress
            let csrf = try await LoginTests.loginForm(test)
            // act: 30 different (unknown) user names at once from one address
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        _ = try await Self.submit(
                            test, "guess\(index)", "wrong password", csrf: csrf, from: "192.0.2.4")
                    }
                }
                try await group.waitForAll()
            }
            // assert
            #expect(try await Self.count(test, "login.failure") == limit)
            #expect(try await Self.count(test, "login.throttled") == 30 - limit)
        }
    }

    /// Issue 18: five wrong passwords from anywhere locked any account, admin included.
    @Test func aStrangerCannotLockTheAdminOut() async throws {
        try await TestApp.run { test in
            // setup: a stranger uses up its attempts on admin, and is refused after that
            let limit = test.app.services.config.security.maxFailuresPerUserAndAddress
            let csrf = try await LoginTests.loginForm(test)
            for _ in 0..<limit {
                _ = try await Self.submit(test, "admin", "guess guess guess", csrf: csrf, from: "198.51.100.66")
            }
            let stranger = try await Self.submit(test, "admin", "guess again", csrf: csrf, from: "198.51.100.66")
            #expect(stranger.status == .tooManyRequests)
            // act: the admin, from their own address
            let before = test.clock.now()
            let admin = try await Self.submit(test, "admin", fixturePassword, csrf: csrf, from: "192.0.2.10")
            // assert: signed in, after a wait (the per-user slow-down), not refused
            #expect(admin.status == .seeOther)
            #expect(admin.cookie(SessionStore.cookieName) != nil)
            let waited = test.clock.now().timeIntervalSince(before)
            #expect(waited > 0 && waited <= test.app.services.config.security.maxSlowDownWait)
        }
    }

    @Test func failuresForOneUserFromManyAddressesSpaceItsChecksOut() async throws {
        try await TestApp.run { test in
            // setup
            let security = test.app.services.config.security
            let throttle = Self.throttle(test)
            let start = test.clock.now()
            var turns = [TimeInterval]()
            // act: reservations from ten addresses at the same moment, none finished (pending counts as failed)
            var refusal: String?
            for index in 0..<10 {
                switch try await throttle.reserve(username: "admin", address: "203.0.113.\(index)") {
                case .proceed(let reservation): turns.append(reservation.notBefore.timeIntervalSince(start))
                case .refuse(_, let reason):
                    refusal = reason
                }
                if refusal != nil { break }
            }
            // assert: free checks, then gaps doubling from slowDownBase up to slowDownCap, then 429
            #expect(security.slowDownAfterFailures == 3 && security.slowDownBase == 1 && security.slowDownCap == 30)
            #expect(turns == [0, 0, 0, 1, 3, 7, 15, 31])
            #expect(refusal == "user slow-down")
            // A success ends the slow-down.
            test.clock.advance(by: 40)
            guard case .proceed(let reservation) = try await throttle.reserve(username: "admin", address: "192.0.2.1")
            else {
                Issue.record("refused after the queue drained")
                return
            }
            try await throttle.finish(reservation, succeeded: true)
            test.clock.advance(by: 1)
            guard case .proceed(let next) = try await throttle.reserve(username: "admin", address: "192.0.2.2") else {
                Issue.record("refused after a success")
                return
            }
            #expect(next.notBefore == test.clock.now())
        }
    }

    @Test func forwardedForIsIgnoredFromAnUntrustedPeer() async throws {
        try await TestApp.run(configure: { $0.connections.trustedProxies = [IPRange("10.0.0.0/8")].compactMap { $0 } })
        {
            test in
            // setup
            let limit = test.app.services.config.security.maxFailuresPerUserAndAddress
            let csrf = try await LoginTests.loginForm(test)
            // act: a client names a new address in each attempt
            for index in 0..<limit {
                _ = try await Self.submit(
                    test, "oscar", "wrong password", csrf: csrf, from: "203.0.113.5", forwardedFor: "192.0.2.\(index)")
            }
            let next = try await Self.submit(
                test, "oscar", fixturePassword, csrf: csrf, from: "203.0.113.5", forwardedFor: "192.0.2.99")
            // assert: every attempt counted against the real peer
            #expect(next.status == .tooManyRequests)
            let addresses = try await AuditEntry.query(on: test.app.db).filter(\.$action == "login.failure").all()
                .map(\.sourceAddress)
            #expect(addresses == Array(repeating: "203.0.113.5", count: limit))
        }
    }

    @Test func forwardedForIsHonouredFromATrustedProxySoItsClientsAreThrottledApart() async throws {
        try await TestApp.run(configure: { $0.connections.trustedProxies = [IPRange("10.0.0.0/8")].compactMap { $0 } })
        {
            test in
            // setup: client A, behind the proxy, uses up its attempts; the header also carries a forged entry
            let limit = test.app.services.config.security.maxFailuresPerUserAndAddress
            let csrf = try await LoginTests.loginForm(test)
            for _ in 0..<limit {
                _ = try await Self.submit(
                    test, "oscar", "wrong password", csrf: csrf, from: "10.0.0.2", forwardedFor: "1.2.3.4, 192.0.2.20")
            }
            let clientA = try await Self.submit(
                test, "oscar", fixturePassword, csrf: csrf, from: "10.0.0.2", forwardedFor: "192.0.2.20")
            // act: client B through the same proxy
            let clientB = try await Self.submit(
                test, "oscar", fixturePassword, csrf: csrf, from: "10.0.0.2", forwardedFor: "192.0.2.21")
            // assert
            #expect(clientA.status == .tooManyRequests)
            #expect(clientB.status == .seeOther)
            let failure = try #require(
                try await AuditEntry.query(on: test.app.db).filter(\.$action == "login.failure").first())
            #expect(failure.sourceAddress == "192.0.2.20")
        }
    }

    @Test(arguments: [
        // peer, X-Forwarded-For values, expected client
        ("203.0.113.5", ["192.0.2.1"], "203.0.113.5"),  // untrusted peer: header ignored
        ("10.0.0.2", [], "10.0.0.2"),  // trusted peer without header
        ("10.0.0.2", ["192.0.2.1"], "192.0.2.1"),
        ("10.0.0.2", ["1.1.1.1, 192.0.2.1"], "192.0.2.1"),  // rightmost untrusted hop, not the forged left one
        ("10.0.0.2", ["192.0.2.1, 10.0.0.9"], "192.0.2.1"),  // a chain of trusted proxies
        ("10.0.0.2", ["192.0.2.1", "10.0.0.9"], "192.0.2.1"),  // the header repeated
        ("10.0.0.2", ["192.0.2.1, not-an-ip"], "10.0.0.2"),  // garbage where the proxy's entry should be
        ("10.0.0.2", ["10.0.0.7"], "10.0.0.7"),  // only proxies: the leftmost
        ("::ffff:10.0.0.2", ["2001:db8::1"], "2001:db8::1"),  // IPv4-mapped peer
    ])
    func clientAddressResolution(peer: String, forwardedFor: [String], expected: String) {
        let trusted = [IPRange("10.0.0.0/8")].compactMap { $0 }
        #expect(ClientAddress.resolve(peer: peer, forwardedFor: forwardedFor, trustedProxies: trusted) == expected)
    }

    @Test func theCurrentPasswordCheckIsThrottledAndAudited() async throws {
        try await TestApp.run { test in
            // setup
            let limit = test.app.services.config.security.maxFailuresPerUserAndAddress
            let session = try await test.session("oscar")
            let form = [
                "current": "not my password", "new": "a brand new password 1", "confirm": "a brand new password 1",
            ]
            // act
            var statuses = [HTTPStatus]()
            for _ in 0...limit {
                statuses.append(
                    try await test.send(from: "192.0.2.30", .POST, "/account/password", session: session, form: form)
                        .status)
            }
            var right = form
            right["current"] = fixturePassword
            let throttled = try await test.send(
                from: "192.0.2.30", .POST, "/account/password", session: session, form: right)
            // assert
            #expect(statuses == Array(repeating: .forbidden, count: limit) + [.tooManyRequests])
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers.first(name: .retryAfter).flatMap(Int.init) != nil)
            let failures = try await AuditEntry.query(on: test.app.db).filter(\.$action == "password.change.failure")
                .all()
            #expect(failures.count == limit)
            #expect(failures.allSatisfy { $0.actor == "oscar" && $0.sourceAddress == "192.0.2.30" })
            #expect(failures.allSatisfy { $0.details?.contains("wrong current password") == true })
            #expect(try await Self.count(test, "password.change.throttled") == 2)
            #expect(try await Self.count(test, "user.password") == 0)
            // The same counters hold for signing in from that address.
            let csrf = try await LoginTests.loginForm(test)
            let login = try await Self.submit(test, "oscar", fixturePassword, csrf: csrf, from: "192.0.2.30")
            #expect(login.status == .tooManyRequests)
        }
    }
}
