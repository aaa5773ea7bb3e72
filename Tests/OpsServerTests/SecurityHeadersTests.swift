import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("Security headers and error pages")
struct SecurityHeadersTests {
    struct Boom: Error {
        let sql = "SELECT password_hash FROM users"
    }

    static func expectHeaders(_ response: TestingHTTPResponse, _ label: String) {
        let csp = response.headers.first(name: "Content-Security-Policy") ?? ""
        #expect(csp.contains("default-src 'self'"), "\(label)")
        #expect(csp.contains("frame-ancestors 'none'"), "\(label)")
        #expect(!csp.contains("unsafe-inline"), "\(label)")
        #expect(!csp.contains("unsafe-eval"), "\(label)")
        #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(label)")
        #expect(response.headers.first(name: "Referrer-Policy") != nil, "\(label)")
        #expect(response.headers.first(name: "X-Request-ID") != nil, "\(label)")
        #expect(response.headers.first(name: "Strict-Transport-Security") == nil, "\(label): no HSTS over http")
    }

    @Test func everyKindOfResponseCarriesTheHeaders() async throws {
        try await TestApp.run { test in
            test.app.get("boom") { _ -> String in throw Boom() }
            let session = try await test.session("vera")
            let cases: [(String, TestingHTTPResponse)] = [
                ("html page", try await test.send(.GET, "/login")),
                ("dashboard", try await test.send(.GET, "/", session: session)),
                ("json", try await test.send(.GET, "/health/live")),
                ("api json", try await test.send(.GET, "/api/v1/me", session: session)),
                ("static css", try await test.send(.GET, "/css/app.css")),
                ("html 404", try await test.send(.GET, "/no/such/page", session: session)),
                ("api 404", try await test.send(.GET, "/api/v1/nothing-here", session: session)),
                ("api 401", try await test.send(.GET, "/api/v1/me")),
                ("403", try await test.send(.GET, "/admin/users", session: session)),
                ("500", try await test.send(.GET, "/boom")),
            ]
            for (label, response) in cases { Self.expectHeaders(response, label) }
        }
    }

    @Test func serverErrorsShowNoInternals() async throws {
        try await TestApp.run { test in
            test.app.get("boom") { _ -> String in throw Boom() }
            let html = try await test.send(.GET, "/boom")
            #expect(html.status == .internalServerError)
            #expect(html.headers.contentType?.description.contains("text/html") == true)
            for leak in ["SELECT", "password_hash", "Boom", "Swift", ".swift"] {
                #expect(!html.text.contains(leak), "HTML error page leaks \(leak)")
            }
            #expect(html.text.contains("Request id"))
            let json = try await test.send(.GET, "/boom", headers: ["Accept": "application/json"])
            #expect(json.headers.contentType?.description == "application/problem+json")
            #expect(!json.text.contains("SELECT"))
            #expect(try json.json()["status"] as? Int == 500)
        }
    }

    @Test func apiErrorsAreProblemJSON() async throws {
        try await TestApp.run { test in
            let response = try await test.send(.GET, "/api/v1/nope", bearer: try await test.token("vera"))
            #expect(response.status == .notFound)
            let problem = try response.json()
            #expect(problem["status"] as? Int == 404)
            #expect(problem["title"] as? String == "Not Found")
            #expect(problem["request_id"] as? String == response.headers.first(name: "X-Request-ID"))
        }
    }

    @Test func incomingRequestIdIsKeptWhenSaneAndReplacedOtherwise() async throws {
        try await TestApp.run { test in
            let kept = try await test.send(.GET, "/health/live", headers: ["X-Request-ID": "abc-123"])
            #expect(kept.headers.first(name: "X-Request-ID") == "abc-123")
            let replaced = try await test.send(.GET, "/health/live", headers: ["X-Request-ID": "<script>"])
            #expect(replaced.headers.first(name: "X-Request-ID") != "<script>")
        }
    }

    @Test func pagesHaveNoInlineScriptOrStyle() async throws {
        try await TestApp.run { test in
            let session = try await test.session("admin")
            for path in [
                "/login", "/", "/admin", "/admin/users", "/admin/tokens", "/admin/audit", "/account/tokens", "/tools",
            ] {
                let page = try await test.send(.GET, path, session: path == "/login" ? nil : session)
                #expect(!page.text.contains("<script>"), "\(path)")
                #expect(!page.text.contains("style="), "\(path)")
                #expect(!page.text.contains("<style"), "\(path)")
                #expect(!page.text.contains(" onclick="), "\(path)")
            }
        }
    }
}
