import Fluent
import Foundation
import Logging
import OpsCore
import SQLKit

/// Applies the ``RetentionPolicy`` (issue 17.2): the output and events of runs that ended more than
/// `outputDays` ago, then runs that ended more than `runsDays` ago, go in small transactions with a pause between
/// them, so a live run's recorder never waits long for the database. Runs that have not ended are never touched;
/// the audit log never. What is pruned is counted in the log and the audit log.
struct RunRetention {
    struct Report: Sendable, Equatable {
        /// Runs whose output and events were removed.
        var prunedOutput = 0
        /// Runs deleted with their executions.
        var deletedRuns = 0
        /// Event rows deleted (those of pruned and of deleted runs).
        var deletedEvents = 0

        var isEmpty: Bool { prunedOutput == 0 && deletedRuns == 0 }
    }

    let database: any Database
    let policy: RetentionPolicy
    let logger: Logger

    /// Prunes what is due at `now`; returns what went.
    func apply(now: Date) async throws -> Report {
        var report = Report()
        if let days = policy.runsDays {
            let cutoff = now.addingTimeInterval(-Double(days) * 86400)
            while let batch = try await nextBatch(endedBefore: cutoff, outputKept: false) {
                report.deletedEvents += try await deleteRuns(batch)
                report.deletedRuns += batch.count
                try await Task.sleep(for: policy.pause)
            }
        }
        if let days = policy.outputDays {
            let cutoff = now.addingTimeInterval(-Double(days) * 86400)
            while let batch = try await nextBatch(endedBefore: cutoff, outputKept: true) {
                report.deletedEvents += try await pruneOutput(batch, at: now)
                report.prunedOutput += batch.count
                try await Task.sleep(for: policy.pause)
            }
        }
        if !report.isEmpty {
            logger.notice(
                "retention policy applied",
                metadata: [
                    "runs.output_pruned": .stringConvertible(report.prunedOutput),
                    "runs.deleted": .stringConvertible(report.deletedRuns),
                    "events.deleted": .stringConvertible(report.deletedEvents),
                ])
            try await AuditLog(database: database, now: { now }, logger: logger).record(
                "runs.retention", actor: nil, object: nil,
                details: [
                    "output_pruned": String(report.prunedOutput), "runs_deleted": String(report.deletedRuns),
                    "output_days": policy.outputDays.map(String.init) ?? "keep",
                    "runs_days": policy.runsDays.map(String.init) ?? "keep",
                ], source: .system)
        }
        return report
    }

    /// The oldest runs that ended before `cutoff` (with their output still there, when `outputKept`), as many as
    /// make at most ``RetentionPolicy/executionsPerBatch`` executions (at least one run); nil when none is left.
    private func nextBatch(endedBefore cutoff: Date, outputKept: Bool) async throws -> [UUID]? {
        let query = Run.query(on: database).filter(\.$finishedAt < cutoff)
        if outputKept { query.filter(\.$outputPrunedAt == nil) }
        let candidates = try await query.sort(\.$finishedAt).field(\.$id).field(\.$targetCount).field(\.$stepsJSON)
            .limit(200).all()
        var batch = [UUID]()
        var executions = 0
        for run in candidates {
            guard let id = run.id else { continue }
            let size = run.targetCount * max(1, StoredStep.decode(run.stepsJSON).count)
            if !batch.isEmpty && executions + size > policy.executionsPerBatch { break }
            batch.append(id)
            executions += size
        }
        return batch.isEmpty ? nil : batch
    }

    /// Empties the runs' stdout and stderr and deletes their events but `run.finished` (a client following such a
    /// run still gets its end). Returns the events deleted.
    private func pruneOutput(_ ids: [UUID], at now: Date) async throws -> Int {
        try await database.retryingTransaction { database in
            let events = try await RunEvent.query(on: database).filter(\.$run.$id ~~ ids)
                .filter(\.$kind != "run.finished").count()
            try await RunEvent.query(on: database).filter(\.$run.$id ~~ ids).filter(\.$kind != "run.finished")
                .delete()
            try await Execution.query(on: database).filter(\.$run.$id ~~ ids)
                .set(\.$stdout, to: "").set(\.$stderr, to: "").update()
            try await Run.query(on: database).filter(\.$id ~~ ids).set(\.$outputPrunedAt, to: now).update()
            return events
        }
    }

    /// Deletes the runs with everything that hangs off them. Returns the events deleted.
    private func deleteRuns(_ ids: [UUID]) async throws -> Int {
        try await database.retryingTransaction { database in
            let events = try await RunEvent.query(on: database).filter(\.$run.$id ~~ ids).count()
            try await RunEvent.query(on: database).filter(\.$run.$id ~~ ids).delete()
            try await Execution.query(on: database).filter(\.$run.$id ~~ ids).delete()
            if let sql = database as? any SQLDatabase {
                try await sql.delete(from: RunHistoryTables.runTargets).where(
                    "run_id", .in, SQLBind.group(ids as [any Encodable & Sendable])
                ).run()
            }
            try await Run.query(on: database).filter(\.$id ~~ ids).delete()
            return events
        }
    }
}
