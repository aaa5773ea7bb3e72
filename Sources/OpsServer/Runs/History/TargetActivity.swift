import Fluent
import Foundation
import OpsCore
import SQLKit

/// What the target pages show of the history: each target's last run and a target's recent runs, each with
/// how that target fared in it (its own outcome, not the run's: a partly failed run may have gone well here).
/// The runs come from `run_targets`' index (`target_name, created_at, public_id`), one lookup per target.
struct TargetActivity: Sendable {
    /// One run as seen from one target.
    struct RunOnTarget: Sendable, Equatable {
        var runID: String
        var reference: String
        var runStatus: String
        /// The target's outcome in the run (pending, running, succeeded, failed, …).
        var outcome: String
        /// The step (0-based) the target stopped at, when it failed, timed out, was interrupted or cancelled there
        /// in a run of more than one step.
        var stoppedAtStep: Int?
        var requestedBy: String
        var createdAt: Date?
    }

    let database: any Database

    /// The newest run of each of `names` that ever ran, by target name.
    func lastRuns(_ names: [String]) async throws -> [String: RunOnTarget] {
        guard let sql = database as? any SQLDatabase, !names.isEmpty else { return [:] }
        var pairs = [(target: String, run: UUID)]()
        for start in stride(from: 0, to: names.count, by: 500) {
            let chunk = Array(names[start..<min(start + 500, names.count)])
            let query: SQLQueryString = """
                SELECT t.name AS target, (SELECT rt.run_id FROM \(ident: RunHistoryTables.runTargets) rt \
                WHERE rt.target_name = t.name ORDER BY rt.created_at DESC, rt.public_id DESC LIMIT 1) AS run_id \
                FROM targets t WHERE t.name IN (\(binds: chunk))
                """
            for row in try await sql.raw(query).all() {
                guard let run = try row.decode(column: "run_id", as: UUID?.self) else { continue }
                pairs.append((try row.decode(column: "target", as: String.self), run))
            }
        }
        let runs = try await outcomes(pairs)
        var result = [String: RunOnTarget]()
        for (pair, run) in zip(pairs, runs) { if let run { result[pair.target] = run } }
        return result
    }

    /// The newest runs that included `name`, newest first, at most `limit`.
    func recentRuns(_ name: String, limit: Int) async throws -> [RunOnTarget] {
        guard let sql = database as? any SQLDatabase else { return [] }
        let query: SQLQueryString = """
            SELECT run_id FROM \(ident: RunHistoryTables.runTargets) WHERE target_name = \(bind: name) \
            ORDER BY created_at DESC, public_id DESC LIMIT \(literal: limit)
            """
        let ids = try await sql.raw(query).all().map { try $0.decode(column: "run_id", as: UUID.self) }
        return try await outcomes(ids.map { (target: name, run: $0) }).compactMap { $0 }
    }

    /// Each pair's run with the target's outcome in it, in the pairs' order (nil for a run gone meanwhile).
    private func outcomes(_ pairs: [(target: String, run: UUID)]) async throws -> [RunOnTarget?] {
        let runIDs = Array(Set(pairs.map(\.run)))
        let targetNames = Array(Set(pairs.map(\.target)))
        var runs = [UUID: Run]()
        var cells = [UUID: [String: [(step: Int, status: String)]]]()
        for start in stride(from: 0, to: runIDs.count, by: 200) {
            let chunk = Array(runIDs[start..<min(start + 200, runIDs.count)])
            for run in try await Run.query(on: database).filter(\.$id ~~ chunk).all() {
                if let id = run.id { runs[id] = run }
            }
            for execution in try await Execution.query(on: database).filter(\.$run.$id ~~ chunk)
                .filter(\.$targetName ~~ targetNames)
                .field(\.$run.$id).field(\.$targetName).field(\.$stepIndex).field(\.$status).all()
            {
                cells[execution.$run.id, default: [:]][execution.targetName, default: []].append(
                    (execution.stepIndex, execution.status))
            }
        }
        return pairs.map { pair in
            guard let run = runs[pair.run] else { return nil }
            let mine = cells[pair.run]?[pair.target] ?? []
            let steps = max(StoredStep.decode(run.stepsJSON).count, (mine.map(\.step).max() ?? -1) + 1)
            let outcome = Self.outcome(steps: steps, mine)
            return RunOnTarget(
                runID: run.publicID, reference: "\(run.tool).\(run.action ?? run.workflow ?? "")",
                runStatus: run.status, outcome: outcome.status.rawValue, stoppedAtStep: steps > 1 ? outcome.step : nil,
                requestedBy: run.requestedBy, createdAt: run.createdAt)
        }
    }

    /// A target's outcome from its executions of a run with `steps` planned steps (a step with no execution on
    /// record counts as pending; an unknown status too).
    static func outcome(steps: Int, _ cells: [(step: Int, status: String)]) -> TargetOutcome {
        let count = max(steps, (cells.map(\.step).max() ?? -1) + 1)
        var statuses = [ExecutionStatus](repeating: .pending, count: count)
        for cell in cells where cell.step >= 0 && cell.step < count {
            statuses[cell.step] = ExecutionStatus(rawValue: cell.status) ?? .pending
        }
        return TargetOutcome(steps: statuses)
    }
}
