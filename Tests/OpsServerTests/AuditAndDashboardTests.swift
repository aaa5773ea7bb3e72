import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("Audit log, dashboard, metrics")
struct AuditAndDashboardTests {
    @Test func auditPageFiltersAndPaginates() async throws {
        try await TestApp.run { test in
            for index in 0..<120 {
                try await test.audit.record(
                    "test.bulk", actor: index % 2 == 0 ? "oscar" : "vera", object: "n:\(index)", source: .system)
            }
            let admin = try await test.session("admin")
            let first = try await test.send(.GET, "/admin/audit?action=test&user=oscar", session: admin)
            #expect(first.status == .ok)
            #expect(first.text.contains("60 entries"))
            #expect(first.text.contains("page 1 of 2"))
            #expect(first.text.contains("Older"))
            #expect(!first.text.contains(">vera<"))
            let second = try await test.send(.GET, "/admin/audit?action=test&user=oscar&page=2", session: admin)
            #expect(second.text.contains("page 2 of 2"))
            #expect(second.text.contains("Newer"))
            let api = try await test.send(
                .GET, "/api/v1/audit?user=vera&per_page=10", bearer: try await test.token("admin"))
            let body = try api.json()
            #expect(body["total"] as? Int == 60)
            #expect((body["items"] as? [Any])?.count == 10)
        }
    }

    @Test(arguments: ["page=abc", "page=0", "per_page=1000", "action=%27%3B%20DROP"])
    func badAuditQueriesAre400(_ query: String) async throws {
        try await TestApp.run { test in
            let admin = try await test.session("admin")
            let response = try await test.send(.GET, "/admin/audit?\(query)", session: admin)
            #expect(response.status == .badRequest)
            let api = try await test.send(.GET, "/api/v1/audit?\(query)", bearer: try await test.token("admin"))
            #expect(api.status == .badRequest)
        }
    }

    @Test func dashboardCountsComeFromTheDatabase() async throws {
        try await TestApp.run { test in
            try await InventoryFixtures.seed(test)
            let admin = try await test.session("admin")
            _ = try await test.token("vera")
            let page = try await test.send(.GET, "/", session: admin)
            #expect(
                page.text.contains(
                    #"<span class="stat-value">3</span><span class="stat-label">Targets</span><span class="stat-detail">3 ssh · 3 linux</span>"#
                ))
            #expect(page.text.contains(#"<span class="stat-value">2</span><span class="stat-label">Groups"#))
            #expect(page.text.contains(#"<span class="stat-value">1</span><span class="stat-label">Credentials"#))
            #expect(page.text.contains(#"<span class="stat-value">3</span><span class="stat-label">Active users"#))
            #expect(page.text.contains(#"<span class="stat-value">1</span><span class="stat-label">Active API tokens"#))
            #expect(page.text.contains("Recent activity"))
            let viewer = try await test.send(.GET, "/", session: try await test.session("vera"))
            #expect(!viewer.text.contains("Recent activity"))
        }
    }

    @Test func comingSoonSectionsSayWhatIsComing() async throws {
        try await TestApp.run { test in
            let vera = try await test.session("vera")
            for section in ComingSoonController.sections {
                let page = try await test.send(.GET, section.path, session: vera)
                #expect(page.status == .ok)
                #expect(page.text.contains("Not available yet"))
                #expect(page.text.contains(#"class="active""#))
            }
        }
    }

    @Test func metricsCountRequestsByRoutePattern() async throws {
        try await TestApp.run { test in
            let admin = try await test.session("admin")
            _ = try await test.send(.GET, "/health/live")
            _ = try await test.send(.POST, "/admin/users/vera/role", session: admin, form: ["role": "viewer"])
            let metrics = try await test.send(.GET, "/metrics")
            #expect(metrics.status == .ok)
            #expect(
                metrics.text.contains(#"pcmops_http_requests_total{method="GET",route="/health/live",status="200"} 1"#))
            #expect(metrics.text.contains(#"route="/admin/users/:name/role""#))
            #expect(metrics.text.contains("pcmops_http_request_duration_seconds_bucket"))
            #expect(!metrics.text.contains("vera"))
        }
    }

    @Test func jsonLogLinesAreJSONWithMetadata() throws {
        let lines = LockedLines()
        var logger = Logger(label: "test") { JSONLogHandler(label: $0, level: .info, sink: lines.append) }
        logger[metadataKey: "request.id"] = "r-1"
        logger.info("hello \"world\"", metadata: ["run.id": "42"])
        logger.debug("not shown")
        let captured = lines.all
        #expect(captured.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(captured[0].utf8)) as? [String: Any])
        #expect(object["msg"] as? String == "hello \"world\"")
        #expect(object["request.id"] as? String == "r-1")
        #expect(object["run.id"] as? String == "42")
        #expect(object["level"] as? String == "info")
    }
}

final class LockedLines: Sendable {
    private let box = NIOLockedValueBox([String]())
    var all: [String] { box.withLockedValue { $0 } }
    func append(_ line: String) { box.withLockedValue { $0.append(line) } }
}
