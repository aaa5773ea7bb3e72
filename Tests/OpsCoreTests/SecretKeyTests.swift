import Foundation
import Testing

@testable import OpsCore

@Suite("Secret keys and the key file")
struct SecretKeyTests {
    @Test func parsesBase64AndHexToTheSameKey() throws {
        let bytes = Data((0..<32).map { UInt8($0) })
        let fromBase64 = try SecretKey(encoded: bytes.base64EncodedString())
        let fromHex = try SecretKey(encoded: bytes.map { String(format: "%02x", $0) }.joined())
        let fromURLSafe = try SecretKey(encoded: bytes.base64URLEncodedString())
        #expect(fromBase64.id == fromHex.id)
        #expect(fromBase64.id == fromURLSafe.id)
        #expect(fromBase64.id.count == 16)
    }

    @Test func rejectsWrongLengthAndGarbage() {
        #expect(throws: VaultError.invalidKeyLength(16)) {
            try SecretKey(encoded: Data(repeating: 1, count: 16).base64EncodedString())
        }
        #expect(throws: VaultError.invalidKeyEncoding) { try SecretKey(encoded: "not base64 !!!") }
    }

    @Test func keyFileIsCreatedWithMode0600AndReadBackUnchanged() throws {
        // setup
        let directory = try TemporaryDirectory()
        let path = directory.path + "/secret.key"
        // act
        let (created, wasCreated) = try SecretKeyFile.loadOrCreate(at: path)
        let (again, createdAgain) = try SecretKeyFile.loadOrCreate(at: path)
        // assert
        #expect(wasCreated)
        #expect(!createdAgain)
        #expect(created.id == again.id)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func worldReadableKeyFileIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/secret.key"
        _ = try SecretKeyFile.loadOrCreate(at: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        do {
            _ = try SecretKeyFile.load(at: path)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.description.contains("chmod 600"))
        }
    }

    @Test func corruptKeyFileIsNamed() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/secret.key"
        FileManager.default.createFile(
            atPath: path, contents: Data("short".utf8), attributes: [.posixPermissions: 0o600])
        do {
            _ = try SecretKeyFile.load(at: path)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.description.contains(path))
        }
    }
}

/// A directory removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "pcmops-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
