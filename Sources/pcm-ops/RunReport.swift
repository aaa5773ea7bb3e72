import Foundation
import OpsServer

/// The end of a CLI run, and `runs show`: the run and its targets by outcome, each step's progress
/// (workflows), then one line per target and step.
enum RunReport {
    struct Combined: Encodable {
        var run: RunDTO
        var executions: [ExecutionDTO]

        func encode(to encoder: any Encoder) throws {
            try run.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(executions, forKey: Key(stringValue: "executions"))
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }

    /// Target output, errors and names are shown through ``TerminalText`` unless `raw`.
    static func print(
        _ run: RunDTO, _ executions: [ExecutionDTO], json: Bool, full: Bool = false, raw: Bool = false
    ) throws {
        if json {
            Swift.print(try OutputFormat.json(Combined(run: run, executions: executions)))
            return
        }
        Swift.print("\nrun \(run.id) \(run.reference): \(run.status) — \(run.targetHeadline)")
        if let job = run.job { Swift.print("job \(job)" + (run.jobVersion.map { " (version \($0))" } ?? "")) }
        if let origin = run.rerunOf { Swift.print("rerun of \(origin)") }
        if run.steps.count > 1 {
            for step in run.steps {
                Swift.print("  step \(step.label): \(step.finished) of \(run.targetCount) through\(step.notes)")
            }
        }
        if let note = run.note { Swift.print("note: \(note)") }
        if let pruned = run.outputPrunedAt {
            Swift.print("note: output and events removed by the retention policy on \(pruned.formatted(.iso8601))")
        }
        let multiStep = Set(executions.map(\.step)).count > 1
        OutputFormat.table(
            [
                "TARGET", multiStep ? "STEP" : "ACTION", "STATUS", "EXIT", "TIME",
                full ? "" : "OUTPUT / ERROR",
            ],
            executions.map { execution in
                [
                    TerminalText.safe(execution.target, raw: raw),
                    multiStep ? "\(execution.step + 1).\(execution.action)" : execution.action,
                    execution.status, execution.exitCode.map(String.init) ?? "-", duration(execution),
                    full ? "" : TerminalText.safe(summary(execution), raw: raw),
                ]
            })
        if full {
            for execution in executions
            where !execution.stdout.isEmpty || !execution.stderr.isEmpty || execution.error != nil {
                Swift.print(
                    "\n== \(TerminalText.safe(execution.target, raw: raw)) · \(execution.action) · \(execution.status)"
                )
                if let error = execution.error {
                    Swift.print("error: \(TerminalText.safe(error, raw: raw))")
                }
                if !execution.stdout.isEmpty {
                    Swift.print(
                        TerminalText.safe(execution.stdout, raw: raw),
                        terminator: execution.stdout.hasSuffix("\n") ? "" : "\n")
                }
                if !execution.stderr.isEmpty {
                    Swift.print("-- stderr --")
                    Swift.print(
                        TerminalText.safe(execution.stderr, raw: raw),
                        terminator: execution.stderr.hasSuffix("\n") ? "" : "\n")
                }
            }
        }
    }

    /// The error, else the last line of output, shortened.
    static func summary(_ execution: ExecutionDTO) -> String {
        let text =
            execution.error
            ?? execution.stdout.split(separator: "\n").last.map(String.init)
            ?? execution.stderr.split(separator: "\n").last.map(String.init) ?? ""
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }

    static func duration(_ execution: ExecutionDTO) -> String {
        guard let start = execution.startedAt, let end = execution.finishedAt else { return "-" }
        return String(format: "%.2fs", end.timeIntervalSince(start))
    }

    /// 0 when every target succeeded, 130 when cancelled, 2 otherwise (and while still running).
    static func exitCode(_ status: String) -> Int32 {
        switch status {
        case "succeeded": 0
        case "cancelled": 130
        default: 2
        }
    }
}

/// A dry run as text.
enum DryRunPrinter {
    static func print(_ report: DryRunReport) {
        Swift.print(
            "dry run: \(report.tool).\(report.action ?? report.workflow ?? "") on \(report.targets.count) target(s), "
                + "max concurrency \(report.maxConcurrency), max errors \(report.maxErrors) — nothing runs")
        if !report.parameters.isEmpty {
            Swift.print(
                "parameters: "
                    + report.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                        separator: " "))
        }
        Swift.print("\ntargets:")
        for target in report.targets {
            let reach =
                target.problem.map { "CANNOT RUN: \($0)" }
                ?? "\(target.user ?? "?")@\(target.address):\(target.port) via \(target.transport): \(target.command ?? "")"
            Swift.print("  \(target.name)  \(reach)")
        }
        for (index, step) in report.steps.enumerated() {
            var flags = [step.interpreter, "timeout \(step.timeout)s", "on failure: \(step.onFailure)"]
            if step.requiresAdmin { flags.append("admin") }
            if step.destructive { flags.append("destructive") }
            Swift.print("\nstep \(index + 1): \(step.action) [\(flags.joined(separator: ", "))]")
            for script in step.scripts {
                Swift.print("--- \(script.phase) script (\(script.origin), sha256 \(script.sha256)) ---")
                Swift.print(script.text, terminator: script.text.hasSuffix("\n") ? "" : "\n")
            }
        }
    }
}
