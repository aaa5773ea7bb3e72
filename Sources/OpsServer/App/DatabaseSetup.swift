import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor

/// Registers the configured database with the application.
enum DatabaseSetup {
    /// SQLite has one connection per event loop, so every query of a burst of requests queues for it; a burst
    /// on a busy machine waits longer than AsyncKit's default 10 s rather than failing.
    static let sqlitePoolTimeout: TimeAmount = .seconds(60)

    static func register(_ config: DatabaseConfig, on app: Application) throws {
        switch config {
        case .sqlite(let path):
            try DataDirectory.securePrivateFile(path)
            app.databases.use(
                .sqlite(.file(path), connectionPoolTimeout: sqlitePoolTimeout, sqlLogLevel: .trace), as: .sqlite)
        case .sqliteMemory:
            app.databases.use(
                .sqlite(.memory, connectionPoolTimeout: sqlitePoolTimeout, sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url, let searchPath):
            var configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw ConfigError(
                    field: "database-url",
                    message:
                        "cannot use \(DatabaseConfig.redacted(url)): it needs a user, host and database, and sslmode must be disable, prefer or require"
                )
            }
            configuration.searchPath = searchPath
            app.databases.use(.postgres(configuration: configuration, sqlLogLevel: .trace), as: .psql)
        }
    }

    /// PostgreSQL with a search path: creates its first schema, so one database can hold isolated copies.
    static func prepareSchema(_ config: DatabaseConfig, on app: Application) async throws {
        guard case .postgres(_, let searchPath) = config, let schema = searchPath?.first,
            let sql = app.db as? any SQLDatabase
        else { return }
        try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
    }

    /// SQLite: write-ahead logging (readers never wait for the writer) and a busy timeout on each
    /// event loop's connection. WAL is a property of the file, so it is kept across restarts.
    static func tune(_ config: DatabaseConfig, on app: Application) async throws {
        guard case .sqlite = config else { return }
        for eventLoop in app.eventLoopGroup.makeIterator() {
            guard let sql = app.databases.database(.sqlite, logger: app.logger, on: eventLoop) as? any SQLDatabase
            else { continue }
            try await sql.raw("PRAGMA journal_mode=WAL").run()
            try await sql.raw("PRAGMA busy_timeout=5000").run()
            try await sql.raw("PRAGMA synchronous=NORMAL").run()
        }
    }
}
