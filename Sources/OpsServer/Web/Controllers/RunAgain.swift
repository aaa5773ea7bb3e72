import Foundation
import OpsCore
import Vapor

/// The run form filled in from an earlier run (issue 16.3): "Run again…" and "Rerun on failed targets".
enum RunAgain {
    /// The form for `request` (a rerun of failed targets), marked as a rerun of its origin.
    static func form(_ request: RunRequest, tool: ToolDefinition) -> ToolRunController.RunForm {
        var form = ToolRunController.RunForm()
        form.run = request.action.map { "action:\($0)" } ?? request.workflow.map { "workflow:\($0)" }
        form.params = shownValues(request.parameters, tool: tool)
        form.targets = request.targets
        form.groups = request.groups
        form.selector = request.selector ?? ""
        form.max_concurrency = request.maxConcurrency ?? ""
        form.max_errors = request.maxErrors ?? ""
        form.rerun_of = request.rerunOf
        return form
    }

    /// The form as `run` was asked for: its action or workflow, its values without the secret ones, the targets,
    /// groups and selector it was given (runs older than that record: the targets it ran on), its limits.
    static func form(for run: Run, service: RunService, tool: ToolDefinition) async throws -> ToolRunController.RunForm
    {
        var request = RunRequest(tool: run.tool, action: run.action, workflow: run.workflow)
        request.parameters =
            (try? JSONDecoder().decode([String: String].self, from: Data(run.parametersJSON.utf8))) ?? [:]
        if let selection = RunSelection(json: try await service.origin(of: run)?.selectionJSON) {
            request.targets = selection.targets
            request.groups = selection.groups
            request.selector = selection.selector
        } else {
            var seen = Set<String>()
            request.targets = try await service.executionSummaries(run).map(\.target).filter {
                seen.insert($0).inserted
            }
        }
        request.maxConcurrency = run.maxConcurrency
        request.maxErrors = run.maxErrors
        request.rerunOf = run.publicID
        return form(request, tool: tool)
    }

    /// Values a form may show again: not secret ones (stored masked), and only those the tool still takes.
    private static func shownValues(_ values: [String: String], tool: ToolDefinition) -> [String: String] {
        var specs = tool.parameters
        for action in tool.actions { specs += action.parameters }
        let secret = Set(specs.filter(\.secret).map(\.name))
        let known = Set(specs.map(\.name))
        return values.filter { known.contains($0.key) && !secret.contains($0.key) && $0.value != "***" }
    }
}
