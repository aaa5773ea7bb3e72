import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// What the generated API code refuses before a handler runs, and how: problem+json naming the
/// field, never a 500.
@Suite("Generated API: refusals")
struct GeneratedAPIErrorTests {
    static func problem(_ response: TestingHTTPResponse, _ status: HTTPResponseStatus, mentions text: String) throws {
        #expect(response.status == status, "\(response.status) \(response.text)")
        #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
        let detail = try response.json()["detail"] as? String ?? ""
        #expect(detail.contains(text), "\(detail)")
        #expect(!detail.contains("Swift.") && !detail.contains("CodingKeys"), "\(detail)")
    }

    @Test(arguments: [
        ("/api/v1/runs?limit=abc", "limit"),
        ("/api/v1/runs?limit=0", "limit"),
        ("/api/v1/runs?status=exploded", "status"),
        ("/api/v1/runs?since=yesterday", "since"),
        ("/api/v1/runs?cursor=zzz", "cursor"),
        ("/api/v1/targets?os=beos", "os"),
        ("/api/v1/tokens?all=maybe", "all"),
        ("/api/v1/runs/r-000000000/events?after=-1", "after"),
        ("/api/v1/runs/r-000000000/events?after=x", "after"),
    ])
    func badQueryValuesAre400NamingTheParameter(path: String, name: String) async throws {
        try await TestApp.run { test in
            let response = try await test.send(.GET, path, bearer: try await test.token("vera"))
            if path.contains("/events") {
                // The run does not exist; a bad resume point may be refused first or the run reported missing.
                #expect([.badRequest, .notFound].contains(response.status), "\(response.text)")
            } else {
                try Self.problem(response, .badRequest, mentions: name)
            }
        }
    }

    @Test func aBodyOverTheOperationsLimitIs413() async throws {
        try await TestApp.run { test in
            let token = try await test.token("oscar")
            let big = #"{"tool":"system","action":"ping","change":""# + String(repeating: "x", count: 1 << 20) + #""}"#
            let response = try await test.send(.POST, "/api/v1/runs", bearer: token, json: big)
            #expect(response.status == .payloadTooLarge)
            #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
        }
    }

    @Test(arguments: [
        (#"{"username":"neo","role":"root"}"#, "role"),
        (#"{"role":"viewer"}"#, "username"),
        (#"{"username":7,"role":"viewer"}"#, "username"),
    ])
    func badUserBodiesNameTheField(body: String, field: String) async throws {
        try await TestApp.run { test in
            let response = try await test.send(
                .POST, "/api/v1/users", bearer: try await test.token("admin"), json: body)
            try Self.problem(response, .badRequest, mentions: field)
            #expect(try await test.accounts.list().contains { $0.username == "neo" } == false)
        }
    }

    @Test func malformedIdsAre400() async throws {
        try await TestApp.run { test in
            let admin = try await test.token("admin")
            try Self.problem(
                try await test.send(.DELETE, "/api/v1/tokens/not-a-uuid", bearer: admin), .badRequest, mentions: "id")
            try Self.problem(
                try await test.send(.DELETE, "/api/v1/known-hosts/not-a-uuid", bearer: admin), .badRequest,
                mentions: "id")
        }
    }

    @Test func anInventoryInAnUnlistedMediaTypeIs415() async throws {
        try await TestApp.run { test in
            let response = try await test.send(
                .POST, "/api/v1/inventory/import", bearer: try await test.token("admin"),
                headers: ["Content-Type": "image/png"], body: "web1")
            #expect(response.status == .unsupportedMediaType)
        }
    }

    @Test func responsesAreCompactJSON() async throws {
        try await TestApp.run { test in
            let response = try await test.send(.GET, "/api/v1/me", bearer: try await test.token("vera"))
            #expect(response.text.contains(#""username":"vera""#))
            #expect(!response.text.contains("\n"))
        }
    }
}
