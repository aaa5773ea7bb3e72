import Fluent
import SQLKit

/// Creates `login_attempts`, the login throttle's own record of password checks.
struct CreateLoginAttempts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("login_attempts")
            .field("id", .int, .identifier(auto: true))
            .field("username", .string, .required)
            .field("address", .string, .required)
            .field("created_at", .datetime, .required)
            .field("not_before", .datetime, .required)
            .field("outcome", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "login_attempts_username_created").on("login_attempts").column("username")
            .column("created_at").run()
        try await sql.create(index: "login_attempts_address_created").on("login_attempts").column("address")
            .column("created_at").run()
        try await sql.create(index: "login_attempts_created").on("login_attempts").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("login_attempts").delete()
    }
}
