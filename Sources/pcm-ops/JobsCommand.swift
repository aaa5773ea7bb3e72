import ArgumentParser
import Foundation
import OpsServer

/// `pcm-ops jobs list|show|run NAME`: saved jobs (issue 16.3), from the data directory's database. Jobs are saved and
/// changed on the web pages or through the API (`/api/v1/jobs`).
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "List, show and run saved jobs.",
        subcommands: [List.self, Show.self, Run.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Saved jobs by name, and whether each can run.")
        @OptionGroup var catalog: JobCatalogOptions
        @OptionGroup var storage: StorageOptions
        @OptionGroup var format: OutputOptions

        func run() async throws {
            try await reportingErrors {
                let jobs = try await AdminConsole.with(config: try catalog.config(storage)) { try await $0.listJobs() }
                try format.emit(
                    jobs, ["NAME", "RUNS", "TARGETS", "OWNER", "VERSION", "STATE"],
                    jobs.map {
                        [
                            $0.name, $0.reference, JobText.targets($0), $0.owner, String($0.version),
                            $0.problems.isEmpty ? "ready" : "broken: " + $0.problems.joined(separator: "; "),
                        ]
                    })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A job: what it runs where, and what keeps it from running.")
        @Argument(help: "The job's name.") var name: String
        @ArgumentParser.Option(help: "text or json.") var output = "text"
        @OptionGroup var catalog: JobCatalogOptions
        @OptionGroup var storage: StorageOptions

        func validate() throws {
            guard ["text", "json"].contains(output) else {
                throw ValidationError("invalid --output '\(output)': use text or json")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let job = try await AdminConsole.with(config: try catalog.config(storage)) {
                    try await $0.showJob(name)
                }
                if output == "json" {
                    print(try OutputFormat.json(job))
                } else {
                    JobText.print(job)
                }
            }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a saved job, showing progress live.",
            discussion: """
                The job runs as saved. --param, --target/--group/--selector and --max-concurrency/--max-errors change \
                it only where the job allows (`pcm-ops jobs show` says what); secret parameters the job stores no \
                value for are given with --param. Exit status: 0 when every target succeeded, 2 when any did not, \
                130 when cancelled (Ctrl-C cancels the run), 1 when it could not start (a job the catalog or the \
                inventory broke says why).
                """)
        @Argument(help: "The job's name.") var name: String
        @ArgumentParser.Option(name: .customLong("param"), help: "NAME=VALUE (repeatable).") var parameters: [String] =
            []
        @ArgumentParser.Option(
            name: .customLong("target"), help: "A target name (repeatable); replaces the job's targets.")
        var targets: [String] = []
        @ArgumentParser.Option(
            name: .customLong("group"), help: "A group name (repeatable); replaces the job's targets.")
        var groups: [String] = []
        @ArgumentParser.Option(help: "Targets whose tags match; replaces the job's targets.") var selector: String?
        @ArgumentParser.Option(help: "Targets in flight at once: N or N%.") var maxConcurrency: String?
        @ArgumentParser.Option(help: "Failed targets tolerated before no new target starts: N or N%.")
        var maxErrors: String?
        @Flag(help: "Resolve targets and show every script as it would run; run nothing.") var dryRun = false
        @Flag(name: [.customShort("y"), .long], help: "Confirm a destructive action.") var yes = false
        @Flag(name: [.customShort("v"), .long], help: "Print each target's output as it finishes.") var verbose = false
        @ArgumentParser.Option(help: "text or json.") var output = "text"
        @ArgumentParser.Option(help: "A site's own tools, loaded after the built-in ones (PCMOPS_TOOLS_DIR).")
        var toolsDir: String?
        @Flag(help: "Allow targets with the local transport (run on this host).") var allowLocal = false
        @OptionGroup var storage: StorageOptions

        func validate() throws {
            guard ["text", "json"].contains(output) else {
                throw ValidationError("invalid --output '\(output)': use text or json")
            }
            for parameter in parameters where !parameter.contains("=") {
                throw ValidationError("--param '\(parameter)': use NAME=VALUE")
            }
        }

        var overrides: JobRunOverrides {
            var overrides = JobRunOverrides()
            for parameter in parameters {
                let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                overrides.parameters[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            if !targets.isEmpty || !groups.isEmpty || selector != nil {
                overrides.targets = targets
                overrides.groups = groups
                overrides.selector = selector
            }
            overrides.maxConcurrency = maxConcurrency
            overrides.maxErrors = maxErrors
            overrides.confirm = yes
            overrides.dryRun = dryRun
            return overrides
        }

        func run() async throws {
            var exitCode: Int32 = 0
            try await reportingErrors {
                let config = try ServerConfig.load(
                    flags: ServerFlags(
                        dataDirectory: storage.dataDir, databaseURL: storage.databaseUrl,
                        allowLocal: allowLocal ? true : nil, toolsDirectory: toolsDir),
                    environment: ProcessInfo.processInfo.environment)
                LoggingBootstrap.run(format: config.logFormat, level: .warning)
                exitCode = try await AdminConsole.with(config: config) { console in
                    RunWatch.noteRecovered(try await console.recoverOrphanedRuns())
                    if dryRun {
                        let report = try await console.dryRunJob(name, overrides)
                        if output == "json" {
                            print(try OutputFormat.json(report))
                        } else {
                            DryRunPrinter.print(report)
                        }
                        return 0
                    }
                    let job = try await console.showJob(name)
                    let progress = RunWatch.printer(reference: job.reference, output: output, verbose: verbose)
                    let submission = try await console.runJob(name, overrides, observers: [progress])
                    return try await RunWatch.follow(submission, progress: progress, console: console, output: output)
                }
            }
            if exitCode != 0 { throw ExitCode(exitCode) }
        }
    }
}

/// The catalog a job is checked against: the built-in tools and the site's (`--tools-dir`, as `serve` was given).
struct JobCatalogOptions: ParsableArguments {
    @ArgumentParser.Option(help: "A site's own tools, loaded after the built-in ones (PCMOPS_TOOLS_DIR).")
    var toolsDir: String?

    func config(_ storage: StorageOptions) throws -> ServerConfig {
        let config = try ServerConfig.load(
            flags: ServerFlags(
                dataDirectory: storage.dataDir, databaseURL: storage.databaseUrl, toolsDirectory: toolsDir),
            environment: ProcessInfo.processInfo.environment)
        LoggingBootstrap.run(format: config.logFormat, level: .warning)
        return config
    }
}

/// A job as text.
enum JobText {
    static func targets(_ job: JobDTO) -> String {
        var parts = [String]()
        if !job.targets.isEmpty { parts.append(job.targets.joined(separator: ",")) }
        if !job.groups.isEmpty { parts.append("group " + job.groups.joined(separator: ",")) }
        if let selector = job.selector { parts.append("tags " + selector) }
        return parts.isEmpty ? "(chosen at each run)" : parts.joined(separator: " ")
    }

    static func print(_ job: JobDTO) {
        Swift.print("job \(job.name) (version \(job.version)): \(job.problems.isEmpty ? "ready" : "broken")")
        var rows: [(String, String)] = [("id", job.id), ("runs", job.reference)]
        if !job.description.isEmpty { rows.append(("description", job.description)) }
        let parameters = job.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        rows.append(("parameters", parameters.isEmpty ? "-" : parameters.joined(separator: " ")))
        rows.append(("targets", targets(job)))
        let limits = [job.maxConcurrency.map { "max concurrency \($0)" }, job.maxErrors.map { "max errors \($0)" }]
            .compactMap { $0 }
        rows.append(("limits", limits.isEmpty ? "defaults" : limits.joined(separator: ", ")))
        rows.append(
            (
                "may change",
                job.overridable.isEmpty ? "nothing (runs as saved)" : job.overridable.joined(separator: ", ")
            ))
        if !job.prompts.isEmpty { rows.append(("asks for", job.prompts.joined(separator: ", "))) }
        rows.append(("owner", job.owner))
        rows.append(("updated", "\(OutputFormat.date(job.updatedAt)) by \(job.updatedBy)"))
        for (label, value) in rows {
            Swift.print(
                "  " + label.padding(toLength: 12, withPad: " ", startingAt: 0) + TerminalText.safe(value, raw: false))
        }
        if !job.problems.isEmpty {
            Swift.print("problems (edit the job to fix them):")
            for problem in job.problems { Swift.print("  - " + TerminalText.safe(problem, raw: false)) }
        }
    }
}
