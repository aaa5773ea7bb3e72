import Fluent
import Foundation
import OpsTestSupport
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

/// The sshd pair of scripts/lib/sshd.sh, as the server tests need it.
struct SSHFixture: Decodable {
    var host: String
    var port: Int
    var bastion_port: Int
    var user: String
    var keys: String

    static let current: SSHFixture? = {
        guard let path = ProcessInfo.processInfo.environment["PCMOPS_TEST_SSH"],
            let data = FileManager.default.contents(atPath: path)
        else { return nil }
        return try? JSONDecoder().decode(SSHFixture.self, from: data)
    }()

    func key(_ name: String) throws -> String { try String(contentsOfFile: keys + "/" + name, encoding: .utf8) }

    /// What ssh-keyscan says for a port: a real known_hosts text.
    func keyscan(port: Int) throws -> String {
        try ChildProcess.run("/usr/bin/ssh-keyscan", ["-p", String(port), host]).stdoutText
    }
}

@Suite("Test connection against real sshd", .enabled(if: SSHFixture.current != nil))
struct TargetConnectionIntegrationTests {
    func setUp(_ test: TestApp, knownHosts: Bool = true) async throws -> (SSHFixture, String) {
        let ssh = try #require(SSHFixture.current)
        let token = try await test.token("admin")
        for (name, key) in [("ed", "id_ed25519"), ("rsa", "id_rsa")] {
            let body = try JSONEncoder().encode([
                "name": name, "kind": "ssh_key", "username": ssh.user, "private_key": try ssh.key(key),
            ])
            let response = try await test.send(
                .POST, "/api/v1/credentials", bearer: token, json: String(decoding: body, as: UTF8.self))
            #expect(response.status == .created)
        }
        if knownHosts {
            let text = try ssh.keyscan(port: ssh.port) + ssh.keyscan(port: ssh.bastion_port)
            let imported = try await test.send(
                .POST, "/api/v1/known-hosts", bearer: token, headers: ["Content-Type": "text/plain"], body: text)
            #expect(try imported.json()["added"] as? Int ?? 0 >= 4)
        }
        return (ssh, token)
    }

    func addTarget(_ test: TestApp, _ token: String, _ json: String) async throws {
        let response = try await test.send(.POST, "/api/v1/targets", bearer: token, json: json)
        #expect(response.status == .created, "\(response.text)")
    }

    func testTarget(_ test: TestApp, _ name: String) async throws -> [String: Any] {
        try await test.send(.POST, "/api/v1/targets/\(name)/test", bearer: try await test.token("oscar")).json()
    }

    @Test func testConnectionSucceedsWithEveryStageTimed() async throws {
        try await TestApp.run { test in
            let (ssh, token) = try await setUp(test)
            try await addTarget(
                test, token, #"{"name":"box","address":"\#(ssh.host)","port":\#(ssh.port),"credential":"ed"}"#)
            let result = try await testTarget(test, "box")
            #expect(result["ok"] as? Bool == true, "\(result)")
            let stages = (result["timings"] as? [[String: Any]])?.compactMap { $0["stage"] as? String }
            #expect(stages == ["connect", "handshake", "host_key", "authentication", "exec"])
        }
    }

    @Test func strictUnknownHostFailsAtHostKeyAndIsAudited() async throws {
        try await TestApp.run { test in
            let (ssh, token) = try await setUp(test, knownHosts: false)
            try await addTarget(
                test, token, #"{"name":"box","address":"\#(ssh.host)","port":\#(ssh.port),"credential":"ed"}"#)
            let result = try await testTarget(test, "box")
            #expect(result["ok"] as? Bool == false)
            #expect(result["failed_stage"] as? String == "host_key")
            #expect(try await AuditEntry.query(on: test.app.db).filter(\.$action == "hostkey.unknown").count() == 1)
        }
    }

    @Test func acceptNewRecordsTheKeyOnce() async throws {
        try await TestApp.run { test in
            let (ssh, token) = try await setUp(test, knownHosts: false)
            try await addTarget(
                test, token,
                #"{"name":"box","address":"\#(ssh.host)","port":\#(ssh.port),"credential":"ed","host_key_policy":"accept-new"}"#
            )
            #expect(try await testTarget(test, "box")["ok"] as? Bool == true)
            #expect(try await testTarget(test, "box")["ok"] as? Bool == true)
            #expect(try await KnownHostRecord.query(on: test.app.db).count() == 1)
            #expect(try await AuditEntry.query(on: test.app.db).filter(\.$action == "hostkey.accept_new").count() == 1)
        }
    }

    @Test func mismatchIsRefusedAndAuditedWithBothFingerprints() async throws {
        try await TestApp.run { test in
            let (ssh, token) = try await setUp(test, knownHosts: false)
            let other = try #require(try? InventoryFixtures.generateKey())
            let publicLine = try OpsSSHTestKey.publicLine(ofPrivate: other)
            _ = try await test.send(
                .POST, "/api/v1/known-hosts", bearer: token, headers: ["Content-Type": "text/plain"],
                body: "[\(ssh.host)]:\(ssh.port) \(publicLine)\n")
            try await addTarget(
                test, token, #"{"name":"box","address":"\#(ssh.host)","port":\#(ssh.port),"credential":"ed"}"#)
            let result = try await testTarget(test, "box")
            #expect(result["failed_stage"] as? String == "host_key")
            #expect((result["message"] as? String)?.contains("mismatch") == true)
            let entry = try #require(
                try await AuditEntry.query(on: test.app.db).filter(\.$action == "hostkey.mismatch").first())
            #expect(entry.details?.contains("expected") == true && entry.details?.contains("presented") == true)
        }
    }

    @Test func jumpHostOpenSSHFallbackAndGroupTest() async throws {
        try await TestApp.run { test in
            let (ssh, token) = try await setUp(test)
            try await addTarget(
                test, token,
                #"{"name":"bastion","address":"\#(ssh.host)","port":\#(ssh.bastion_port),"credential":"ed"}"#)
            try await addTarget(
                test, token,
                #"{"name":"inner","address":"\#(ssh.host)","port":\#(ssh.port),"credential":"ed","jump":"bastion","tags":{"role":"t"}}"#
            )
            try await addTarget(
                test, token,
                #"{"name":"legacy","address":"\#(ssh.host)","port":\#(ssh.port),"credential":"rsa","transport":"openssh","tags":{"role":"t"}}"#
            )
            #expect(try await testTarget(test, "inner")["ok"] as? Bool == true)
            #expect(try await testTarget(test, "legacy")["ok"] as? Bool == true)
            // The RSA credential on the built-in transport fails clearly.
            _ = try await test.send(.PATCH, "/api/v1/targets/legacy", bearer: token, json: #"{"transport":"ssh"}"#)
            let refused = try await testTarget(test, "legacy")
            #expect(refused["failed_stage"] as? String == "authentication")
            #expect((refused["message"] as? String)?.contains("openssh") == true)
            // A group test covers every member.
            _ = try await test.send(.POST, "/api/v1/groups", bearer: token, json: #"{"name":"t","selector":"role=t"}"#)
            let many = try await test.send(
                .POST, "/api/v1/targets/test", bearer: try await test.token("oscar"), json: #"{"group":"t"}"#)
            let results = try #require(try JSONSerialization.jsonObject(with: Data(many.text.utf8)) as? [[String: Any]])
            #expect(results.count == 2)
        }
    }
}
