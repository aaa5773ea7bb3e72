import Foundation

/// Where the data lives: an SQLite file (the embedded default) or a PostgreSQL server.
public enum DatabaseConfig: Sendable, Equatable {
    /// SQLite file at this path, opened in WAL mode with a busy timeout.
    case sqlite(path: String)
    /// SQLite in memory; for tests only.
    case sqliteMemory
    /// PostgreSQL at `url`; `searchPath` puts every table in one schema (tests use one per test).
    case postgres(url: String, searchPath: [String]?)

    /// Parses `--database-url`. Accepts `postgres://`, `postgresql://` and `sqlite:PATH`.
    public static func parse(url text: String) throws(ConfigError) -> DatabaseConfig {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("sqlite:") {
            let path = String(trimmed.dropFirst("sqlite:".count)).replacingOccurrences(of: "//", with: "")
            guard !path.isEmpty else {
                throw ConfigError(
                    field: "database-url",
                    message: "sqlite: URL needs a file path, e.g. sqlite:/var/lib/pcm-ops/db.sqlite")
            }
            return .sqlite(path: path)
        }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased() else {
            throw ConfigError(
                field: "database-url", message: "not a URL; use postgres://user:password@host:5432/database")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw ConfigError(
                field: "database-url",
                message:
                    "unsupported scheme '\(scheme)'; use postgres://user:password@host:5432/database or sqlite:PATH")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ConfigError(field: "database-url", message: "missing host in \(Self.redacted(trimmed))")
        }
        guard components.path.count > 1 else {
            throw ConfigError(field: "database-url", message: "missing database name in \(Self.redacted(trimmed))")
        }
        return .postgres(url: trimmed, searchPath: nil)
    }

    /// The URL with any password replaced, safe for logs and error messages.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "postgres://***"
    }

    /// A description for logs, never containing a password.
    public var summary: String {
        switch self {
        case .sqlite(let path): "sqlite \(path)"
        case .sqliteMemory: "sqlite (memory)"
        case .postgres(let url, _): "postgres \(Self.redacted(url))"
        }
    }
}
