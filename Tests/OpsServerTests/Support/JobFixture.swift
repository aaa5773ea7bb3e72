import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// What the job suites share: a site tool (`jobkit`) the tests change under saved jobs, and targets t1, t2 (tag
/// env=lab, on a port nothing listens on, so runs end fast) in group `lab`.
enum JobFixture {
    /// `jobkit` as first saved: `unit` (required, lower-case letters), `password` (secret, required), `note`;
    /// actions `show` and `wipe` (destructive).
    static let tool = """
        id: jobkit
        name: Job kit
        description: A tool the job suites change under their jobs.
        category: test
        platforms: [linux]
        parameters:
          - name: unit
            type: string
            required: true
            pattern: '^[a-z]+$'
          - name: password
            type: string
            secret: true
            required: true
          - name: note
            type: string
        actions:
          - id: show
            name: Show
            interpreter: sh
            script: |
              echo "$PARAM_UNIT"
            timeout: 30
          - id: wipe
            name: Wipe
            interpreter: sh
            script: |
              echo wipe
            destructive: true
            timeout: 30
        """

    /// A site tools directory holding `jobkit`, removed after `body`.
    static func withTools(_ body: (String) async throws -> Void) async throws {
        let directory = NSTemporaryDirectory() + "pcmops-jobkit-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/jobkit", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write(tool, to: directory)
        try await body(directory)
    }

    static func write(_ yaml: String, to directory: String) throws {
        try yaml.write(toFile: directory + "/jobkit/tool.yml", atomically: true, encoding: .utf8)
    }

    /// Tokens of admin, oscar (operator) and vera (viewer), after adding t1, t2 and group `lab`.
    static func setUp(_ test: TestApp) async throws -> (admin: String, oscar: String, vera: String) {
        let admin = try await test.token("admin")
        for index in 1...2 {
            let response = try await test.send(
                .POST, "/api/v1/targets", bearer: admin,
                json: #"{"name":"t\#(index)","address":"127.0.0.1","port":1,"tags":{"env":"lab"}}"#)
            #expect(response.status == .created)
        }
        let group = try await test.send(
            .POST, "/api/v1/groups", bearer: admin, json: #"{"name":"lab","selector":"env=lab"}"#)
        #expect(group.status == .created)
        return (admin, try await test.token("oscar"), try await test.token("vera"))
    }

    /// A second operator, olga, and her token.
    static func secondOperator(_ test: TestApp) async throws -> String {
        _ = try await test.accounts.createUser(
            username: "olga", role: .operator, password: fixturePassword, by: .init(name: nil, source: .system))
        return try await test.token("olga")
    }

    static func create(_ test: TestApp, _ token: String, _ json: String) async throws -> [String: Any] {
        let response = try await test.send(.POST, "/api/v1/jobs", bearer: token, json: json)
        #expect(response.status == .created, "\(response.text)")
        return try response.json()
    }

    /// The problem+json detail of a response.
    static func detail(_ response: TestingHTTPResponse) -> String {
        ((try? response.json())?["detail"] as? String) ?? response.text
    }

    static func runs(_ test: TestApp, _ token: String) async throws -> [[String: Any]] {
        try await test.send(.GET, "/api/v1/runs", bearer: token).json()["runs"] as? [[String: Any]] ?? []
    }
}

extension TestApp {
    /// `send`, then `json()`: for lists the top level is an array.
    func jsonArray(_ path: String, bearer: String) async throws -> [[String: Any]] {
        let response = try await send(.GET, path, bearer: bearer)
        return (try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [[String: Any]]) ?? []
    }
}
