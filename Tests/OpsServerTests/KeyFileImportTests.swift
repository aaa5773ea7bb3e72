import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("Key files named by an uploaded inventory")
struct KeyFileImportTests {
    static func importINI(_ test: TestApp, _ text: String) async throws -> [String: Any] {
        let response = try await test.send(
            .POST, "/api/v1/inventory/import?format=ini", bearer: try await test.token("admin"),
            headers: ["Content-Type": "text/plain"], body: text)
        #expect(response.status == .ok, "\(response.text)")
        return try response.json()
    }

    static func reasons(_ report: [String: Any]) -> [String: String] {
        var result = [String: String]()
        for warning in report["warnings"] as? [[String: Any]] ?? [] {
            if let name = warning["name"] as? String { result[name] = warning["reason"] as? String }
        }
        return result
    }

    @Test func withoutAKeyDirectoryNoServerFileIsReadAndEveryPathGetsTheSameAnswer() async throws {
        try await TestApp.run { test in
            // setup: a real key on the server's disk, /etc/shadow, a missing file, a file that is not a key
            let directory = NSTemporaryDirectory() + "pcmops-keys-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try InventoryFixtures.generateKey().write(toFile: directory + "/id", atomically: true, encoding: .utf8)
            let ini = """
                [app]
                real ansible_host=10.4.0.1 ansible_ssh_private_key_file=\(directory)/id
                shadow ansible_host=10.4.0.2 ansible_ssh_private_key_file=/etc/shadow
                missing ansible_host=10.4.0.3 ansible_ssh_private_key_file=/nonexistent/id_ed25519
                notkey ansible_host=10.4.0.4 ansible_ssh_private_key_file=/etc/hostname
                """
            // act
            let report = try await Self.importINI(test, ini)
            // assert: every host imported, none with a credential, one answer for all
            #expect((report["added"] as? [String])?.sorted() == ["missing", "notkey", "real", "shadow"])
            #expect((report["rejected"] as? [Any])?.isEmpty == true)
            #expect((report["credentials_added"] as? [Any])?.isEmpty == true)
            let reasons = Self.reasons(report)
            #expect(Set(reasons.values).count == 1, "\(reasons)")
            #expect(reasons["shadow"]?.contains("--key-dir") == true)
        }
    }

    @Test func withAKeyDirectoryOnlyKeysInsideItAreReadAndOutsideLooksLikeMissing() async throws {
        // setup
        let directory = NSTemporaryDirectory() + "pcmops-keys-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try InventoryFixtures.generateKey().write(toFile: directory + "/deploy", atomically: true, encoding: .utf8)
        try "not a key\n".write(toFile: directory + "/notes.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: directory + "/escape", withDestinationPath: "/etc/hostname")
        try await TestApp.run(configure: { $0.keyDirectory = directory }) { test in
            let ini = """
                [app]
                inside ansible_host=10.5.0.1 ansible_ssh_private_key_file=\(directory)/deploy
                byname ansible_host=10.5.0.2 ansible_ssh_private_key_file=~/.ssh/deploy
                shadow ansible_host=10.5.0.3 ansible_ssh_private_key_file=/etc/shadow
                missing ansible_host=10.5.0.4 ansible_ssh_private_key_file=/etc/nonexistent-key
                notkey ansible_host=10.5.0.5 ansible_ssh_private_key_file=\(directory)/notes.txt
                link ansible_host=10.5.0.6 ansible_ssh_private_key_file=\(directory)/escape
                """
            // act
            let report = try await Self.importINI(test, ini)
            // assert
            #expect((report["added"] as? [String])?.count == 6)
            #expect((report["credentials_added"] as? [String])?.count == 1, "one credential for the key, used twice")
            let reasons = Self.reasons(report)
            #expect(Set(reasons.keys) == ["shadow", "missing", "notkey", "link"])
            let shapes = Set(
                reasons.map { name, reason in
                    reason.replacingOccurrences(of: Self.path(in: ini, of: name), with: "PATH")
                })
            #expect(shapes.count == 1, "\(reasons)")
            let targets = TargetService(database: test.app.db, audit: test.audit, allowLocal: false)
            #expect(try await targets.require("inside").$credential.id != nil)
            #expect(try await targets.require("byname").$credential.id != nil)
            #expect(try await targets.require("shadow").$credential.id == nil)
        }
    }

    @Test func theCLIPolicyReadsTheOperatorsOwnFilesAndSaysWhatIsWrong() throws {
        // setup
        let file = NSTemporaryDirectory() + "pcmops-cli-key-" + UUID().uuidString
        try "plain text\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        // act
        let notKey = KeyFilePolicy.localUser.read(file)
        let missing = KeyFilePolicy.localUser.read(file + ".missing")
        // assert
        #expect(throws: KeyFileRefusal.self) { try notKey.get() }
        if case .failure(let refusal) = notKey { #expect(refusal.message.contains("not a private key")) }
        if case .failure(let refusal) = missing { #expect(refusal.message.contains("cannot read")) }
    }

    @Test func aKeyDirectoryThatIsNotADirectoryIsAConfigError() {
        #expect(throws: ConfigError.self) {
            _ = try ServerConfig.keyDirectory(flag: "/etc/hostname", environment: [:])
        }
        #expect(throws: ConfigError.self) {
            _ = try ServerConfig.keyDirectory(flag: nil, environment: ["PCMOPS_KEY_DIR": "/nonexistent-\(UUID())"])
        }
        #expect((try? ServerConfig.keyDirectory(flag: nil, environment: [:])) == .some(nil))
    }

    static func path(in ini: String, of name: String) -> String {
        let line = ini.split(separator: "\n").first { $0.hasPrefix(name + " ") } ?? ""
        return String(line.split(separator: "=").last ?? "")
    }
}
