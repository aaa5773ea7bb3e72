import Foundation
import OpsCore

/// Running a job: the job's own request, with what the runner gives where the job allows it. A job the catalog or
/// the inventory broke refuses to run (409, naming every problem) instead of failing on its targets.
extension JobService {
    var runService: RunService {
        RunService(database: database, services: services, logger: logger, awsSessionID: awsSessionID)
    }

    /// The run request `name` makes with `overrides`.
    public func runRequest(_ name: String, _ overrides: JobRunOverrides) async throws -> RunRequest {
        let job = try await require(name)
        let secrets: [String: String]
        do {
            secrets = try job.secrets(services.vault)
        } catch {
            throw JobError.broken(
                job: job.name, problems: ["parameters: the stored secret values cannot be opened (\(error))"])
        }
        let definition = job.definition(secrets: secrets)
        let inventory = try await InventoryNames.load(targets: job.targets, groups: job.groups, on: database)
        let problems = JobCheck.issues(definition, catalog: catalog, inventory: inventory)
        guard problems.isEmpty, let selection = try? JobCheck.selection(definition, in: catalog).get() else {
            throw JobError.broken(job: job.name, problems: problems.map(\.description))
        }
        let specs = JobCheck.specs(of: selection)
        let allowed = job.overridable
        var request = RunRequest(tool: job.tool, action: job.action, workflow: job.workflow)
        request.parameters = definition.parameters
        for (parameter, value) in overrides.parameters.sorted(by: { $0.key < $1.key }) {
            guard let spec = specs.first(where: { $0.name == parameter }) else {
                throw JobError.invalid(
                    field: "parameters.\(parameter)",
                    message: "unknown parameter; this action takes: \(specs.map(\.name).joined(separator: ", "))")
            }
            let prompted = spec.secret && definition.parameters[parameter] == nil
            guard prompted || allowed.contains(.parameters) else {
                throw JobError.invalid(
                    field: "parameters.\(parameter)",
                    message: "job '\(job.name)' sets its parameters and does not let runners change them")
            }
            request.parameters[parameter] = value
        }
        for spec in JobCheck.prompts(definition.parameters, specs: specs)
        where spec.required && spec.defaultValue == nil && request.parameters[spec.name] == nil {
            throw JobError.invalid(
                field: "parameters.\(spec.name)",
                message:
                    "is required: job '\(job.name)' stores no value for this secret parameter; give it with the run")
        }
        request.targets = definition.targets
        request.groups = definition.groups
        request.selector = definition.selector
        if overrides.choosesTargets {
            guard allowed.contains(.targets) else {
                throw JobError.invalid(
                    field: "targets",
                    message: "job '\(job.name)' runs on its own targets; it does not let runners choose them")
            }
            request.targets = Self.unique(overrides.targets ?? [])
            request.groups = Self.unique(overrides.groups ?? [])
            request.selector = Self.blankless(overrides.selector)
        }
        request.maxConcurrency = definition.maxConcurrency
        request.maxErrors = definition.maxErrors
        for (field, value) in [("max_concurrency", overrides.maxConcurrency), ("max_errors", overrides.maxErrors)] {
            guard let value else { continue }
            guard allowed.contains(.limits) else {
                throw JobError.invalid(
                    field: field, message: "job '\(job.name)' sets its limits and does not let runners change them")
            }
            if field == "max_concurrency" { request.maxConcurrency = Self.blankless(value) }
            if field == "max_errors" { request.maxErrors = Self.blankless(value) }
        }
        request.confirm = overrides.confirm
        request.dryRun = overrides.dryRun
        request.job = JobLink(id: try job.requireID(), name: job.name, version: job.version)
        return request
    }

    /// The preview of running `name`: nothing runs.
    public func dryRun(_ name: String, _ overrides: JobRunOverrides, by editor: Editor) async throws -> DryRunReport {
        var overrides = overrides
        overrides.dryRun = true
        return try await runService.dryRun(try await runRequest(name, overrides), by: editor.actor)
    }

    /// Starts a run of `name`; the run records the job and its version.
    public func run(
        _ name: String, _ overrides: JobRunOverrides, by editor: Editor, source: String,
        observers: [any RunObserver] = []
    ) async throws -> RunService.Submission {
        var overrides = overrides
        overrides.dryRun = false
        let request = try await runRequest(name, overrides)
        let submission = try await runService.submit(request, by: editor.actor, source: source, observers: observers)
        try await audit.record(
            "job.run", actor: editor.actor.name, object: "job:\(request.job?.name ?? name)",
            details: ["run": submission.run.publicID, "version": String(request.job?.version ?? 0)],
            source: editor.actor.source, sourceAddress: editor.actor.address)
        return submission
    }

    /// The newest runs `job` launched, newest first.
    public func recentRuns(of job: Job, limit: Int = 20) async throws -> [RunDTO] {
        try await runService.runs(ofJob: job.requireID(), limit: limit)
    }
}
