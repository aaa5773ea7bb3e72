import Foundation
import OpsServer

#if canImport(Glibc)
    import Glibc
#endif

/// A run started from the command line, shown live to its end: what `pcm-ops run` and `pcm-ops jobs run` share.
/// Ctrl-C cancels the run (a second one quits at once). Returns the exit status: 0 when every target succeeded, 2
/// when any did not, 130 when cancelled.
enum RunWatch {
    /// The live display for `output` (`text` or `json`).
    static func printer(reference: String, output: String, verbose: Bool) -> RunProgressPrinter {
        let terminal = output == "text" && isatty(STDOUT_FILENO) == 1
        return RunProgressPrinter(
            reference: reference, mode: output == "json" ? .silent : (terminal ? .terminal : .lines), verbose: verbose)
    }

    static func follow(
        _ submission: RunService.Submission, progress: RunProgressPrinter, console: AdminConsole, output: String
    ) async throws -> Int32 {
        guard let completion = submission.completion else {
            FileHandle.standardError.write(
                Data("note: idempotency key already used; showing run \(submission.run.publicID)\n".utf8))
            let (run, executions) = try await console.showRun(submission.run.publicID)
            try RunReport.print(run, executions, json: output == "json")
            return RunReport.exitCode(run.status)
        }
        let (_, planned) = try await console.showRun(submission.run.publicID)
        await progress.begin(runID: submission.run.publicID, executions: planned)
        let interrupt = InterruptHandler {
            FileHandle.standardError.write(
                Data("\ncancelling run \(submission.run.publicID)… (Ctrl-C again to quit at once)\n".utf8))
            Task { _ = try? await console.cancelRun(submission.run.publicID) }
        }
        let summary = await completion.value
        interrupt.stop()
        await progress.end()
        let (run, executions) = try await console.showRun(submission.run.publicID)
        try RunReport.print(run, executions, json: output == "json")
        return RunReport.exitCode(summary.status.rawValue)
    }

    /// Tells of runs left running by a process that stopped, which this one just finished.
    static func noteRecovered(_ recovered: [String]) {
        guard !recovered.isEmpty else { return }
        FileHandle.standardError.write(
            Data(
                "note: finished \(recovered.count) run(s) left running by a process that stopped: \(recovered.joined(separator: ", "))\n"
                    .utf8))
    }
}
