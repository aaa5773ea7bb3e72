import Fluent

/// `target_checks`: the last connection test of each target (issue 16.7), one row per target, replaced by the
/// next test and gone with the target. String keys, so this never depends on model types that change later.
struct CreateTargetChecks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("target_checks")
            .id()
            .field("target_id", .uuid, .required, .references("targets", "id", onDelete: .cascade))
            .field("checked_at", .datetime, .required)
            .field("ok", .bool, .required)
            .field("failed_stage", .string)
            .field("message", .string, .required)
            .field("checked_by", .string)
            .unique(on: "target_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("target_checks").delete()
    }
}
