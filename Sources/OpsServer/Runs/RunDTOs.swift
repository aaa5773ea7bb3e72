import Foundation
import OpsCore

/// A run as the API and the CLI show it (DESIGN.md §10).
public struct RunDTO: Sendable, Codable, Hashable {
    public var id: String
    public var tool: String
    public var action: String?
    public var workflow: String?
    public var status: String
    public var parameters: [String: String]
    public var requestedBy: String
    public var source: String
    public var maxConcurrency: String
    public var maxErrors: String
    public var targetCount: Int
    public var change: String?
    public var note: String?
    public var createdAt: Date?
    public var startedAt: Date?
    public var finishedAt: Date?
    /// When the retention policy removed the run's output and events; absent while they are kept.
    public var outputPrunedAt: Date?
    /// Executions (one per target and step) in each state.
    public var counts: ExecutionCounts
    /// Targets in each state of their outcome (``TargetOutcome``): what users count.
    public var targetCounts: ExecutionCounts
    /// Per step, in order: how many targets are through it and how many stopped there.
    public var steps: [RunStepDTO]
    /// The run this one was started again from (issue 16.3); absent otherwise.
    public var rerunOf: String?
    /// The saved job that launched it, by the name and version it had then; absent otherwise.
    public var job: String?
    public var jobVersion: Int?

    enum CodingKeys: String, CodingKey {
        case id, tool, action, workflow, status, parameters, source, change, note, counts, steps
        case targetCounts = "target_counts"
        case requestedBy = "requested_by"
        case maxConcurrency = "max_concurrency"
        case maxErrors = "max_errors"
        case targetCount = "target_count"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case outputPrunedAt = "output_pruned_at"
        case rerunOf = "rerun_of"
        case job
        case jobVersion = "job_version"
    }

    init(_ run: Run, progress: RunProgress) {
        id = run.publicID
        tool = run.tool
        action = run.action
        workflow = run.workflow
        status = run.status
        parameters =
            run.parametersJSON == "{}"
            ? [:]
            : Self.parametersMemo.value(for: run.parametersJSON) {
                (try? JSONDecoder().decode([String: String].self, from: Data($0.utf8))) ?? [:]
            }
        requestedBy = run.requestedBy
        source = run.source
        maxConcurrency = run.maxConcurrency
        maxErrors = run.maxErrors
        targetCount = run.targetCount
        change = run.change
        note = run.note
        createdAt = run.createdAt
        startedAt = run.startedAt
        finishedAt = run.finishedAt
        outputPrunedAt = run.outputPrunedAt
        counts = progress.executions
        targetCounts = progress.targets
        steps = RunStepDTO.steps(of: run, progress)
    }

    /// Decoded `runs.parameters` texts (values as shown: secret ones are masked in the row).
    private static let parametersMemo = DecodedTextMemo<[String: String]>()

    /// `tool.action` or `tool.workflow`.
    public var reference: String { "\(tool).\(action ?? workflow ?? "")" }
}

/// One step on one target (DESIGN.md §10).
public struct ExecutionDTO: Sendable, Codable, Hashable {
    public var target: String
    public var address: String
    public var step: Int
    public var action: String
    public var status: String
    public var exitCode: Int?
    public var stdout: String
    public var stderr: String
    public var truncated: Bool
    public var error: String?
    public var rollback: String?
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The SSM command that ran the step (ssm targets).
    public var ssmCommandID: String?

    enum CodingKeys: String, CodingKey {
        case target, address, step, action, status, stdout, stderr, truncated, error, rollback
        case exitCode = "exit_code"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case ssmCommandID = "ssm_command_id"
    }

    init(_ execution: Execution) {
        target = execution.targetName
        address = execution.targetAddress
        step = execution.stepIndex
        action = execution.stepAction
        status = execution.status
        exitCode = execution.exitCode
        stdout = execution.stdout
        stderr = execution.stderr
        truncated = execution.truncated
        error = execution.error
        rollback = execution.rollbackStatus
        startedAt = execution.startedAt
        finishedAt = execution.finishedAt
        ssmCommandID = execution.ssmCommandID
    }
}

/// What a dry run shows: the targets it would reach and every script exactly as it would be sent
/// (secret values as `***`).
public struct DryRunReport: Sendable, Codable, Hashable {
    public var tool: String
    public var action: String?
    public var workflow: String?
    public var parameters: [String: String]
    public var maxConcurrency: Int
    public var maxErrors: Int
    public var targets: [Target]
    public var steps: [Step]

    public struct Target: Sendable, Codable, Hashable {
        public var name: String
        public var address: String
        public var port: Int
        public var transport: String
        public var user: String?
        /// How each step's script is started on this target (`bash -s`, through `sudo -n` when needed).
        public var command: String?
        /// Why it cannot be reached, when that is known before running.
        public var problem: String?
    }

    public struct Step: Sendable, Codable, Hashable {
        public var action: String
        public var interpreter: String
        public var timeout: Int
        public var requiresAdmin: Bool
        public var destructive: Bool
        public var onFailure: String
        public var scripts: [Script]

        enum CodingKeys: String, CodingKey {
            case action, interpreter, timeout, destructive, scripts
            case requiresAdmin = "requires_admin"
            case onFailure = "on_failure"
        }
    }

    public struct Script: Sendable, Codable, Hashable {
        public var phase: String
        public var origin: String
        public var sha256: String
        public var text: String
    }

    enum CodingKeys: String, CodingKey {
        case tool, action, workflow, parameters, targets, steps
        case maxConcurrency = "max_concurrency"
        case maxErrors = "max_errors"
    }

    init(_ prepared: PreparedRun) {
        tool = prepared.tool.id
        action = prepared.action
        workflow = prepared.workflow
        parameters = prepared.shownValues
        maxConcurrency = prepared.plan.maxConcurrency
        maxErrors = prepared.plan.maxErrors
        let admin = prepared.plan.steps.contains(where: \.requiresAdmin)
        targets = prepared.targets.map { target in
            let problem: String? =
                if case .failure(let failure) = target.connection { failure.description } else { nil }
            let interpreter = prepared.plan.steps.first?.script.interpreter ?? .sh
            let command =
                target.os == OSFamily.windows.rawValue
                ? interpreter.stdinCommand
                : Privilege.wrap(interpreter.stdinCommand, requiresAdmin: admin, username: target.username ?? "")
            return Target(
                name: target.name, address: target.address, port: target.port, transport: target.transport,
                user: target.username, command: problem == nil ? command : nil, problem: problem)
        }
        steps = zip(prepared.plan.steps, prepared.steps).map { planned, record in
            let values = prepared.values
            let specs = prepared.tool.action(planned.action)?.parameters ?? []
            var scripts = [Script]()
            for (phase, rendered) in [
                ("action", planned.script), ("validation", planned.validation), ("rollback", planned.rollback),
            ] {
                guard let rendered else { continue }
                scripts.append(
                    Script(
                        phase: phase,
                        origin: record.scripts.first { $0.phase == phase }?.origin ?? "",
                        sha256: rendered.sha256,
                        text: ScriptRenderer.redacted(rendered, values: values, specs: specs)))
            }
            return Step(
                action: planned.action, interpreter: record.interpreter, timeout: record.timeout,
                requiresAdmin: record.requiresAdmin, destructive: record.destructive, onFailure: record.onFailure,
                scripts: scripts)
        }
    }
}
