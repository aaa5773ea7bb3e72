import Foundation
import OpsAWS
import OpsCore
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// openapi.yaml states the server's rules exactly: its patterns accept what the server accepts and refuse
/// what it refuses (schemathesis `--checks all` generates from them; a client generated from the document
/// validates with them).
@Suite("openapi.yaml states the server's rules")
struct OpenAPIRulesTests {
    /// The bundled document, loaded as the server loads it.
    static func document() throws -> [String: Any] {
        try APIOperations.document(yaml: APIOperations.bundledText())
    }

    static func schema(_ name: String) throws -> [String: Any] {
        let components = try #require(try document()["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: Any])
        return try #require(schemas[name] as? [String: Any])
    }

    /// JSON Schema's `pattern` on one value (the patterns are anchored, and ICU's `$` also matches before a
    /// final newline, which ECMA-262's does not: values with a newline are left out of the corpora).
    static func matches(_ value: String, _ schema: [String: Any]) throws -> Bool {
        let pattern = try #require(schema["pattern"] as? String)
        if let maxLength = schema["maxLength"] as? Int, value.unicodeScalars.count > maxLength { return false }
        return APIOperations.QueryParameter.value(value, matches: pattern)
    }

    /// The query check lets a pattern it cannot compile through; none may be like that.
    @Test func everyPatternCompiles() throws {
        func patterns(in value: Any) -> [String] {
            if let object = value as? [String: Any] {
                // A property named "pattern" (a tool parameter's) is an object, not a pattern.
                return object.flatMap { key, value in
                    if key == "pattern", let pattern = value as? String { return [pattern] }
                    return patterns(in: value)
                }
            }
            if let array = value as? [Any] { return array.flatMap(patterns(in:)) }
            return []
        }
        let all = patterns(in: try Self.document())
        #expect(all.count > 20)
        for pattern in all {
            #expect((try? NSRegularExpression(pattern: pattern)) != nil, "\(pattern)")
        }
    }

    static let addressCorpus = [
        "web01", "web01.example.com", "some_host", "a", "x-1.y-2", "10.0.0.1", "255.255.255.255", "0.0.0.0",
        "::", "::1", "2001:db8::10", "fe80::1:2:3:4:5:6", "1:2:3:4:5:6:7:8", "::ffff:10.0.0.1", "1:2:3:4:5:6:1.2.3.4",
        "", " web01", "web01 ", "-web", "web-", "a..b", ".a", "a.", "1.2.3", "01.2.3.4", "256.1.1.1", "1.2.3.4.5",
        "123", "[::1]", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "1.2.3.4::", "ｆｆ::1", "wéb", "a b",
        "a_b-c.d_e", String(repeating: "a", count: 63), String(repeating: "a", count: 64),
        String(repeating: "a.", count: 126) + "a", String(repeating: "a.", count: 127) + "a", "g::1", "12345::",
        "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4", "1::1.2.3.4", "web01:22",
    ]

    @Test func targetAddressPatternIsTheServersRule() throws {
        let schema = try Self.schema("TargetAddress")
        for address in Self.addressCorpus {
            let server = (try? TargetAddress.validate(address).get()) != nil
            #expect(try Self.matches(address, schema) == server, "\(address.debugDescription): server \(server)")
        }
    }

    @Test func targetNamePatternIsTheServersRule() throws {
        let schema = try Self.schema("TargetName")
        for name in Self.addressCorpus + ["web_01", "_web", ".web", "Web.01-a"] {
            let server = (try? TargetName.validateHost(name).get()) != nil
            #expect(try Self.matches(name, schema) == server, "\(name.debugDescription): server \(server)")
        }
    }

    @Test func regionPatternIsTheServersRule() throws {
        let schema = try Self.schema("AWSRegion")
        for region in [
            "us-east-1", "us-gov-west-1", "eu-central-2", "a-b-c", "0-0-0", "us-east", "US-EAST-1", "us--east-1",
            "-us-east-1", "us-east-1-", "us_east-1", "ús-east-1", "", "us-east-1 ",
        ] {
            #expect(
                try Self.matches(region, schema) == AWSEnvironment.isWellFormed(region),
                "\(region.debugDescription)")
        }
    }

    @Test func batchLimitPatternsAreTheServersRule() throws {
        let properties = try #require(try Self.schema("RunInput")["properties"] as? [String: Any])
        for (field, allowZero) in [("max_concurrency", false), ("max_errors", true)] {
            let branches = try #require((properties[field] as? [String: Any])?["oneOf"] as? [[String: Any]])
            let text = try #require(branches.first { $0["type"] as? String == "string" })
            for value in [
                "1", "0", "50", "50%", "100%", "101%", "0%", "000000050%", "123456789", "1234567890", " 5 ", "5 %",
                "%", "", "abc", "00", "-1", "1.5", "\u{3000}7%",
            ] {
                let server = (try? BatchLimit.parse(value, field: field, allowZero: allowZero).get()) != nil
                #expect(try Self.matches(value, text) == server, "\(field) \(value.debugDescription)")
            }
        }
    }

    /// A region of the other environment is well formed (the document cannot relate the two parameters): 422.
    @Test func aRegionOfAnotherEnvironmentIs422AndAMalformedOne400() async throws {
        try await TestApp.run { test in
            let viewer = try await test.token("vera")
            let other = try await test.send(
                .GET, "/api/v1/aws/instances?environment=gov&region=us-east-1", bearer: viewer)
            #expect(other.status == .unprocessableEntity, "\(other.text)")
            #expect(other.text.contains("not a region of environment gov"))
            let malformed = try await test.send(
                .GET, "/api/v1/aws/instances?environment=com&region=US-EAST-1", bearer: viewer)
            #expect(malformed.status == .badRequest, "\(malformed.text)")
            #expect(malformed.text.contains("region"))
        }
        let wide = EC2InstanceQuery(
            environment: .com, accounts: (1...5).map { String(repeating: String($0), count: 12) },
            regions: [
                "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-west-3",
                "eu-central-1", "eu-north-1",
            ])
        #expect(
            throws: InventoryServiceError.unusable(
                field: "region", message: "at most 40 account × region pairs at once")
        ) {
            try wide.validated()
        }
        let query = EC2InstanceQuery(environment: .com, regions: ["us-gov-west-1"])
        #expect(
            throws: InventoryServiceError.unusable(
                field: "region", message: "'us-gov-west-1' is not a region of environment com")
        ) {
            try query.validated()
        }
    }

    /// Spaces and tabs around an account's name, id and role are dropped, as the patterns say; the rest of
    /// the name counts in code points (at most 64).
    @Test(arguments: [
        (" ops ", "123456789012", "", HTTPStatus.created),
        ("\tops", "\u{3000}123456789012 ", " Admin+Role ", .created),
        ("   ", "123456789012", "", .badRequest),
        ("ops", "12345678901", "", .badRequest),
        ("ops", "123456789012", "bad role", .badRequest),
        (String(repeating: "e\u{301}", count: 32) + " ", "123456789012", "", .created),
        (String(repeating: "e\u{301}", count: 33), "123456789012", "", .badRequest),
    ])
    func accountFieldsFollowTheirPatterns(name: String, id: String, role: String, status: HTTPStatus) async throws {
        let schema = try Self.schema("AWSAccount")
        let properties = try #require(schema["properties"] as? [String: Any])
        let documented =
            try Self.matches(name, try #require(properties["name"] as? [String: Any]))
            && Self.matches(id, try #require(properties["account_id"] as? [String: Any]))
            && Self.matches(role, try #require(properties["role_name"] as? [String: Any]))
        #expect(documented == (status == .created), "\(name.debugDescription)")
        try await TestApp.run { test in
            let body = try JSONSerialization.data(withJSONObject: [
                "environment": "com", "account_id": id, "name": name, "role_name": role,
            ])
            let response = try await test.send(
                .POST, "/api/v1/aws/accounts", bearer: try await test.token("admin"),
                json: String(decoding: body, as: UTF8.self))
            #expect(response.status == status, "\(name.debugDescription): \(response.text)")
        }
    }
}
