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
        ("/api/v1/runs?cursor=r-%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9", "cursor"),
        // An empty value is not "no filter": openapi.yaml's pattern does not allow it (the web pages' forms may).
        ("/api/v1/runs?until=", "until"),
        ("/api/v1/targets?selector=", "selector"),
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

    /// The generated decoders read `null` as "not given"; openapi.yaml allows it nowhere in these bodies.
    @Test(arguments: [
        (HTTPMethod.PATCH, "/api/v1/users/vera", #"{"disabled":null}"#, "disabled: must not be null"),
        (.POST, "/api/v1/groups", #"{"name":"g","members":null}"#, "members: must not be null"),
        (
            .POST, "/api/v1/runs", #"{"tool":"system","action":"ping","parameters":null}"#,
            "parameters: must not be null"
        ),
        (
            .POST, "/api/v1/aws/accounts",
            #"{"environment":"com","account_id":"123456789012","name":"a","role_name":null}"#,
            "role_name: must not be null"
        ),
    ])
    func nullIsRefusedWhereTheDocumentDoesNotAllowIt(
        method: HTTPMethod, path: String, body: String, detail: String
    ) async throws {
        try await TestApp.run { test in
            let response = try await test.send(method, path, bearer: try await test.token("admin"), json: body)
            try Self.problem(response, .badRequest, mentions: detail)
        }
    }

    @Test func nonNullFieldsFollowReferencesAndNullableTypes() throws {
        // setup
        let schema: [String: Any] = [
            "properties": [
                "plain": ["type": "string"], "nullable": ["type": ["string", "null"]],
                "referenced": ["$ref": "#/components/schemas/Inner"],
            ]
        ]
        let inner: [String: Any] = ["type": "object", "properties": ["deep": ["type": "integer"]]]
        let fields = NonNullFields(schema: schema, schemas: ["Inner": inner])
        // act / assert
        #expect(throws: (any Error).self) { try fields.check(Data(#"{"plain":null}"#.utf8)) }
        #expect(throws: (any Error).self) { try fields.check(Data(#"{"referenced":{"deep":null}}"#.utf8)) }
        try fields.check(Data(#"{"nullable":null,"other":null,"plain":"x","referenced":{"deep":1}}"#.utf8))
    }

    @Test func queryValuesMustMatchTheDocumentsPattern() async throws {
        try await TestApp.run { test in
            let admin = try await test.token("admin")
            try Self.problem(
                try await test.send(.GET, "/api/v1/audit?action=%20login", bearer: admin), .badRequest,
                mentions: "action")
            #expect(try await test.send(.GET, "/api/v1/audit?action=login", bearer: admin).status == .ok)
            #expect(try await test.send(.GET, "/api/v1/audit?action=", bearer: admin).status == .ok)
        }
    }

    /// bcrypt reads 72 bytes; 37 × "é" is 37 characters (within maxLength) but 74 bytes.
    @Test func aPasswordOver72BytesIs422() async throws {
        try await TestApp.run { test in
            let body = #"{"username":"neo","role":"viewer","password":""# + String(repeating: "é", count: 37) + #""}"#
            let response = try await test.send(
                .POST, "/api/v1/users", bearer: try await test.token("admin"), json: body)
            try Self.problem(response, .unprocessableEntity, mentions: "72 bytes")
            #expect(try await test.accounts.list().contains { $0.username == "neo" } == false)
        }
    }
}
