import Fluent
import Foundation
import OpsCore
import OpsTestSupport
import Vapor

@testable import OpsServer

/// A small inventory: credential `deploy` (password), targets web01, web02 (env=prod, role=web) and
/// db01 (env=prod, role=db, windows? no: linux), group `web` (selector role=web) and `static` (db01).
enum InventoryFixtures {
    static let actor = AccountService.Actor(name: "fixture", source: .system)

    static func seed(_ test: TestApp) async throws {
        let audit = test.audit
        let credentials = CredentialService(database: test.app.db, vault: test.app.services.vault, audit: audit)
        try await credentials.create(
            name: "deploy", username: "deployer", secret: .sshPassword("fixture secret pw"), by: actor)
        let targets = TargetService(database: test.app.db, audit: audit, allowLocal: false)
        try await targets.create(
            TargetSpec(name: "web01", address: "10.1.0.1", credential: "deploy", tags: ["env": "prod", "role": "web"]),
            by: actor)
        try await targets.create(
            TargetSpec(name: "web02", address: "10.1.0.2", tags: ["env": "prod", "role": "web"]), by: actor)
        try await targets.create(
            TargetSpec(name: "db01", address: "db01.example.com", port: 2222, tags: ["env": "prod", "role": "db"]),
            by: actor)
        let groups = GroupService(database: test.app.db, audit: audit)
        try await groups.create(GroupSpec(name: "web", selector: "role=web", credential: "deploy"), by: actor)
        try await groups.create(GroupSpec(name: "static", members: ["db01"]), by: actor)
    }

    /// An OpenSSH private key made by ssh-keygen.
    static func generateKey(type: String = "ed25519", passphrase: String = "") throws -> String {
        let directory = NSTemporaryDirectory() + "pcmops-key-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let made = try ChildProcess.run(
            "/usr/bin/ssh-keygen", ["-q", "-t", type, "-N", passphrase, "-f", directory + "/key"])
        guard made.status == 0 else { throw ChildProcess.Failure(description: "ssh-keygen: \(made.stderrText)") }
        return try String(contentsOfFile: directory + "/key", encoding: .utf8)
    }
}
