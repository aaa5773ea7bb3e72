import Fluent
import SQLKit

/// Creates `audit_log` with the indexes the log page and the login throttle query by.
struct CreateAuditLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_log")
            .field("id", .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("actor", .string)
            .field("action", .string, .required)
            .field("object", .string)
            .field("details", .string)
            .field("source_address", .string)
            .field("source", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "audit_log_action_created").on("audit_log").column("action").column("created_at")
            .run()
        try await sql.create(index: "audit_log_actor_created").on("audit_log").column("actor").column("created_at")
            .run()
        try await sql.create(index: "audit_log_created").on("audit_log").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_log").delete()
    }
}
