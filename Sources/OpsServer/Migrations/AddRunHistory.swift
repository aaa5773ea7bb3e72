import Fluent
import Foundation
import OpsCore
import SQLKit

/// What keeps the history fast at any age (issue 17.2): the run's progress kept on its row, `run_targets` and
/// `run_tool_hours` (``RunHistoryTables``), an index for every filter of the runs list and its cursor, and the
/// retention policy's mark. Existing runs get their rows: targets copied from executions, progress counted once,
/// the last eight days' ended runs counted for the dashboard.
struct AddRunHistory: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema("runs").field("progress", .string).update()
        try await database.schema("runs").field("output_pruned_at", .datetime).update()
        try await database.schema(RunHistoryTables.runTargets)
            .field("run_id", .uuid, .required, .references("runs", "id", onDelete: .cascade))
            .field("target_name", .string, .required)
            .field("created_at", .datetime, .required)
            .field("public_id", .string, .required)
            .unique(on: "run_id", "target_name")
            .create()
        try await database.schema(RunHistoryTables.toolHours)
            .field("hour", .int64, .required)
            .field("tool", .string, .required)
            .field("succeeded", .int64, .required)
            .field("ended", .int64, .required)
            .unique(on: "hour", "tool")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        let indexes: [(String, String, [String])] = [
            ("runs_created", "runs", ["created_at", "public_id"]),
            ("runs_status_created", "runs", ["status", "created_at", "public_id"]),
            ("runs_tool_created", "runs", ["tool", "created_at", "public_id"]),
            ("runs_user_created", "runs", ["requested_by", "created_at", "public_id"]),
            ("runs_finished", "runs", ["finished_at"]),
            ("run_targets_target_created", RunHistoryTables.runTargets, ["target_name", "created_at", "public_id"]),
            ("executions_target", "executions", ["target_name"]),
        ]
        for (name, table, columns) in indexes {
            let index = sql.create(index: name).on(table)
            for column in columns { index.column(column) }
            try await index.run()
        }
        try await Self.fill(on: database)
    }

    /// Gives runs stored before this migration their rows: `run_targets` from their executions, their progress,
    /// and the dashboard's count of runs that ended in the last eight days.
    static func fill(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw(
            """
            INSERT INTO run_targets (run_id, target_name, created_at, public_id)
            SELECT DISTINCT e.run_id, e.target_name, r.created_at, r.public_id
            FROM executions e JOIN runs r ON r.id = e.run_id WHERE r.created_at IS NOT NULL
            """
        ).run()
        try await countProgress(on: database)
    }

    /// Counts the progress of every run that has none yet, 200 runs at a time, and the dashboard's last days.
    private static func countProgress(on database: any Database) async throws {
        let recent = Date().addingTimeInterval(-8 * 86400)
        while true {
            let runs = try await Run.query(on: database).filter(\.$progressText == nil).limit(200).all()
            guard !runs.isEmpty else { return }
            let ids = runs.compactMap(\.id)
            let rows = try await Execution.query(on: database).filter(\.$run.$id ~~ ids)
                .field(\.$run.$id).field(\.$targetIndex).field(\.$stepIndex).field(\.$status).all()
            let byRun = Dictionary(grouping: rows, by: \.$run.id)
            for run in runs {
                let cells = (byRun[run.id ?? UUID()] ?? []).map {
                    (target: $0.targetIndex, step: $0.stepIndex, status: $0.status)
                }
                try await Run.query(on: database).filter(\.$id == run.requireID())
                    .set(\.$progressText, to: StoredProgress.text(RunService.progress(of: run, cells))).update()
                if let status = RunStatus(rawValue: run.status), status.isTerminal, let finished = run.finishedAt,
                    finished > recent
                {
                    try await RunHistoryTables.countEnded(tool: run.tool, status: status, at: finished, on: database)
                }
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RunHistoryTables.toolHours).delete()
        try await database.schema(RunHistoryTables.runTargets).delete()
        try await database.schema("runs").deleteField("output_pruned_at").update()
        try await database.schema("runs").deleteField("progress").update()
    }
}
