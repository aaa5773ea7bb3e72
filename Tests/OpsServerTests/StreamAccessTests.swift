import AsyncHTTPClient
import Fluent
import Foundation
import NIOWebSocket
import Testing
import Vapor

@testable import OpsServer

/// Open event streams end when the token or session that opened them stops being valid. The
/// server checks every 200 ms here; the bounds are 60 s so a loaded machine does not fail them.
@Suite("Live streams end when access ends")
struct StreamAccessTests {
    static let bound = 60.0

    static func run(_ body: (TestApp) async throws -> Void) async throws {
        try await TestApp.run(configure: { $0.streamAccessCheckInterval = .milliseconds(200) }, body)
    }

    static let system = AccountService.Actor(name: "admin", source: .system)

    /// What ends access in a test, applied while the stream is open.
    enum Revocation: String, CaseIterable, Sendable {
        case revokeToken, disableUser

        func apply(_ test: TestApp, username: String) async throws {
            switch self {
            case .revokeToken:
                for token in try await APIToken.query(on: test.app.db).all() {
                    try await test.tokens.revoke(id: try token.requireID(), owner: nil, by: system)
                }
            case .disableUser:
                try await test.accounts.setDisabled(username: username, disabled: true, by: system)
            }
        }
    }

    // MARK: the check itself

    func recheck(_ test: TestApp) -> PrincipalRecheck {
        PrincipalRecheck(
            database: test.app.db, security: test.app.services.config.security,
            now: { [clock = test.clock] in clock.now() })
    }

    func tokenPrincipal(_ test: TestApp, _ username: String, expiresInDays: Int? = nil) async throws -> Principal {
        let user = try await test.accounts.require(username)
        let (token, _) = try await test.tokens.create(
            for: user, name: "stream", expiresInDays: expiresInDays, by: Self.system)
        return Principal(
            userID: try user.requireID(), username: username, role: user.role, via: .token(id: try token.requireID()))
    }

    func sessionPrincipal(_ test: TestApp, _ username: String) async throws -> Principal {
        let user = try await test.accounts.require(username)
        let store = SessionStore(
            database: test.app.db, security: test.app.services.config.security,
            now: { [clock = test.clock] in clock.now() })
        let (session, _) = try await store.create(for: user, address: nil, userAgent: nil)
        return Principal(
            userID: try user.requireID(), username: username, role: user.role,
            via: .session(id: try session.requireID(), csrfToken: session.csrfToken))
    }

    /// Marks the user disabled and nothing else, so the check's own join on `users` is what refuses.
    func flagDisabled(_ test: TestApp, _ username: String) async throws {
        let user = try await test.accounts.require(username)
        user.disabled = true
        try await user.save(on: test.app.db)
    }

    @Test func aTokenHoldsUntilRevokedExpiredOrItsUserDisabled() async throws {
        try await Self.run { test in
            // setup
            let check = recheck(test)
            let revoked = try await tokenPrincipal(test, "vera")
            let expiring = try await tokenPrincipal(test, "vera", expiresInDays: 1)
            let ofDisabled = try await tokenPrincipal(test, "oscar")
            let unknown = Principal(userID: UUID(), username: "ghost", role: .viewer, via: .token(id: UUID()))
            #expect(try await check.isValid(revoked))
            #expect(try await check.isValid(expiring))
            #expect(try await check.isValid(ofDisabled))
            // act
            guard case .token(let id) = revoked.via else { return }
            try await test.tokens.revoke(id: id, owner: nil, by: Self.system)
            test.clock.advance(by: 86400 + 1)
            try await flagDisabled(test, "oscar")
            // assert
            #expect(try await !check.isValid(revoked))
            #expect(try await !check.isValid(expiring))
            #expect(try await !check.isValid(ofDisabled))
            #expect(try await !check.isValid(unknown))
        }
    }

    @Test func aSessionHoldsUntilSignedOutIdleExpiredOrItsUserDisabled() async throws {
        try await Self.run { test in
            // setup
            let check = recheck(test)
            let signedOut = try await sessionPrincipal(test, "vera")
            let ofDisabled = try await sessionPrincipal(test, "oscar")
            let idle = try await sessionPrincipal(test, "admin")
            #expect(try await check.isValid(signedOut))
            #expect(try await check.isValid(ofDisabled))
            #expect(try await check.isValid(idle))
            // act
            guard case .session(let id, _) = signedOut.via else { return }
            try await SessionStore(
                database: test.app.db, security: test.app.services.config.security,
                now: { [clock = test.clock] in clock.now() }
            ).destroy(id: id)
            try await flagDisabled(test, "oscar")
            // assert
            #expect(try await !check.isValid(signedOut))
            #expect(try await !check.isValid(ofDisabled))
            test.clock.advance(by: test.app.services.config.security.sessionIdleTimeout + 1)
            #expect(try await !check.isValid(idle))
        }
    }

    @Test func aSessionEndsAtItsLifetimeEvenWhenUsed() async throws {
        try await Self.run { test in
            // setup
            let check = recheck(test)
            let principal = try await sessionPrincipal(test, "vera")
            guard case .session(let id, _) = principal.via else { return }
            // act: used a moment ago, but past its lifetime
            test.clock.advance(by: test.app.services.config.security.sessionLifetime + 1)
            let session = try #require(try await UserSession.find(id, on: test.app.db))
            session.lastSeenAt = test.clock.now()
            try await session.save(on: test.app.db)
            // assert
            #expect(try await !check.isValid(principal))
        }
    }

    // MARK: SSE

    /// Opens the SSE stream of `id`, reads until the first event, runs `act`, then reads to the end.
    /// Returns what came before and after `act`; throws when the stream does not end within the bound.
    static func followSSE(
        _ test: TestApp, port: Int, id: String, headers: HTTPHeaders, act: @escaping @Sendable () async throws -> Void
    ) async throws -> (status: HTTPResponseStatus, before: String, after: String) {
        try await withDeadline(seconds: bound) {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/runs/\(id)/events")
            request.headers = headers
            let response = try await test.app.http.client.shared.execute(request, timeout: .seconds(Int64(bound)))
            guard response.status == .ok else { return (response.status, "", "") }
            var body = response.body.makeAsyncIterator()
            var before = ""
            while !before.contains("id: 1\n"), let chunk = try await body.next() {
                before += String(buffer: chunk)
            }
            try await act()
            var after = ""
            while let chunk = try await body.next() { after += String(buffer: chunk) }
            return (response.status, before, after)
        }
    }

    @Test(arguments: Revocation.allCases)
    func anSSEStreamOfATokenEnds(when revocation: Revocation) async throws {
        try await Self.run { test in
            // setup
            let id = try await OpenRunFixture.create(test)
            let token = try await test.token("vera")
            try await test.listening { port in
                // act
                let stream = try await Self.followSSE(
                    test, port: port, id: id, headers: ["Authorization": "Bearer \(token)"]
                ) { try await revocation.apply(test, username: "vera") }
                // assert: it was open and delivering, then it ended with nothing more
                #expect(stream.status == .ok)
                #expect(stream.before.contains("event: run.status"))
                #expect(!stream.after.contains("id: "))
            }
            #expect(try await test.send(.GET, "/api/v1/runs/\(id)/events", bearer: token).status == .unauthorized)
        }
    }

    @Test func anSSEStreamOfASessionEndsAtSignOut() async throws {
        try await Self.run { test in
            // setup: the run page's own stream, on the session cookie
            let id = try await OpenRunFixture.create(test)
            let session = try await test.session("vera")
            let cookie = "\(SessionStore.cookieName)=\(session.cookie)"
            try await test.listening { port in
                // act
                let stream = try await Self.followSSE(test, port: port, id: id, headers: ["Cookie": cookie]) {
                    let out = try await test.send(.POST, "/logout", session: session, form: [:])
                    #expect(out.status == .seeOther)
                }
                // assert
                #expect(stream.status == .ok)
                #expect(stream.before.contains("event: run.status"))
                #expect(!stream.after.contains("id: "))
            }
        }
    }

    // MARK: WebSocket

    /// Opens the WebSocket of `id`, waits for the first frame, runs `act`, then waits for the close.
    /// Returns the frames after `act` and the close code.
    static func followWebSocket(
        _ test: TestApp, port: Int, id: String, headers: HTTPHeaders, act: @escaping @Sendable () async throws -> Void
    ) async throws -> (after: [String], closeCode: WebSocketErrorCode?) {
        try await withDeadline(seconds: bound) {
            let (frames, sink) = AsyncStream.makeStream(of: String.self)
            let (closed, closing) = AsyncStream.makeStream(of: WebSocketErrorCode?.self)
            try await WebSocket.connect(
                to: "ws://127.0.0.1:\(port)/api/v1/runs/\(id)/ws", headers: headers, on: test.app.eventLoopGroup
            ) { socket in
                socket.onText { _, text in sink.yield(text) }
                socket.onClose.whenComplete { _ in
                    sink.finish()
                    closing.yield(socket.closeCode)
                    closing.finish()
                }
            }.get()
            var reader = frames.makeAsyncIterator()
            let first = await reader.next()
            #expect(first?.contains(#""seq":1"#) == true)
            try await act()
            var after = [String]()
            while let frame = await reader.next() { after.append(frame) }
            var closeReader = closed.makeAsyncIterator()
            return (after, await closeReader.next() ?? nil)
        }
    }

    @Test(arguments: Revocation.allCases)
    func aWebSocketOfATokenIsClosed(when revocation: Revocation) async throws {
        try await Self.run { test in
            // setup
            let id = try await OpenRunFixture.create(test)
            let token = try await test.token("vera")
            try await test.listening { port in
                // act
                let socket = try await Self.followWebSocket(
                    test, port: port, id: id, headers: ["Authorization": "Bearer \(token)"]
                ) { try await revocation.apply(test, username: "vera") }
                // assert: one error frame saying why, then a policy-violation close
                #expect(socket.after.count == 1)
                #expect(socket.after.first?.contains("no longer valid") == true)
                #expect(socket.closeCode == .policyViolation)
            }
        }
    }

    @Test func aWebSocketOfASessionIsClosedAtSignOut() async throws {
        try await Self.run { test in
            // setup: WebSocketKit sends `Host` without the port, so the same origin is port 80
            let id = try await OpenRunFixture.create(test)
            let session = try await test.session("vera")
            let headers: HTTPHeaders = [
                "Cookie": "\(SessionStore.cookieName)=\(session.cookie)", "Origin": "http://127.0.0.1",
            ]
            try await test.listening { port in
                // act
                let socket = try await Self.followWebSocket(test, port: port, id: id, headers: headers) {
                    _ = try await test.send(.POST, "/logout", session: session, form: [:])
                }
                // assert
                #expect(socket.after.first?.contains("no longer valid") == true)
                #expect(socket.closeCode == .policyViolation)
            }
        }
    }
}
