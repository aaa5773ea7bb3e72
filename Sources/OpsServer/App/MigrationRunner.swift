import FluentKit
import Vapor

/// Runs the pending migrations with one log line for the lot.
///
/// Fluent's `autoMigrate()` logs "Starting prepare" and "Finished prepare" at info for every migration, which
/// made 16 lines on a fresh start. Here those go to debug, and the start logs one info line naming the
/// migrations that ran, only when some did.
enum MigrationRunner {
    /// Prepares every migration not yet applied; returns their names, in order.
    static func run(_ app: Application) async throws -> [String] {
        let migrator = Migrator(
            databases: app.databases, migrations: app.migrations, logger: app.logger, on: app.eventLoopGroup.any(),
            migrationLogLevel: .debug)
        try await migrator.setupIfNeeded().get()
        let pending = try await migrator.previewPrepareBatch().get().map(\.0.name)
        guard !pending.isEmpty else { return [] }
        try await migrator.prepareBatch().get()
        app.logger.info(
            "ran \(pending.count) database migration\(pending.count == 1 ? "" : "s")",
            metadata: ["migrations": .string(pending.joined(separator: ", "))])
        return pending
    }
}
