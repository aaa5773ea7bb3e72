import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("405 with Allow for a method a documented path lacks")
struct MethodNotAllowedTests {
    @Test func aMethodThePathLacksGets405WithTheMethodsItHas() async throws {
        try await TestApp.run { test in
            // setup
            let token = try await test.token("admin")
            // act
            let response = try await test.send(.TRACE, "/api/v1/me", bearer: token)
            // assert
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers.first(name: "Allow") == "GET, HEAD")
            #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
        }
    }

    @Test func aLiteralSegmentListsOnlyItsOwnMethods() throws {
        // setup
        let middleware = MethodNotAllowedMiddleware(operations: try APIOperations.bundled())
        // act, assert: /targets/test is not /targets/{name}
        #expect(middleware.allowedMethods(path: "/api/v1/targets/test") == ["POST"])
        #expect(middleware.allowedMethods(path: "/api/v1/targets/web1") == ["DELETE", "GET", "HEAD", "PATCH"])
        #expect(middleware.allowedMethods(path: "/api/v1/no-such-thing") == nil)
        #expect(middleware.allowedMethods(path: "/targets") == nil)
    }

    @Test func aDocumentedMethodStillReachesItsRoute() async throws {
        try await TestApp.run { test in
            // setup
            let token = try await test.token("admin")
            // act
            let tools = try await test.send(.GET, "/api/v1/tools", bearer: token)
            let missing = try await test.send(.DELETE, "/api/v1/nothing-here", bearer: token)
            // assert
            #expect(tools.status == .ok)
            #expect(missing.status == .notFound)
        }
    }

    @Test func anOptionalBodyMayBeLeftOut() async throws {
        try await TestApp.run { test in
            // setup
            let token = try await test.token("admin")
            // act: rerun's body is optional; no body is not a 400
            let response = try await test.send(.POST, "/api/v1/runs/r-none/rerun", bearer: token)
            // assert
            #expect(response.status == .notFound)
        }
    }
}
