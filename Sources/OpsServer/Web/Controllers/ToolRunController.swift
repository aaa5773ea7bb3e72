import Fluent
import Foundation
import OpsCore
import Vapor

/// The run form of a tool page: preview (a dry run), confirmation for destructive actions, start.
enum ToolRunController {
    struct RunForm: Content {
        var run: String?
        var params: [String: String]?
        var targets: [String]?
        var groups: [String]?
        var selector: String?
        var max_concurrency: String?
        var max_errors: String?
        var intent: String?
        var confirm: String?
        /// The run the form was filled in from ("Run again…").
        var rerun_of: String?
    }

    /// The form's state for a tool page (defaults when nothing was sent).
    static func formModel(
        _ request: Request, tool: ToolDefinition, form: RunForm?, error: String?, preselected: Set<String> = []
    ) async throws -> ToolRunFormModel {
        let targets = try await request.targetService.list()
        let groups = try await request.groupService.list()
        var membership = [String: [String]]()
        for group in groups {
            for member in try await request.groupService.members(of: group) {
                membership[member.name, default: []].append(group.name)
            }
        }
        let defaultCredential = try await Credential.query(on: request.db).filter(\.$isDefault == true).first()
        let rows = targets.map { target in
            let groupCredential = groups.first {
                membership[target.name]?.contains($0.name) == true && $0.credential != nil
            }
            let credential =
                target.transport == "ssm"
                ? "AWS \(target.awsEnvironment ?? "?") \(target.awsAccount ?? "own account") \(target.awsRegion ?? "?")"
                : target.$credential.value??.name ?? groupCredential.map {
                    "\($0.credential?.name ?? "") (group \($0.name))"
                }
                    ?? defaultCredential.map { "\($0.name) (default)" } ?? ""
            return ToolRunFormModel.TargetRow(
                name: target.name, address: target.address, port: target.port, os: target.os,
                transport: target.transport, credential: credential, tags: target.tags,
                groups: membership[target.name] ?? [])
        }
        let firstChoice =
            tool.actions.first.map { "action:\($0.id)" } ?? tool.workflows.first.map { "workflow:\($0.id)" } ?? ""
        return ToolRunFormModel(
            targets: rows, groups: groups.map(\.name), choice: form?.run ?? firstChoice,
            parameters: form?.params ?? [:], selectedTargets: form.map { Set($0.targets ?? []) } ?? preselected,
            selectedGroups: Set(form?.groups ?? []), selector: form?.selector ?? "",
            maxConcurrency: form?.max_concurrency ?? "", maxErrors: form?.max_errors ?? "", error: error,
            rerunOf: form?.rerun_of.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The request the form describes: only the chosen action's parameters, blanks left to defaults.
    static func runRequest(_ form: RunForm, tool: ToolDefinition) throws -> RunRequest {
        let parts = (form.run ?? "").split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["action", "workflow"].contains(parts[0]) else {
            throw RunError.invalid(field: "run", message: "choose an action or a workflow")
        }
        var request =
            parts[0] == "action"
            ? RunRequest(tool: tool.id, action: parts[1]) : RunRequest(tool: tool.id, workflow: parts[1])
        let selection: Catalog.Selection? =
            parts[0] == "action"
            ? tool.action(parts[1]).map { .action(tool, $0) } : tool.workflow(parts[1]).map { .workflow(tool, $0) }
        let accepted = Set((selection?.steps ?? []).flatMap { $0.0.parameters.map(\.name) })
        for (name, value) in form.params ?? [:] where accepted.contains(name) && !value.isEmpty {
            request.parameters[name] = value
        }
        request.targets = form.targets ?? []
        request.groups = form.groups ?? []
        request.selector = form.selector.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        request.maxConcurrency = form.max_concurrency.flatMap { $0.isEmpty ? nil : $0 }
        request.maxErrors = form.max_errors.flatMap { $0.isEmpty ? nil : $0 }
        request.confirm = form.confirm == "yes"
        request.rerunOf = form.rerun_of.flatMap { $0.isEmpty ? nil : $0 }
        return request
    }

    @Sendable static func submit(_ request: Request) async throws -> Response {
        let id = try request.parameter("id")
        guard let tool = request.services.catalog.catalog.tool(id) else {
            throw Abort(.notFound, reason: "no tool '\(id)'")
        }
        let form = try request.content.decode(RunForm.self)
        let context = try await request.pageContext(.tools)
        if form.intent == "edit" {
            // The preview's Back: the form again, filled in as it was sent.
            let model = try await formModel(request, tool: tool, form: form, error: nil)
            return ToolViews.detail(tool, form: model, context: context).response()
        }
        do {
            var runRequest = try runRequest(form, tool: tool)
            let preview = form.intent != "run"
            let report = try await request.runService.dryRun(runRequest, by: request.auditActor)
            let destructive = report.steps.contains(where: \.destructive)
            if preview || (destructive && !runRequest.confirm) {
                return RunPreviewView.render(
                    tool: tool, report: report, form: form, needsConfirmation: destructive, context: context
                ).response()
            }
            runRequest.dryRun = false
            let submission = try await request.runService.submit(runRequest, by: request.auditActor, source: "web")
            return try await request.redirect(
                to: SitePath.run(submission.run.publicID),
                flash: Flash(
                    .success,
                    "Run \(submission.run.publicID) started on "
                        + Plural.count(submission.run.targetCount, "target") + "."))
        } catch let error as RunError {
            let model = try await formModel(request, tool: tool, form: form, error: error.description)
            return ToolViews.detail(tool, form: model, context: context).response(status: .badRequest)
        }
    }
}
