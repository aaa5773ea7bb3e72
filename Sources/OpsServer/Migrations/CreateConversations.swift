import Fluent
import SQLKit

/// Conductor's storage (issue 19, DESIGN.md §5): `conversations` (one chat, owned by one user, with the planner's
/// state between turns), `messages` (each turn, in order; the assistant's answer as JSON and the run it launched)
/// and `runs.conversation_id`, the link from a run launched from a chat back to it. String keys, so this never
/// depends on model types that change later.
struct CreateConversations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("conversations")
            .id()
            .field("owner_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("state", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("messages")
            .id()
            .field("conversation_id", .uuid, .required, .references("conversations", "id", onDelete: .cascade))
            .field("seq", .int, .required)
            .field("role", .string, .required)
            .field("text", .string, .required)
            .field("answer", .string)
            .field("run_id", .string)
            .field("created_at", .datetime, .required)
            // Two replies to one conversation at once (two processes, a double click) cannot both take a turn.
            .unique(on: "conversation_id", "seq")
            .create()
        try await database.schema("runs").field("conversation_id", .uuid).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "conversations_owner_updated").on("conversations").column("owner_id")
            .column("updated_at").run()
        try await sql.create(index: "runs_conversation").on("runs").column("conversation_id").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "runs_conversation").run()
            try await sql.drop(index: "conversations_owner_updated").run()
        }
        try await database.schema("runs").deleteField("conversation_id").update()
        try await database.schema("messages").delete()
        try await database.schema("conversations").delete()
    }
}
