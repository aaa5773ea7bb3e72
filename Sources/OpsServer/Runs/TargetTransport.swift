import Foundation
import Logging
import OpsCore
import OpsSSH
import OpsWinRM

#if canImport(Glibc)
    import Glibc
#endif

/// How to reach one target of a run, worked out before the run starts.
enum TargetConnection: Sendable {
    /// swift-nio-ssh, through the jump hosts (outermost first).
    case ssh(SSHEndpoint, jumps: [SSHEndpoint])
    /// The system OpenSSH client.
    case openssh(OpenSSHClient)
    /// This host, as the user running pcm-ops.
    case local
    /// An EC2 instance, through SSM Run Command.
    case ssm(SSMLocation)
    /// A Windows host, through WS-Management (one session per target for the whole run).
    case winrm(WinRMTarget)
}

/// Where an `ssm` target lives.
struct SSMLocation: Sendable, Hashable {
    /// com | gov
    var environment: String
    var account: String?
    var region: String
    var instanceID: String
}

/// A target of a run: a snapshot of what it was when the run started, and how to reach it (or why not).
struct RunTarget: Sendable {
    var name: String
    var address: String
    var port: Int
    var transport: String
    var os: String
    var targetID: UUID?
    var connection: Result<TargetConnection, TransportFailure>

    /// The login name scripts run as, for `sudo` wrapping.
    var username: String? {
        switch connection {
        case .success(.ssh(let endpoint, _)): endpoint.username
        case .success(.openssh(let client)): client.username
        case .success(.local): ProcessInfo.processInfo.environment["USER"] ?? (getuid() == 0 ? "root" : "")
        case .success(.ssm): "root"
        case .success(.winrm(let target)): target.credential.displayName
        case .failure: nil
        }
    }
}

/// The SSH, OpenSSH, WinRM and local transports behind the engine's ``Transport``: each SSH invocation
/// connects, runs its script on standard input (through `sudo -n` when the action needs admin rights and
/// the login is not root), and closes; a WinRM target keeps one session (connection and shell) for the
/// whole run (``WinRMSessionPool``); at most the process-wide limit run at once.
struct TargetTransport: Transport {
    let targets: [String: RunTarget]
    let hostKeys: any HostKeyStore
    let limiter: ConcurrencyLimiter
    /// Connection set-ups at once (see ``AppServices/handshakes``).
    let handshakes: ConcurrencyLimiter
    let logger: Logger

    /// SSM targets' invocations go here (batched SendCommand); nil when the run has no `ssm` target.
    var ssm: (any Transport)? = nil
    /// The run's WinRM sessions, one per target; the run closes them when it ends.
    var winrm = WinRMSessionPool()

    func execute(_ batch: [Invocation]) -> AsyncStream<TransportEvent> {
        let direct = PerInvocationTransport(limiter: limiter) { invocation, onEvent in
            try await run(invocation, onEvent: onEvent)
        }
        guard let ssm else { return direct.execute(batch) }
        let viaSSM = batch.filter { invocation in
            if case .success(.ssm) = targets[invocation.target]?.connection { true } else { false }
        }
        guard !viaSSM.isEmpty else { return direct.execute(batch) }
        let rest = batch.filter { invocation in
            if case .success(.ssm) = targets[invocation.target]?.connection { false } else { true }
        }
        if rest.isEmpty { return ssm.execute(viaSSM) }
        return Self.merge(direct.execute(rest), ssm.execute(viaSSM))
    }

    /// Both streams' events as one stream, ending when both end; ending it ends both.
    static func merge(_ first: AsyncStream<TransportEvent>, _ second: AsyncStream<TransportEvent>)
        -> AsyncStream<TransportEvent>
    {
        let (stream, continuation) = AsyncStream.makeStream(of: TransportEvent.self)
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                for source in [first, second] {
                    group.addTask {
                        for await event in source { continuation.yield(event) }
                    }
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    func run(_ invocation: Invocation, onEvent: @escaping @Sendable (ExecEvent) -> Void) async throws -> ExecResult {
        guard let target = targets[invocation.target] else {
            throw TransportFailure(stage: "connect", message: "unknown target \(invocation.target)")
        }
        let connection = try target.connection.get()
        var request = invocation.request
        let posix = target.os != OSFamily.windows.rawValue
        let username = target.username ?? ""
        if posix {
            request.command = Privilege.wrap(
                request.command, requiresAdmin: invocation.requiresAdmin, username: username)
        }
        let result: ExecResult
        do {
            switch connection {
            case .ssh(let endpoint, let jumps):
                result = try await Self.runSSH(
                    endpoint, jumps: jumps, request, hostKeys: hostKeys, handshakes: handshakes, logger: logger,
                    onEvent)
            case .openssh(let client):
                result = try await client.execute(request, hostKeys: hostKeys, onEvent: onEvent)
            case .ssm:
                throw TransportFailure(stage: "connect", message: "SSM is not available to this run")
            case .local:
                result = try await ProcessRunner.run(
                    executable: "/bin/sh", arguments: ["-c", request.command], request: request, onEvent: onEvent)
            case .winrm(let windows):
                result = try await winrm.run(
                    request, on: windows, requiresAdmin: invocation.requiresAdmin, handshakes: handshakes,
                    logger: logger, onEvent: onEvent)
            }
        } catch let error as SSHConnectionError {
            throw TransportFailure(stage: error.stage.rawValue, message: error.message)
        } catch let error as WinRMConnectionError {
            throw TransportFailure(stage: error.stage.rawValue, message: error.message)
        } catch let error as TransportFailure {
            throw error
        } catch {
            throw TransportFailure(stage: "exec", message: String(describing: error))
        }
        if posix && invocation.requiresAdmin && Privilege.sudoNeedsPassword(result) {
            throw TransportFailure(
                stage: "admin", message: Privilege.sudoPasswordMessage(target: target.name, username: username))
        }
        return result
    }

    static func runSSH(
        _ endpoint: SSHEndpoint, jumps: [SSHEndpoint], _ request: ExecRequest, hostKeys: any HostKeyStore,
        handshakes: ConcurrencyLimiter, logger: Logger, _ onEvent: @escaping @Sendable (ExecEvent) -> Void
    ) async throws -> ExecResult {
        let connection = try await handshakes.withPermit {
            var bastion: SSHConnection?
            for jump in jumps {
                bastion = try await SSHConnection.connect(
                    to: jump, through: bastion, hostKeys: hostKeys, logger: logger)
            }
            return try await SSHConnection.connect(to: endpoint, through: bastion, hostKeys: hostKeys, logger: logger)
        }
        return try await connection.executeThenClose(request, onEvent: onEvent)
    }
}

/// Host keys from a known_hosts file given for one run (`--known-hosts`), in front of the store.
struct LayeredHostKeyStore: HostKeyStore {
    let extra: [KnownHostEntry]
    let base: any HostKeyStore

    func entries(forHost host: String, port: Int) async throws -> [KnownHostEntry] {
        extra + (try await base.entries(forHost: host, port: port))
    }

    func trustNew(_ entry: KnownHostEntry, target: String) async throws {
        try await base.trustNew(entry, target: target)
    }

    func recordRefusal(target: String, host: String, port: Int, error: SSHError) async {
        await base.recordRefusal(target: target, host: host, port: port, error: error)
    }
}
