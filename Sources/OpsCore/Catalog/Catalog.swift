/// The loaded tools, and lookups by `tool.action` or `tool.workflow`.
public struct Catalog: Sendable {
    public let tools: [ToolDefinition]

    public init(tools: [ToolDefinition]) {
        self.tools = tools
    }

    /// What a reference names.
    public enum Selection: Sendable, Equatable {
        case action(ToolDefinition, ActionDefinition)
        case workflow(ToolDefinition, WorkflowDefinition)

        public var tool: ToolDefinition {
            switch self {
            case .action(let tool, _), .workflow(let tool, _): tool
            }
        }

        /// The actions to run, in order, with each step's failure policy. An action run on its own
        /// rolls back on failure when it has a rollback script, else stops.
        public var steps: [(ActionDefinition, FailurePolicy)] {
            switch self {
            case .action(_, let action): [(action, action.rollback == nil ? .stop : .rollback)]
            case .workflow(let tool, let workflow):
                workflow.steps.compactMap { step in tool.action(step.action).map { ($0, step.onFailure) } }
            }
        }
    }

    public func tool(_ id: String) -> ToolDefinition? { tools.first { $0.id == id } }

    /// Resolves `tool.action` or `tool.workflow`, with a message that lists what exists.
    public func resolve(_ reference: String) -> Result<Selection, CatalogLookupError> {
        let parts = reference.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return .failure(.malformed(reference)) }
        guard let tool = tool(parts[0]) else {
            return .failure(.unknownTool(parts[0], known: tools.map(\.id)))
        }
        if let action = tool.action(parts[1]) { return .success(.action(tool, action)) }
        if let workflow = tool.workflow(parts[1]) { return .success(.workflow(tool, workflow)) }
        return .failure(
            .unknownAction(tool: tool.id, name: parts[1], known: tool.actions.map(\.id) + tool.workflows.map(\.id)))
    }
}

/// A `tool.action` reference that names nothing.
public enum CatalogLookupError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case unknownTool(String, known: [String])
    case unknownAction(tool: String, name: String, known: [String])

    public var description: String {
        switch self {
        case .malformed(let text): "'\(text)' is not TOOL.ACTION or TOOL.WORKFLOW"
        case .unknownTool(let id, let known): "no tool '\(id)'; tools: \(known.joined(separator: ", "))"
        case .unknownAction(let tool, let name, let known):
            "tool '\(tool)' has no action or workflow '\(name)'; it has: \(known.joined(separator: ", "))"
        }
    }
}
