import Foundation

/// Everything `pcm-ops serve` (and the other commands that open the database) needs, validated once at start.
public struct ServerConfig: Sendable {
    /// Output format of the server log.
    public enum LogFormat: String, Sendable, CaseIterable {
        case text, json
    }

    /// Address to listen on.
    public var host = "127.0.0.1"
    /// Port to listen on.
    public var port = 8500
    /// Directory for the SQLite file and the secret key; created with mode 0700.
    public var dataDirectory = "./.pcm-ops"
    public var database: DatabaseConfig = .sqlite(path: "./.pcm-ops/pcm-ops.sqlite")
    /// The URL people use to reach the server; https turns on Secure cookies and HSTS.
    public var publicURL: URL?
    public var logFormat: LogFormat = .text
    public var logLevel = "info"
    /// Key from `PCMOPS_SECRET_KEY`; nil means the key file in the data directory.
    public var secretKey: String?
    /// Earlier keys (comma-separated in `PCMOPS_PREVIOUS_SECRET_KEYS`) that still open old secrets.
    public var previousSecretKeys: [String] = []
    /// First admin's password from `PCMOPS_ADMIN_PASSWORD`; nil means generate one.
    public var adminPassword: String?
    public var security = SecurityConfig()
    /// Lets admins create `local` targets that run on the server host itself (`--allow-local`).
    public var allowLocal = false
    /// The only directory the server reads private key files from, for inventory imports through the web and the
    /// API (`--key-dir`); nil (the default) reads none: keys are uploaded as credentials.
    public var keyDirectory: String?
    /// A site's own tools (`--tools-dir`), loaded after the built-in ones.
    public var toolsDirectory: String?
    /// The built-in `Tools/` directory; nil finds it (see ``CatalogStore/builtInDirectory(environment:)``).
    public var builtInToolsDirectory: String?
    /// Host key policy for targets that set none: `strict` (default) or `accept-new`.
    public var defaultHostKeyPolicy = "strict"
    /// PEM file of the CAs `winrm` targets' certificates are checked against when a target names no bundle of
    /// its own (`--winrm-ca-bundle`); nil: the system trust store.
    public var winrmCABundle: String?
    /// Script invocations running at once in this process, across every run (`--global-concurrency`).
    public var globalConcurrency = 1000
    /// How often an open event stream (SSE, WebSocket) checks that its token or session is still
    /// valid and its user enabled; a revoked token, a signed-out session or a disabled user ends the
    /// stream within about this long. Not a flag: tests shorten it.
    public var streamAccessCheckInterval: Duration = .seconds(2)
    /// Header and idle timeouts, connections per client, trusted proxies.
    public var connections = ConnectionConfig()
    /// How long output, events and runs are kept (`--retain-output-days`, `--retain-runs-days`).
    public var retention = RetentionPolicy()
    /// Conductor's optional LLM backend (`--conductor-llm-url`); off by default.
    public var conductor = ConductorConfig()

    public init() {}

    /// True when people reach the server over https.
    public var isHTTPS: Bool { publicURL?.scheme?.lowercased() == "https" }

    /// Path of the secret key file.
    public var secretKeyPath: String { (dataDirectory as NSString).appendingPathComponent("secret.key") }

    /// The environment variable that supplies a flag, e.g. `PCMOPS_DATA_DIR` for `data-dir`.
    public static func environmentName(for field: String) -> String {
        "PCMOPS_" + field.uppercased().replacingOccurrences(of: "-", with: "_")
    }
}

/// Raw values as given on the command line; nil where a flag was not given.
public struct ServerFlags: Sendable {
    public var host: String?
    public var port: String?
    public var dataDirectory: String?
    public var databaseURL: String?
    public var publicURL: String?
    public var logFormat: String?
    public var logLevel: String?
    public var allowLocal: Bool?
    public var hostKeyPolicy: String?
    public var toolsDirectory: String?
    public var globalConcurrency: String?
    public var headerTimeout: String?
    public var idleTimeout: String?
    public var maxConnectionsPerClient: String?
    public var trustedProxies: String?
    public var winrmCABundle: String?

    public init(
        host: String? = nil, port: String? = nil, dataDirectory: String? = nil, databaseURL: String? = nil,
        publicURL: String? = nil, logFormat: String? = nil, logLevel: String? = nil, allowLocal: Bool? = nil,
        hostKeyPolicy: String? = nil, toolsDirectory: String? = nil, globalConcurrency: String? = nil,
        headerTimeout: String? = nil, idleTimeout: String? = nil, maxConnectionsPerClient: String? = nil,
        trustedProxies: String? = nil, winrmCABundle: String? = nil
    ) {
        self.winrmCABundle = winrmCABundle
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.maxConnectionsPerClient = maxConnectionsPerClient
        self.trustedProxies = trustedProxies
        self.toolsDirectory = toolsDirectory
        self.globalConcurrency = globalConcurrency
        self.allowLocal = allowLocal
        self.hostKeyPolicy = hostKeyPolicy
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL
        self.publicURL = publicURL
        self.logFormat = logFormat
        self.logLevel = logLevel
    }
}

extension ServerConfig {
    /// Builds the configuration from flags, then `PCMOPS_*` variables, then defaults; flags win.
    public static func load(flags: ServerFlags, environment: [String: String]) throws(ConfigError) -> ServerConfig {
        func value(_ flag: String?, _ field: String) -> String? {
            if let flag { return flag }
            let fromEnvironment = environment[environmentName(for: field)]
            return fromEnvironment?.isEmpty == false ? fromEnvironment : nil
        }
        var config = ServerConfig()

        if let host = value(flags.host, "host") {
            let trimmed = host.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.contains(" "), !trimmed.contains("/") else {
                throw ConfigError(field: "host", message: "'\(host)' is not a host name or address")
            }
            config.host = trimmed
        }
        if let port = value(flags.port, "port") {
            guard let number = Int(port.trimmingCharacters(in: .whitespaces)), (1...65535).contains(number) else {
                throw ConfigError(field: "port", message: "must be a number from 1 to 65535, got '\(port)'")
            }
            config.port = number
        }
        if let directory = value(flags.dataDirectory, "data-dir") {
            guard !directory.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ConfigError(field: "data-dir", message: "must not be empty")
            }
            config.dataDirectory = directory
        }
        config.database = .sqlite(path: (config.dataDirectory as NSString).appendingPathComponent("pcm-ops.sqlite"))
        if let url = value(flags.databaseURL, "database-url") {
            config.database = try DatabaseConfig.parse(url: url)
        }
        if let text = value(flags.publicURL, "public-url") {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                ["http", "https"].contains(scheme),
                url.host?.isEmpty == false
            else {
                throw ConfigError(field: "public-url", message: "must be an http:// or https:// URL, got '\(text)'")
            }
            config.publicURL = url
        }
        if let format = value(flags.logFormat, "log-format") {
            guard let parsed = LogFormat(rawValue: format.lowercased()) else {
                throw ConfigError(field: "log-format", message: "must be text or json, got '\(format)'")
            }
            config.logFormat = parsed
        }
        if let level = value(flags.logLevel, "log-level") {
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(level.lowercased()) else {
                throw ConfigError(
                    field: "log-level", message: "must be one of \(levels.joined(separator: ", ")), got '\(level)'")
            }
            config.logLevel = level.lowercased()
        }
        if let allowLocal = flags.allowLocal {
            config.allowLocal = allowLocal
        } else if let text = environment["PCMOPS_ALLOW_LOCAL"], !text.isEmpty {
            guard
                let value = ["1": true, "true": true, "yes": true, "0": false, "false": false, "no": false][
                    text.lowercased()]
            else {
                throw ConfigError(field: "allow-local", message: "must be true or false, got '\(text)'")
            }
            config.allowLocal = value
        }
        if let policy = value(flags.hostKeyPolicy, "host-key-policy") {
            guard ["strict", "accept-new"].contains(policy) else {
                throw ConfigError(field: "host-key-policy", message: "must be strict or accept-new, got '\(policy)'")
            }
            config.defaultHostKeyPolicy = policy
        }
        if let bundle = value(flags.winrmCABundle, "winrm-ca-bundle") {
            if let problem = CABundle.problem(bundle) {
                throw ConfigError(field: "winrm-ca-bundle", message: problem)
            }
            config.winrmCABundle = bundle
        }
        if let directory = value(flags.toolsDirectory, "tools-dir") {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw ConfigError(field: "tools-dir", message: "'\(directory)' is not a directory")
            }
            config.toolsDirectory = directory
        }
        if let text = value(flags.globalConcurrency, "global-concurrency") {
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)), (1...100_000).contains(number) else {
                throw ConfigError(
                    field: "global-concurrency", message: "must be a number from 1 to 100000, got '\(text)'")
            }
            config.globalConcurrency = number
        }
        config.connections = try ConnectionConfig.load(
            headerTimeout: value(flags.headerTimeout, "header-timeout"),
            idleTimeout: value(flags.idleTimeout, "idle-timeout"),
            maxConnectionsPerClient: value(flags.maxConnectionsPerClient, "max-connections-per-client"),
            trustedProxies: value(flags.trustedProxies, "trusted-proxies"))
        config.builtInToolsDirectory = environment["PCMOPS_BUILTIN_TOOLS_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        config.secretKey = environment["PCMOPS_SECRET_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        config.previousSecretKeys = (environment["PCMOPS_PREVIOUS_SECRET_KEYS"] ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let password = environment["PCMOPS_ADMIN_PASSWORD"], !password.isEmpty {
            config.adminPassword = password
        }
        return config
    }
}
