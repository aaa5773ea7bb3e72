import ArgumentParser
import Foundation
import OpsServer

/// `pcm-ops runs list|show|cancel|prune`: run history from the database, any process's runs.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List, show, follow and cancel runs.",
        subcommands: [List.self, Show.self, Cancel.self, Prune.self, SeedHistory.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The newest runs first.")
        @ArgumentParser.Option(help: "How many (default 20, at most 500).") var limit = 20
        @ArgumentParser.Option(help: "Only runs with this status.") var status: String?
        @ArgumentParser.Option(help: "Only runs of this tool.") var tool: String?
        @OptionGroup var storage: StorageOptions
        @OptionGroup var format: OutputOptions

        func validate() throws {
            guard (1...500).contains(limit) else { throw ValidationError("--limit must be 1 to 500") }
            let statuses = ["queued", "running", "succeeded", "failed", "partially_failed", "cancelled"]
            if let status, !statuses.contains(status) {
                throw ValidationError("--status must be one of \(statuses.joined(separator: ", "))")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let runs = try await AdminConsole.with(config: try storage.config()) { console in
                    try await console.listRuns(limit: limit, status: status, tool: tool)
                }
                try format.emit(
                    runs, ["ID", "TOOL", "STATUS", "TARGETS", "OK", "FAILED", "BY", "CREATED"],
                    runs.map {
                        [
                            $0.id, $0.reference, $0.status, String($0.targetCount),
                            String($0.targetCounts.succeeded),
                            String($0.targetCounts.failed + $0.targetCounts.timedOut + $0.targetCounts.interrupted),
                            $0.requestedBy,
                            OutputFormat.date($0.createdAt),
                        ]
                    })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A run with every target's output; --follow streams it until it ends.")
        @Argument var id: String
        @Flag(help: "Print events as they happen until the run ends.") var follow = false
        @ArgumentParser.Option(help: "text or json.") var output = "text"
        @ArgumentParser.Option(
            help: "With --follow: a remote server's URL (with --token or PCMOPS_TOKEN).")
        var server: String?
        @ArgumentParser.Option(help: "API token for --server (or PCMOPS_TOKEN).") var token: String?
        @Flag(
            help:
                "Print target output byte for byte, terminal escape sequences included (escaped by default)."
        )
        var raw = false
        @OptionGroup var storage: StorageOptions

        func validate() throws {
            guard ["text", "json"].contains(output) else {
                throw ValidationError("invalid --output '\(output)': use text or json")
            }
            if server != nil && !follow { throw ValidationError("--server works with --follow") }
            if let server, URL(string: server)?.scheme.map({ ["http", "https"].contains($0) }) != true {
                throw ValidationError("--server must be an http:// or https:// URL")
            }
        }

        func run() async throws {
            var status = "succeeded"
            if let server, let url = URL(string: server) {
                guard let token = token ?? ProcessInfo.processInfo.environment["PCMOPS_TOKEN"],
                    !token.isEmpty
                else {
                    throw ValidationError("--server needs --token or PCMOPS_TOKEN")
                }
                let json = output == "json"
                try await reportingErrors {
                    status = try await RemoteFollow.follow(server: url, token: token, run: id) { event in
                        if json {
                            print(#"{"seq":\#(event.seq),"kind":"\#(event.kind)","data":\#(event.data)}"#)
                        } else {
                            Self.printEvent(
                                RunEventMessage(seq: event.seq, kind: event.kind, data: event.data), raw: raw)
                        }
                    }
                }
                if RunReport.exitCode(status) != 0 { throw ExitCode(RunReport.exitCode(status)) }
                return
            }
            try await reportingErrors {
                status = try await AdminConsole.with(config: try storage.config()) { console in
                    if follow {
                        try await Self.follow(id, console: console, json: output == "json", raw: raw)
                    }
                    let (run, executions) = try await console.showRun(id)
                    if !follow || output == "text" {
                        try RunReport.print(run, executions, json: output == "json", full: !follow, raw: raw)
                    }
                    return run.status
                }
            }
            if follow && RunReport.exitCode(status) != 0 { throw ExitCode(RunReport.exitCode(status)) }
        }

        /// Polls the run's events from the database (the run may be driven by another process).
        static func follow(_ id: String, console: AdminConsole, json: Bool, raw: Bool) async throws {
            var seq = 0
            while true {
                let events = try await console.runEvents(id, after: seq)
                for event in events {
                    seq = event.seq
                    if json {
                        print(#"{"seq":\#(event.seq),"kind":"\#(event.kind)","data":\#(event.data)}"#)
                    } else {
                        printEvent(event, raw: raw)
                    }
                    if event.kind == "run.finished" { return }
                }
                if events.isEmpty { try await Task.sleep(for: .milliseconds(250)) }
            }
        }

        static func printEvent(_ event: RunEventMessage, raw: Bool) {
            guard
                let object = try? JSONSerialization.jsonObject(with: Data(event.data.utf8))
                    as? [String: Any]
            else {
                return
            }
            switch event.kind {
            case "output":
                let target = TerminalText.safe(object["target"] as? String ?? "?", raw: raw)
                let text = TerminalText.safe(object["text"] as? String ?? "", raw: raw)
                for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(
                    text.hasSuffix("\n") ? 1 : 0)
                {
                    print("\(target) | \(line)")
                }
            case "execution.status":
                let status = object["status"] as? String ?? "?"
                guard status != "running" else { return }
                print(
                    TerminalText.safe(
                        "\(object["target"] as? String ?? "?") \(object["action"] as? String ?? ""): \(status)"
                            + ((object["error"] as? String).map { $0.isEmpty ? "" : " — \($0)" } ?? ""), raw: raw)
                )
            case "run.finished":
                print("run finished: \(object["status"] as? String ?? "?")")
            default:
                break
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a run: running scripts are stopped.")
        @Argument var id: String
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await reportingErrors {
                let run = try await AdminConsole.with(config: try storage.config()) { console in
                    try await console.cancelRun(id)
                }
                print("run \(run.id): cancel requested (status \(run.status))")
            }
        }
    }

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply a retention policy now: remove old runs' output and events, or old runs.",
            discussion: """
                `serve --retain-output-days N --retain-runs-days M` applies the same policy every hour. Only runs \
                that ended before the cutoff are touched; the audit log is never pruned.
                """)
        @ArgumentParser.Option(help: "Remove the output and events of runs that ended more than this many days ago.")
        var retainOutputDays: String?
        @ArgumentParser.Option(help: "Delete runs (with their executions) that ended more than this many days ago.")
        var retainRunsDays: String?
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await reportingErrors {
                let policy = try RetentionPolicy.load(
                    outputDays: retainOutputDays, runsDays: retainRunsDays, environment: [:])
                guard !policy.keepsEverything else {
                    throw ValidationError("give --retain-output-days, --retain-runs-days or both")
                }
                let report = try await AdminConsole.with(config: try storage.config()) { console in
                    try await console.pruneHistory(policy)
                }
                print(
                    "output removed from \(report.prunedOutput) runs, \(report.deletedRuns) runs deleted, "
                        + "\(report.deletedEvents) events deleted")
            }
        }
    }

    /// For `scripts/bench-history`: months of generated history through the product's models. Not for production.
    struct SeedHistory: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seed-history",
            abstract: "Add generated history (for benchmarks).", shouldDisplay: false)
        @ArgumentParser.Option(help: "How many executions to add.")
        var executions: Int = 1_000_000
        @ArgumentParser.Option(help: "Over how many days before now.")
        var days: Int = 180
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await reportingErrors {
                guard (1...50_000_000).contains(executions) else {
                    throw ValidationError("--executions must be from 1 to 50000000")
                }
                guard (1...3650).contains(days) else { throw ValidationError("--days must be from 1 to 3650") }
                var seeder = HistorySeeder(executions: executions)
                seeder.days = Double(days)
                let started = Date()
                let summary = try await AdminConsole.with(config: try storage.config()) { console in
                    try await console.seedHistory(seeder) { done in
                        FileHandle.standardError.write(Data("  \(done) executions\n".utf8))
                    }
                }
                print(
                    "seeded \(summary.runs) runs, \(summary.executions) executions, \(summary.events) events in "
                        + String(format: "%.0f s", Date().timeIntervalSince(started)))
            }
        }
    }
}
