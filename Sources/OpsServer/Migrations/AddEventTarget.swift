import Fluent
import SQLKit

/// `run_events.target_index` (issue 16.1): which target an output or execution event is about, indexed with the
/// run and the sequence number, so the output a running step printed so far is one index range.
struct AddEventTarget: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("run_events").field("target_index", .int).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "run_events_target_seq").on("run_events").column("run_id").column("target_index")
            .column("seq").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "run_events_target_seq").run()
        try await database.schema("run_events").deleteField("target_index").update()
    }
}
