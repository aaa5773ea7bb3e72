import Fluent
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import OpsCore
import OpsSSH
import OpsWinRM

/// The result of "test connection" for one target.
public struct ConnectionTestResult: Sendable, Codable, Equatable {
    public var target: String
    public var transport: String
    public var ok: Bool
    /// The stage that failed (connect, handshake, host_key, authentication, exec), nil on success.
    public var failedStage: String?
    public var message: String
    /// Milliseconds per stage, in order.
    public var timings: [StageTiming]
    /// What the test learned on the way (winrm: authentication, elevation, certificate, host name).
    public var facts: [String: String] = [:]

    public struct StageTiming: Sendable, Codable, Equatable {
        public var stage: String
        public var milliseconds: Double
    }

    enum CodingKeys: String, CodingKey {
        case target, transport, ok, message, timings, facts
        case failedStage = "failed_stage"
    }
}

extension ConnectionTestResult {
    /// Reads results written before `facts` existed too.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            target: try container.decode(String.self, forKey: .target),
            transport: try container.decode(String.self, forKey: .transport),
            ok: try container.decode(Bool.self, forKey: .ok),
            failedStage: try container.decodeIfPresent(String.self, forKey: .failedStage),
            message: try container.decode(String.self, forKey: .message),
            timings: try container.decode([StageTiming].self, forKey: .timings),
            facts: try container.decodeIfPresent([String: String].self, forKey: .facts) ?? [:])
    }
}

/// Turns a target into something that runs commands: resolves its credential (the target's, else its
/// groups', else the default), builds the transport (ssh, openssh or local), follows jump hosts.
public struct TargetConnector: Sendable {
    let database: any Database
    let credentials: CredentialService
    let hostKeys: any HostKeyStore
    let allowLocal: Bool
    let defaultPolicy: HostKeyPolicy
    /// The CA bundle `winrm` targets without their own trust (`--winrm-ca-bundle`); nil: the system store.
    let winrmCABundle: String?
    let logger: Logger
    /// Groups and the default credential read once for a batch, so resolving a credential for each
    /// of hundreds of targets costs no queries.
    private var snapshot: InventorySnapshot?
    /// Parsed private keys by credential, so a run decrypts each key once (bcrypt-KDF is slow on purpose).
    var keyCache: ParsedKeyCache?
    /// Checks an `ssm` target: its SSM agent's ping status (nil: not available here).
    var ssmProbe: (@Sendable (Target) async throws -> String)?

    struct InventorySnapshot: Sendable {
        var groups: [TargetGroup]
        var defaultCredential: Credential?
    }

    public init(
        database: any Database, credentials: CredentialService, hostKeys: any HostKeyStore, allowLocal: Bool,
        defaultPolicy: HostKeyPolicy = .strict, winrmCABundle: String? = nil, logger: Logger
    ) {
        self.database = database
        self.credentials = credentials
        self.hostKeys = hostKeys
        self.allowLocal = allowLocal
        self.defaultPolicy = defaultPolicy
        self.winrmCABundle = winrmCABundle
        self.logger = logger
    }

    /// The target's own policy, else the server default.
    func policy(for target: Target) -> HostKeyPolicy {
        target.hostKeyPolicy.flatMap(HostKeyPolicy.init(rawValue:)) ?? defaultPolicy
    }

    /// The credential that applies to `target`, with its secret.
    func credential(for target: Target) async throws -> (Credential, CredentialSecret) {
        var chosen: Credential? = try await target.$credential.get(on: database)
        if chosen == nil {
            let groups =
                if let snapshot {
                    GroupService.groups(of: target, among: snapshot.groups)
                } else {
                    try await GroupService(database: database, audit: credentials.audit).groups(of: target)
                }
            chosen = groups.compactMap { $0.credential }.first
        }
        if chosen == nil {
            chosen =
                if let snapshot {
                    snapshot.defaultCredential
                } else {
                    try await Credential.query(on: database).filter(\.$isDefault == true).first()
                }
        }
        guard let credential = chosen else {
            throw SSHConnectionError(
                stage: .authentication, target: target.name,
                message: "no credential: set one on the target, on one of its groups, or a default credential")
        }
        return (credential, try credentials.open(credential))
    }

    /// The swift-nio-ssh endpoint for an `ssh` target.
    func endpoint(for target: Target) async throws -> SSHEndpoint {
        let (credential, secret) = try await credential(for: target)
        let authentication: SSHAuthentication
        switch secret {
        case .sshPassword(let password):
            authentication = .password(password)
        case .awsKeys, .winrmPassword:
            throw SSHConnectionError(
                stage: .authentication, target: target.name,
                message: "credential '\(credential.name)' holds \(secret.holds), not an SSH key or password")
        case .sshKey(let text, let passphrase):
            do {
                let cacheKey = credential.id?.uuidString ?? credential.name
                if let cached = keyCache?.key(cacheKey) {
                    authentication = .privateKey(cached)
                } else {
                    let key = try OpenSSHPrivateKeyParser.parse(text, passphrase: passphrase, target: target.name)
                    keyCache?.store(key, for: cacheKey)
                    authentication = .privateKey(key)
                }
            } catch {
                throw SSHConnectionError(
                    stage: .authentication, target: target.name, message: String(describing: error))
            }
        }
        return SSHEndpoint(
            name: target.name, host: target.address, port: target.port,
            username: target.username ?? credential.username,
            authentication: authentication,
            hostKeyPolicy: policy(for: target))
    }

    /// An authenticated connection to an `ssh` target, through its jump hosts.
    public func connect(_ target: Target, depth: Int = 0) async throws -> SSHConnection {
        guard depth < 5 else {
            throw SSHConnectionError(stage: .connect, target: target.name, message: "more than 5 jump hosts")
        }
        var bastion: SSHConnection?
        if let jump = try await target.$jumpTarget.get(on: database) {
            bastion = try await connect(jump, depth: depth + 1)
        }
        return try await SSHConnection.connect(
            to: try await endpoint(for: target), through: bastion, hostKeys: hostKeys, logger: logger)
    }

    /// Runs one command on `target` over its transport; the connection is closed afterwards.
    public func run(
        _ target: Target, _ request: ExecRequest, onEvent: @escaping @Sendable (ExecEvent) -> Void = { _ in }
    ) async throws -> ExecResult {
        switch TransportKind(rawValue: target.transport) {
        case .ssh:
            return try await connect(target).executeThenClose(request, onEvent: onEvent)
        case .openssh:
            return try await openSSHClient(for: target).execute(request, hostKeys: hostKeys, onEvent: onEvent)
        case .local:
            guard allowLocal else {
                throw SSHConnectionError(
                    stage: .connect, target: target.name,
                    message: InventoryServiceError.localTransportDisabled(.allowLocalFlag).description)
            }
            return try await ProcessRunner.run(
                executable: "/bin/sh", arguments: ["-c", request.command], request: request, onEvent: onEvent)
        case .winrm:
            let session = WinRMSession(target: try await winrmTarget(for: target), logger: logger)
            do {
                let result = try await session.run(request, requiresAdmin: false, onEvent: onEvent)
                await session.close()
                return result
            } catch {
                await session.close()
                throw error
            }
        default:
            throw SSHConnectionError(
                stage: .connect, target: target.name, message: "the \(target.transport) transport is not available yet")
        }
    }

    func openSSHClient(for target: Target) async throws -> OpenSSHClient {
        let (credential, secret) = try await credential(for: target)
        let clientCredential: OpenSSHClient.Credential
        switch secret {
        case .sshKey(let text, let passphrase): clientCredential = .keyFile(contents: text, passphrase: passphrase)
        case .sshPassword(let password): clientCredential = .password(password)
        case .awsKeys, .winrmPassword:
            throw SSHConnectionError(
                stage: .authentication, target: target.name,
                message: "credential '\(credential.name)' holds \(secret.holds), not an SSH key or password")
        }
        return OpenSSHClient(
            name: target.name, host: target.address, port: target.port,
            username: target.username ?? credential.username,
            credential: clientCredential, hostKeyPolicy: policy(for: target))
    }

    /// TCP connect, handshake, host key, authentication, then `true`; reports the stage that failed. A
    /// `winrm` target reports connect, tls, authentication, shell and exec, and admin when `requireAdmin`.
    public func test(
        _ target: Target, timeout: Duration = .seconds(20), requireAdmin: Bool = false
    ) async -> ConnectionTestResult {
        if target.transport == TransportKind.winrm.rawValue {
            return await testWinRM(target, timeout: timeout, requireAdmin: requireAdmin)
        }
        let start = ContinuousClock.now
        var result = ConnectionTestResult(
            target: target.name, transport: target.transport, ok: false, failedStage: nil, message: "", timings: [])
        let probe = ExecRequest(command: "true", timeout: timeout, outputCap: 4096)
        do {
            if target.transport == TransportKind.ssm.rawValue {
                guard let ssmProbe else {
                    throw SSHConnectionError(
                        stage: .connect, target: target.name, message: "ssm targets are tested from a server")
                }
                let ping = try await ssmProbe(target)
                result.timings = [.init(stage: "connect", milliseconds: (ContinuousClock.now - start).milliseconds)]
                guard ping == "Online" else {
                    throw SSHConnectionError(
                        stage: .connect, target: target.name,
                        message: "SSM agent of \(target.instanceID ?? target.name) is \(ping)")
                }
                result.ok = true
                result.message = "SSM agent of \(target.instanceID ?? "") is Online"
                return result
            }
            if target.transport == TransportKind.ssh.rawValue {
                let connection = try await connect(target)
                let timings = connection.timings
                let execStart = ContinuousClock.now
                let exec = try await connection.execute(probe)
                await connection.close()
                result.timings = SSHStage.allCases.compactMap { stage in
                    (stage == .exec ? ContinuousClock.now - execStart : timings[stage]).map {
                        .init(stage: stage.rawValue, milliseconds: $0.milliseconds)
                    }
                }
                try Self.check(exec, target: target.name)
            } else {
                let exec = try await run(target, probe)
                result.timings = [.init(stage: "exec", milliseconds: (ContinuousClock.now - start).milliseconds)]
                try Self.check(exec, target: target.name)
            }
            result.ok = true
            result.message = "connected and ran `true` in \(Int((ContinuousClock.now - start).milliseconds)) ms"
        } catch let error as SSHConnectionError {
            result.failedStage = error.stage.rawValue
            result.message = error.message
        } catch {
            result.failedStage = SSHStage.connect.rawValue
            result.message = String(describing: error)
        }
        return result
    }

    /// A copy that resolves credentials from groups and the default read once, now.
    public func preloaded() async throws -> TargetConnector {
        var copy = self
        copy.snapshot = InventorySnapshot(
            groups: try await GroupService(database: database, audit: credentials.audit).list(),
            defaultCredential: try await Credential.query(on: database).filter(\.$isDefault == true).first())
        copy.keyCache = ParsedKeyCache()
        return copy
    }

    /// Tests many targets, at most `concurrency` at once, in the order given.
    public func test(
        _ targets: [Target], concurrency: Int = 50, requireAdmin: Bool = false
    ) async -> [ConnectionTestResult] {
        let connector = (try? await preloaded()) ?? self
        return await withTaskGroup(of: (Int, ConnectionTestResult).self) { group in
            var results = [ConnectionTestResult?](repeating: nil, count: targets.count)
            var next = 0
            func launch() {
                guard next < targets.count else { return }
                let index = next
                let target = targets[index]
                next += 1
                group.addTask { (index, await connector.test(target, requireAdmin: requireAdmin)) }
            }
            for _ in 0..<min(concurrency, targets.count) { launch() }
            for await (index, result) in group {
                results[index] = result
                launch()
            }
            return results.compactMap { $0 }
        }
    }

    static func check(_ exec: ExecResult, target: String) throws {
        guard exec.succeeded else {
            let detail =
                exec.timedOut
                ? "timed out" : "exited with \(exec.exitStatus.map(String.init) ?? exec.exitSignal ?? "?")"
            throw SSHConnectionError(
                stage: .exec, target: target, message: "`true` \(detail): \(exec.stderr.prefix(200))")
        }
    }
}

extension Duration {
    var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}

/// Private keys already parsed in this run, by credential.
final class ParsedKeyCache: Sendable {
    private let keys = NIOLockedValueBox<[String: SSHPrivateKey]>([:])

    func key(_ id: String) -> SSHPrivateKey? { keys.withLockedValue { $0[id] } }
    func store(_ key: SSHPrivateKey, for id: String) { keys.withLockedValue { $0[id] = key } }
}
