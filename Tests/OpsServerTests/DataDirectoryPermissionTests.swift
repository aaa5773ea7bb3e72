import Foundation
import Testing
import Vapor

@testable import OpsServer

@Suite("Data directory permissions")
struct DataDirectoryPermissionTests {
    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    static func directory(mode: Int) throws -> String {
        let path = NSTemporaryDirectory() + "pcmops-perm-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test func theDatabaseIsCreated0600InsideAWorldReadableDirectory() throws {
        // setup: a directory that already exists with mode 0755, as `mkdir` leaves it
        let directory = try Self.directory(mode: 0o755)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // act
        try DataDirectory.securePrivateFile(directory + "/pcm-ops.sqlite")
        // assert
        #expect(try Self.mode(directory + "/pcm-ops.sqlite") == 0o600)
        #expect(DataDirectory.permissionWarning(directory)?.contains("chmod 700") == true)
    }

    @Test func anExistingReadableDatabaseAndItsLogAreNarrowed() throws {
        // setup: files an earlier version left 0644
        let directory = try Self.directory(mode: 0o700)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = directory + "/pcm-ops.sqlite"
        for file in [database, database + "-wal", database + "-shm"] {
            #expect(
                FileManager.default.createFile(atPath: file, contents: Data(), attributes: [.posixPermissions: 0o644]))
        }
        // act
        try DataDirectory.securePrivateFile(database)
        // assert
        for file in [database, database + "-wal", database + "-shm"] {
            #expect(try Self.mode(file) == 0o600, "\(file)")
        }
        #expect(DataDirectory.permissionWarning(directory) == nil)
    }

    @Test func aServerOnAFreshDatabaseWritesOnlyPrivateFiles() async throws {
        // setup
        let directory = try Self.directory(mode: 0o755)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var config = ServerConfig()
        config.dataDirectory = directory
        config.database = .sqlite(path: directory + "/pcm-ops.sqlite")
        // act: the server's own start-up path, migrations included
        try await startOnce(config)
        // assert
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files.contains("pcm-ops.sqlite"))
        for file in files {
            #expect(try Self.mode(directory + "/" + file) == 0o600, "\(file)")
        }
    }

    @Test func aFileThatCannotBeCreatedIsAConfigErrorNamingIt() throws {
        #expect(throws: ConfigError.self) {
            try DataDirectory.securePrivateFile("/nonexistent-dir-\(UUID().uuidString)/pcm-ops.sqlite")
        }
    }
}
