import Foundation
import OpsCore

/// The history's upkeep from the command line: the retention policy applied once, and the benchmark's seed.
extension AdminConsole {
    /// What ``pruneHistory(_:)`` removed.
    public struct PruneReport: Sendable {
        public var prunedOutput: Int
        public var deletedRuns: Int
        public var deletedEvents: Int
    }

    /// Applies `policy` now (as `serve` does every hour).
    public func pruneHistory(_ policy: RetentionPolicy) async throws -> PruneReport {
        let report = try await RunRetention(database: app.db, policy: policy, logger: app.logger)
            .apply(now: app.services.clock.now())
        return PruneReport(
            prunedOutput: report.prunedOutput, deletedRuns: report.deletedRuns, deletedEvents: report.deletedEvents)
    }

    /// Adds `seeder`'s generated history, ending now.
    public func seedHistory(_ seeder: HistorySeeder, progress: @Sendable (Int) -> Void) async throws
        -> HistorySeeder.Summary
    {
        try await seeder.seed(into: app.db, now: app.services.clock.now(), progress: progress)
    }
}
