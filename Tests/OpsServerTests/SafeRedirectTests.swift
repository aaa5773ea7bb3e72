import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("Sign-in redirect target")
struct SafeRedirectTests {
    /// Values a browser would take to another origin (or that are not paths at all).
    static let hostile = [
        "/\t/evil.example/", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example", " //evil.example",
        "//evil.example/x", "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "\\/evil.example",
        "https://evil.example", "http:evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
        "data:text/html,x", "evil.example", "", "   ", "/\u{0}/evil.example", "\u{1}//evil.example",
        "/x\u{7F}y", "/a b", "/\u{200B}/evil.example", "/\u{00A0}x", String(repeating: "/a", count: 300),
    ]

    /// Same-origin paths that must keep working, unchanged or cleaned the way a browser would.
    static let kept: [(String, String)] = [
        ("/admin/users", "/admin/users"), ("/runs/abc?target=web01#out", "/runs/abc?target=web01#out"),
        ("/runs?status=failed&limit=50", "/runs?status=failed&limit=50"), ("/", "/"),
        ("/%2F%2Fevil.example", "/%2F%2Fevil.example"), ("/./x", "/./x"), ("/runs/\t1", "/runs/1"),
        ("  /targets  ", "/targets"),
    ]

    @Test(arguments: hostile)
    func aValueThatLeavesThisOriginGoesHome(_ next: String) {
        #expect(SafeRedirect.path(next) == nil, "\(next.debugDescription) was accepted")
        #expect(LoginController.safeNext(next) == "")
    }

    @Test(arguments: kept)
    func aPathOnThisServerIsKeptAsTheBrowserReadsIt(_ pair: (String, String)) {
        #expect(SafeRedirect.path(pair.0) == pair.1)
    }

    @Test func theTabTrickFromTheReportGoesHomeAfterSignIn() async throws {
        try await TestApp.run { test in
            // setup
            let page = try await test.send(.GET, "/login?next=%2F%09%2Fevil.example%2F")
            let csrf = try #require(page.cookie(LoginController.loginCSRFCookie))
            // assert: the form does not carry the value
            #expect(!page.text.contains("evil.example"))
            // act
            let response = try await test.send(
                .POST, "/login",
                form: [
                    "username": "admin", "password": fixturePassword, "csrf_token": csrf, "next": "/\t/evil.example/",
                ],
                headers: ["Cookie": "\(LoginController.loginCSRFCookie)=\(csrf)"])
            // assert
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/")
        }
    }
}
