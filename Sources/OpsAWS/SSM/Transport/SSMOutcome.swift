import Foundation
import OpsCore

/// Maps an SSM invocation's final state to what the engine understands.
enum SSMOutcome {
    static let stdoutNote = "\n[pcm-ops: SSM keeps only the first 24,000 characters of standard output]\n"
    static let stderrNote = "\n[pcm-ops: SSM keeps only the first 8,000 characters of standard error]\n"
    static let listNote = "\n[pcm-ops: only the first 2,500 characters SSM listed; GetCommandInvocation failed]\n"

    /// Every status: Success and Failed (a script's own exit) are results; TimedOut with ExecutionTimedOut is a
    /// timed-out result; DeliveryTimedOut, Undeliverable, Terminated, InvalidPlatform, AccessDenied and any other
    /// detail of Failed or TimedOut are delivery failures; Cancelled is a cancellation. `emit` gets the output.
    static func map(
        _ result: SSMInvocationResult, instance: String, commandID: String, duration: Duration, listOnly: Bool,
        emit: (ExecStream, String) -> Void
    ) -> Result<ExecResult, TransportFailure> {
        switch (result.status, result.statusDetails) {
        case (.success, _), (.failed, "Failed"), (.timedOut, "ExecutionTimedOut"):
            let stdoutCut = !listOnly && result.standardOutput.count >= SSMInvocationResult.standardOutputLimit
            let stderrCut = !listOnly && result.standardError.count >= SSMInvocationResult.standardErrorLimit
            let stdout = result.standardOutput + (stdoutCut ? stdoutNote : listOnly ? listNote : "")
            let stderr = result.standardError + (stderrCut ? stderrNote : "")
            if !stdout.isEmpty { emit(.stdout, stdout) }
            if !stderr.isEmpty { emit(.stderr, stderr) }
            let timedOut = result.status == .timedOut
            return .success(
                ExecResult(
                    exitStatus: timedOut || result.responseCode < 0 ? nil : result.responseCode, exitSignal: nil,
                    stdout: stdout, stderr: stderr, stdoutTruncated: stdoutCut || listOnly, stderrTruncated: stderrCut,
                    timedOut: timedOut, duration: duration))
        case (.cancelled, _):
            return .failure(
                TransportFailure(stage: "cancelled", message: "SSM cancelled command \(commandID) on \(instance)"))
        case (.timedOut, "DeliveryTimedOut"):
            return .failure(
                TransportFailure(
                    stage: "delivery",
                    message: "SSM could not deliver command \(commandID) to \(instance) in time (DeliveryTimedOut): "
                        + "is its agent online?"))
        default:
            return .failure(
                TransportFailure(
                    stage: "delivery",
                    message:
                        "SSM: command \(commandID) on \(instance) ended \(result.status.rawValue)/\(result.statusDetails)"
                ))
        }
    }
}
