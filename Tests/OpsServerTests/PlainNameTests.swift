import Fluent
import Foundation
import OpsCore
import Testing
import Vapor
import VaporTesting
import Yams

@testable import OpsServer

/// Issue 18: token names and AWS account names never need `"`, `<`, `>` or control characters, so every way in
/// refuses them with a 400 that says why.
@Suite("Plain names: token and AWS account names")
struct PlainNameTests {
    static let refused = [
        #"x" formaction="/admin/users/vic/role" data-x=""#, "y\"", "<b>", "a>b",
        "bell\u{7}", "c1\u{85}x", "rtl\u{202E}txt", "nul\u{0}",
    ]
    static let accepted = ["deploy bot (ci)", "Zoë's laptop & phone", "ops-1/2", "compte général"]

    @Test func theRuleRefusesMarkupAndControlCharactersOnly() {
        for name in Self.refused { #expect(PlainName.problem(name) != nil, "\(name.debugDescription)") }
        for name in Self.accepted { #expect(PlainName.problem(name) == nil, "\(name)") }
        #expect(PlainName.problem("a<b") == #"must not contain ", <, > or control characters (found '<')"#)
        #expect(PlainName.problem("a\u{1B}[2J")?.hasSuffix("(found U+001B)") == true)
    }

    @Test func openAPIStatesTheSameRuleForBothNames() throws {
        // setup
        let contract = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../openapi.yaml")
        let yaml = try String(contentsOf: contract, encoding: .utf8)
        let root = try #require(try Yams.load(yaml: yaml) as? [String: Any])

        // act
        let tokenName = Self.dig(
            root,
            [
                "paths", "/api/v1/tokens", "post", "requestBody", "content", "application/json", "schema",
                "properties", "name",
            ])
        let accountName = Self.dig(root, ["components", "schemas", "AWSAccount", "properties", "name"])

        // assert
        let pattern = try #require(tokenName?["pattern"] as? String)
        #expect(pattern == PlainName.pattern)
        let regex = try Regex(pattern)
        for name in Self.refused { #expect(name.wholeMatch(of: regex) == nil, "\(name.debugDescription)") }
        for name in Self.accepted { #expect(name.wholeMatch(of: regex) != nil, "\(name)") }
        // An account's name is also trimmed and 1 to 64 characters, so its pattern says more; the same names
        // pass and fail it.
        let accountPattern = try #require(accountName?["pattern"] as? String)
        for name in Self.refused {
            let matches = APIOperations.QueryParameter.value(name, matches: accountPattern)
            #expect(!matches, "\(name.debugDescription)")
        }
        for name in Self.accepted {
            #expect(APIOperations.QueryParameter.value(name, matches: accountPattern), "\(name)")
        }
    }

    @Test func theTokenFormRefusesAMarkupNameWithA400() async throws {
        try await TestApp.run { test in
            // setup
            let viewer = try await test.session("vera")

            // act
            let page = try await test.send(
                .POST, "/account/tokens", session: viewer, form: ["name": Self.refused[0], "expires_in_days": ""])

            // assert
            #expect(page.status == .badRequest)
            #expect(page.text.contains("token name must not contain \", &lt;, &gt; or control characters (found '\"')"))
            #expect(try await APIToken.query(on: test.app.db).count() == 0)
        }
    }

    @Test func theTokenAPIRefusesMarkupAndControlCharactersWithA400() async throws {
        try await TestApp.run { test in
            let bearer = try await test.token("vera")
            for name in Self.refused {
                // act
                let response = try await test.send(
                    .POST, "/api/v1/tokens", bearer: bearer, json: try Self.json(["name": name]))

                // assert
                #expect(response.status == .badRequest, "\(name.debugDescription)")
                #expect(response.text.contains("token name must not contain"), "\(response.text)")
            }
            let created = try await test.send(
                .POST, "/api/v1/tokens", bearer: bearer, json: try Self.json(["name": Self.accepted[1]]))
            #expect(created.status == .created)
            #expect(try await APIToken.query(on: test.app.db).count() == 2)
        }
    }

    @Test func theCLIRefusesAMarkupTokenName() async throws {
        // setup
        var config = ServerConfig()
        config.database = .sqliteMemory
        config.secretKey = SecretKey.generate().base64
        config.security.bcryptCost = 4

        // act
        let outcome = try await AdminConsole.with(config: config) { console -> AccountError? in
            _ = try await console.addUser("ci", role: .operator, password: nil)
            do {
                _ = try await console.createToken(for: "ci", name: "build \"<script>", expiresInDays: nil)
                return nil
            } catch let error as AccountError {
                return error
            }
        }

        // assert
        let error = try #require(outcome)
        #expect(error.status == .badRequest)
        #expect(error.description.contains("found '\"'"))
    }

    @Test func theAccountFormRefusesAMarkupNameWithA400() async throws {
        try await TestApp.run { test in
            // setup
            let admin = try await test.session("admin")

            // act
            let page = try await test.send(
                .POST, "/aws/accounts", session: admin,
                form: ["environment": "com", "account_id": "123456789012", "name": Self.refused[0], "role_name": ""])

            // assert
            #expect(page.status == .badRequest)
            #expect(page.text.contains("name: must not contain \", &lt;, &gt; or control characters (found '\"')"))
            #expect(try await AWSAccount.query(on: test.app.db).count() == 0)
        }
    }

    @Test func theAccountAPIRefusesMarkupAndControlCharactersWithA400() async throws {
        try await TestApp.run { test in
            let bearer = try await test.token("admin")
            for name in Self.refused {
                // act
                let response = try await test.send(
                    .POST, "/api/v1/aws/accounts", bearer: bearer,
                    json: try Self.json(["environment": "com", "account_id": "123456789012", "name": name]))

                // assert
                #expect(response.status == .badRequest, "\(name.debugDescription)")
                #expect(response.text.contains("must not contain"), "\(response.text)")
            }
            #expect(try await AWSAccount.query(on: test.app.db).count() == 0)
        }
    }

    static func json(_ object: [String: String]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func dig(_ root: [String: Any], _ path: [String]) -> [String: Any]? {
        path.reduce(Optional(root)) { $0?[$1] as? [String: Any] }
    }
}
