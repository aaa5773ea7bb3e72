import Foundation
import OpsCore

/// Saved jobs from the command line (`pcm-ops jobs`): listed, shown and run in this process, against the data
/// directory's database, as `pcm-ops run` runs. The command line holds the database, so it runs any job as an
/// admin would; the run records the job and the `cli:USER` who ran it.
extension AdminConsole {
    var jobService: JobService { JobService(database: app.db, services: app.services, logger: app.logger) }

    private var jobEditor: JobService.Editor { JobService.Editor(actor: actor, role: .admin) }

    public func listJobs() async throws -> [JobDTO] {
        try await jobService.list()
    }

    public func showJob(_ name: String) async throws -> JobDTO {
        try await jobService.show(name)
    }

    public func dryRunJob(_ name: String, _ overrides: JobRunOverrides) async throws -> DryRunReport {
        try await jobService.dryRun(name, overrides, by: jobEditor)
    }

    /// Starts a run of the job; `observers` see every change as it happens.
    public func runJob(_ name: String, _ overrides: JobRunOverrides, observers: [any RunObserver]) async throws
        -> RunService.Submission
    {
        try await jobService.run(name, overrides, by: jobEditor, source: "cli", observers: observers)
    }
}
