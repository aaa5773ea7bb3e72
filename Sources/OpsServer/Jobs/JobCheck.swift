import Fluent
import Foundation
import OpsCore

/// A job's content with every value in clear (secret ones included): what is checked when it is saved and, against
/// the catalog and inventory of the moment, whenever it is shown or run.
struct JobDefinition: Sendable, Hashable {
    var tool: String
    var action: String?
    var workflow: String?
    var parameters: [String: String]
    var targets: [String]
    var groups: [String]
    var selector: String?
    var maxConcurrency: String?
    var maxErrors: String?
}

/// The names of the targets and groups that exist, among those some jobs name.
struct InventoryNames: Sendable {
    var targets: Set<String>
    var groups: Set<String>

    static func load(targets: some Sequence<String>, groups: some Sequence<String>, on database: any Database)
        async throws -> InventoryNames
    {
        let targetNames = Array(Set(targets))
        let groupNames = Array(Set(groups))
        let foundTargets =
            targetNames.isEmpty
            ? [] : try await Target.query(on: database).filter(\.$name ~~ targetNames).field(\.$name).all().map(\.name)
        let foundGroups =
            groupNames.isEmpty
            ? []
            : try await TargetGroup.query(on: database).filter(\.$name ~~ groupNames).field(\.$name).all().map(\.name)
        return InventoryNames(targets: Set(foundTargets), groups: Set(foundGroups))
    }
}

/// Checks a job against the catalog and the inventory. The same rules refuse a job when it is saved (the first issue
/// is a 400 naming its field) and mark a saved job broken when the catalog or the inventory changed under it (every
/// issue is listed, and the job refuses to run until it is edited).
enum JobCheck {
    struct Issue: Error, Sendable, Hashable, CustomStringConvertible {
        var field: String
        var message: String
        /// Names a tool, action, workflow, target or group that does not exist (else: a value that is not valid).
        var missing = false
        var description: String { "\(field): \(message)" }
    }

    /// The catalog entry the job runs, or why there is none.
    static func selection(_ definition: JobDefinition, in catalog: Catalog) -> Result<Catalog.Selection, Issue> {
        guard let tool = catalog.tool(definition.tool) else {
            return .failure(Issue(field: "tool", message: "no tool '\(definition.tool)' in the catalog", missing: true))
        }
        switch (definition.action, definition.workflow) {
        case (let action?, nil):
            guard let found = tool.action(action) else {
                return .failure(
                    Issue(
                        field: "action",
                        message:
                            "tool '\(tool.id)' has no action '\(action)'; actions: \(tool.actions.map(\.id).joined(separator: ", "))",
                        missing: true))
            }
            return .success(.action(tool, found))
        case (nil, let workflow?):
            guard let found = tool.workflow(workflow) else {
                let known = tool.workflows.map(\.id).joined(separator: ", ")
                return .failure(
                    Issue(
                        field: "workflow",
                        message:
                            "tool '\(tool.id)' has no workflow '\(workflow)'; workflows: \(known.isEmpty ? "none" : known)",
                        missing: true))
            }
            return .success(.workflow(tool, found))
        default:
            return .failure(Issue(field: "action", message: "give exactly one of action or workflow"))
        }
    }

    /// The parameters the selection's steps take, each once, in step order.
    static func specs(of selection: Catalog.Selection) -> [ParameterSpec] {
        var specs = [ParameterSpec]()
        for (action, _) in selection.steps {
            for spec in action.parameters where !specs.contains(where: { $0.name == spec.name }) { specs.append(spec) }
        }
        return specs
    }

    /// Every issue, in field order. A required secret parameter without a value is not one: it is asked for at
    /// each run.
    static func issues(_ definition: JobDefinition, catalog: Catalog, inventory: InventoryNames) -> [Issue] {
        var issues = [Issue]()
        switch selection(definition, in: catalog) {
        case .failure(let issue): issues.append(issue)
        case .success(let selection): issues += parameterIssues(definition.parameters, specs: specs(of: selection))
        }
        for name in definition.targets where !inventory.targets.contains(name) {
            issues.append(Issue(field: "targets", message: "no target named '\(name)'", missing: true))
        }
        for name in definition.groups where !inventory.groups.contains(name) {
            issues.append(Issue(field: "groups", message: "no group named '\(name)'", missing: true))
        }
        if let selector = definition.selector {
            do {
                _ = try TagSelector(parsing: selector)
            } catch {
                issues.append(Issue(field: "selector", message: error.description))
            }
        }
        for (field, value, allowZero) in [
            ("max_concurrency", definition.maxConcurrency, false), ("max_errors", definition.maxErrors, true),
        ] {
            guard let value else { continue }
            if case .failure(let error) = BatchLimit.parse(value, field: field, allowZero: allowZero) {
                issues.append(Issue(field: field, message: error.message))
            }
        }
        return issues
    }

    /// Unknown names, values that do not pass, and required values missing (secret ones excepted).
    static func parameterIssues(_ values: [String: String], specs: [ParameterSpec]) -> [Issue] {
        var issues = [Issue]()
        for name in values.keys.sorted() where !specs.contains(where: { $0.name == name }) {
            let known = specs.map(\.name).joined(separator: ", ")
            issues.append(
                Issue(
                    field: "parameters.\(name)",
                    message: "unknown parameter; this action takes: \(known.isEmpty ? "none" : known)"))
        }
        for spec in specs {
            if let value = values[spec.name] {
                if case .failure(let error) = ParameterValidator.check(value, against: spec) {
                    issues.append(Issue(field: "parameters.\(spec.name)", message: error.message))
                }
            } else if spec.required && spec.defaultValue == nil && !spec.secret {
                issues.append(Issue(field: "parameters.\(spec.name)", message: "is required"))
            }
        }
        return issues
    }

    /// The values as stored: each normalised as a run would (`yes` → `true`); unknown or bad ones are left as given
    /// (``issues(_:catalog:inventory:)`` refuses them).
    static func normalised(_ values: [String: String], specs: [ParameterSpec]) -> [String: String] {
        var result = values
        for spec in specs {
            guard let value = values[spec.name],
                case .success(let normal) = ParameterValidator.check(value, against: spec)
            else { continue }
            result[spec.name] = normal
        }
        return result
    }

    /// Secret parameters the job stores no value for: a run asks for them.
    static func prompts(_ values: [String: String], specs: [ParameterSpec]) -> [ParameterSpec] {
        specs.filter { $0.secret && values[$0.name] == nil }
    }
}
