import Foundation
import Testing

@testable import OpsAWS

/// The moto_server pair started by scripts/test (scripts/lib/moto.sh), described by `$PCMOPS_TEST_MOTO_URL`,
/// `$PCMOPS_TEST_MOTO_AUTH_URL` (signature checking after `$PCMOPS_TEST_MOTO_FREE_CALLS` requests).
struct MotoServer {
    var url: String
    var authURL: String?
    var freeCalls: Int

    /// moto's default account.
    static let account = "123456789012"

    static let current: MotoServer? = {
        let variables = ProcessInfo.processInfo.environment
        guard let url = variables["PCMOPS_TEST_MOTO_URL"], !url.isEmpty else { return nil }
        return MotoServer(
            url: url, authURL: variables["PCMOPS_TEST_MOTO_AUTH_URL"].flatMap { $0.isEmpty ? nil : $0 },
            freeCalls: variables["PCMOPS_TEST_MOTO_FREE_CALLS"].flatMap(Int.init) ?? 6)
    }()

    static var isAvailable: Bool { current != nil }
    static var hasAuthServer: Bool { current?.authURL != nil }

    static func require() throws -> MotoServer {
        try #require(current, "scripts/test starts moto_server and sets PCMOPS_TEST_MOTO_URL")
    }

    /// Variables that point every service at `url` and leave no other credential source to find.
    static func variables(_ url: String, _ extra: [String: String] = [:]) -> [String: String] {
        ["AWS_ENDPOINT_URL": url, "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent"]
            .merging(extra) { _, new in new }
    }
}

/// The real HTTP transport, refusing anything but loopback: these tests must never reach AWS. A request to any
/// other host fails the test loudly and is not sent.
struct LoopbackOnlyTransport: AWSHTTPTransport {
    let base = URLSessionTransport()
    /// Whether a refused URL also fails the running test (off only for the test of the guard itself).
    var recordsIssue = true

    func send(_ request: AWSHTTPRequest) async throws -> AWSHTTPResponse {
        let host = URLComponents(string: request.url)?.host ?? ""
        guard ["127.0.0.1", "localhost", "::1"].contains(host) else {
            if recordsIssue { Issue.record("integration test tried to reach \(request.url); only loopback is allowed") }
            throw AWSError.transport(reason: "refused non-loopback URL \(request.url)")
        }
        return try await base.send(request)
    }
}

/// A temporary directory holding shared config/credentials files, removed by `remove()`.
struct TemporaryAWSFiles {
    let directory: String

    init(config: String, credentials: String) throws {
        directory = NSTemporaryDirectory() + "opsaws-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        try credentials.write(toFile: credentialsPath, atomically: true, encoding: .utf8)
    }

    var configPath: String { directory + "/config" }
    var credentialsPath: String { directory + "/credentials" }

    var variables: [String: String] {
        ["AWS_CONFIG_FILE": configPath, "AWS_SHARED_CREDENTIALS_FILE": credentialsPath]
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
