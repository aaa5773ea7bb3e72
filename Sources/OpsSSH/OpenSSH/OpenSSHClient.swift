import Foundation
import OpsCore

/// The `openssh` fallback transport: runs the system OpenSSH client for hosts that need what
/// swift-nio-ssh lacks (RSA keys, chacha20 or aes-ctr ciphers). Same contract as ``SSHConnection``:
/// streamed stdout/stderr, caps, timeouts, strict host keys from the same store.
public struct OpenSSHClient: Sendable {
    /// A credential as OpenSSH takes it: the key file's text (any type) or a password.
    public enum Credential: Sendable {
        case keyFile(contents: String, passphrase: String?)
        case password(String)
    }

    public var name: String
    public var host: String
    public var port: Int
    public var username: String
    public var credential: Credential
    public var hostKeyPolicy: HostKeyPolicy
    public var connectTimeout: Duration
    /// Path of the `ssh` program.
    public var sshPath: String

    public init(
        name: String, host: String, port: Int, username: String, credential: Credential,
        hostKeyPolicy: HostKeyPolicy = .strict, connectTimeout: Duration = .seconds(15),
        sshPath: String = "/usr/bin/ssh"
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.username = username
        self.credential = credential
        self.hostKeyPolicy = hostKeyPolicy
        self.connectTimeout = connectTimeout
        self.sshPath = sshPath
    }

    /// Runs `request`. The host's trusted keys are written to a private known_hosts file for this run;
    /// under accept-new a first key that OpenSSH records there is copied back into the store.
    public func execute(
        _ request: ExecRequest, hostKeys: any HostKeyStore, onEvent: @escaping @Sendable (ExecEvent) -> Void = { _ in }
    ) async throws -> ExecResult {
        let directory = try PrivateDirectory()
        defer { directory.remove() }
        let entries = try await hostKeys.entries(forHost: host, port: port)
            .filter { $0.matches(host: host, port: port) }
        let knownHosts = try directory.write(
            "known_hosts", entries.map(\.knownHostsLine).joined(separator: "\n") + "\n")

        var arguments = [
            "-F", "/dev/null", "-o", "StrictHostKeyChecking=" + (hostKeyPolicy == .acceptNew ? "accept-new" : "yes"),
            "-o", "UserKnownHostsFile=\(knownHosts)", "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "ConnectTimeout=\(max(1, connectTimeout.components.seconds))", "-o", "IdentityAgent=none",
            "-o", "LogLevel=ERROR", "-o", "ServerAliveInterval=15", "-o",
            "PreferredAuthentications="
                + (isPassword ? "password,keyboard-interactive" : "publickey"),
            "-p", String(port), "-l", username,
        ]
        var environment = ["PATH": "/usr/bin:/bin", "HOME": directory.path]
        switch credential {
        case .keyFile(let contents, let passphrase):
            let keyPath = try directory.write("identity", contents.hasSuffix("\n") ? contents : contents + "\n")
            arguments += ["-i", keyPath, "-o", "IdentitiesOnly=yes"]
            if let passphrase {
                try addAskpass(
                    secret: passphrase, directory: directory, arguments: &arguments, environment: &environment)
            } else {
                arguments += ["-o", "BatchMode=yes"]
            }
        case .password(let password):
            arguments += ["-o", "PubkeyAuthentication=no"]
            try addAskpass(secret: password, directory: directory, arguments: &arguments, environment: &environment)
        }
        arguments += [host, "--", request.command]

        let result = try await ProcessRunner.run(
            executable: sshPath, arguments: arguments, environment: environment, request: request, onEvent: onEvent)
        if hostKeyPolicy == .acceptNew, let text = try? String(contentsOfFile: knownHosts, encoding: .utf8) {
            let known = Set(entries.map(\.knownHostsLine))
            for entry in KnownHostsParser.parse(text).entries where !known.contains(entry.knownHostsLine) {
                try await hostKeys.trustNew(entry, target: name)
            }
        }
        if result.exitStatus == 255, let failure = classify(result.stderr) {
            if failure.stage == .hostKey, let underlying = failure.underlying {
                await hostKeys.recordRefusal(target: name, host: host, port: port, error: underlying)
            }
            throw failure
        }
        return result
    }

    private var isPassword: Bool {
        if case .password = credential { return true }
        return false
    }

    /// OpenSSH reads secrets only from a terminal or an askpass program; give it a program that
    /// prints the secret from its environment (never from its command line, which `ps` shows).
    private func addAskpass(
        secret: String, directory: PrivateDirectory, arguments: inout [String], environment: inout [String: String]
    ) throws {
        let script = try directory.write(
            "askpass", "#!/bin/sh\nprintf '%s\\n' \"$PCMOPS_ASKPASS_SECRET\"\n", mode: 0o700)
        environment["SSH_ASKPASS"] = script
        environment["SSH_ASKPASS_REQUIRE"] = "force"
        environment["DISPLAY"] = "pcm-ops:0"
        environment["PCMOPS_ASKPASS_SECRET"] = secret
        arguments += ["-o", "BatchMode=no", "-o", "NumberOfPasswordPrompts=1"]
    }

    /// Maps OpenSSH's exit-255 messages to the stage that failed; nil when the remote command itself exited 255.
    func classify(_ stderr: String) -> SSHConnectionError? {
        let text = stderr.lowercased()
        func error(_ stage: SSHStage, _ message: String, _ underlying: SSHError? = nil) -> SSHConnectionError {
            SSHConnectionError(stage: stage, target: name, message: message, underlying: underlying)
        }
        let hostName = port == 22 ? host : "[\(host)]:\(port)"
        if text.contains("remote host identification has changed")
            || text.contains("host key for") && text.contains("has changed")
        {
            let presented = stderr.firstMatch(of: /SHA256:[A-Za-z0-9+\/]+/).map { String($0.output) } ?? "unknown"
            return error(
                .hostKey, "host key mismatch for \(hostName) (presented \(presented))",
                .hostKeyMismatch(host: hostName, expected: [], presented: presented))
        }
        if text.contains("host key verification failed") || text.contains("no ") && text.contains("host key is known") {
            return error(
                .hostKey, "no trusted host key for \(hostName)", .hostKeyUnknown(host: hostName, presented: "unknown"))
        }
        if text.contains("permission denied") || text.contains("too many authentication failures") {
            return error(.authentication, "the server refused the credential for user '\(username)'")
        }
        if text.contains("connection refused") || text.contains("connection timed out")
            || text.contains("no route to host")
            || text.contains("could not resolve hostname") || text.contains("operation timed out")
        {
            return error(
                .connect, "cannot reach \(host):\(port): \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        if text.contains("kex_exchange_identification") || text.contains("no matching")
            || text.contains("unable to negotiate")
        {
            return error(.handshake, stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        if text.contains("load key") || text.contains("invalid format") {
            return error(
                .authentication,
                "OpenSSH cannot read the key: \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return nil
    }
}

/// A directory only this user can read, for key and known_hosts files handed to OpenSSH.
struct PrivateDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "pcmops-ssh-" + UUID().uuidString
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    func write(_ name: String, _ contents: String, mode: Int = 0o600) throws -> String {
        let file = path + "/" + name
        guard
            FileManager.default.createFile(
                atPath: file, contents: Data(contents.utf8), attributes: [.posixPermissions: mode])
        else {
            throw SSHConnectionError(stage: .connect, target: name, message: "cannot write a temporary file in \(path)")
        }
        return file
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
