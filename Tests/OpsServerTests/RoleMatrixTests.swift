import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("Role checks on every route")
struct RoleMatrixTests {
    /// Routes anyone may call.
    static let publicPaths: Set<String> = ["/health/live", "/health/ready", "/metrics", "/login", "/logout"]

    /// Every registered route with its parameters filled in.
    static func routes(_ app: Application) -> [(HTTPMethod, String)] {
        app.routes.all.map { route in
            let path =
                "/"
                + route.path.map { component -> String in
                    switch component {
                    case .parameter("name"): "vera"
                    case .parameter: UUID().uuidString
                    default: component.description
                    }
                }.joined(separator: "/")
            return (route.method, path == "/" ? "/" : path)
        }
    }

    static func isAdminRoute(_ path: String) -> Bool {
        path.hasPrefix("/admin") || path.hasPrefix("/api/v1/users") || path.hasPrefix("/api/v1/audit")
    }

    @Test func viewersAndOperatorsGet403OnEveryAdminRoute() async throws {
        try await TestApp.run { test in
            let adminRoutes = Self.routes(test.app).filter { Self.isAdminRoute($0.1) }
            #expect(adminRoutes.count >= 10)
            for username in ["vera", "oscar"] {
                let session = try await test.session(username)
                let token = try await test.token(username)
                for (method, path) in adminRoutes {
                    let viaSession = try await test.send(
                        method, path, session: session, form: method == .GET ? nil : ["role": "admin"])
                    #expect(viaSession.status == .forbidden, "\(username) \(method) \(path) via session")
                    if path.hasPrefix("/api/") {
                        let viaToken = try await test.send(
                            method, path, bearer: token, json: method == .GET ? nil : #"{"role":"admin"}"#)
                        #expect(viaToken.status == .forbidden, "\(username) \(method) \(path) via token")
                    }
                }
            }
            // Nothing changed.
            #expect(try await test.accounts.require("vera").role == .viewer)
            #expect(try await test.accounts.require("vera").disabled == false)
        }
    }

    @Test func adminsPassTheRoleCheck() async throws {
        try await TestApp.run { test in
            let session = try await test.session("admin")
            for (method, path) in Self.routes(test.app).filter({ Self.isAdminRoute($0.1) && $0.0 == .GET }) {
                let response = try await test.send(method, path, session: session)
                #expect(response.status == .ok, "admin GET \(path)")
            }
        }
    }

    @Test func everyRouteButThePublicOnesNeedsSignIn() async throws {
        try await TestApp.run { test in
            for (method, path) in Self.routes(test.app) where !Self.publicPaths.contains(path) {
                let response = try await test.send(method, path, form: method == .GET ? nil : [:])
                if method == .GET, !path.hasPrefix("/api/") {
                    #expect(response.status == .seeOther, "anonymous \(method) \(path)")
                } else {
                    #expect(response.status == .unauthorized, "anonymous \(method) \(path)")
                }
            }
        }
    }

    @Test func viewersReadEveryNonAdminPage() async throws {
        try await TestApp.run { test in
            let session = try await test.session("vera")
            let pages = Self.routes(test.app).filter {
                $0.0 == .GET && !Self.isAdminRoute($0.1) && !Self.publicPaths.contains($0.1) && !$0.1.hasPrefix("/api/")
            }
            #expect(pages.count >= 9)
            for (_, path) in pages {
                let response = try await test.send(.GET, path, session: session)
                #expect(response.status == .ok, "viewer GET \(path)")
                #expect(!response.text.contains("href=\"/admin\""), "viewer sees no Admin link on \(path)")
            }
        }
    }
}
