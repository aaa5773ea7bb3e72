import Fluent

/// `user_settings`: small per-user choices the pages remember (issue 16.7: the dashboard's "Getting started"
/// dismissed), one row per user and key. String keys, so this never depends on model types that change later.
struct CreateUserSettings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("user_settings")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("key", .string, .required)
            .field("value", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "user_id", "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("user_settings").delete()
    }
}
