import OpsCore
import Vapor

/// `/api/v1/tools`: the catalog (read by everyone; reloaded by admins).
extension APIHandler {
    func listTools(_ input: Operations.ListTools.Input) async throws -> Operations.ListTools.Output {
        .ok(.init(body: .json(try request.services.catalog.catalog.tools.map(ToolDTO.init))))
    }

    func getTool(_ input: Operations.GetTool.Input) async throws -> Operations.GetTool.Output {
        guard let tool = try request.services.catalog.catalog.tool(input.path.id) else {
            throw Abort(.notFound, reason: "no tool '\(input.path.id)'")
        }
        return .ok(.init(body: .json(ToolDTO(tool))))
    }

    /// A catalog with problems is refused (422) and the old one stays.
    func reloadTools(_ input: Operations.ReloadTools.Input) async throws -> Operations.ReloadTools.Output {
        .ok(.init(body: .json(.init(tools: try await CatalogReload.perform(try request)))))
    }
}

/// Reloads the catalog from disk for the API and the tools page, and audits it.
enum CatalogReload {
    /// The number of tools now loaded; a catalog with problems is refused (422) and the old one stays.
    static func perform(_ request: Request) async throws -> Int {
        do {
            let catalog = try request.services.catalog.reload()
            for warning in catalog.browserPatternWarnings { request.logger.warning("\(warning)") }
            try await request.auditLog.record(
                "catalog.reload", actor: request.principal?.username, object: "catalog",
                details: ["tools": String(catalog.tools.count)], source: request.auditActor.source,
                sourceAddress: request.sourceAddress)
            return catalog.tools.count
        } catch let error as CatalogLoadError {
            throw Abort(.unprocessableEntity, reason: error.description)
        }
    }
}
