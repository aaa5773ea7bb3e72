import Fluent
import Foundation
import OpsCore

extension RunService {
    public func find(_ publicID: String) async throws -> Run {
        guard let run = try await Run.query(on: database).filter(\.$publicID == publicID).first() else {
            throw RunError.notFound(publicID)
        }
        return run
    }

    public func show(_ publicID: String) async throws -> RunDTO {
        try await show(try await find(publicID))
    }

    func show(_ run: Run) async throws -> RunDTO {
        let counts = try await self.counts([try run.requireID()])
        return RunDTO(run, counts: counts[try run.requireID()] ?? ExecutionCounts())
    }

    public func executions(_ publicID: String) async throws -> [ExecutionDTO] {
        let run = try await find(publicID)
        return try await Execution.query(on: database).filter(\.$run.$id == run.requireID())
            .sort(\.$targetIndex).sort(\.$stepIndex).all().map(ExecutionDTO.init)
    }

    /// Events after `seq`, oldest first (replay for a reconnecting client, or `runs show --follow`).
    public func events(_ publicID: String, after seq: Int, limit: Int = 1000) async throws -> [RunEventMessage] {
        try await events(runID: try await find(publicID).requireID(), after: seq, limit: limit)
    }

    func events(runID: UUID, after seq: Int, limit: Int = 1000) async throws -> [RunEventMessage] {
        try await RunEvent.query(on: database).filter(\.$run.$id == runID).filter(\.$seq > seq)
            .sort(\.$seq).limit(limit).all().map { RunEventMessage(seq: $0.seq, kind: $0.kind, data: $0.payload) }
    }

    /// Execution counts per run, in one query.
    func counts(_ runIDs: [UUID]) async throws -> [UUID: ExecutionCounts] {
        guard !runIDs.isEmpty else { return [:] }
        var result = [UUID: ExecutionCounts]()
        let rows = try await Execution.query(on: database).filter(\.$run.$id ~~ runIDs)
            .field(\.$run.$id).field(\.$status).all()
        for row in rows {
            guard let status = ExecutionStatus(rawValue: row.status) else { continue }
            result[row.$run.id, default: ExecutionCounts()][status] += 1
        }
        return result
    }

    /// Finishes runs orphaned by a process that stopped; called at start and now and then.
    @discardableResult
    public func recoverOrphanedRuns() async throws -> [String] {
        try await RunRecovery(database: database, services: services, logger: logger).recover()
    }
}
