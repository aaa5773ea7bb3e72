import OpsCore

/// The sentences of answers.
enum AnswerText {
    static func platformName(_ os: OSFamily) -> String { os == .windows ? "Windows" : "Linux" }

    /// Up to five names, then how many more.
    static func list(_ names: [String]) -> String {
        names.count <= 5
            ? names.joined(separator: ", ") : names.prefix(5).joined(separator: ", ") + " and \(names.count - 5) more"
    }

    static func nothingUnderstood(_ matches: [ConductorMatch]) -> ConductorAnswer {
        ConductorAnswer(
            kind: .refuse,
            text: "I can only plan actions from the catalog (restart a service, update a package, a health check…) "
                + "on inventory targets, and nothing in that request matches one.",
            confidence: 0.6, explanation: matches)
    }

    static func noOperation(_ concepts: [Lexicon.Concept], platforms: [OSFamily], _ matches: [ConductorMatch])
        -> ConductorAnswer
    {
        let words = concepts.filter { !$0.implied }.map(\.words).filter { !$0.isEmpty }.joined(separator: " ")
        let on = platforms.isEmpty ? "" : " on " + platforms.map(platformName).joined(separator: " or ") + " targets"
        return ConductorAnswer(
            kind: .refuse, text: "No catalog action does '\(words)'\(on), so I can't plan it.", confidence: 0.6,
            explanation: matches)
    }

    static func question(for spec: ParameterSpec, _ operation: CatalogOperation) -> String {
        let help = spec.help.map { " (\($0))" } ?? ""
        return "Which \(spec.name.replacingOccurrences(of: "_", with: " ")) for \(operation.reference)?\(help)"
    }

    /// "Restart (linux-service.restart) with unit=nginx on 2 Linux targets: web01, web02."
    static func describe(_ plans: [ConductorPlan], catalog: CatalogIndex) -> String {
        let sentences = plans.map { plan -> String in
            let operation = catalog.operations.first { $0.reference == plan.reference }
            let secrets = Set(operation?.parameters.filter(\.secret).map(\.name) ?? [])
            let parameters = plan.parameters.sorted { $0.key < $1.key }.map { name, value in
                "\(name)=\(secrets.contains(name) ? "•••" : value)"
            }
            let with = parameters.isEmpty ? "" : " with " + parameters.joined(separator: ", ")
            let os = plan.platform.map { platformName($0) + " " } ?? ""
            let count = plan.targets.count == 1 ? "1 \(os)target" : "\(plan.targets.count) \(os)targets"
            let flag = plan.destructive ? " It changes the targets: confirm to launch." : ""
            return
                "\(operation?.name ?? plan.reference) (\(plan.reference))\(with) on \(count): \(list(plan.targets)).\(flag)"
        }
        return sentences.joined(separator: " ")
    }
}
