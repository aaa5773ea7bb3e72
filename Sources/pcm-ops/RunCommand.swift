import ArgumentParser
import Foundation
import OpsCore
import OpsSSH
import OpsServer

#if canImport(Glibc)
    import Glibc
#endif

/// `pcm-ops run TOOL.ACTION|TOOL.WORKFLOW`: runs a catalog action or workflow in this process, against
/// the data directory's database, so the run appears in the web UI's history.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a catalog action or workflow on targets, showing progress live.",
        discussion: """
            Targets come from --target, --group and --selector (stored targets), or from an inventory file \
            with -i (not imported; --limit narrows it). Exit status: 0 when every target succeeded, 2 when \
            any did not, 130 when cancelled (Ctrl-C cancels the run: running scripts are stopped), 1 when \
            the run could not start.
            """)

    @Argument(help: "TOOL.ACTION or TOOL.WORKFLOW (see `pcm-ops tools list`).") var reference: String
    @ArgumentParser.Option(name: .customLong("target"), help: "A target name (repeatable).") var targets: [String] = []
    @ArgumentParser.Option(name: .customLong("group"), help: "A group name (repeatable).") var groups: [String] = []
    @ArgumentParser.Option(help: "Targets whose tags match, e.g. env=prod,role=web.") var selector: String?
    @ArgumentParser.Option(
        name: [.customShort("i"), .customLong("inventory")],
        help: "Ansible (INI/YAML) or CSV inventory file, used for this run only.")
    var inventory: String?
    @ArgumentParser.Option(help: "With -i: hosts or groups to keep (Ansible --limit syntax: web*,db01,!web03).")
    var limit: String?
    @ArgumentParser.Option(name: .customLong("param"), help: "NAME=VALUE (repeatable); see `pcm-ops tools show`.")
    var parameters: [String] = []
    @ArgumentParser.Option(help: "Targets in flight at once: N or N% (default 50).") var maxConcurrency: String?
    @ArgumentParser.Option(
        help:
            "Failed targets tolerated before no new target starts: N or N% (default 0 for destructive actions, else no limit)."
    )
    var maxErrors: String?
    @Flag(help: "Resolve targets and show every script as it would run; run nothing.") var dryRun = false
    @Flag(name: [.customShort("y"), .long], help: "Confirm a destructive action.") var yes = false
    @ArgumentParser.Option(help: "A known_hosts file whose keys are trusted for this run.") var knownHosts: String?
    @Flag(help: "Trust and store the key of a host seen for the first time (a changed key is still refused).")
    var acceptNew = false
    @Flag(name: [.customShort("v"), .long], help: "Print each target's output as it finishes.") var verbose = false
    @ArgumentParser.Option(help: "text or json.") var output = "text"
    @ArgumentParser.Option(help: "Idempotency key: submitting the same key again shows the earlier run.")
    var idempotencyKey: String?
    @ArgumentParser.Option(help: "A site's own tools, loaded after the built-in ones (PCMOPS_TOOLS_DIR).")
    var toolsDir: String?
    @Flag(help: "Allow targets with the local transport (run on this host).") var allowLocal = false
    @OptionGroup var storage: StorageOptions

    func validate() throws {
        guard ["text", "json"].contains(output) else {
            throw ValidationError("invalid --output '\(output)': use text or json")
        }
        if limit != nil && inventory == nil { throw ValidationError("--limit needs -i INVENTORY") }
        for parameter in parameters where !parameter.contains("=") {
            throw ValidationError("--param '\(parameter)': use NAME=VALUE")
        }
    }

    func run() async throws {
        var exitCode: Int32 = 0
        try await reportingErrors {
            let config = try ServerConfig.load(
                flags: ServerFlags(
                    dataDirectory: storage.dataDir, databaseURL: storage.databaseUrl,
                    allowLocal: allowLocal ? true : nil,
                    toolsDirectory: toolsDir),
                environment: ProcessInfo.processInfo.environment)
            LoggingBootstrap.run(format: config.logFormat, level: .warning)
            exitCode = try await AdminConsole.with(config: config) { console in
                try await execute(console)
            }
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    private func execute(_ console: AdminConsole) async throws -> Int32 {
        RunWatch.noteRecovered(try await console.recoverOrphanedRuns())
        let request = try makeRequest(catalog: console.catalog)
        if dryRun {
            let report = try await console.dryRun(request)
            if output == "json" { print(try OutputFormat.json(report)) } else { DryRunPrinter.print(report) }
            return 0
        }
        let progress = RunWatch.printer(reference: reference, output: output, verbose: verbose)
        let submission = try await console.submitRun(request, observers: [progress])
        return try await RunWatch.follow(submission, progress: progress, console: console, output: output)
    }

    func makeRequest(catalog: Catalog) throws -> RunRequest {
        var request = try RunRequest(reference: reference, catalog: catalog)
        request.targets = targets
        request.groups = groups
        request.selector = selector
        for parameter in parameters {
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            request.parameters[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        request.maxConcurrency = maxConcurrency
        request.maxErrors = maxErrors
        request.dryRun = dryRun
        request.confirm = yes
        request.acceptNew = acceptNew
        request.idempotencyKey = idempotencyKey
        if let inventory {
            guard let text = try? String(contentsOfFile: inventory, encoding: .utf8) else {
                throw CLIError(description: "-i: cannot read \(inventory)")
            }
            let parsed = try InventoryImporter.parse(text, fileName: inventory, format: nil)
            var hosts = parsed.hosts
            if let limit { hosts = InventoryLimit.apply(limit, to: hosts) }
            guard !hosts.isEmpty else {
                throw CLIError(
                    description: "-i: no host in \(inventory)\(limit.map { " matches --limit '\($0)'" } ?? "")")
            }
            request.inventoryHosts = hosts
        }
        if let knownHosts {
            guard let text = try? String(contentsOfFile: knownHosts, encoding: .utf8) else {
                throw CLIError(description: "--known-hosts: cannot read \(knownHosts)")
            }
            let (entries, errors) = KnownHostsParser.parse(text)
            if let error = errors.first, entries.isEmpty {
                throw CLIError(description: "--known-hosts: \(knownHosts): \(error)")
            }
            request.knownHosts = entries
        }
        return request
    }
}

/// First SIGINT calls `onFirst`; a second one ends the process at once.
final class InterruptHandler: @unchecked Sendable {
    private let source: any DispatchSourceSignal

    init(onFirst: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let fired = Locked(false)
        source.setEventHandler {
            if fired.swap(true) { exit(130) }
            onFirst()
        }
        source.resume()
        self.source = source
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

/// A value behind a lock.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func swap(_ new: Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        let old = value
        value = new
        return old
    }
}
