import Foundation
import OpsCore

extension WinRSClient {
    /// Runs a PowerShell script through the ``PowerShellBootstrap``: the fixed command line starts
    /// `powershell.exe`, the script goes over stdin as UTF-8, and stderr passes through a ``CLIXMLDecoder`` so
    /// that `onOutput` sees readable error text instead of CLIXML. Stdout is passed on unchanged.
    ///
    /// Everything else is as ``run(command:arguments:stdin:deadline:onOutput:)``: the exit code is the script's
    /// (`exit N`; 1 for an uncaught error under `$ErrorActionPreference = 'Stop'`).
    public func runPowerShell(
        _ script: String, deadline: ContinuousClock.Instant,
        onOutput: @escaping @Sendable (WinRSOutput) -> Void = { _ in }
    ) async throws -> Int32 {
        let filter = CLIXMLOutputFilter(forwardingTo: onOutput)
        do {
            let exitCode = try await run(
                command: PowerShellBootstrap.executable, arguments: PowerShellBootstrap.arguments,
                stdin: PowerShellBootstrap.stdin(for: script), deadline: deadline, onOutput: filter.receive)
            filter.finish()
            return exitCode
        } catch {
            filter.finish()
            throw error
        }
    }
}

/// Decodes the stderr chunks of one command as they arrive, and forwards readable output. Receives arrive one
/// after another, but the callback is `@Sendable`, so the decoder state sits behind a lock.
final class CLIXMLOutputFilter: @unchecked Sendable {
    private let lock = NSLock()
    private var decoder = CLIXMLDecoder()
    private let forward: @Sendable (WinRSOutput) -> Void

    init(forwardingTo forward: @escaping @Sendable (WinRSOutput) -> Void) {
        self.forward = forward
    }

    @Sendable func receive(_ output: WinRSOutput) {
        guard output.stream == .stderr else { return forward(output) }
        let text = lock.withLock { decoder.decode(output.bytes) }
        if !text.isEmpty { forward(WinRSOutput(stream: .stderr, bytes: text)) }
    }

    /// Forwards what the decoder still holds: the command has ended.
    func finish() {
        let text = lock.withLock { decoder.finish() }
        if !text.isEmpty { forward(WinRSOutput(stream: .stderr, bytes: text)) }
    }
}

/// Collects the output of a command whose output is small and wanted whole (the elevation check).
final class WinRSOutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var chunks: [WinRSOutput] = []

    func append(_ output: WinRSOutput) {
        lock.withLock { chunks.append(output) }
    }

    func bytes(of stream: ExecStream) -> [UInt8] {
        lock.withLock { chunks.filter { $0.stream == stream }.flatMap(\.bytes) }
    }
}
