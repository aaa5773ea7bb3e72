import Fluent
import Foundation
import OpsCore
import Testing
import Vapor
import VaporTesting

@testable import OpsServer

@Suite("First start and restarts")
struct BootstrapTests {
    @Test func firstStartCreatesAdminOnceAndARestartChangesNothing() async throws {
        try await TestApp.run(fixtures: false) { test in
            // act: first start
            let first = try await AdminBootstrap.run(test.app)
            let admin = try await test.accounts.require("admin")
            let hash = admin.passwordHash
            // act: restart
            let second = try await AdminBootstrap.run(test.app)
            // assert
            #expect(first.created)
            let generated = try #require(first.generatedPassword)
            #expect(generated.count >= 16)
            #expect(admin.role == .admin)
            #expect(await PasswordHashing(cost: 4).verify(generated, against: hash))
            #expect(second.created == false)
            #expect(second.generatedPassword == nil)
            #expect(try await test.accounts.require("admin").passwordHash == hash)
            #expect(try await User.query(on: test.app.db).count() == 1)
        }
    }

    @Test func adminPasswordFromTheEnvironmentIsUsedAndNotPrinted() async throws {
        try await TestApp.run(fixtures: false, configure: { $0.adminPassword = "from the environment" }) { test in
            let result = try await AdminBootstrap.run(test.app)
            #expect(result.created)
            #expect(result.generatedPassword == nil)
            let admin = try await test.accounts.require("admin")
            #expect(await PasswordHashing(cost: 4).verify("from the environment", against: admin.passwordHash))
        }
    }

    @Test func weakAdminPasswordFromTheEnvironmentIsAConfigError() async throws {
        try await TestApp.run(fixtures: false, configure: { $0.adminPassword = "short" }) { test in
            await #expect(throws: ConfigError.self) { try await AdminBootstrap.run(test.app) }
            let users = try await User.query(on: test.app.db).count()
            #expect(users == 0)
        }
    }

    @Test func noAdminIsCreatedWhenUsersExist() async throws {
        try await TestApp.run(fixtures: false) { test in
            _ = try await test.accounts.createUser(
                username: "root-person", role: .admin, password: fixturePassword, by: .init(name: nil, source: .cli))
            let result = try await AdminBootstrap.run(test.app)
            #expect(!result.created)
            #expect(try await test.accounts.find("admin") == nil)
        }
    }

    @Test func dataDirectoryAndKeyFileAreCreatedPrivateAndKept() throws {
        // setup
        var config = ServerConfig()
        config.dataDirectory = NSTemporaryDirectory() + "pcmops-boot-" + UUID().uuidString + "/nested"
        config.database = .sqlite(path: config.dataDirectory + "/pcm-ops.sqlite")
        defer { try? FileManager.default.removeItem(atPath: config.dataDirectory) }
        // act
        let first = try PCMOpsApp.makeServices(config: config)
        let second = try PCMOpsApp.makeServices(config: config)
        // assert
        let manager = FileManager.default
        #expect((try manager.attributesOfItem(atPath: config.dataDirectory)[.posixPermissions] as? Int) == 0o700)
        #expect((try manager.attributesOfItem(atPath: config.secretKeyPath)[.posixPermissions] as? Int) == 0o600)
        #expect(first.vault.current.id == second.vault.current.id)
    }

    @Test func secretKeyFromTheEnvironmentWinsOverTheFile() throws {
        var config = ServerConfig()
        config.dataDirectory = NSTemporaryDirectory() + "pcmops-envkey-" + UUID().uuidString
        config.database = .sqlite(path: config.dataDirectory + "/pcm-ops.sqlite")
        config.secretKey = Data(repeating: 7, count: 32).base64EncodedString()
        defer { try? FileManager.default.removeItem(atPath: config.dataDirectory) }
        let services = try PCMOpsApp.makeServices(config: config)
        let expected = try OpsCore.SecretKey(encoded: config.secretKey ?? "")
        #expect(services.vault.current.id == expected.id)
        #expect(!FileManager.default.fileExists(atPath: config.secretKeyPath))
    }
}
