import Fluent
import Foundation
import OpsCore

/// Where runs come from (issue 16.3): the job that launched a run, the run it reruns, and the targets it was asked
/// for. Kept in ``RunOrigin`` columns of `runs`, read in one query per page of runs.
extension RunService {
    /// Refuses a `rerun_of` that names no run.
    func checkOrigin(_ request: RunRequest) async throws {
        guard let origin = request.rerunOf else { return }
        guard try await Run.query(on: database).filter(\.$publicID == origin).count() > 0 else {
            throw RunError.unknown(field: "rerun_of", message: "no run '\(origin)'")
        }
    }

    /// Writes the run's origin with the run (inside its transaction).
    static func recordOrigin(of request: RunRequest, runID: UUID, on database: any Database) async throws {
        let selection = RunSelection(
            targets: request.targets, groups: request.groups,
            selector: request.selector.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 })
        try await RunOrigin.query(on: database).filter(\.$id == runID)
            .set(\.$jobID, to: request.job?.id).set(\.$jobName, to: request.job?.name)
            .set(\.$jobVersion, to: request.job?.version).set(\.$rerunOf, to: request.rerunOf)
            .set(\.$selectionJSON, to: selection.json).update()
    }

    /// `runs` with their job and `rerun_of` filled in (in the order given).
    func withOrigins(_ runs: [RunDTO], ids: [UUID]) async throws -> [RunDTO] {
        guard !ids.isEmpty else { return runs }
        let rows = try await RunOrigin.query(on: database).filter(\.$id ~~ ids)
            .group(.or) { $0.filter(\.$jobName != nil).filter(\.$rerunOf != nil) }
            .field(\.$id).field(\.$jobName).field(\.$jobVersion).field(\.$rerunOf).all()
        let byID = Dictionary(rows.compactMap { row in row.id.map { ($0, row) } }) { first, _ in first }
        return zip(runs, ids).map { run, id in
            var run = run
            if let origin = byID[id] {
                run.job = origin.jobName
                run.jobVersion = origin.jobVersion
                run.rerunOf = origin.rerunOf
            }
            return run
        }
    }

    /// One run with its origin filled in.
    func withOrigin(_ run: RunDTO, id: UUID) async throws -> RunDTO {
        try await withOrigins([run], ids: [id]).first ?? run
    }

    /// The origin row of a run.
    func origin(of run: Run) async throws -> RunOrigin? {
        try await RunOrigin.query(on: database).filter(\.$id == run.requireID())
            .field(\.$id).field(\.$jobID).field(\.$jobName).field(\.$jobVersion).field(\.$rerunOf).field(
                \.$selectionJSON
            )
            .first()
    }

    /// The name the job that launched `run` has now: nil when no job did, or it was deleted.
    func currentJobName(of run: Run) async throws -> String? {
        guard let jobID = try await origin(of: run)?.jobID else { return nil }
        return try await Job.find(jobID, on: database)?.name
    }

    /// The ids of the runs started again from `publicID`, oldest first.
    func reruns(of publicID: String) async throws -> [String] {
        try await RunOrigin.query(on: database).filter(\.$rerunOf == publicID).sort(\.$createdAt)
            .field(\.$id).field(\.$publicID).field(\.$createdAt).limit(100).all().compactMap(\.publicID)
    }

    /// The newest runs a job launched, newest first.
    func runs(ofJob jobID: UUID, limit: Int) async throws -> [RunDTO] {
        let ids = try await RunOrigin.query(on: database).filter(\.$jobID == jobID).sort(\.$createdAt, .descending)
            .field(\.$id).field(\.$createdAt).limit(limit).all().compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let runs = try await Run.query(on: database).filter(\.$id ~~ ids).all()
        let progress = try await storedProgress(runs)
        let byID = Dictionary(runs.compactMap { run in run.id.map { ($0, run) } }) { first, _ in first }
        let ordered = ids.compactMap { byID[$0] }
        return try await withOrigins(
            ordered.map { RunDTO($0, progress: progress[$0.id ?? UUID()] ?? RunProgress(stepCount: 0)) },
            ids: ordered.compactMap(\.id))
    }
}
