import Fluent
import Foundation

/// Which of a run's events a subscriber wants: every status event, and the output of every target
/// or of one (`?output=NAME`), so a page following one target's log is not sent a thousand others'.
struct RunEventFilter: Sendable {
    /// The `target_index` whose output is kept; nil keeps all output.
    var outputTarget: Int?

    static let everything = RunEventFilter(outputTarget: nil)

    /// Resolves `?output=NAME` against the run's targets; an unknown name is refused naming the field.
    static func resolve(_ name: String?, run: Run, service: RunService) async throws -> RunEventFilter {
        guard let name, !name.isEmpty else { return .everything }
        guard let index = try await service.targetIndex(run, target: name) else {
            throw RunError.invalid(field: "output", message: "run \(run.publicID) has no target '\(name.prefix(100))'")
        }
        return RunEventFilter(outputTarget: index)
    }

    func keeps(_ event: RunEventMessage) -> Bool {
        guard let outputTarget, event.kind == "output" else { return true }
        let facts = event.facts ?? OutputCoalescer.facts(of: event)
        return facts?.targetIndex == outputTarget
    }

    func apply(_ batch: [RunEventMessage]) -> [RunEventMessage] {
        outputTarget == nil ? batch : batch.filter(keeps)
    }
}

extension RunService {
    /// The position of a target in a run (its `target_index`), nil when the run has no such target.
    func targetIndex(_ run: Run, target: String) async throws -> Int? {
        try await Execution.query(on: database).filter(\.$run.$id == run.requireID())
            .filter(\.$targetName == target).first()?.targetIndex
    }
}
