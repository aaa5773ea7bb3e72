import Foundation
import NIOSSH
import OpsCore
import Testing

@testable import OpsSSH

/// The sshd pair started by scripts/test (scripts/lib/sshd.sh), described by `$PCMOPS_TEST_SSH`.
struct SSHTestServer: Decodable {
    var host: String
    var port: Int
    var bastion_port: Int
    var user: String
    var password: String
    var dir: String
    var keys: String
    var target_log: String
    var bastion_log: String
    var target_host_keys: [String]
    var bastion_host_keys: [String]
    var other_host_key: String

    static let current: SSHTestServer? = {
        guard let path = ProcessInfo.processInfo.environment["PCMOPS_TEST_SSH"],
            let data = FileManager.default.contents(atPath: path)
        else { return nil }
        return try? JSONDecoder().decode(SSHTestServer.self, from: data)
    }()

    static var isAvailable: Bool { current != nil }

    static func require() throws -> SSHTestServer {
        try #require(current, "scripts/test starts sshd and sets PCMOPS_TEST_SSH")
    }

    func keyText(_ name: String) throws -> String {
        try String(contentsOfFile: keys + "/" + name, encoding: .utf8)
    }

    func key(_ name: String, passphrase: String? = nil) throws -> SSHPrivateKey {
        try OpenSSHPrivateKeyParser.parse(try keyText(name), passphrase: passphrase, target: "test")
    }

    /// known_hosts entries naming `[host]:port` for the given host key files.
    func entries(port: Int, keyFiles: [String]) throws -> [KnownHostEntry] {
        let lines = try keyFiles.map { file -> String in
            let parts = try String(contentsOfFile: file, encoding: .utf8).split(separator: " ")
            return "[\(host)]:\(port) \(parts[0]) \(parts[1])"
        }
        return KnownHostsParser.parse(lines.joined(separator: "\n")).entries
    }

    /// A store that trusts the target's (and the bastion's) real host keys.
    func trustingStore() throws -> InMemoryHostKeyStore {
        InMemoryHostKeyStore(
            entries: try entries(port: port, keyFiles: target_host_keys)
                + entries(port: bastion_port, keyFiles: bastion_host_keys))
    }

    /// Long enough for a key exchange on a loaded 2-core machine running a debug build beside the other suites
    /// (20 s was not: the stdin suite timed out at the host_key stage in CI), short enough that a hang still fails.
    static let connectTimeout: Duration = .seconds(120)

    func endpoint(
        key name: String = "id_ed25519", passphrase: String? = nil, user: String? = nil, port: Int? = nil,
        policy: HostKeyPolicy = .strict
    ) throws -> SSHEndpoint {
        SSHEndpoint(
            name: "test-\(name)", host: host, port: port ?? self.port, username: user ?? self.user,
            authentication: .privateKey(try key(name, passphrase: passphrase)), hostKeyPolicy: policy,
            connectTimeout: Self.connectTimeout)
    }

    func log(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}

/// Resident memory of this process in bytes (Linux).
func residentMemory() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * 4096 : 0
}
