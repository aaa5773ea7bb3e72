import Fluent
import Foundation
import OpsCore

extension RunService {
    /// The newest runs first, with their counts.
    public func list(limit: Int = 50, offset: Int = 0, status: String? = nil, tool: String? = nil) async throws
        -> [RunDTO]
    {
        let query = Run.query(on: database).sort(\.$createdAt, .descending).range(
            offset..<(offset + max(1, min(limit, 500))))
        if let status { query.filter(\.$status == status) }
        if let tool { query.filter(\.$tool == tool) }
        let runs = try await query.all()
        let counts = try await self.counts(runs.compactMap(\.id))
        return runs.map { RunDTO($0, counts: counts[$0.id ?? UUID()] ?? ExecutionCounts()) }
    }

    public func find(_ publicID: String) async throws -> Run {
        guard let run = try await Run.query(on: database).filter(\.$publicID == publicID).first() else {
            throw RunError.notFound(publicID)
        }
        return run
    }

    public func show(_ publicID: String) async throws -> RunDTO {
        let run = try await find(publicID)
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
        let run = try await find(publicID)
        return try await RunEvent.query(on: database).filter(\.$run.$id == run.requireID()).filter(\.$seq > seq)
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
