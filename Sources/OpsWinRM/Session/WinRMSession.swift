import Crypto
import Foundation
import Logging
import OpsCore

/// Runs the scripts of a run on one Windows target: one authenticated connection and one shell, kept
/// across the steps of the run and closed at its end.
public actor WinRMSession {
    public nonisolated let target: WinRMTarget
    private let channel: WinRMChannel
    private let client: WinRSClient
    private let logger: Logger
    /// Learned once per session: elevation does not change while a logon lasts.
    private var elevated: Bool?

    public init(
        target: WinRMTarget, tlsContexts: WinRMTLSContexts = .shared, logger: Logger = Logger(label: "pcm-ops.winrm")
    ) {
        self.target = target
        self.logger = logger
        let channel = WinRMChannel(target: target, tlsContexts: tlsContexts, logger: logger)
        self.channel = channel
        let configuration = WSManConfiguration(
            endpointURL: target.endpoint.url, operationTimeout: target.operationTimeout)
        self.client = WinRSClient(
            session: WSManSession(exchanger: channel, configuration: configuration),
            shellOptions: WinRSShellOptions(codepage: target.codepage), logger: logger)
    }

    /// Runs a rendered PowerShell script (`request.stdin`; `request.command` is not used: the session sends its
    /// own bootstrap, which reads the script from stdin), streaming output through `onEvent`, keeping at most
    /// `request.outputCap` bytes per stream, ending the command at `request.timeout` (the result then says
    /// `timedOut`). With `requiresAdmin`, a session that is not elevated fails at the `admin` stage.
    public func run(
        _ request: ExecRequest, requiresAdmin: Bool, onEvent: @escaping @Sendable (ExecEvent) -> Void
    ) async throws -> ExecResult {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + request.timeout
        try await ready()
        if requiresAdmin { try await checkElevation(deadline: deadline) }
        let output = CappedOutput(cap: request.outputCap, onEvent: onEvent)
        onEvent(.started)
        let script = String(decoding: request.stdin ?? [], as: UTF8.self)
        do {
            let exitCode = try await client.runPowerShell(script, deadline: deadline) { output.append($0) }
            return output.result(exitStatus: Int(exitCode), timedOut: false, duration: clock.now - started)
        } catch WSManError.deadlineExceeded {
            return output.result(exitStatus: nil, timedOut: true, duration: clock.now - started)
        } catch {
            throw classify(error, stage: .exec)
        }
    }

    /// Connects, authenticates, opens a shell, runs a short script and checks elevation, timing each stage;
    /// never throws.
    public func test() async -> WinRMTestReport {
        var report = WinRMTestReport()
        report.facts["authentication"] = target.endpoint.authentication.rawValue
        report.facts["url"] = target.endpoint.url
        let clock = ContinuousClock()
        do {
            try await channel.ready()
        } catch {
            let timings = await channel.timings
            for stage in [WinRMStage.connect, .tls, .authentication] {
                if let duration = timings[stage] { report.stages.append((stage, duration)) }
            }
            report.failure = staged(error, stage: .connect)
            return report
        }
        let timings = await channel.timings
        for stage in [WinRMStage.connect, .tls, .authentication] {
            if let duration = timings[stage] { report.stages.append((stage, duration)) }
        }
        if let certificate = await channel.peerCertificate {
            report.facts["certificate_sha256"] = Self.fingerprint(certificate)
        }
        let deadline = clock.now + target.connectTimeout
        var stage = WinRMStage.shell
        do {
            let shellStarted = clock.now
            let shell = try await WinRSShell.create(
                on: client.session, options: WinRSShellOptions(codepage: target.codepage))
            try await shell.delete()
            report.stages.append((.shell, clock.now - shellStarted))
            stage = .exec
            let execStarted = clock.now
            let collected = WinRSOutputCollector()
            let exitCode = try await client.runPowerShell("$env:COMPUTERNAME", deadline: deadline) {
                collected.append($0)
            }
            let printed = String(decoding: collected.bytes(of: .stdout), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard exitCode == 0 else {
                let errors = String(decoding: collected.bytes(of: .stderr), as: UTF8.self)
                throw WinRMConnectionError(
                    stage: .exec, target: target.name,
                    message: "a test script exited with \(exitCode): \(errors.prefix(300))")
            }
            report.stages.append((.exec, clock.now - execStarted))
            if !printed.isEmpty { report.facts["computer_name"] = printed }
            stage = .admin
            let adminStarted = clock.now
            let isElevated = try await client.isElevated(deadline: deadline)
            elevated = isElevated
            report.stages.append((.admin, clock.now - adminStarted))
            report.facts["elevated"] = isElevated ? "yes" : "no"
        } catch {
            report.failure = staged(error, stage: stage)
        }
        return report
    }

    /// Deletes the shell and closes the connection.
    public func close() async {
        do {
            try await client.close()
        } catch {
            logger.notice(
                "winrm shell not deleted", metadata: ["target": .string(target.name), "error": .string("\(error)")])
        }
        await channel.close()
    }

    private func ready() async throws {
        do {
            try await channel.ready()
        } catch {
            throw classify(error, stage: .connect)
        }
    }

    private func checkElevation(deadline: ContinuousClock.Instant) async throws {
        if elevated == nil {
            do {
                elevated = try await client.isElevated(deadline: deadline)
            } catch {
                throw classify(error, stage: .admin)
            }
        }
        guard elevated == true else {
            throw WinRMConnectionError(
                stage: .admin, target: target.name,
                message: "this step needs an elevated session, and \(target.credential.displayName)'s is not: use an "
                    + "account in the target's local Administrators group (with UAC remote restrictions, a domain "
                    + "account or the built-in Administrator)")
        }
    }

    private func classify(_ error: any Error, stage: WinRMStage) -> any Error {
        switch error {
        case let error as WinRMConnectionError: return error
        case is CancellationError: return error
        case let error as WSManError:
            return WinRMConnectionError(stage: stage, target: target.name, message: error.description)
        default:
            return WinRMConnectionError(stage: stage, target: target.name, message: String(describing: error))
        }
    }

    /// The error as a staged one, for reports (a cancellation too).
    private func staged(_ error: any Error, stage: WinRMStage) -> WinRMConnectionError {
        if let error = classify(error, stage: stage) as? WinRMConnectionError { return error }
        return WinRMConnectionError(stage: stage, target: target.name, message: "cancelled")
    }

    static func fingerprint(_ der: [UInt8]) -> String {
        Array(SHA256.hash(data: der)).map { String(format: "%02X", $0) }.joined(separator: ":")
    }
}

/// Output of one command, capped per stream, forwarded as it arrives.
final class CappedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private let cap: Int
    private let onEvent: @Sendable (ExecEvent) -> Void
    private var stdout: [UInt8] = []
    private var stderr: [UInt8] = []
    private var stdoutTruncated = false
    private var stderrTruncated = false

    init(cap: Int, onEvent: @escaping @Sendable (ExecEvent) -> Void) {
        self.cap = cap
        self.onEvent = onEvent
    }

    func append(_ output: WinRSOutput) {
        let kept: [UInt8] = lock.withLock {
            let room = cap - (output.stream == .stdout ? stdout.count : stderr.count)
            let kept = Array(output.bytes.prefix(max(0, room)))
            if output.stream == .stdout {
                stdout += kept
                if kept.count < output.bytes.count { stdoutTruncated = true }
            } else {
                stderr += kept
                if kept.count < output.bytes.count { stderrTruncated = true }
            }
            return kept
        }
        if !kept.isEmpty { onEvent(.output(output.stream, kept)) }
    }

    func result(exitStatus: Int?, timedOut: Bool, duration: Duration) -> ExecResult {
        lock.withLock {
            ExecResult(
                exitStatus: exitStatus, exitSignal: nil, stdout: String(decoding: stdout, as: UTF8.self),
                stderr: String(decoding: stderr, as: UTF8.self), stdoutTruncated: stdoutTruncated,
                stderrTruncated: stderrTruncated, timedOut: timedOut, duration: duration)
        }
    }
}
