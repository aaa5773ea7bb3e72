import ArgumentParser
import Foundation
import OpsCore
import OpsServer

#if canImport(Glibc)
    import Glibc
#endif

/// `pcm-ops conductor "TEXT"`: plans a request in plain words over the catalog, in this process against the data
/// directory's database; asks the planner's questions on a terminal; launches only after a yes (`--yes`, or typed)
/// and follows the run as `pcm-ops run` does.
struct ConductorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conductor",
        abstract: "Plan a request in plain words (\"restart nginx on the web servers\"); launch it after a yes.",
        discussion: """
            Prints the plan: tool, action or workflow, parameters and the resolved targets. On a terminal, \
            Conductor's questions are asked and answered there, and a typed "yes" launches the plan; otherwise \
            a missing piece is an error naming it. --yes launches without asking; --dry-run never launches. \
            Exit status: 0 for a plan (and a run where every target succeeded), 2 when a run's target did not \
            succeed, 130 when cancelled, 1 for a refusal, an unanswered question or an error.
            """)

    @Argument(help: "What you want done, in plain words.") var text: String
    @Flag(name: [.customShort("y"), .long], help: "Launch the plan without asking.") var yes = false
    @Flag(help: "Show the plan; never launch.") var dryRun = false
    @ArgumentParser.Option(help: "text or json.") var output = "text"
    @Flag(name: [.customShort("v"), .long], help: "Print each target's output as it finishes.") var verbose = false
    @ArgumentParser.Option(help: "A site's own tools, loaded after the built-in ones (PCMOPS_TOOLS_DIR).")
    var toolsDir: String?
    @Flag(help: "Allow targets with the local transport (run on this host).") var allowLocal = false
    @OptionGroup var storage: StorageOptions

    func validate() throws {
        guard ["text", "json"].contains(output) else {
            throw ValidationError("invalid --output '\(output)': use text or json")
        }
        if yes && dryRun { throw ValidationError("--yes and --dry-run contradict each other: choose one") }
    }

    func run() async throws {
        var exitCode: Int32 = 0
        try await reportingErrors {
            let config = try ServerConfig.load(
                flags: ServerFlags(
                    dataDirectory: storage.dataDir, databaseURL: storage.databaseUrl,
                    allowLocal: allowLocal ? true : nil, toolsDirectory: toolsDir),
                environment: ProcessInfo.processInfo.environment)
            LoggingBootstrap.run(format: config.logFormat, level: .warning)
            exitCode = try await AdminConsole.with(config: config) { console in
                try await converse(console)
            }
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    private var interactive: Bool { isatty(STDIN_FILENO) == 1 && output == "text" }

    private func converse(_ console: AdminConsole) async throws -> Int32 {
        let chat = console.conductorChat()
        let printers = PrinterBox()
        let mode: RunProgressPrinter.Mode =
            output == "json" ? .silent : (isatty(STDOUT_FILENO) == 1 ? .terminal : .lines)
        let observe: @Sendable (String) -> [any RunObserver] = { [verbose] reference in
            let printer = RunProgressPrinter(reference: reference, mode: mode, verbose: verbose)
            printers.append(printer)
            return [printer]
        }
        var turn = try await chat.say(text, observers: observe)
        // JSON: one object, the last reply (the launch's, with run_id, when something launched).
        defer { if output == "json" { print((try? OutputFormat.json(turn.reply)) ?? "{}") } }
        var confirmedOnce = false
        for _ in 0..<20 {
            if !turn.submissions.isEmpty {
                show(turn.reply)
                return try await follow(turn.submissions, printers: printers.all, console: console)
            }
            show(turn.reply)
            switch turn.reply.kind {
            case "refuse":
                return 1
            case "clarify" where turn.reply.questions.isEmpty:
                return 0
            case "clarify":
                guard interactive else {
                    let missing = turn.reply.questions.map { "\($0.field) (\($0.text))" }.joined(separator: ", ")
                    throw CLIError(description: "Conductor needs more to plan this: \(missing); say it in the request")
                }
                guard let answer = ask(turn.reply.questions[0]) else { return 1 }
                turn = try await chat.say(answer, observers: observe)
            default:
                if dryRun { return 0 }
                let reply: String
                if yes {
                    // The plan changed between planning and this yes: never launch what was not shown.
                    guard !confirmedOnce else {
                        throw CLIError(
                            description: "the plan changed while it was being confirmed; run the command again")
                    }
                    confirmedOnce = true
                    reply = "yes"
                } else if interactive {
                    guard let typed = prompt("Launch it? Type yes to launch, no to cancel, or refine the request: ")
                    else { return 1 }
                    reply = typed
                } else {
                    note("not launched: pass --yes to launch it")
                    return 0
                }
                turn = try await chat.say(reply, observers: observe)
                if turn.submissions.isEmpty, turn.reply.kind == "clarify", turn.reply.questions.isEmpty {
                    show(turn.reply)
                    return 0
                }
            }
        }
        throw CLIError(description: "no plan after 20 turns; try a more specific request")
    }

    /// Follows every launched run to its end, as `pcm-ops run` does; the exit status is the worst run's.
    private func follow(
        _ submissions: [RunService.Submission], printers: [RunProgressPrinter], console: AdminConsole
    ) async throws -> Int32 {
        var exitCode: Int32 = 0
        for (index, submission) in submissions.enumerated() {
            let printer = index < printers.count ? printers[index] : nil
            let (_, planned) = try await console.showRun(submission.run.publicID)
            await printer?.begin(runID: submission.run.publicID, executions: planned)
            let interrupt = InterruptHandler {
                FileHandle.standardError.write(
                    Data("\ncancelling run \(submission.run.publicID)… (Ctrl-C again to quit at once)\n".utf8))
                Task { _ = try? await console.cancelRun(submission.run.publicID) }
            }
            let status = await submission.completion?.value.status.rawValue
            interrupt.stop()
            await printer?.end()
            let (run, executions) = try await console.showRun(submission.run.publicID)
            if output == "text" { try RunReport.print(run, executions, json: false) }
            exitCode = max(exitCode, RunReport.exitCode(status ?? run.status))
        }
        return exitCode
    }

    private func show(_ reply: ConductorReply) {
        guard output == "text" else { return }
        print(TerminalText.safe(reply.text))
        for plan in reply.plans {
            print("  \(plan.reference)\(plan.destructive ? "  [destructive]" : "")")
            for (name, value) in plan.parameters.sorted(by: { $0.key < $1.key }) {
                print("    \(name) = \(TerminalText.safe(value))")
            }
            print("    targets (\(plan.targets.count)): \(plan.targets.joined(separator: ", "))")
        }
        if let runs = reply.runIDs, !runs.isEmpty { print("  runs: \(runs.joined(separator: ", "))") }
    }

    private func ask(_ question: ConductorReply.Question) -> String? {
        let choices = question.choices.isEmpty ? "" : " [\(question.choices.joined(separator: ", "))]"
        return prompt("\(question.text)\(choices) ")
    }

    /// A line from the terminal; nil at end of input or for an empty line.
    private func prompt(_ text: String) -> String? {
        FileHandle.standardOutput.write(Data(text.utf8))
        guard let line = readLine(), !line.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return line
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data("note: \(text)\n".utf8))
    }
}

/// The progress printers made while a turn launches runs, in launch order.
final class PrinterBox: @unchecked Sendable {
    private var printers = [RunProgressPrinter]()
    private let lock = NSLock()

    func append(_ printer: RunProgressPrinter) { lock.withLock { printers.append(printer) } }
    var all: [RunProgressPrinter] { lock.withLock { printers } }
}
