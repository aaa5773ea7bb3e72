import Fluent
import Foundation
import OpsCore
import Testing

@testable import OpsServer

/// A test app whose catalog includes Tests/fixtures/tools (the `testkit` tool), with targets on the
/// throwaway sshd: `n1`…`nN`, and `down` on a port nothing listens on.
struct RunFixture {
    let test: TestApp
    let ssh: SSHFixture

    static var toolsDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/tools").path
    }

    static func run(targets count: Int = 3, _ body: (RunFixture) async throws -> Void) async throws {
        let ssh = try #require(SSHFixture.current)
        try await TestApp.run(configure: { $0.toolsDirectory = toolsDirectory }) { test in
            let actor = AccountService.Actor(name: "admin", source: .system)
            let credentials = CredentialService(
                database: test.app.db, vault: test.app.services.vault, audit: test.audit)
            try await credentials.create(
                name: "ed", username: ssh.user, secret: .sshKey(privateKey: try ssh.key("id_ed25519"), passphrase: nil),
                isDefault: true, by: actor)
            _ = try await KnownHostsService(database: test.app.db, audit: test.audit)
                .importText(try ssh.keyscan(port: ssh.port), source: "test", by: actor)
            let targets = TargetService(database: test.app.db, audit: test.audit, allowLocal: false)
            for index in 1...max(1, count) {
                try await targets.create(
                    TargetSpec(name: "n\(index)", address: ssh.host, port: ssh.port, tags: ["fleet": "test"]), by: actor
                )
            }
            try await targets.create(TargetSpec(name: "down", address: ssh.host, port: 1), by: actor)
            try await body(RunFixture(test: test, ssh: ssh))
        }
    }

    var service: RunService { RunService(database: test.app.db, services: test.app.services, logger: test.app.logger) }

    static let operatorActor = AccountService.Actor(name: "oscar", source: .api)

    /// Submits and waits for the end; returns the run and its executions.
    func run(
        _ reference: String, on targets: [String] = ["n1"], parameters: [String: String] = [:],
        configure: (inout RunRequest) -> Void = { _ in }
    ) async throws -> (RunDTO, [ExecutionDTO]) {
        var request = try RunRequest(reference: reference, catalog: test.app.services.catalog.catalog)
        request.targets = targets
        request.parameters = parameters
        configure(&request)
        let submission = try await service.submit(request, by: Self.operatorActor, source: "api")
        _ = await submission.completion?.value
        return (try await service.show(submission.run.publicID), try await service.executions(submission.run.publicID))
    }

    func events(_ id: String) async throws -> [RunEventMessage] {
        try await service.events(id, after: 0, limit: 100_000)
    }
}
