import OpsCore
import Vapor

extension ToolRunController {
    /// The preview of what `form` asks for (nothing runs), or the form again naming what is wrong: "Rerun on failed
    /// targets" lands here, so a rerun is previewed (and confirmed, when destructive) as any run is.
    static func preview(_ request: Request, tool: ToolDefinition, form: RunForm) async throws -> Response {
        let context = try await request.pageContext(.tools)
        do {
            let report = try await request.runService.dryRun(try runRequest(form, tool: tool), by: request.auditActor)
            return RunPreviewView.render(
                tool: tool, report: report, form: form, needsConfirmation: report.steps.contains(where: \.destructive),
                context: context
            ).response()
        } catch let error as RunError {
            let model = try await formModel(request, tool: tool, form: form, error: error.description)
            return ToolViews.detail(tool, form: model, context: context).response(status: .badRequest)
        }
    }
}
