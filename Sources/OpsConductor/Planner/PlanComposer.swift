import OpsCore

/// Turns a frame into an answer: resolves the targets, splits them by platform, picks one operation per
/// platform, binds and validates the parameters, and asks about whatever is missing or ambiguous.
struct PlanComposer {
    let catalog: CatalogIndex
    let inventory: InventoryIndex

    /// One platform's share of the answer.
    private struct Part {
        var platform: OSFamily?
        var targets: [String]
        var chosen: OperationChooser.Scored?
        var bound: ParameterBinder.Bound?
    }

    func compose(_ input: PlanFrame, matches: [ConductorMatch], sequence: [String] = []) -> (ConductorAnswer, PlanFrame)
    {
        var frame = input
        let primary = frame.concepts.contains { !$0.implied && $0.weight >= 0.4 }
        let targets = frame.selection.isEmpty ? [] : inventory.resolve(frame.selection)
        if !primary {
            guard !frame.selection.isEmpty || !frame.selection.unknown.isEmpty else {
                return (AnswerText.nothingUnderstood(matches), frame)
            }
            let platforms = Set(targets.compactMap(platform(of:)))
            let choices = catalog.operations.filter { !$0.platforms.isDisjoint(with: platforms) }.map(\.reference)
            return ask(
                ConductorQuestion(field: "action", text: "What should I do on these targets?", choices: choices),
                &frame, matches)
        }
        // Targets by platform; unknown targets: plan for any platform to ask the right questions.
        var byPlatform = [OSFamily: [String]]()
        for name in targets { if let os = platform(of: name) { byPlatform[os, default: []].append(name) } }
        var parts = byPlatform.keys.sorted { $0.rawValue < $1.rawValue }.map {
            Part(platform: $0, targets: byPlatform[$0] ?? [])
        }
        if parts.isEmpty { parts = [Part(platform: frame.selection.platforms.first, targets: [])] }
        var unsupported = [Part]()
        let offer = OperationChooser.Offer(
            named: Set(frame.named.keys), words: frame.free.filter { $0.kind != .path }.count,
            paths: frame.free.filter { $0.kind == .path }.count, sequence: sequence)
        for index in parts.indices {
            let ranked = OperationChooser.ranked(
                catalog, frame.concepts, platform: parts[index].platform, offer: offer)
            guard let best = ranked.first else {
                unsupported.append(parts[index])
                continue
            }
            let rivals = ranked.dropFirst().filter { $0.score >= best.score - OperationChooser.ambiguityMargin }
            // Without targets the platform is unknown: ask for the targets first.
            if !rivals.isEmpty, !targets.isEmpty {
                let options = [best] + rivals
                let sameTool = options.allSatisfy { $0.operation.tool.id == best.operation.tool.id }
                let vague = frame.concepts.allSatisfy { $0.implied || $0.weight <= Lexicon.Strength.weak.rawValue }
                return ask(
                    ConductorQuestion(
                        field: sameTool || vague ? "action" : "tool",
                        text: "Which of these do you mean: \(options.map(\.operation.name).joined(separator: ", "))?",
                        choices: options.map(\.operation.reference)), &frame, matches)
            }
            parts[index].chosen = best
            parts[index].bound = ParameterBinder(operation: best.operation).bind(frame)
        }
        // A platform whose best operation explains much less of the request than another platform's does not
        // really have one ("which openssl version…" on a Windows member is not a service status).
        let bestExplained = parts.compactMap(\.chosen?.explained).max() ?? 0
        for index in parts.indices {
            guard let chosen = parts[index].chosen, chosen.explained < bestExplained - 0.25 else { continue }
            parts[index].chosen = nil
            parts[index].bound = nil
            unsupported.append(parts[index])
        }
        if unsupported.count == parts.count {
            let elsewhere = OperationChooser.ranked(catalog, frame.concepts, platform: nil, offer: offer)
            guard !elsewhere.isEmpty, !targets.isEmpty else {
                return (AnswerText.noOperation(frame.concepts, platforms: parts.compactMap(\.platform), matches), frame)
            }
        }
        if let part = unsupported.first, let os = part.platform {
            let able = OperationChooser.ranked(catalog, frame.concepts, platform: nil, offer: offer, limit: .max)
            let supported = Set(able.flatMap(\.operation.platforms)).subtracting(unsupported.compactMap(\.platform))
            return ask(
                ConductorQuestion(
                    field: "targets",
                    text:
                        "No catalog action does that on \(AnswerText.platformName(os)) targets (\(AnswerText.list(part.targets))). Which targets?",
                    choices: groups(on: supported)), &frame, matches)
        }
        // Parameters, then targets.
        var questions = [ConductorQuestion]()
        var refused = [RequestAnalysis.FreeValue]()
        for part in parts {
            guard let bound = part.bound, let chosen = part.chosen else { continue }
            refused += bound.refused
            for (spec, value, message) in bound.invalid {
                let shown = spec.secret ? "the value" : "'\(value.prefix(60))'"
                questions.append(
                    ConductorQuestion(
                        field: "parameters." + spec.name,
                        text:
                            "\(shown) is not a valid \(spec.name) for \(chosen.operation.reference): \(message). Which \(spec.name)?",
                        choices: spec.values))
            }
            if let extra = bound.extra {
                questions.append(
                    ConductorQuestion(
                        field: "parameters." + extra.spec.name,
                        text: "\(chosen.operation.reference) takes one \(extra.spec.name) at a time: which one?",
                        choices: extra.values))
            }
            for spec in bound.missing {
                questions.append(
                    ConductorQuestion(
                        field: "parameters." + spec.name, text: AnswerText.question(for: spec, chosen.operation),
                        choices: spec.values))
            }
        }
        frame.free.removeAll { refused.contains($0) }
        if let question = targetQuestion(frame.selection, targets) { questions = [question] }
        var unique = [ConductorQuestion]()
        for question in questions where !unique.contains(where: { $0.field == question.field }) {
            unique.append(question)
        }
        if !unique.isEmpty {
            frame.pendingField = unique[0].field
            let confidence = 0.5 + 0.3 * min(1, (parts.compactMap(\.chosen?.score).min() ?? 0) / 1.5)
            return (
                ConductorAnswer(
                    kind: .clarify, text: unique.map(\.text).joined(separator: " "), confidence: confidence,
                    questions: unique, explanation: matches + operationMatches(parts)), frame
            )
        }
        let plans = parts.compactMap { part -> ConductorPlan? in
            guard let chosen = part.chosen, let bound = part.bound else { return nil }
            let operation = chosen.operation
            return ConductorPlan(
                tool: operation.tool.id, action: operation.action?.id, workflow: operation.workflow?.id,
                parameters: bound.values, targets: part.targets.sorted(), destructive: operation.destructive,
                platform: part.platform)
        }
        frame.pendingField = nil
        let weakest = parts.compactMap(\.chosen?.score).min() ?? 0
        let uncertain = matches.contains { $0.score < 1 && $0.kind != "verb" }
        let confidence = min(0.99, 0.55 + 0.4 * min(1, weakest / 1.5) - (uncertain ? 0.05 : 0))
        return (
            ConductorAnswer(
                kind: .plan, text: AnswerText.describe(plans, catalog: catalog), confidence: confidence, plans: plans,
                explanation: matches + operationMatches(parts)), frame
        )
    }

    private func ask(_ question: ConductorQuestion, _ frame: inout PlanFrame, _ matches: [ConductorMatch])
        -> (ConductorAnswer, PlanFrame)
    {
        frame.pendingField = question.field
        return (
            ConductorAnswer(
                kind: .clarify, text: question.text, confidence: 0.4, questions: [question], explanation: matches),
            frame
        )
    }

    private func platform(of name: String) -> OSFamily? {
        inventory.target(exactly: name).map { inventory.inventory.targets[$0].os }
    }

    /// The question about targets, when they are missing, unknown or resolve to nothing.
    private func targetQuestion(_ selection: TargetSelection, _ targets: [String]) -> ConductorQuestion? {
        if !selection.unknown.isEmpty {
            let unknown = selection.unknown.joined(separator: ", ")
            return ConductorQuestion(
                field: "targets", text: "I don't know \(unknown) in the inventory. Which targets?",
                choices: similar(to: selection.unknown))
        }
        if selection.isEmpty {
            return ConductorQuestion(field: "targets", text: "On which targets?", choices: groups(on: nil))
        }
        if targets.isEmpty {
            return ConductorQuestion(
                field: "targets", text: "No target matches that selection. Which targets?", choices: groups(on: nil))
        }
        return nil
    }

    private func groups(on platforms: Set<OSFamily>?) -> [String] {
        inventory.groups.filter { entry in
            guard let platforms else { return true }
            return !entry.group.members.isEmpty
                && entry.group.members.allSatisfy { platform(of: $0).map(platforms.contains) ?? false }
        }.prefix(20).map(\.group.name)
    }

    /// Known names close to unknown ones (typos), then the groups.
    private func similar(to words: [String]) -> [String] {
        var result = [String]()
        for word in words {
            let key = RequestText.fold(word)
            let names = inventory.inventory.targets.lazy.map(\.name).filter { name in
                FuzzyMatch.distance(key, RequestText.fold(name), limit: 2) != nil
            }
            result += names.prefix(5)
        }
        return result + groups(on: nil).filter { !result.contains($0) }.prefix(10)
    }

    private func operationMatches(_ parts: [Part]) -> [ConductorMatch] {
        parts.compactMap { part in
            guard let chosen = part.chosen else { return nil }
            let words = chosen.operation.action == nil ? "workflow" : "action"
            return ConductorMatch(
                words: part.platform?.rawValue ?? "", kind: words, value: chosen.operation.reference,
                score: min(1, chosen.score / 1.5))
        }
    }
}
