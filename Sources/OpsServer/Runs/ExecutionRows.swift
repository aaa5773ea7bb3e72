import Fluent
import Foundation
import SQLKit

/// Executions read with SQL and filled in column by column: Fluent's model decoding reflects over every property of
/// every row, which cost a run on 200 targets more CPU to report than to record (issue 14's benchmark).
enum ExecutionRows {
    static let columns = [
        "id", "run_id", "target_index", "target_id", "target_name", "target_address", "step_index", "step_action",
        "status", "exit_code", "exit_signal", "stdout", "stderr", "truncated", "error", "rollback_status",
        "ssm_command_id", "attempt", "lease_owner", "lease_expires_at", "started_at", "finished_at",
    ]

    /// The executions of `runID` (of one target when `target` is given), by target then step.
    static func of(run runID: UUID, target: String? = nil, on database: any Database) async throws -> [Execution] {
        guard let sql = database as? any SQLDatabase else {
            throw RunError.invalid(field: "database", message: "the database does not speak SQL")
        }
        var query: SQLQueryString =
            "SELECT \(unsafeRaw: columns.joined(separator: ", ")) FROM executions WHERE run_id = \(bind: runID)"
        if let target { query += " AND target_name = \(bind: target)" }
        query += " ORDER BY target_index, step_index"
        return try await sql.raw(query).all().map(execution(from:))
    }

    static func execution(from row: any SQLRow) throws -> Execution {
        let execution = Execution()
        execution.id = try row.decode(column: "id", as: UUID.self)
        execution.$run.id = try row.decode(column: "run_id", as: UUID.self)
        execution.targetIndex = try row.decode(column: "target_index", as: Int.self)
        execution.targetID = try row.decode(column: "target_id", as: UUID?.self)
        execution.targetName = try row.decode(column: "target_name", as: String.self)
        execution.targetAddress = try row.decode(column: "target_address", as: String.self)
        execution.stepIndex = try row.decode(column: "step_index", as: Int.self)
        execution.stepAction = try row.decode(column: "step_action", as: String.self)
        execution.status = try row.decode(column: "status", as: String.self)
        execution.exitCode = try row.decode(column: "exit_code", as: Int?.self)
        execution.exitSignal = try row.decode(column: "exit_signal", as: String?.self)
        execution.stdout = try row.decode(column: "stdout", as: String.self)
        execution.stderr = try row.decode(column: "stderr", as: String.self)
        execution.truncated = try row.decode(column: "truncated", as: Bool.self)
        execution.error = try row.decode(column: "error", as: String?.self)
        execution.rollbackStatus = try row.decode(column: "rollback_status", as: String?.self)
        execution.ssmCommandID = try row.decode(column: "ssm_command_id", as: String?.self)
        execution.attempt = try row.decode(column: "attempt", as: Int.self)
        execution.leaseOwner = try row.decode(column: "lease_owner", as: String?.self)
        execution.leaseExpiresAt = try row.decode(column: "lease_expires_at", as: Date?.self)
        execution.startedAt = try row.decode(column: "started_at", as: Date?.self)
        execution.finishedAt = try row.decode(column: "finished_at", as: Date?.self)
        return execution
    }
}
