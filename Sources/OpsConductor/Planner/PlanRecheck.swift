import OpsCore

/// Checks shown plans again when no frame was stored with them: the operation still exists with the same
/// destructive flag, the parameters still pass the catalog's validator, and every target still exists on the
/// plan's platform. Without the words that chose the targets it cannot notice a group that gained a host;
/// the planner always stores a frame, so this only covers states written by other code.
struct PlanRecheck {
    let catalog: CatalogIndex
    let inventory: InventoryIndex

    func recheck(_ plans: [ConductorPlan]) -> ConductorAnswer {
        var problems = [String]()
        var current = [ConductorPlan]()
        for plan in plans {
            guard let operation = catalog.operations.first(where: { $0.reference == plan.reference }) else {
                problems.append("\(plan.reference) is no longer in the catalog")
                continue
            }
            if let error = operation.validate(plan.parameters) {
                problems.append("\(plan.reference): \(error.description)")
            }
            var updated = plan
            updated.destructive = operation.destructive
            updated.targets = plan.targets.filter { name in
                guard let index = inventory.target(named: RequestText.fold(name)) else { return false }
                return plan.platform == nil || inventory.inventory.targets[index].os == plan.platform
            }
            if updated.targets.isEmpty { problems.append("\(plan.reference): none of its targets is left") }
            current.append(updated)
        }
        if !problems.isEmpty {
            return ConductorAnswer(
                kind: .refuse, text: "The plan no longer holds: " + problems.joined(separator: "; ") + ". Ask again.",
                confidence: 0.9)
        }
        return ConductorAnswer(
            kind: .plan, text: AnswerText.describe(current, catalog: catalog), confidence: 0.9, plans: current)
    }
}
