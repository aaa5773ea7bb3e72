import Foundation

/// How a script is run on the target.
public enum Interpreter: String, Sendable, Codable, CaseIterable {
    case bash, sh, powershell

    /// POSIX shells take `export NAME='…'`; PowerShell takes `$NAME = '…'`.
    public var isPOSIX: Bool { self != .powershell }
}

/// The type of a tool parameter (DESIGN.md §9).
public enum ParameterType: String, Sendable, Codable, CaseIterable {
    case string, int, bool, `enum`
}

/// One parameter of a tool or action.
public struct ParameterSpec: Sendable, Equatable {
    /// `[a-z][a-z0-9_]*`; reaches scripts as `PARAM_<NAME>`.
    public var name: String
    public var type: ParameterType
    public var required: Bool
    /// Default as text; validated like a given value.
    public var defaultValue: String?
    /// string only: the whole value must match.
    public var pattern: String?
    /// string only.
    public var maxLength: Int?
    /// int only.
    public var min: Int?
    public var max: Int?
    /// enum only.
    public var values: [String]
    /// Never logged, stored or shown in clear; redacted from captured output.
    public var secret: Bool
    public var help: String?

    public init(
        name: String, type: ParameterType, required: Bool = false, defaultValue: String? = nil, pattern: String? = nil,
        maxLength: Int? = nil, min: Int? = nil, max: Int? = nil, values: [String] = [], secret: Bool = false,
        help: String? = nil
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.pattern = pattern
        self.maxLength = maxLength
        self.min = min
        self.max = max
        self.values = values
        self.secret = secret
        self.help = help
    }

    /// The environment variable name the value is assigned to.
    public var variableName: String { "PARAM_" + name.uppercased() }
}

/// A script as the catalog holds it: the text, and where it came from.
public struct ScriptSource: Sendable, Equatable {
    /// `tool.yml` for inline scripts, else the file beside it.
    public var origin: String
    public var text: String

    public init(origin: String, text: String) {
        self.origin = origin
        self.text = text
    }
}

/// One runnable action of a tool.
public struct ActionDefinition: Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String?
    public var interpreter: Interpreter
    public var script: ScriptSource
    /// Runs after the action; non-zero means the step failed.
    public var validation: ScriptSource?
    /// Runs on a target whose step failed, when the step's policy is rollback.
    public var rollback: ScriptSource?
    /// Seconds.
    public var timeout: Int
    public var requiresAdmin: Bool
    /// Needs explicit confirmation (`--yes`, `"confirm": true`).
    public var destructive: Bool
    /// May be retried automatically after an interruption.
    public var idempotent: Bool
    /// The parameters this action takes (its own list, else the tool's).
    public var parameters: [ParameterSpec]
}

/// What happens on a target when a workflow step fails there.
public enum FailurePolicy: String, Sendable, Codable, CaseIterable {
    /// The target stops (default).
    case stop
    /// The target goes on with the next step.
    case `continue`
    /// The step's rollback script runs on the target, then it stops.
    case rollback
}

/// One step of a workflow.
public struct WorkflowStep: Sendable, Equatable {
    public var action: String
    public var onFailure: FailurePolicy
}

/// An ordered list of a tool's actions.
public struct WorkflowDefinition: Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String?
    public var steps: [WorkflowStep]
}

/// A catalog tool (one `tool.yml`).
public struct ToolDefinition: Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    public var category: String
    public var platforms: [String]
    public var parameters: [ParameterSpec]
    public var actions: [ActionDefinition]
    public var workflows: [WorkflowDefinition]
    /// The file it was loaded from.
    public var file: String

    public func action(_ id: String) -> ActionDefinition? { actions.first { $0.id == id } }
    public func workflow(_ id: String) -> WorkflowDefinition? { workflows.first { $0.id == id } }

    /// True when any action is destructive (the UI flags the tool).
    public var hasDestructiveActions: Bool { actions.contains(where: \.destructive) }
}
