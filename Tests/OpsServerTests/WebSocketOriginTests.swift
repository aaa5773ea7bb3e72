import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// A WebSocket opened with the session cookie must come from this server's own origin: scheme,
/// host and port, as RFC 6454 compares them.
@Suite("WebSocket origin check")
struct WebSocketOriginTests {
    @Test(arguments: [
        ("http://127.0.0.1:8500", true),
        ("HTTP://127.0.0.1:8500", true),
        ("http://127.0.0.1:9999", false),
        ("https://127.0.0.1:8500", false),
        ("http://evil.example:8500", false),
        ("http://127.0.0.1", false),
        ("null", false),
        ("http://127.0.0.1:8500/path", false),
        ("http://user@127.0.0.1:8500", false),
        ("ws://127.0.0.1:8500", false),
        ("127.0.0.1:8500", false),
        ("http://", false),
        ("", false),
    ])
    func originsAreComparedBySchemeHostAndPort(origin: String, accepted: Bool) {
        // setup
        let expected = WebOrigin.expected(publicURL: nil, hostHeader: "127.0.0.1:8500")
        // act
        let presented = WebOrigin(header: origin)
        // assert
        #expect((presented != nil && presented == expected) == accepted, "\(origin)")
    }

    @Test func anOmittedPortIsTheSchemesDefault() throws {
        #expect(WebOrigin(header: "http://ops.example") == WebOrigin(header: "http://ops.example:80"))
        #expect(WebOrigin(header: "https://ops.example") == WebOrigin(header: "https://ops.example:443"))
        #expect(WebOrigin(header: "https://ops.example") != WebOrigin(header: "https://ops.example:80"))
        let publicURL = try #require(URL(string: "https://Ops.Example/pcm/"))
        #expect(
            WebOrigin.expected(publicURL: publicURL, hostHeader: "10.0.0.5:8500")
                == WebOrigin(header: "https://ops.example:443"))
        #expect(
            WebOrigin.expected(publicURL: nil, hostHeader: "ops.example") == WebOrigin(header: "http://ops.example"))
    }

    @Test(arguments: ["", "evil.example/x", "a@ops.example", "ops.example:port", "ops example"])
    func aHostHeaderThatIsNotAHostGivesNoOrigin(host: String) {
        #expect(WebOrigin.expected(publicURL: nil, hostHeader: host) == nil, "\(host)")
    }

    static func upgrade(origin: String?, host: String = "127.0.0.1:8500") -> HTTPHeaders {
        var headers: HTTPHeaders = ["Upgrade": "websocket", "Connection": "Upgrade", "Host": host]
        if let origin { headers.add(name: .origin, value: origin) }
        return headers
    }

    @Test func aSessionWebSocketFromThisOriginSwitchesProtocols() async throws {
        try await TestApp.run { test in
            // setup
            let id = try await OpenRunFixture.create(test)
            let session = try await test.session("vera")
            // act
            let same = try await test.send(
                .GET, "/api/v1/runs/\(id)/ws", session: session, headers: Self.upgrade(origin: "http://127.0.0.1:8500"))
            // assert
            #expect(same.status == .switchingProtocols)
        }
    }

    @Test(arguments: [
        "http://127.0.0.1:9999", "https://127.0.0.1:8500", "http://evil.example:8500", "null",
        "http://127.0.0.1:8500/x",
        "not an origin",
    ])
    func aSessionWebSocketFromAnyOtherOriginIsRefusedBeforeSwitching(origin: String) async throws {
        try await TestApp.run { test in
            // setup
            let id = try await OpenRunFixture.create(test)
            let session = try await test.session("vera")
            // act
            let response = try await test.send(
                .GET, "/api/v1/runs/\(id)/ws", session: session, headers: Self.upgrade(origin: origin))
            // assert
            #expect(response.status == .forbidden, "\(origin)")
            #expect(response.headers.contentType?.description.contains("problem+json") == true)
        }
    }

    @Test func behindAProxyThePublicURLIsTheOrigin() async throws {
        try await TestApp.run(configure: { $0.publicURL = URL(string: "https://ops.example") }) { test in
            // setup: the proxy forwards to the server over plain http with its own Host
            let id = try await OpenRunFixture.create(test)
            let session = try await test.session("vera")
            let path = "/api/v1/runs/\(id)/ws"
            // act
            let viaProxy = try await test.send(
                .GET, path, session: session,
                headers: Self.upgrade(origin: "https://ops.example", host: "10.0.0.5:8500"))
            let direct = try await test.send(
                .GET, path, session: session,
                headers: Self.upgrade(origin: "http://10.0.0.5:8500", host: "10.0.0.5:8500"))
            let otherPort = try await test.send(
                .GET, path, session: session,
                headers: Self.upgrade(origin: "https://ops.example:8443", host: "10.0.0.5:8500"))
            // assert
            #expect(viaProxy.status == .switchingProtocols)
            #expect(direct.status == .forbidden)
            #expect(otherPort.status == .forbidden)
        }
    }

    @Test func aBearerTokenNeedsNoOrigin() async throws {
        try await TestApp.run { test in
            // setup: no browser can put a bearer token on a WebSocket, so there is no cookie to ride on
            let id = try await OpenRunFixture.create(test)
            let token = try await test.token("vera")
            // act
            let response = try await test.send(
                .GET, "/api/v1/runs/\(id)/ws", bearer: token, headers: Self.upgrade(origin: "http://127.0.0.1:9999"))
            // assert
            #expect(response.status == .switchingProtocols)
        }
    }
}
