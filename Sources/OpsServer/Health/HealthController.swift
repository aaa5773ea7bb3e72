import Fluent
import SQLKit
import Vapor

/// Liveness, readiness and metrics for load balancers and Prometheus.
enum HealthController {
    struct Status: Content {
        var status: String
        var checks: [String: String] = [:]
    }

    /// The process answers.
    @Sendable static func live(_ request: Request) async throws -> Status {
        Status(status: "ok")
    }

    /// The database answers and every migration has run; 503 otherwise.
    @Sendable static func ready(_ request: Request) async throws -> Response {
        var checks = [String: String]()
        var ready = true
        do {
            guard let sql = request.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            try await sql.raw("SELECT 1").run()
            checks["database"] = "ok"
            let pending = try await request.application.migrator.previewPrepareBatch().get()
            checks["migrations"] = pending.isEmpty ? "ok" : "\(pending.count) pending"
            ready = pending.isEmpty
        } catch {
            request.logger.warning("readiness check failed", metadata: ["error": .string(String(describing: error))])
            checks["database"] = "unreachable"
            ready = false
        }
        let response = try await Status(status: ready ? "ok" : "unavailable", checks: checks).encodeResponse(
            for: request)
        response.status = ready ? .ok : .serviceUnavailable
        return response
    }

    /// The REST API description (OpenAPI 3.1), public like the documentation it is.
    @Sendable static func openAPI(_ request: Request) async throws -> Response {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let data = FileManager.default.contents(atPath: url.path)
        else { throw Abort(.notFound, reason: "the API description is not bundled with this build") }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: "application/yaml; charset=utf-8")
        return response
    }

    /// `/docs`: the API description as a page.
    @Sendable static func docs(_ request: Request) async throws -> Response {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let data = FileManager.default.contents(atPath: url.path)
        else { throw Abort(.notFound, reason: "the API description is not bundled with this build") }
        return try APIDocsView.render(
            yaml: String(decoding: data, as: UTF8.self), context: try await request.pageContext(nil)
        ).response()
    }

    /// Prometheus text format.
    @Sendable static func metrics(_ request: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: request.services.metrics.exposition()))
        response.headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return response
    }
}
