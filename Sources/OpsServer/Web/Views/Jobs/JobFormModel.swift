import Foundation
import OpsCore
import Vapor

/// What the job form shows: the tool's choices, what was entered, which secrets the job stores.
struct JobFormModel {
    var tool: ToolDefinition
    /// The job being edited; nil for a new one.
    var editing: JobDTO?
    var name: String
    var description: String
    /// The choice, values, targets and limits, as the run form holds them (and the inventory for its picker).
    var run: ToolRunFormModel
    /// Secret parameters the job stores a value for.
    var storedSecrets: Set<String>
    var overridable: Set<String>
    var version: String

    static func make(_ request: Request, tool: ToolDefinition, form: JobForm, editing: JobDTO?, error: String?)
        async throws -> JobFormModel
    {
        var runForm = ToolRunController.RunForm()
        runForm.run = form.run
        runForm.params = form.params
        runForm.targets = form.targets ?? []
        runForm.groups = form.groups ?? []
        runForm.selector = form.selector
        runForm.max_concurrency = form.max_concurrency
        runForm.max_errors = form.max_errors
        let run = try await ToolRunController.formModel(request, tool: tool, form: runForm, error: error)
        return JobFormModel(
            tool: tool, editing: editing, name: form.name ?? "", description: form.description ?? "", run: run,
            storedSecrets: Set((editing?.parameters ?? [:]).filter { $0.value == JobSpec.keptSecret }.keys),
            overridable: Set(form.overridable ?? []), version: form.version ?? "")
    }

    /// The parameters a job's action or workflow takes in `catalog` now (none when it is gone).
    static func specs(of job: JobDTO, in catalog: Catalog) -> [ParameterSpec] {
        let definition = JobDefinition(
            tool: job.tool, action: job.action, workflow: job.workflow, parameters: [:], targets: [], groups: [],
            selector: nil)
        return (try? JobCheck.selection(definition, in: catalog).get()).map(JobCheck.specs) ?? []
    }
}
