import Fluent
import Foundation
import OpsCore
import Vapor

/// Builds the PCM-Ops application: database, migrations, middleware and routes.
public enum PCMOpsApp {
    /// Configures `app` with `services`. Runs migrations when `migrate` is true. Without `serving` (the CLI's
    /// console) the HTTP side — middleware, routes and the OpenAPI document they are built from — is left out.
    public static func configure(
        _ app: Application, services: AppServices, migrate: Bool = true, serving: Bool = true
    ) async throws {
        app.services = services
        let config = services.config
        try DatabaseSetup.register(config.database, on: app)
        app.migrations.add(Migrations.all)
        if migrate {
            do {
                try await DatabaseSetup.prepareSchema(config.database, on: app)
                _ = try await MigrationRunner.run(app)
            } catch {
                throw DatabaseStartError(summary: config.database.summary, underlying: String(describing: error))
            }
        }
        try await DatabaseSetup.tune(config.database, on: app)
        guard serving else { return }
        for warning in services.catalog.catalog.browserPatternWarnings { app.logger.warning("\(warning)") }

        app.http.server.configuration.hostname = config.host
        app.http.server.configuration.port = config.port
        app.routes.defaultMaxBodySize = ByteCount(value: BodyLimits.form)

        app.middleware = Middlewares()
        app.middleware.use(RequestIDMiddleware())
        app.middleware.use(HTTPTelemetryMiddleware(metrics: services.metrics))
        app.middleware.use(SecurityHeadersMiddleware(https: config.isHTTPS))
        app.middleware.use(ProblemErrorMiddleware())
        app.middleware.use(MethodNotAllowedMiddleware(operations: try APIOperations.bundled()))
        if let publicDirectory = Bundle.module.resourceURL?.appendingPathComponent("Public").path {
            app.middleware.use(FileMiddleware(publicDirectory: publicDirectory + "/", defaultFile: nil))
        }
        app.middleware.use(AuthenticationMiddleware())
        app.middleware.use(CSRFMiddleware())

        try registerRoutes(app)
    }

    /// Makes the services for a server: data directory, vault, metrics.
    public static func makeServices(config: ServerConfig, clock: any WallClock = SystemClock()) throws -> AppServices {
        if case .sqlite = config.database {
            try DataDirectory.prepare(config.dataDirectory)
        } else if config.secretKey == nil {
            try DataDirectory.prepare(config.dataDirectory)
        }
        let (vault, _) = try DataDirectory.vault(for: config)
        return AppServices(
            config: config, vault: vault, clock: clock, metrics: HTTPMetrics(), catalog: try makeCatalog(config: config)
        )
    }

    /// The catalog from the built-in tools and the site's `--tools-dir`.
    public static func makeCatalog(config: ServerConfig) throws -> CatalogStore {
        guard let builtIn = config.builtInToolsDirectory ?? CatalogStore.builtInDirectory() else {
            throw ConfigError(
                field: "tools-dir",
                message:
                    "the built-in tools were not found beside the program (\(ProgramResources.bundleName)); install it "
                    + "with scripts/install, or set PCMOPS_BUILTIN_TOOLS_DIR"
            )
        }
        return try CatalogStore(directories: [builtIn] + (config.toolsDirectory.map { [$0] } ?? []))
    }

    /// Creates the first admin when the database has no users. Returns the generated password, if any.
    public static func bootstrapAdmin(_ app: Application) async throws -> (created: Bool, generatedPassword: String?) {
        try await AdminBootstrap.run(app)
    }
}

/// The database could not be reached or migrated at start.
public struct DatabaseStartError: Error, CustomStringConvertible {
    public let summary: String
    public let underlying: String

    public var description: String { "cannot open or migrate the database (\(summary)): \(underlying)" }
}
