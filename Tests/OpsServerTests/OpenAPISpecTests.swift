import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("OpenAPI description")
struct OpenAPISpecTests {
    static func routeKey(_ route: Route) -> String {
        let path =
            "/"
            + route.path.map { component -> String in
                if case .parameter(let name) = component { return "{\(name)}" }
                return component.description
            }.joined(separator: "/")
        return APIOperations.key(route.method.rawValue, path)
    }

    @Test func everyAPIRouteIsDescribedAndNothingElse() async throws {
        try await TestApp.run { test in
            let response = try await test.send(.GET, "/openapi.yaml")
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.description.hasPrefix("application/yaml") == true)
            let operations = try APIOperations(yaml: response.text)
            let described = Set(operations.byRoute.keys).union(
                operations.webSockets.map { APIOperations.key($0.method, $0.path) })
            let registered = Set(test.app.routes.all.map(Self.routeKey).filter { $0.contains(" /api/v1/") })
            #expect(
                registered.subtracting(described).isEmpty, "not in openapi.yaml: \(registered.subtracting(described))")
            #expect(
                described.subtracting(registered).isEmpty,
                "described but not served: \(described.subtracting(registered))")
            #expect(registered.count >= 38)
        }
    }

    @Test func everyRouteGuardsWithTheRoleTheDocumentNames() async throws {
        try await TestApp.run { test in
            let operations = try APIOperations.bundled()
            for route in test.app.routes.all where Self.routeKey(route).contains(" /api/v1/") {
                let documented =
                    operations.operation(method: route.method, path: route.path)?.role
                    ?? operations.webSockets.first { APIOperations.key($0.method, $0.path) == Self.routeKey(route) }?
                    .role
                #expect(documented != nil && route.requiredRole == documented, "\(Self.routeKey(route))")
            }
            #expect(operations.byRoute["POST /api/v1/runs"]?.role == .operator)
            #expect(operations.byRoute["GET /api/v1/credentials"]?.role == .admin)
            #expect(operations.byRoute["POST /api/v1/runs"]?.maxBodySize == 1 << 20)
        }
    }

    /// The repository's `openapi.yaml` (the contract) is the document the server serves and generates from.
    @Test func theRootDocumentIsTheServedOne() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../openapi.yaml")
        let text = try String(contentsOf: root, encoding: .utf8)
        try await TestApp.run { test in
            let served = try await test.send(.GET, "/openapi.yaml").text
            #expect(served == text)
        }
    }

    @Test(arguments: [
        ("openapi: 3.1.0\npaths:\n  /a:\n    get:\n      operationId: a\n", "a has no valid x-pcm-role"),
        ("openapi: 3.1.0\npaths:\n  /a:\n    get:\n      operationId: a\n      x-pcm-role: root\n", "a has no valid"),
        ("openapi: 3.1.0\n", "no paths"),
    ])
    func aDocumentWithoutRolesIsRefused(yaml: String, message: String) {
        #expect {
            _ = try APIOperations(yaml: yaml)
        } throws: { error in
            String(describing: error).contains(message)
        }
    }

    @Test func anUndocumentedRouteNeedsAdmin() async throws {
        let operations = try APIOperations.bundled()
        #expect(operations.operation(method: .GET, path: ["api", "v1", "nothing"]) == nil)
        let app = try await Application.make(.testing)
        defer { Task { try? await app.asyncShutdown() } }
        let routes = APIOperationRoutes(base: app, operations: operations)
        routes.get("api", "v1", "nothing") { _ in "x" }
        #expect(app.routes.all.first?.requiredRole == .admin)
    }
}

@Suite("API docs page")
struct APIDocsPageTests {
    @Test func docsListEveryOperationOfTheDescription() async throws {
        try await TestApp.run { test in
            let page = try await test.send(.GET, "/docs")
            #expect(page.status == .ok)
            #expect(page.text.contains("<code>/api/v1/runs/{id}/events</code>"))
            #expect(page.text.contains("<code>/api/v1/runs/{id}/ws</code>"))
            #expect(page.text.contains("WebSocket"))
            #expect(page.text.contains("role: operator"))
            #expect(page.text.contains(#"class="badge method-post""#))
            #expect(page.text.contains("Idempotency-Key"))
            #expect(page.text.contains(#"href="/openapi.yaml""#))
        }
    }
}
