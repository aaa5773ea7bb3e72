import Crypto
import Fluent
import Foundation
import OpsCore
import OpsSSH

/// Turns a ``RunRequest`` into a ``PreparedRun``, refusing with the field named anything that is not
/// right: an unknown tool, a bad parameter, no targets, a platform mismatch, a bad limit, a
/// destructive action without confirmation.
struct RunPlanner {
    let database: any Database
    let catalog: Catalog
    let connector: TargetConnector
    let allowLocal: Bool
    let outputCap: Int

    func prepare(_ request: RunRequest) async throws -> PreparedRun {
        // what to run
        guard let tool = catalog.tool(request.tool) else {
            throw RunError.unknown(
                field: "tool",
                message: "no tool '\(request.tool)'; tools: \(catalog.tools.map(\.id).joined(separator: ", "))")
        }
        let selection: Catalog.Selection
        switch (request.action, request.workflow) {
        case (let action?, nil):
            guard let found = tool.action(action) else {
                throw RunError.unknown(
                    field: "action",
                    message:
                        "tool '\(tool.id)' has no action '\(action)'; actions: \(tool.actions.map(\.id).joined(separator: ", "))"
                )
            }
            selection = .action(tool, found)
        case (nil, let workflow?):
            guard let found = tool.workflow(workflow) else {
                throw RunError.unknown(
                    field: "workflow",
                    message:
                        "tool '\(tool.id)' has no workflow '\(workflow)'; workflows: \(tool.workflows.map(\.id).joined(separator: ", "))"
                )
            }
            selection = .workflow(tool, found)
        default:
            throw RunError.invalid(field: "action", message: "give exactly one of action or workflow")
        }
        let steps = selection.steps
        let destructive = steps.contains { $0.0.destructive }
        if destructive && !request.confirm && !request.dryRun {
            throw RunError.confirmationRequired("\(tool.id).\(request.action ?? request.workflow ?? "")")
        }

        // with which values
        var specs = [ParameterSpec]()
        for (action, _) in steps {
            for spec in action.parameters where !specs.contains(where: { $0.name == spec.name }) { specs.append(spec) }
        }
        let values: [String: String]
        switch ParameterValidator.validate(request.parameters, against: specs) {
        case .success(let valid): values = valid
        case .failure(let error): throw RunError.invalid(field: "parameters.\(error.parameter)", message: error.message)
        }
        let secrets = specs.filter(\.secret).compactMap { values[$0.name] }
        var shown = values
        for spec in specs where spec.secret && shown[spec.name] != nil { shown[spec.name] = "***" }

        // on which targets
        let connector = try await self.connector.preloaded()
        let resolver = RunTargetResolver(connector: connector, acceptNew: request.acceptNew, allowLocal: allowLocal)
        var targets = [RunTarget]()
        var targetSecrets = [String]()
        for target in try await selectTargets(request) {
            let (resolved, found) = await resolver.resolve(target)
            targets.append(resolved)
            targetSecrets += found
        }
        let keyCache = ParsedKeyCache()
        for host in request.inventoryHosts where !targets.contains(where: { $0.name == host.name }) {
            let (resolved, found) = await resolver.resolve(adHoc: host, keyCache: keyCache)
            targets.append(resolved)
            targetSecrets += found
        }
        guard !targets.isEmpty else {
            throw RunError.invalid(field: "targets", message: "no target matched; name targets, groups or a selector")
        }
        let mismatched = targets.filter { !tool.platforms.isEmpty && !tool.platforms.contains($0.os) }
        if !mismatched.isEmpty {
            throw RunError.invalid(
                field: "targets",
                message:
                    "tool '\(tool.id)' runs on \(tool.platforms.joined(separator: ", ")); not on "
                    + mismatched.prefix(10).map { "\($0.name) (\($0.os))" }.joined(separator: ", ")
                    + (mismatched.count > 10 ? " and \(mismatched.count - 10) more" : ""))
        }
        // WinRM runs PowerShell only; a tool that names no platform could still bring a POSIX script.
        if let posix = steps.first(where: { $0.0.interpreter.isPOSIX })?.0 {
            let windows = targets.filter { $0.transport == TransportKind.winrm.rawValue }
            if !windows.isEmpty {
                throw RunError.invalid(
                    field: "targets",
                    message:
                        "action '\(posix.id)' is a \(posix.interpreter.rawValue) script and winrm targets run PowerShell; not on "
                        + windows.prefix(10).map(\.name).joined(separator: ", ")
                        + (windows.count > 10 ? " and \(windows.count - 10) more" : ""))
            }
        }

        // how many at once
        let concurrency = try BatchLimit.parse(
            request.maxConcurrency ?? RunRequest.defaultMaxConcurrency, field: "max_concurrency", allowZero: false
        ).orRunError()
        let errors = try BatchLimit.parse(
            request.maxErrors ?? (destructive ? "0" : "100%"), field: "max_errors", allowZero: true
        ).orRunError()
        let errorBudget = errors == .percent(100) ? targets.count : errors.resolve(total: targets.count, roundUp: false)

        // the scripts
        var planned = [PlannedStep]()
        var records = [PreparedRun.StepRecord]()
        for (action, policy) in steps {
            let render = { (source: ScriptSource) in
                ScriptRenderer.render(source, interpreter: action.interpreter, values: values, specs: action.parameters)
            }
            let script = render(action.script)
            let validation = action.validation.map(render)
            let rollback = action.rollback.map(render)
            planned.append(
                PlannedStep(
                    action: action.id, name: action.name, script: script, validation: validation, rollback: rollback,
                    timeout: .seconds(action.timeout), requiresAdmin: action.requiresAdmin, onFailure: policy))
            var refs = [PreparedRun.ScriptRef]()
            for (phase, source, rendered) in [
                ("action", action.script, script), ("validation", action.validation, validation),
                ("rollback", action.rollback, rollback),
            ] {
                guard let source, let rendered else { continue }
                refs.append(
                    .init(
                        phase: phase, origin: source.origin, sha256: Self.sha256(source.text),
                        renderedSHA256: rendered.sha256, content: source.text))
            }
            records.append(
                .init(
                    action: action.id, name: action.name, interpreter: action.interpreter.rawValue,
                    timeout: action.timeout, requiresAdmin: action.requiresAdmin, destructive: action.destructive,
                    onFailure: policy.rawValue, scripts: refs))
        }
        let plan = RunPlan(
            steps: planned, targets: targets.map(\.name),
            maxConcurrency: concurrency.resolve(total: targets.count, roundUp: true),
            maxErrors: errorBudget, outputCap: outputCap, redactor: OutputRedactor(secrets: secrets + targetSecrets))
        let hostKeys: any HostKeyStore =
            request.knownHosts.isEmpty
            ? connector.hostKeys : LayeredHostKeyStore(extra: request.knownHosts, base: connector.hostKeys)
        return PreparedRun(
            request: request, tool: tool, action: request.action, workflow: request.workflow, destructive: destructive,
            values: values, shownValues: shown, steps: records, targets: targets, maxConcurrency: concurrency,
            maxErrors: errors, plan: plan, hostKeys: hostKeys)
    }

    /// Named targets, then group members, then selector matches, each once, in that order.
    func selectTargets(_ request: RunRequest) async throws -> [Target] {
        let service = TargetService(database: database, audit: connector.credentials.audit, allowLocal: allowLocal)
        let groups = GroupService(database: database, audit: connector.credentials.audit)
        var chosen = [Target]()
        for name in request.targets {
            guard let target = try await service.find(name) else {
                throw RunError.invalid(field: "targets", message: "no target named '\(name)'")
            }
            chosen.append(target)
        }
        for name in request.groups {
            guard let group = try await groups.find(name) else {
                throw RunError.invalid(field: "groups", message: "no group named '\(name)'")
            }
            chosen += try await groups.members(of: group)
        }
        if let text = request.selector, !text.trimmingCharacters(in: .whitespaces).isEmpty {
            let selector: TagSelector
            switch Result(catching: { () throws(InventoryError) in try TagSelector(parsing: text) }) {
            case .success(let parsed): selector = parsed
            case .failure(let error): throw RunError.invalid(field: "selector", message: error.description)
            }
            chosen += try await service.list(TargetFilter(selector: selector))
        }
        var seen = Set<String>()
        return chosen.filter { seen.insert($0.name).inserted }
    }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

extension Result where Failure == BatchLimitError {
    func orRunError() throws -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let error): throw RunError.invalid(field: error.field, message: error.message)
        }
    }
}
