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
        do {
            try await PCMOpsApp.configure(app, services: services)
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
            app.logger.notice(
                "PCM-Ops ready",
                metadata: [
                    "url": .string("http://\(config.host):\(config.port)"),
                    "database": .string(config.database.summary),
                ])
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
