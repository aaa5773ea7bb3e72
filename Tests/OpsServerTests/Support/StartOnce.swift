import Logging
import Vapor

@testable import OpsServer

/// Runs the server's own start-up path on `config` (services, database, migrations), then shuts down.
func startOnce(_ config: ServerConfig, logger: Logger? = nil) async throws {
    let services = try PCMOpsApp.makeServices(config: config)
    let app = try await Application.make(.testing)
    if let logger { app.logger = logger }
    do {
        try await PCMOpsApp.configure(app, services: services)
        try await app.asyncShutdown()
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}
