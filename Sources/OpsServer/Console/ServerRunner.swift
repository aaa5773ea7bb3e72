import Foundation
import Logging
import OpsCore
import Vapor

/// Runs the HTTP server until SIGTERM or SIGINT, then shuts down cleanly.
public enum ServerRunner {
    /// Starts PCM-Ops with `config`. `announce` receives the one-time admin password line.
    public static func serve(config: ServerConfig, announce: @Sendable (String) -> Void) async throws {
        let services = try PCMOpsApp.makeServices(config: config)
        let app = try await Application.make(Environment(name: "production", arguments: ["pcm-ops", "serve"]))
        app.logger = Logger(label: "pcm-ops")
        if case .sqlite = config.database, let warning = DataDirectory.permissionWarning(config.dataDirectory) {
            app.logger.warning("\(warning)")
        }
        do {
            try await PCMOpsApp.configure(app, services: services)
            FrontDoor.install(on: app, host: config.host, port: config.port, config: config.connections)
            let (created, generated) = try await PCMOpsApp.bootstrapAdmin(app)
            if created {
                if let generated {
                    announce(
                        "Created the first account. Username: admin  Password: \(generated)\n"
                            + "This password is shown only once; change it with `pcm-ops user passwd admin`.")
                } else {
                    announce("Created the first account 'admin' with the password from PCMOPS_ADMIN_PASSWORD.")
                }
            }
            let runs = RunService(database: app.db, services: services, logger: app.logger)
            let recovered = try await runs.recoverOrphanedRuns()
            if !recovered.isEmpty {
                app.logger.notice(
                    "finished runs interrupted by an earlier stop",
                    metadata: ["runs": .string(recovered.joined(separator: ","))])
            }
            // Runs whose process (a CLI run, another server) stops later are finished within a minute.
            let sweeper = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(30))
                    _ = try? await runs.recoverOrphanedRuns()
                }
            }
            defer { sweeper.cancel() }
            let pruner = retention(config.retention, app: app, services: services)
            defer { pruner?.cancel() }
            app.logger.notice(
                "PCM-Ops ready",
                metadata: [
                    "url": .string("http://\(config.host):\(config.port)"),
                    "database": .string(config.database.summary),
                ])
            try await app.execute()
            // Runs still going are stopped and end `cancelled`, rather than `interrupted` at the next start.
            await services.activeRuns.cancelAll(reason: "the server is shutting down", waitUpTo: .seconds(10))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// Applies the retention policy a second after the start, then every ``RetentionPolicy/interval``; nil when
    /// the policy keeps everything.
    private static func retention(_ policy: RetentionPolicy, app: Application, services: AppServices) -> Task<
        Void, Never
    >? {
        guard !policy.keepsEverything else { return nil }
        let retention = RunRetention(database: app.db, policy: policy, logger: app.logger)
        let logger = app.logger
        return Task {
            var wait: Duration = .seconds(1)
            while !Task.isCancelled {
                try? await Task.sleep(for: wait)
                wait = policy.interval
                if Task.isCancelled { return }
                do {
                    _ = try await retention.apply(now: services.clock.now())
                } catch is CancellationError {
                    return
                } catch {
                    logger.error(
                        "could not apply the retention policy", metadata: ["error": .string(String(describing: error))])
                }
            }
        }
    }
}
