import ArgumentParser
import Foundation
import OpsServer

/// `pcm-ops serve`: the web UI, the REST API and the workers in one process.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (migrates the database first).")

    @ArgumentParser.Option(help: "Address to listen on (PCMOPS_HOST; default 127.0.0.1).")
    var host: String?

    @ArgumentParser.Option(help: "Port to listen on (PCMOPS_PORT; default 8500).")
    var port: String?

    @OptionGroup var storage: StorageOptions

    @ArgumentParser.Option(help: "The URL people use; https turns on Secure cookies and HSTS (PCMOPS_PUBLIC_URL).")
    var publicUrl: String?

    @ArgumentParser.Option(
        help:
            "strict or accept-new: host key policy for targets that set none (PCMOPS_HOST_KEY_POLICY; default strict).")
    var hostKeyPolicy: String?

    @ArgumentParser.Option(
        help:
            "PEM file of the CAs that winrm targets' certificates are checked against when a target names none (PCMOPS_WINRM_CA_BUNDLE; default: the system store)."
    )
    var winrmCaBundle: String?

    @ArgumentParser.Option(help: "A site's own tools, loaded after the built-in ones (PCMOPS_TOOLS_DIR).")
    var toolsDir: String?

    @ArgumentParser.Option(
        help:
            "Script invocations running at once in this process, across all runs (PCMOPS_GLOBAL_CONCURRENCY; default 1000)."
    )
    var globalConcurrency: String?

    @Flag(help: "Allow `local` targets that run on this host (PCMOPS_ALLOW_LOCAL).")
    var allowLocal = false

    @ArgumentParser.Option(
        help:
            "The only directory inventory imports through the web and the API may read private key files from (PCMOPS_KEY_DIR; default none: upload keys as credentials)."
    )
    var keyDir: String?

    @ArgumentParser.Option(
        help:
            "Seconds a connection may take to send a complete request header, however it trickles in (PCMOPS_HEADER_TIMEOUT; default 20)."
    )
    var headerTimeout: String?

    @ArgumentParser.Option(
        help:
            "Seconds without traffic before a connection waiting for, or receiving, a request is closed (PCMOPS_IDLE_TIMEOUT; default 60)."
    )
    var idleTimeout: String?

    @ArgumentParser.Option(
        help:
            "Open connections allowed from one client address; trusted proxies are exempt (PCMOPS_MAX_CONNECTIONS_PER_CLIENT; default 64)."
    )
    var maxConnectionsPerClient: String?

    @ArgumentParser.Option(
        help:
            "Comma-separated addresses or CIDR networks of reverse proxies whose X-Forwarded-For names the client (PCMOPS_TRUSTED_PROXIES; default none: the header is ignored)."
    )
    var trustedProxies: String?

    @ArgumentParser.Option(
        help:
            "Days a run's output and events are kept after it ends; older ones are pruned in small batches (PCMOPS_RETAIN_OUTPUT_DAYS; default: kept)."
    )
    var retainOutputDays: String?

    @ArgumentParser.Option(
        help:
            "Days a run is kept after it ends, with its executions; older runs are deleted (PCMOPS_RETAIN_RUNS_DAYS; default: kept). The audit log is never pruned."
    )
    var retainRunsDays: String?

    @ArgumentParser.Option(
        help:
            "Conductor's optional LLM backend: an OpenAI-compatible server (/v1/chat/completions), model in PCMOPS_CONDUCTOR_LLM_MODEL, key in PCMOPS_CONDUCTOR_LLM_KEY (PCMOPS_CONDUCTOR_LLM_URL; default off: the deterministic planner)."
    )
    var conductorLlmUrl: String?

    @ArgumentParser.Option(help: "text or json (PCMOPS_LOG_FORMAT; default text).")
    var logFormat: String?

    @ArgumentParser.Option(
        help: "trace, debug, info, notice, warning, error or critical (PCMOPS_LOG_LEVEL; default info).")
    var logLevel: String?

    func run() async throws {
        try await reportingErrors {
            var config = try ServerConfig.load(
                flags: ServerFlags(
                    host: host, port: port, dataDirectory: storage.dataDir, databaseURL: storage.databaseUrl,
                    publicURL: publicUrl, logFormat: logFormat, logLevel: logLevel, allowLocal: allowLocal ? true : nil,
                    hostKeyPolicy: hostKeyPolicy, toolsDirectory: toolsDir, globalConcurrency: globalConcurrency,
                    headerTimeout: headerTimeout, idleTimeout: idleTimeout,
                    maxConnectionsPerClient: maxConnectionsPerClient, trustedProxies: trustedProxies,
                    winrmCABundle: winrmCaBundle),
                environment: ProcessInfo.processInfo.environment)
            config.keyDirectory = try ServerConfig.keyDirectory(
                flag: keyDir, environment: ProcessInfo.processInfo.environment)
            config.retention = try RetentionPolicy.load(
                outputDays: retainOutputDays, runsDays: retainRunsDays,
                environment: ProcessInfo.processInfo.environment)
            config.conductor = try ConductorConfig.load(
                url: conductorLlmUrl, environment: ProcessInfo.processInfo.environment)
            LoggingBootstrap.run(format: config.logFormat, level: .init(rawValue: config.logLevel) ?? .info)
            try await ServerRunner.serve(config: config) { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        }
    }
}

/// `pcm-ops migrate`: bring the database schema up to date and exit.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run database migrations and exit.")

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        try await reportingErrors {
            let config = try storage.config()
            try await AdminConsole.with(config: config) { _ in }
            print("Database is up to date (\(config.database.summary)).")
        }
    }
}
