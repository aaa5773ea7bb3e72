import OpsCore
import Vapor

/// The catalog as the API shows it (`/api/v1/tools`): scripts by SHA-256, never secret defaults.
struct ToolParameterDTO: Content, Hashable {
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

struct ToolActionDTO: Content, Hashable {
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
    var parameters: [ToolParameterDTO]

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
        parameters = action.parameters.map(ToolParameterDTO.init)
    }
}

struct ToolWorkflowDTO: Content, Hashable {
    var id: String
    var name: String
    var description: String?
    var steps: [Step]

    struct Step: Content, Hashable {
        var action: String
        var on_failure: String
    }
}

struct ToolDTO: Content, Hashable {
    var id: String
    var name: String
    var description: String
    var category: String
    var platforms: [String]
    var actions: [ToolActionDTO]
    var workflows: [ToolWorkflowDTO]

    init(_ tool: ToolDefinition) {
        id = tool.id
        name = tool.name
        description = tool.description
        category = tool.category
        platforms = tool.platforms
        actions = tool.actions.map(ToolActionDTO.init)
        workflows = tool.workflows.map { workflow in
            ToolWorkflowDTO(
                id: workflow.id, name: workflow.name, description: workflow.description,
                steps: workflow.steps.map { .init(action: $0.action, on_failure: $0.onFailure.rawValue) })
        }
    }
}
