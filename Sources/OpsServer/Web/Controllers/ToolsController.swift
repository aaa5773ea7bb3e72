import OpsCore
import Vapor

/// The catalog pages.
enum ToolsController {
    @Sendable static func list(_ request: Request) async throws -> Response {
        let query = request.query[String.self, at: "q"]?.trimmingCharacters(in: .whitespaces) ?? ""
        var tools = request.services.catalog.catalog.tools
        if !query.isEmpty {
            let needle = query.lowercased()
            tools = tools.filter {
                [$0.id, $0.name, $0.description, $0.category].contains { $0.lowercased().contains(needle) }
                    || $0.actions.contains { $0.name.lowercased().contains(needle) || $0.id.contains(needle) }
            }
        }
        return ToolViews.list(tools, query: query, context: try await request.pageContext(.tools)).response()
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        let id = try request.parameter("id")
        guard let tool = request.services.catalog.catalog.tool(id) else {
            throw Abort(.notFound, reason: "no tool '\(id)'")
        }
        let context = try await request.pageContext(.tools)
        let again = try await runAgainForm(request, tool: tool)
        let form =
            context.role?.allows(.operator) == true
            ? try await ToolRunController.formModel(
                request, tool: tool, form: again, error: nil, preselected: preselectedTargets(request)) : nil
        return ToolViews.detail(tool, form: form, context: context).response()
    }

    /// `?again=RUN` ("Run again…" on a run of this tool): the form filled in from that run.
    static func runAgainForm(_ request: Request, tool: ToolDefinition) async throws -> ToolRunController.RunForm? {
        guard let id = request.query[String.self, at: "again"], !id.isEmpty else { return nil }
        let run = try await request.runService.find(id)
        guard run.tool == tool.id else {
            throw Abort(.badRequest, reason: "again: run \(id) ran tool '\(run.tool)', not '\(tool.id)'")
        }
        return try await RunAgain.form(for: run, service: request.runService, tool: tool)
    }

    /// `?targets=a,b` (from the EC2 instance browser): targets ticked when the form opens.
    static func preselectedTargets(_ request: Request) -> Set<String> {
        guard let text = request.query[String.self, at: "targets"], text.count <= 100_000 else { return [] }
        return Set(text.split(separator: ",").map { String($0) }.filter { !$0.isEmpty }.prefix(5000))
    }

    @Sendable static func reload(_ request: Request) async throws -> Response {
        do {
            let count = try await CatalogReload.perform(request)
            return try await request.redirect(
                to: SitePath.tools, flash: Flash(.success, "Catalog reloaded: \(count) tools."))
        } catch let error as AbortError {
            return try await request.redirect(to: SitePath.tools, flash: Flash(.error, error.reason))
        }
    }
}
