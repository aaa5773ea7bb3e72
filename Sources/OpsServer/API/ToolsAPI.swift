import OpsCore
import Vapor

/// `/api/v1/tools`: the catalog (read by everyone; reloaded by admins).
enum ToolsAPI {
    struct ParameterDTO: Content {
        var name: String
        var type: String
        var required: Bool
        var `default`: String?
        var pattern: String?
        var max_length: Int?
        var min: Int?
        var max: Int?
        var values: [String]?
        var secret: Bool
        var help: String?

        init(_ spec: ParameterSpec) {
            name = spec.name
            type = spec.type.rawValue
            required = spec.required
            `default` = spec.secret ? nil : spec.defaultValue
            pattern = spec.pattern
            max_length = spec.maxLength
            min = spec.min
            max = spec.max
            values = spec.values.isEmpty ? nil : spec.values
            secret = spec.secret
            help = spec.help
        }
    }

    struct ActionDTO: Content {
        var id: String
        var name: String
        var description: String?
        var interpreter: String
        var timeout: Int
        var requires_admin: Bool
        var destructive: Bool
        var idempotent: Bool
        var has_validation: Bool
        var has_rollback: Bool
        var script_sha256: String
        var parameters: [ParameterDTO]

        init(_ action: ActionDefinition) {
            id = action.id
            name = action.name
            description = action.description
            interpreter = action.interpreter.rawValue
            timeout = action.timeout
            requires_admin = action.requiresAdmin
            destructive = action.destructive
            idempotent = action.idempotent
            has_validation = action.validation != nil
            has_rollback = action.rollback != nil
            script_sha256 = RandomToken.sha256Hex(action.script.text)
            parameters = action.parameters.map(ParameterDTO.init)
        }
    }

    struct WorkflowDTO: Content {
        var id: String
        var name: String
        var description: String?
        var steps: [Step]

        struct Step: Content {
            var action: String
            var on_failure: String
        }
    }

    struct ToolDTO: Content {
        var id: String
        var name: String
        var description: String
        var category: String
        var platforms: [String]
        var actions: [ActionDTO]
        var workflows: [WorkflowDTO]

        init(_ tool: ToolDefinition) {
            id = tool.id
            name = tool.name
            description = tool.description
            category = tool.category
            platforms = tool.platforms
            actions = tool.actions.map(ActionDTO.init)
            workflows = tool.workflows.map { workflow in
                WorkflowDTO(
                    id: workflow.id, name: workflow.name, description: workflow.description,
                    steps: workflow.steps.map { .init(action: $0.action, on_failure: $0.onFailure.rawValue) })
            }
        }
    }

    struct ReloadResult: Content {
        var tools: Int
    }

    @Sendable static func list(_ request: Request) async throws -> [ToolDTO] {
        request.services.catalog.catalog.tools.map(ToolDTO.init)
    }

    @Sendable static func show(_ request: Request) async throws -> ToolDTO {
        let id = try request.parameter("id")
        guard let tool = request.services.catalog.catalog.tool(id) else {
            throw Abort(.notFound, reason: "no tool '\(id)'")
        }
        return ToolDTO(tool)
    }

    /// Reloads the catalog from disk; a catalog with problems is refused (422) and the old one stays.
    @Sendable static func reload(_ request: Request) async throws -> ReloadResult {
        do {
            let catalog = try request.services.catalog.reload()
            try await request.auditLog.record(
                "catalog.reload", actor: request.principal?.username, object: "catalog",
                details: ["tools": String(catalog.tools.count)], source: request.auditActor.source,
                sourceAddress: request.sourceAddress)
            return ReloadResult(tools: catalog.tools.count)
        } catch let error as CatalogLoadError {
            throw Abort(.unprocessableEntity, reason: error.description)
        }
    }
}
