import Fluent

/// Creates `sessions`, the server-side browser sessions.
struct CreateSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sessions")
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime)
            .field("last_seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("source_address", .string)
            .field("user_agent", .string)
            .field("flash", .string)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sessions").delete()
    }
}
