import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("OpenAPI description")
struct OpenAPISpecTests {
    /// `METHOD /path/{param}` for every operation in the served spec.
    static func operations(in spec: String) -> Set<String> {
        var result = Set<String>()
        var path: String?
        for line in spec.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let current = path, line.hasPrefix("    "), !line.hasPrefix("     "),
                let method = ["get", "post", "patch", "delete", "put"].first(where: { line == "    \($0):" })
            {
                result.insert("\(method.uppercased()) \(current)")
            } else if !line.hasPrefix(" "), !line.isEmpty {
                path = nil
            }
        }
        return result
    }

    @Test func everyAPIRouteIsDescribedAndNothingElse() async throws {
        try await TestApp.run { test in
            let response = try await test.send(.GET, "/openapi.yaml")
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.description.hasPrefix("application/yaml") == true)
            let described = Self.operations(in: response.text)
            let registered = Set(
                test.app.routes.all.compactMap { route -> String? in
                    let path =
                        "/"
                        + route.path.map { component -> String in
                            if case .parameter(let name) = component { return "{\(name)}" }
                            return component.description
                        }.joined(separator: "/")
                    return path.hasPrefix("/api/v1/") ? "\(route.method.rawValue) \(path)" : nil
                })
            #expect(
                registered.subtracting(described).isEmpty, "not in openapi.yaml: \(registered.subtracting(described))")
            #expect(
                described.subtracting(registered).isEmpty,
                "described but not served: \(described.subtracting(registered))")
            #expect(registered.count >= 25)
        }
    }
}

@Suite("API docs page")
struct APIDocsPageTests {
    @Test func docsListEveryOperationOfTheDescription() async throws {
        try await TestApp.run { test in
            let page = try await test.send(.GET, "/docs")
            #expect(page.status == .ok)
            #expect(page.text.contains("<code>/api/v1/runs/{id}/events</code>"))
            #expect(page.text.contains(#"class="badge method-post""#))
            #expect(page.text.contains("Idempotency-Key"))
            #expect(page.text.contains(#"href="/openapi.yaml""#))
        }
    }
}
