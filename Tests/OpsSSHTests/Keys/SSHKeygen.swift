import Foundation
import OpsTestSupport
import Testing

/// Runs the real OpenSSH `ssh-keygen` (and, for a few PEM cases, `openssl`) in a private temporary directory,
/// which is removed when the value is released.
final class SSHKeygen {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    struct ToolFailed: Error, CustomStringConvertible {
        var description: String
    }

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("opsssh-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Runs `tool` (looked up on PATH) and returns its output, whatever the exit status.
    @discardableResult
    func run(_ tool: String, _ arguments: [String]) throws -> Output {
        let output = try ChildProcess.run("/usr/bin/env", [tool] + arguments, directory: directory.path)
        return Output(status: output.status, stdout: output.stdoutText, stderr: output.stderrText)
    }

    /// Runs `tool` and fails unless it exits 0.
    @discardableResult
    func succeed(_ tool: String, _ arguments: [String]) throws -> String {
        let output = try run(tool, arguments)
        guard output.status == 0 else {
            throw ToolFailed(
                description: "\(tool) \(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)")
        }
        return output.stdout
    }

    /// `ssh-keygen -t type [-b bits] -N passphrase [extra] -C comment -f name -q`; returns the private key text.
    @discardableResult
    func generate(
        _ name: String, type: String, bits: Int? = nil, passphrase: String = "", extra: [String] = [],
        comment: String = "ops@test"
    ) throws -> String {
        var arguments = ["-t", type]
        if let bits { arguments += ["-b", String(bits)] }
        arguments += ["-N", passphrase] + extra + ["-C", comment, "-f", path(name), "-q"]
        try succeed("ssh-keygen", arguments)
        return try read(name)
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
    }

    /// The public key line ssh-keygen wrote beside the private key, without its comment.
    func publicKey(_ name: String) throws -> String {
        let fields = try read(name + ".pub").split(separator: " ")
        return fields.prefix(2).joined(separator: " ")
    }

    /// The "SHA256:…" fingerprint `ssh-keygen -lf` prints for a key file.
    func fingerprint(_ file: String) throws -> String {
        let output = try succeed("ssh-keygen", ["-lf", path(file)])
        let fields = output.split(separator: " ")
        guard fields.count >= 2 else { throw ToolFailed(description: "unexpected ssh-keygen -lf output: \(output)") }
        return String(fields[1])
    }
}

/// The key types swift-nio-ssh supports, as `ssh-keygen -t/-b` arguments and the resulting SSH type name.
struct KeySpec: Sendable, CustomTestStringConvertible {
    var type: String
    var bits: Int?
    var sshName: String

    var testDescription: String { sshName }

    static let ed25519 = KeySpec(type: "ed25519", bits: nil, sshName: "ssh-ed25519")
    static let p256 = KeySpec(type: "ecdsa", bits: 256, sshName: "ecdsa-sha2-nistp256")
    static let p384 = KeySpec(type: "ecdsa", bits: 384, sshName: "ecdsa-sha2-nistp384")
    static let p521 = KeySpec(type: "ecdsa", bits: 521, sshName: "ecdsa-sha2-nistp521")
    static let all = [ed25519, p256, p384, p521]
    static let ecdsa = [p256, p384, p521]
}
