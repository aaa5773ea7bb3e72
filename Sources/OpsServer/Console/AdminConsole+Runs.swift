import Foundation
import OpsCore
import OpsSSH
import Vapor

/// Runs from the command line: in this process, against the data directory's database, so they show
/// in the web UI's history like any other.
extension AdminConsole {
    var runService: RunService { RunService(database: app.db, services: app.services, logger: app.logger) }

    /// The catalog this process loaded.
    public var catalog: Catalog { app.services.catalog.catalog }

    /// Finishes runs whose process stopped before they ended; returns their ids.
    public func recoverOrphanedRuns() async throws -> [String] {
        try await runService.recoverOrphanedRuns()
    }

    public func dryRun(_ request: RunRequest) async throws -> DryRunReport {
        try await runService.dryRun(request, by: actor)
    }

    /// Starts a run; `observers` see every change as it happens (the terminal progress display).
    public func submitRun(_ request: RunRequest, observers: [any RunObserver]) async throws -> RunService.Submission {
        try await runService.submit(request, by: actor, source: "cli", observers: observers)
    }

    public func cancelRun(_ id: String) async throws -> RunDTO {
        let run = try await runService.cancel(id, by: actor)
        return try await runService.show(run.publicID)
    }

    public func listRuns(limit: Int, status: String?, tool: String?) async throws -> [RunDTO] {
        var filter = RunListFilter()
        filter.limit = max(1, min(limit, 500))
        filter.status = status
        filter.tool = tool
        return try await runService.page(filter).runs
    }

    public func showRun(_ id: String) async throws -> (RunDTO, [ExecutionDTO]) {
        (try await runService.show(id), try await runService.executions(id))
    }

    public func runEvents(_ id: String, after seq: Int) async throws -> [RunEventMessage] {
        try await runService.events(id, after: seq)
    }
}
