import Vapor

/// Counts and times every request for `/metrics` and writes one log line per request.
struct HTTPTelemetryMiddleware: AsyncMiddleware {
    let metrics: HTTPMetrics

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            // Only reached if a middleware inside failed outside the error middleware; count it as 500.
            record(request, status: 500, since: start)
            throw error
        }
        record(request, status: Int(response.status.code), since: start)
        return response
    }

    private func record(_ request: Request, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let route = Self.routeLabel(request)
        metrics.observe(method: request.method.rawValue, route: route, status: status, duration: elapsed)
        request.logger.info(
            "\(request.method.rawValue) \(request.url.path) \(status)",
            metadata: [
                "http.route": .string(route), "http.status": .stringConvertible(status),
                "http.duration_ms": .stringConvertible(
                    Double(elapsed.components.attoseconds) / 1e15
                        + Double(elapsed.components.seconds) * 1000),
            ])
    }

    /// The route pattern (`/admin/users/:name`), never the raw path, so labels stay few.
    static func routeLabel(_ request: Request) -> String {
        if let route = request.route {
            return "/" + route.path.map(\.description).joined(separator: "/")
        }
        return SecurityHeadersMiddleware.isStatic(request.url.path) ? "static" : "unmatched"
    }
}
