import Fluent
import Foundation
import OpsCore
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("Role checks on every route")
struct RoleMatrixTests {
    /// Routes anyone may call.
    static let publicPaths: Set<String> = [
        "/health/live", "/health/ready", "/metrics", "/login", "/logout", "/openapi.yaml", "/docs",
    ]

    struct Probe {
        var method: HTTPMethod
        var path: String
        var role: Role?
    }

    /// Every registered route with its parameters filled in and the role it records.
    static func routes(_ app: Application) -> [Probe] {
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
            return Probe(method: route.method, path: path, role: route.requiredRole)
        }
    }

    @Test func everyRouteButThePublicOnesRecordsARole() async throws {
        try await TestApp.run { test in
            for probe in Self.routes(test.app) where probe.role == nil {
                #expect(Self.publicPaths.contains(probe.path), "\(probe.method) \(probe.path) has no role guard")
            }
            let admin = Self.routes(test.app).filter { $0.role == .admin }
            #expect(admin.count >= 30)
            #expect(admin.contains { $0.path == "/api/v1/credentials" && $0.method == .GET })
        }
    }

    @Test func usersBelowTheRequiredRoleGet403() async throws {
        try await TestApp.run { test in
            let probes = Self.routes(test.app).filter { $0.role != nil && $0.role != .viewer }
            for username in ["vera", "oscar"] {
                let role = try await test.accounts.require(username).role
                let session = try await test.session(username)
                let token = try await test.token(username)
                for probe in probes where !(role.allows(probe.role ?? .admin)) {
                    let viaSession = try await test.send(
                        probe.method, probe.path, session: session, form: probe.method == .GET ? nil : ["role": "admin"]
                    )
                    #expect(viaSession.status == .forbidden, "\(username) \(probe.method) \(probe.path) via session")
                    if probe.path.hasPrefix("/api/") {
                        let viaToken = try await test.send(
                            probe.method, probe.path, bearer: token,
                            json: probe.method == .GET ? nil : #"{"role":"admin"}"#)
                        #expect(viaToken.status == .forbidden, "\(username) \(probe.method) \(probe.path) via token")
                    }
                }
            }
            // Nothing changed.
            #expect(try await test.accounts.require("vera").role == .viewer)
            #expect(try await test.accounts.require("vera").disabled == false)
        }
    }

    @Test func adminsPassTheRoleCheckOnEveryPage() async throws {
        try await TestApp.run { test in
            try await InventoryFixtures.seed(test)
            let session = try await test.session("admin")
            for probe in Self.routes(test.app) where probe.role == .admin && probe.method == .GET {
                let path = probe.path.replacingOccurrences(of: "/vera", with: "/web")
                let response = try await test.send(.GET, path, session: session)
                #expect(response.status == .ok, "admin GET \(path)")
            }
        }
    }

    @Test func everyGuardedRouteNeedsSignIn() async throws {
        try await TestApp.run { test in
            for probe in Self.routes(test.app) where probe.role != nil {
                let response = try await test.send(probe.method, probe.path, form: probe.method == .GET ? nil : [:])
                if probe.method == .GET, !probe.path.hasPrefix("/api/") {
                    #expect(response.status == .seeOther, "anonymous \(probe.method) \(probe.path)")
                } else {
                    #expect(response.status == .unauthorized, "anonymous \(probe.method) \(probe.path)")
                }
            }
        }
    }

    @Test func viewersReadEveryViewerPage() async throws {
        try await TestApp.run { test in
            try await InventoryFixtures.seed(test)
            let session = try await test.session("vera")
            let created = try await test.send(
                .POST, "/api/v1/runs", bearer: try await test.token("oscar"),
                json: #"{"tool":"system","action":"ping","targets":["web01"]}"#)
            let runID = try #require(try created.json()["id"] as? String)
            // A job named as the probes fill `:name` in.
            let job = try await test.send(
                .POST, "/api/v1/jobs", bearer: try await test.token("oscar"),
                json: #"{"name":"vera","tool":"system","action":"ping","targets":["web01"]}"#)
            #expect(job.status == .created)
            let pages = Self.routes(test.app).filter {
                $0.method == .GET && $0.role == .viewer && !$0.path.hasPrefix("/api/")
            }
            #expect(pages.count >= 11)
            for probe in pages {
                var path = probe.path.replacingOccurrences(of: "/groups/vera", with: "/groups/web")
                    .replacingOccurrences(of: "/targets/vera", with: "/targets/web01")
                if path.hasPrefix("/tools/") { path = "/tools/system" }
                if path.hasPrefix("/runs/") {
                    path = "/runs/\(runID)" + (path.hasSuffix("/log.txt") ? "/log.txt" : "")
                }
                let response = try await test.send(.GET, path, session: session)
                #expect(response.status == .ok, "viewer GET \(path)")
                #expect(!response.text.contains("href=\"/admin\""), "viewer sees no Admin link on \(path)")
            }
        }
    }
}
