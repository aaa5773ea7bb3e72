import Foundation
import OpsCore
import Vapor

/// What the job form sends (create and edit).
struct JobForm: Content {
    var name: String?
    var description: String?
    var tool: String?
    /// `action:ID` or `workflow:ID`.
    var run: String?
    var params: [String: String]?
    /// Secret parameters whose stored value is to be forgotten.
    var forget: [String]?
    var targets: [String]?
    var groups: [String]?
    var selector: String?
    var max_concurrency: String?
    var max_errors: String?
    var overridable: [String]?
    /// The version the edit form was drawn at.
    var version: String?

    init() {}

    /// A form filled in from a run's (a new job "saved as" from it).
    init(run form: ToolRunController.RunForm) {
        run = form.run
        params = form.params
        targets = form.targets
        groups = form.groups
        selector = form.selector
        max_concurrency = form.max_concurrency
        max_errors = form.max_errors
    }

    /// The form of a stored job.
    init(job: JobDTO) {
        name = job.name
        description = job.description
        tool = job.tool
        run = job.action.map { "action:\($0)" } ?? job.workflow.map { "workflow:\($0)" }
        params = job.parameters.filter { $0.value != JobSpec.keptSecret }
        targets = job.targets
        groups = job.groups
        selector = job.selector ?? ""
        max_concurrency = job.maxConcurrency ?? ""
        max_errors = job.maxErrors ?? ""
        overridable = job.overridable
        version = String(job.version)
    }

    /// The chosen action or workflow, and the parameters it takes.
    func choice(_ tool: ToolDefinition) throws -> (action: String?, workflow: String?, specs: [ParameterSpec]) {
        let parts = (run ?? "").split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["action", "workflow"].contains(parts[0]) else {
            throw JobError.invalid(field: "action", message: "choose an action or a workflow")
        }
        let selection: Catalog.Selection? =
            parts[0] == "action"
            ? tool.action(parts[1]).map { .action(tool, $0) } : tool.workflow(parts[1]).map { .workflow(tool, $0) }
        let specs = selection.map(JobCheck.specs) ?? []
        return parts[0] == "action" ? (parts[1], nil, specs) : (nil, parts[1], specs)
    }

    func overrideSet() throws -> Set<JobOverride> {
        Set(
            try (overridable ?? []).map { name in
                guard let value = JobOverride(rawValue: name) else {
                    throw JobError.invalid(
                        field: "overridable", message: "'\(name)' is not something a runner may change")
                }
                return value
            })
    }

    /// A new job: the chosen action's parameters that were filled in.
    func spec(tool: ToolDefinition) throws -> JobSpec {
        let (action, workflow, specs) = try choice(tool)
        var spec = JobSpec(name: name ?? "", tool: tool.id, action: action, workflow: workflow)
        spec.description = description ?? ""
        let accepted = Set(specs.map(\.name))
        spec.parameters = (params ?? [:]).filter { accepted.contains($0.key) && !$0.value.isEmpty }
        spec.targets = targets ?? []
        spec.groups = groups ?? []
        spec.selector = selector
        spec.maxConcurrency = max_concurrency
        spec.maxErrors = max_errors
        spec.overridable = try overrideSet()
        return spec
    }

    /// The whole form as a change of `job`: a blank secret keeps its stored value unless it is to be forgotten.
    func patch(tool: ToolDefinition, job: JobDTO) throws -> JobPatch {
        let (action, workflow, specs) = try choice(tool)
        var patch = JobPatch()
        patch.name = name ?? job.name
        patch.description = description ?? ""
        patch.action = action
        patch.workflow = workflow
        let forgotten = Set(forget ?? [])
        var values = [String: String]()
        for spec in specs {
            if let value = params?[spec.name], !value.isEmpty {
                values[spec.name] = value
            } else if spec.secret, job.parameters[spec.name] == JobSpec.keptSecret, !forgotten.contains(spec.name) {
                values[spec.name] = JobSpec.keptSecret
            }
        }
        patch.parameters = values
        patch.targets = targets ?? []
        patch.groups = groups ?? []
        patch.selector = selector ?? ""
        patch.maxConcurrency = max_concurrency ?? ""
        patch.maxErrors = max_errors ?? ""
        patch.overridable = try overrideSet()
        if let version, !version.isEmpty {
            guard let number = Int(version) else {
                throw JobError.invalid(field: "version", message: "must be a number")
            }
            patch.version = number
        }
        return patch
    }
}
