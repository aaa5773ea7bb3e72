import Logging
import OpsCore

/// Runs commands on one Windows host over WinRS: one shell reused for many commands and replaced after
/// `commandsPerShell` (services refuse commands after about a thousand in one shell, pypsrp#148), output
/// streamed as each Receive arrives, a hard deadline per command, and cleanup (Signal terminate, then Delete)
/// on every failure, deadline and cancellation, because leaked shells exhaust the per-user quotas
/// (MaxShellsPerUser, MaxConcurrentOperationsPerUser) and then every call fails.
///
/// Commands run one at a time, first come first served: the session's connection carries one request at a
/// time, and NTLM state belongs to it.
public actor WinRSClient {
    public nonisolated let session: WSManSession
    public nonisolated let shellOptions: WinRSShellOptions
    /// Commands run in one shell before it is replaced.
    public nonisolated let commandsPerShell: Int
    /// How long cleanup after a failure may take (Signal, Delete) before the client gives up on it.
    public nonisolated let cleanupTimeout: Duration
    /// Where failed cleanups are reported: a shell that could not be deleted holds a quota on the host until
    /// its idle timeout.
    public nonisolated let logger: Logger

    private let gate = ConcurrencyLimiter(limit: 1)
    private var shell: WinRSShell?
    private var commandsInShell = 0
    /// The command running now, so that cleanup can signal it.
    private var runningCommandID: String?

    public init(
        session: WSManSession, shellOptions: WinRSShellOptions = WinRSShellOptions(), commandsPerShell: Int = 500,
        cleanupTimeout: Duration = .seconds(10), logger: Logger = Logger(label: "pcm-ops.winrm")
    ) {
        self.session = session
        self.shellOptions = shellOptions
        self.commandsPerShell = max(1, commandsPerShell)
        self.cleanupTimeout = cleanupTimeout
        self.logger = logger
    }

    /// The shell open now, if any.
    public var openShellID: String? { shell?.shellID }

    /// Commands started in the open shell.
    public var commandsRunInShell: Int { commandsInShell }

    /// Runs one command and returns its exit code.
    ///
    /// - Parameters:
    ///   - command: the executable; with `arguments`, joined by the service with spaces, unquoted, and run
    ///     through `cmd.exe /c`.
    ///   - stdin: sent in chunks that fit `MaxEnvelopeSize`, then closed. nil sends nothing (as pywinrm and
    ///     pypsrp do for plain commands): a command that reads stdin would then wait until its deadline.
    ///   - deadline: past it, the command is signalled to terminate, its shell deleted, and
    ///     ``WSManError/deadlineExceeded(operation:)`` thrown.
    ///   - onOutput: called with each chunk of output as its Receive arrives, in order, bytes as sent.
    /// - Throws: ``WSManError`` (faults carry the service's code and text), or `CancellationError` when the
    ///   task was cancelled; in both cases the command was terminated and the shell deleted before the throw.
    public func run(
        command: String, arguments: [String] = [], stdin: [UInt8]? = nil, deadline: ContinuousClock.Instant,
        onOutput: @escaping @Sendable (WinRSOutput) -> Void = { _ in }
    ) async throws -> Int32 {
        try await gate.acquire()
        do {
            let exitCode = try await WinRSDeadline.run(until: deadline, operation: "the command \(command)") {
                try await self.execute(command: command, arguments: arguments, stdin: stdin, onOutput: onOutput)
            }
            await gate.release()
            return exitCode
        } catch {
            await cleanUpAfterFailure()
            await gate.release()
            throw error
        }
    }

    /// Deletes the open shell, if any. The next ``run(command:arguments:stdin:deadline:onOutput:)`` opens
    /// a new one.
    public func close() async throws {
        try await gate.acquire()
        guard let shell else {
            await gate.release()
            return
        }
        self.shell = nil
        commandsInShell = 0
        do {
            try await shell.delete()
            await gate.release()
        } catch {
            await gate.release()
            throw error
        }
    }

    private func execute(
        command: String, arguments: [String], stdin: [UInt8]?, onOutput: @Sendable (WinRSOutput) -> Void
    ) async throws -> Int32 {
        let (kept, reused) = try await shellForNextCommand()
        var shell = kept
        let commandID: String
        do {
            commandID = try await shell.command(command, arguments: arguments)
        } catch WSManError.fault(let fault)
            where reused && (fault.isUnknownShellOrCommand || fault.code == WinRMFault.Code.maxCommandsPerShell)
        {
            // The kept shell is gone (the service's idle timeout reaped it) or full; the command never started,
            // so it is safe to run it once more in a new shell (a gone shell needs no Delete).
            await discardShell(deleting: !fault.isUnknownShellOrCommand)
            shell = try await shellForNextCommand().0
            commandID = try await shell.command(command, arguments: arguments)
        }
        runningCommandID = commandID
        commandsInShell += 1
        if let stdin { try await shell.sendInput(commandID: commandID, stdin) }
        while true {
            try Task.checkCancellation()
            let result = try await shell.receive(commandID: commandID)
            for chunk in result.output { onOutput(chunk) }
            guard let exitCode = result.exitCode else { continue }
            runningCommandID = nil
            // Frees the finished command on the service, as pywinrm and pypsrp do; the shell stays for the next.
            do {
                try await shell.signal(commandID: commandID, .terminate)
            } catch {
                await discardShell()
            }
            return exitCode
        }
    }

    /// The open shell, or a new one when there is none or the open one has run its share of commands.
    private func shellForNextCommand() async throws -> (WinRSShell, reused: Bool) {
        if let shell, commandsInShell < commandsPerShell { return (shell, commandsInShell > 0) }
        await discardShell()
        let created = try await WinRSShell.create(on: session, options: shellOptions)
        shell = created
        commandsInShell = 0
        return (created, false)
    }

    /// Forgets the open shell and deletes it, best effort.
    private func discardShell(deleting: Bool = true) async {
        guard let shell else { return }
        self.shell = nil
        commandsInShell = 0
        if deleting { await Self.cleanUp(shell: shell, commandID: nil, timeout: cleanupTimeout, logger: logger) }
    }

    /// After a failed, timed-out or cancelled command: terminate it, delete its shell.
    private func cleanUpAfterFailure() async {
        guard let shell else { return }
        let commandID = runningCommandID
        self.shell = nil
        commandsInShell = 0
        runningCommandID = nil
        await Self.cleanUp(shell: shell, commandID: commandID, timeout: cleanupTimeout, logger: logger)
    }

    /// Signals terminate (when a command runs) and deletes the shell. Failures are logged, not thrown: the shell
    /// may already be gone, and the error that brought us here is the one to report. Runs in a task of its own,
    /// so that the cancellation that may have brought us here does not cancel the cleanup too; bounded by
    /// `timeout`.
    private static func cleanUp(shell: WinRSShell, commandID: String?, timeout: Duration, logger: Logger) async {
        let cleanup = Task {
            let metadata: Logger.Metadata = [
                "winrm.shell": "\(shell.shellID)", "winrm.command": "\(commandID ?? "-")",
            ]
            do {
                try await WinRSDeadline.run(until: .now + timeout, operation: "cleanup") {
                    if let commandID {
                        do {
                            try await shell.signal(commandID: commandID, .terminate)
                        } catch {
                            // Deleting the shell ends the command too.
                            logger.debug(
                                "WinRS terminate signal failed",
                                metadata: metadata.merging(["error": "\(error)"]) { $1 })
                        }
                    }
                    try Task.checkCancellation()
                    try await shell.delete()
                }
            } catch {
                logger.warning(
                    "WinRS shell not deleted; it holds a per-user quota on the host until its idle timeout",
                    metadata: metadata.merging(["error": "\(error)"]) { $1 })
            }
        }
        await cleanup.value
    }
}
