import Fluent
import SQLKit

/// Saved jobs (issue 16.3, DESIGN.md §5) and where a run came from: `jobs`, and on `runs` the job that launched a run
/// (its id, with the name and version it had then), the run it reruns, and the targets, groups and selector it was
/// asked for. A job keeps its id when renamed, so schedules and notifications can reference `jobs.id`; runs keep the
/// job's name after it is deleted, so `runs.job_id` is not a foreign key. String keys, so this never depends on model
/// types that change later.
struct CreateJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("jobs")
            .id()
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("tool", .string, .required)
            .field("action", .string)
            .field("workflow", .string)
            .field("parameters", .string, .required)
            .field("secret_key_id", .string)
            .field("secret_nonce", .data)
            .field("secret_ciphertext", .data)
            .field("targets", .string, .required)
            .field("groups", .string, .required)
            .field("selector", .string)
            .field("max_concurrency", .string)
            .field("max_errors", .string)
            .field("overridable", .string, .required)
            .field("owner", .string, .required)
            .field("created_by", .string, .required)
            .field("updated_by", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "name")
            .create()
        // One column a statement: SQLite adds one column per ALTER TABLE.
        try await database.schema("runs").field("job_id", .uuid).update()
        try await database.schema("runs").field("job_name", .string).update()
        try await database.schema("runs").field("job_version", .int).update()
        try await database.schema("runs").field("rerun_of", .string).update()
        try await database.schema("runs").field("selection", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "jobs_owner").on("jobs").column("owner").run()
        try await sql.create(index: "runs_job_created").on("runs").column("job_id").column("created_at").run()
        try await sql.create(index: "runs_rerun_of").on("runs").column("rerun_of").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            for index in ["runs_rerun_of", "runs_job_created", "jobs_owner"] { try await sql.drop(index: index).run() }
        }
        for field in ["selection", "rerun_of", "job_version", "job_name", "job_id"] {
            try await database.schema("runs").deleteField(.string(field)).update()
        }
        try await database.schema("jobs").delete()
    }
}
