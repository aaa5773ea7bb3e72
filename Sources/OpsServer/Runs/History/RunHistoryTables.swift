import Fluent
import Foundation
import OpsCore
import SQLKit

/// The tables that keep the history fast at any age (issue 17.2), next to `runs` and `executions`:
///
/// - `run_targets`: one row per target of a run, with the run's `created_at` and `public_id` copied, so a page of
///   one target's runs is one index range (`target_name, created_at, public_id`) instead of a scan of executions.
/// - `run_tool_hours`: per hour and tool, how many runs ended and how many of them succeeded, so the dashboard's
///   seven days are at most 168 rows per tool however many runs they held.
enum RunHistoryTables {
    static let runTargets = "run_targets"
    static let toolHours = "run_tool_hours"

    /// Notes the targets of a new run.
    static func addTargets(_ names: [String], of run: Run, on database: any Database) async throws {
        try await addTargets([(run, names)], on: database)
    }

    /// Notes the targets of new runs, a few hundred rows per statement.
    static func addTargets(_ runs: [(run: Run, names: [String])], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        var rows = [(UUID, String, Date, String)]()
        for (run, names) in runs {
            guard let runID = run.id, let createdAt = run.createdAt else { continue }
            var seen = Set<String>()
            for name in names where seen.insert(name).inserted { rows.append((runID, name, createdAt, run.publicID)) }
        }
        for chunk in stride(from: 0, to: rows.count, by: 300) {
            let insert = sql.insert(into: runTargets).columns("run_id", "target_name", "created_at", "public_id")
            for (runID, name, createdAt, publicID) in rows[chunk..<min(chunk + 300, rows.count)] {
                insert.values(SQLBind(runID), SQLBind(name), SQLBind(createdAt), SQLBind(publicID))
            }
            try await insert.run()
        }
    }

    /// Counts a run that ended with `status` at `at`.
    static func countEnded(tool: String, status: RunStatus, at: Date, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, status.isTerminal else { return }
        let succeeded = status == .succeeded ? 1 : 0
        try await sql.insert(into: toolHours).columns("hour", "tool", "succeeded", "ended")
            .values(SQLBind(hour(of: at)), SQLBind(tool), SQLBind(succeeded), SQLBind(1))
            .onConflict(with: ["hour", "tool"]) { update in
                update.set(SQLColumn("succeeded"), to: SQLRaw("\(toolHours).succeeded + \(succeeded)"))
                    .set(SQLColumn("ended"), to: SQLRaw("\(toolHours).ended + 1"))
            }
            .run()
    }

    /// Per tool, the runs that ended since `since` (to the hour) and how many of them succeeded.
    static func endedByTool(since: Date, on database: any Database) async throws -> [(
        tool: String, succeeded: Int, ended: Int
    )] {
        guard let sql = database as? any SQLDatabase else { return [] }
        struct Row: Decodable {
            var tool: String
            var succeeded: Int
            var ended: Int
        }
        let rows = try await sql.raw(
            """
            SELECT tool, CAST(SUM(succeeded) AS BIGINT) AS succeeded, CAST(SUM(ended) AS BIGINT) AS ended
            FROM \(unsafeRaw: toolHours) WHERE hour >= \(bind: hour(of: since)) GROUP BY tool ORDER BY tool
            """
        ).all(decoding: Row.self)
        return rows.map { ($0.tool, $0.succeeded, $0.ended) }
    }

    /// Hours since 1970.
    static func hour(of date: Date) -> Int { Int((date.timeIntervalSince1970 / 3600).rounded(.down)) }
}
