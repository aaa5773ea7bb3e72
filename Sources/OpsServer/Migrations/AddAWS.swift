import Fluent
import SQLKit

/// AWS (DESIGN.md §7): the accounts PCM-Ops assumes a role in, where an EC2 target lives, and the keys a
/// browser session entered on `/aws` (sealed in the vault, gone with the session).
struct AddAWS: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("aws_accounts")
            .id()
            .field("environment", .string, .required)
            .field("account_id", .string, .required)
            .field("name", .string, .required)
            .field("role_name", .string)
            .field("created_at", .datetime)
            .unique(on: "environment", "account_id")
            .create()
        // One column a statement: SQLite adds one column per ALTER TABLE.
        for field in ["aws_environment", "aws_account", "aws_region", "instance_id"] {
            try await database.schema("targets").field(.string(field), .string).update()
        }
        try await database.schema("sessions").field("aws_keys", .data).update()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE UNIQUE INDEX IF NOT EXISTS targets_instance_id ON targets (instance_id)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("aws_accounts").delete()
    }
}
