import Fluent
import Foundation
import Testing
import VaporTesting

@testable import OpsServer

@Suite("Configuration")
struct ConfigTests {
    @Test func defaults() throws {
        let config = try ServerConfig.load(flags: ServerFlags(), environment: [:])
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8500)
        #expect(config.dataDirectory == "./.pcm-ops")
        #expect(config.database == .sqlite(path: "./.pcm-ops/pcm-ops.sqlite"))
        #expect(!config.isHTTPS)
    }

    @Test func environmentFillsWhatFlagsLeaveOpenAndFlagsWin() throws {
        let environment = [
            "PCMOPS_PORT": "9000", "PCMOPS_HOST": "0.0.0.0", "PCMOPS_DATA_DIR": "/var/lib/pcm",
            "PCMOPS_PUBLIC_URL": "https://ops.example.com", "PCMOPS_LOG_FORMAT": "json",
        ]
        let config = try ServerConfig.load(flags: ServerFlags(port: "9100"), environment: environment)
        #expect(config.port == 9100)
        #expect(config.host == "0.0.0.0")
        #expect(config.database == .sqlite(path: "/var/lib/pcm/pcm-ops.sqlite"))
        #expect(config.isHTTPS)
        #expect(config.logFormat == .json)
    }

    @Test(arguments: [
        (ServerFlags(port: "abc"), "port"), (ServerFlags(port: "0"), "port"), (ServerFlags(port: "70000"), "port"),
        (ServerFlags(host: " "), "host"), (ServerFlags(host: "a b"), "host"),
        (ServerFlags(dataDirectory: " "), "data-dir"),
        (ServerFlags(databaseURL: "mysql://u:p@h/db"), "database-url"),
        (ServerFlags(databaseURL: "postgres://u:p@/db"), "database-url"),
        (ServerFlags(databaseURL: "postgres://u:p@h"), "database-url"),
        (ServerFlags(databaseURL: "sqlite:"), "database-url"),
        (ServerFlags(publicURL: "ftp://x"), "public-url"), (ServerFlags(publicURL: "nonsense"), "public-url"),
        (ServerFlags(logFormat: "xml"), "log-format"), (ServerFlags(logLevel: "loud"), "log-level"),
        (ServerFlags(hostKeyPolicy: "accept-any"), "host-key-policy"),
    ])
    func invalidValuesNameTheField(_ flags: ServerFlags, _ field: String) {
        do {
            _ = try ServerConfig.load(flags: flags, environment: [:])
            Issue.record("expected an error for \(field)")
        } catch {
            #expect(error.field == field)
            #expect(error.description.contains("--\(field)"))
            #expect(error.description.contains(ServerConfig.environmentName(for: field)))
        }
    }

    @Test func invalidEnvironmentValueNamesTheVariable() {
        #expect(throws: ConfigError.self) {
            try ServerConfig.load(flags: ServerFlags(), environment: ["PCMOPS_PORT": "http"])
        }
    }

    @Test func databaseURLPasswordIsNeverInMessages() {
        do {
            _ = try ServerConfig.load(flags: ServerFlags(databaseURL: "postgres://u:s3cretpw@h"), environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("s3cretpw"))
        }
        #expect(
            !DatabaseConfig.postgres(url: "postgres://u:s3cretpw@h/db", searchPath: nil).summary.contains("s3cretpw"))
    }

    @Test func postgresAndSqliteURLsParse() throws {
        #expect(
            try DatabaseConfig.parse(url: "postgresql://u:p@localhost:5433/ops")
                == .postgres(url: "postgresql://u:p@localhost:5433/ops", searchPath: nil))
        #expect(try DatabaseConfig.parse(url: "sqlite:/tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
    }

    @Test func badSecretKeyInTheEnvironmentIsNamed() throws {
        var config = ServerConfig()
        config.secretKey = "too-short"
        config.dataDirectory = NSTemporaryDirectory() + "pcmops-cfg-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: config.dataDirectory) }
        do {
            _ = try PCMOpsApp.makeServices(config: config)
            Issue.record("expected an error")
        } catch let error as ConfigError {
            #expect(error.field == "secret-key")
            #expect(error.description.contains("PCMOPS_SECRET_KEY"))
        }
    }

    @Test func dataDirectoryThatIsAFileIsRefused() throws {
        let file = NSTemporaryDirectory() + "pcmops-file-" + UUID().uuidString
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: file) }
        var config = ServerConfig()
        config.dataDirectory = file
        config.database = .sqlite(path: file + "/db.sqlite")
        #expect(throws: ConfigError.self) { try PCMOpsApp.makeServices(config: config) }
    }
}
