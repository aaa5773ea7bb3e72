import Foundation
import Yams

/// Turns one composed `tool.yml` into a ``ToolDefinition``, checking every rule of DESIGN.md §9.
struct ToolParser {
    var reader: CatalogFileReader
    let directory: String
    let file: String

    static let toolKeys: Set<String> = [
        "id", "name", "description", "category", "platforms", "parameters", "actions", "workflows",
    ]
    static let actionKeys: Set<String> = [
        "id", "name", "description", "interpreter", "script", "script_file", "validation", "validation_file",
        "rollback", "rollback_file", "timeout", "requires_admin", "destructive", "idempotent", "parameters",
    ]
    static let parameterKeys: Set<String> = [
        "name", "type", "required", "pattern", "max_length", "min", "max", "values", "default", "secret", "help",
    ]

    mutating func parse(_ top: Node.Mapping) -> (ToolDefinition?, [CatalogError]) {
        reader.checkKeys(top, allowed: Self.toolKeys, path: "")
        let id = reader.string(top, "id", path: "", required: true) ?? ""
        if !id.isEmpty, id.wholeMatch(of: CatalogLoader.idPattern) == nil {
            reader.fail(top["id"], "id", "must match [a-z0-9-]+, got '\(id)'")
        }
        let name = reader.string(top, "name", path: "", required: true) ?? id
        let description = reader.string(top, "description", path: "") ?? ""
        let category = reader.string(top, "category", path: "") ?? "general"
        let platforms = reader.stringList(top, "platforms", path: "") ?? ["linux"]
        for platform in platforms where !["linux", "windows"].contains(platform) {
            reader.fail(top["platforms"], "platforms", "'\(platform)' is not linux or windows")
        }
        let shared = parameters(top, path: "")
        var actions = [ActionDefinition]()
        for (index, (node, mapping)) in reader.mappings(top, "actions", path: "").enumerated() {
            if let action = action(mapping, node: node, path: "actions[\(index)]", shared: shared) {
                if actions.contains(where: { $0.id == action.id }) {
                    reader.fail(node, "actions[\(index)].id", "action id '\(action.id)' is used twice")
                }
                actions.append(action)
            }
        }
        if actions.isEmpty { reader.fail(top["actions"], "actions", "a tool needs at least one action") }
        var workflows = [WorkflowDefinition]()
        for (index, (node, mapping)) in reader.mappings(top, "workflows", path: "").enumerated() {
            if let workflow = workflow(mapping, node: node, path: "workflows[\(index)]", actions: actions) {
                if workflows.contains(where: { $0.id == workflow.id })
                    || actions.contains(where: { $0.id == workflow.id })
                {
                    reader.fail(node, "workflows[\(index)].id", "'\(workflow.id)' is already an action or workflow id")
                }
                workflows.append(workflow)
            }
        }
        guard reader.errors.isEmpty else { return (nil, reader.errors) }
        return (
            ToolDefinition(
                id: id, name: name, description: description, category: category, platforms: platforms,
                parameters: shared, actions: actions, workflows: workflows, file: file), []
        )
    }

    private mutating func parameters(_ mapping: Node.Mapping, path: String) -> [ParameterSpec] {
        var result = [ParameterSpec]()
        for (index, (node, item)) in reader.mappings(mapping, "parameters", path: path).enumerated() {
            let here = reader.join(path, "parameters[\(index)]")
            reader.checkKeys(item, allowed: Self.parameterKeys, path: here)
            guard let name = reader.string(item, "name", path: here, required: true) else { continue }
            guard name.wholeMatch(of: CatalogLoader.parameterNamePattern) != nil else {
                reader.fail(item["name"], here + ".name", "must match [a-z][a-z0-9_]*, got '\(name)'")
                continue
            }
            if result.contains(where: { $0.name == name }) {
                reader.fail(node, here + ".name", "parameter '\(name)' is defined twice")
            }
            let typeName = reader.string(item, "type", path: here) ?? "string"
            guard let type = ParameterType(rawValue: typeName) else {
                reader.fail(item["type"], here + ".type", "'\(typeName)' is not string, int, bool or enum")
                continue
            }
            var spec = ParameterSpec(name: name, type: type)
            spec.required = reader.bool(item, "required", path: here) ?? false
            spec.secret = reader.bool(item, "secret", path: here) ?? false
            spec.help = reader.string(item, "help", path: here)
            spec.pattern = reader.string(item, "pattern", path: here)
            spec.maxLength = reader.int(item, "max_length", path: here)
            spec.min = reader.int(item, "min", path: here)
            spec.max = reader.int(item, "max", path: here)
            spec.values = reader.stringList(item, "values", path: here) ?? []
            if let node = item["default"], case .scalar(let scalar) = node { spec.defaultValue = scalar.string }
            check(spec, node: node, path: here)
            result.append(spec)
        }
        return result
    }

    private mutating func check(_ spec: ParameterSpec, node: Node, path: String) {
        if spec.pattern != nil, spec.type != .string {
            reader.fail(node, path + ".pattern", "only string parameters take a pattern")
        }
        if let pattern = spec.pattern, (try? Regex(pattern)) == nil {
            reader.fail(node, path + ".pattern", "is not a valid regular expression")
        }
        if spec.maxLength != nil, spec.type != .string {
            reader.fail(node, path + ".max_length", "only string parameters take max_length")
        }
        if let maxLength = spec.maxLength, maxLength < 1 {
            reader.fail(node, path + ".max_length", "must be at least 1")
        }
        if spec.min != nil || spec.max != nil, spec.type != .int {
            reader.fail(node, path + ".min", "only int parameters take min and max")
        }
        if let min = spec.min, let max = spec.max, min > max {
            reader.fail(node, path + ".min", "min \(min) is above max \(max)")
        }
        if spec.type == .enum, spec.values.isEmpty {
            reader.fail(node, path + ".values", "an enum needs a list of values")
        }
        if spec.type != .enum, !spec.values.isEmpty {
            reader.fail(node, path + ".values", "only enum parameters take values")
        }
        if let value = spec.defaultValue, case .failure(let error) = ParameterValidator.check(value, against: spec) {
            reader.fail(node, path + ".default", "the default is not a valid value: \(error.message)")
        }
    }

    private mutating func action(
        _ mapping: Node.Mapping, node: Node, path: String, shared: [ParameterSpec]
    ) -> ActionDefinition? {
        reader.checkKeys(mapping, allowed: Self.actionKeys, path: path)
        let id = reader.string(mapping, "id", path: path, required: true) ?? ""
        if !id.isEmpty, id.wholeMatch(of: CatalogLoader.idPattern) == nil {
            reader.fail(mapping["id"], path + ".id", "must match [a-z0-9-]+, got '\(id)'")
        }
        let interpreterName = reader.string(mapping, "interpreter", path: path) ?? "bash"
        let interpreter = Interpreter(rawValue: interpreterName)
        if interpreter == nil {
            reader.fail(
                mapping["interpreter"], path + ".interpreter", "'\(interpreterName)' is not bash, sh or powershell")
        }
        let script = source(mapping, inline: "script", file: "script_file", path: path, required: true)
        let validation = source(mapping, inline: "validation", file: "validation_file", path: path, required: false)
        let rollback = source(mapping, inline: "rollback", file: "rollback_file", path: path, required: false)
        let timeout = reader.int(mapping, "timeout", path: path) ?? 300
        if !(1...86400).contains(timeout) {
            reader.fail(mapping["timeout"], path + ".timeout", "must be from 1 to 86400 seconds")
        }
        let own = mapping["parameters"] == nil ? nil : parameters(mapping, path: path)
        guard let interpreter, let script, !id.isEmpty else { return nil }
        return ActionDefinition(
            id: id, name: reader.string(mapping, "name", path: path) ?? id,
            description: reader.string(mapping, "description", path: path), interpreter: interpreter, script: script,
            validation: validation, rollback: rollback, timeout: timeout,
            requiresAdmin: reader.bool(mapping, "requires_admin", path: path) ?? false,
            destructive: reader.bool(mapping, "destructive", path: path) ?? false,
            idempotent: reader.bool(mapping, "idempotent", path: path) ?? false, parameters: own ?? shared)
    }

    /// An inline script or a file beside the YAML (never outside the tool's directory).
    private mutating func source(
        _ mapping: Node.Mapping, inline: String, file: String, path: String, required: Bool
    ) -> ScriptSource? {
        let text = reader.string(mapping, inline, path: path)
        let fileName = reader.string(mapping, file, path: path)
        switch (text, fileName) {
        case (.some, .some):
            reader.fail(mapping[file], path + "." + file, "give either \(inline) or \(file), not both")
            return nil
        case (.some(let text), nil):
            return ScriptSource(origin: "tool.yml", text: text)
        case (nil, .some(let name)):
            guard !name.hasPrefix("/"), !name.split(separator: "/").contains(".."), !name.isEmpty else {
                reader.fail(mapping[file], path + "." + file, "must name a file inside the tool's directory")
                return nil
            }
            let full = (directory as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: full) else {
                reader.fail(mapping[file], path + "." + file, "file '\(name)' does not exist beside tool.yml")
                return nil
            }
            // A symbolic link (of the file or of a folder on its way) could point anywhere on the server: the file
            // is read only when its real path lies inside the tool's real directory and it is a regular file.
            guard let real = FileSystemPath.regularFile(full, inside: directory) else {
                reader.fail(
                    mapping[file], path + "." + file,
                    "'\(name)' must be a regular file inside the tool's directory (a link that leads outside it is refused)"
                )
                return nil
            }
            guard let data = FileManager.default.contents(atPath: real) else {
                reader.fail(mapping[file], path + "." + file, "file '\(name)' cannot be read")
                return nil
            }
            guard data.count <= CatalogLoader.maxScriptBytes, let text = String(data: data, encoding: .utf8) else {
                reader.fail(mapping[file], path + "." + file, "'\(name)' is not a UTF-8 text file of at most 1 MB")
                return nil
            }
            return ScriptSource(origin: name, text: text)
        case (nil, nil):
            if required { reader.fail(nil, path + "." + inline, "an action needs \(inline) or \(file)") }
            return nil
        }
    }

    private mutating func workflow(
        _ mapping: Node.Mapping, node: Node, path: String, actions: [ActionDefinition]
    ) -> WorkflowDefinition? {
        reader.checkKeys(mapping, allowed: ["id", "name", "description", "steps"], path: path)
        let id = reader.string(mapping, "id", path: path, required: true) ?? ""
        if !id.isEmpty, id.wholeMatch(of: CatalogLoader.idPattern) == nil {
            reader.fail(mapping["id"], path + ".id", "must match [a-z0-9-]+, got '\(id)'")
        }
        var steps = [WorkflowStep]()
        for (index, (stepNode, step)) in reader.mappings(mapping, "steps", path: path).enumerated() {
            let here = path + ".steps[\(index)]"
            reader.checkKeys(step, allowed: ["action", "on_failure"], path: here)
            guard let action = reader.string(step, "action", path: here, required: true) else { continue }
            guard let definition = actions.first(where: { $0.id == action }) else {
                reader.fail(stepNode, here + ".action", "no action '\(action)' in this tool")
                continue
            }
            let policyName = reader.string(step, "on_failure", path: here) ?? "stop"
            guard let policy = FailurePolicy(rawValue: policyName) else {
                reader.fail(
                    step["on_failure"], here + ".on_failure", "'\(policyName)' is not stop, continue or rollback")
                continue
            }
            if policy == .rollback, definition.rollback == nil {
                reader.fail(
                    step["on_failure"], here + ".on_failure",
                    "rollback needs the action '\(action)' to have a rollback script")
            }
            steps.append(WorkflowStep(action: action, onFailure: policy))
        }
        if steps.isEmpty { reader.fail(node, path + ".steps", "a workflow needs at least one step") }
        guard !id.isEmpty else { return nil }
        return WorkflowDefinition(
            id: id, name: reader.string(mapping, "name", path: path) ?? id,
            description: reader.string(mapping, "description", path: path), steps: steps)
    }
}
