import OpsCore
import Vapor

/// Refuses state-changing requests made with a browser session unless they carry the session's CSRF
/// token, as the `csrf_token` form field or the `X-CSRF-Token` header. Bearer-token requests are exempt.
struct CSRFMiddleware: AsyncMiddleware {
    static let header = "X-CSRF-Token"
    static let safeMethods: [HTTPMethod] = [.GET, .HEAD, .OPTIONS]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard !Self.safeMethods.contains(request.method), let expected = request.principal?.csrfToken else {
            return try await next.respond(to: request)
        }
        let presented = try await Self.presentedToken(request)
        guard let presented, RandomToken.constantTimeEquals(presented, expected) else {
            request.logger.warning("CSRF token missing or wrong", metadata: ["http.path": .string(request.url.path)])
            throw Abort(.forbidden, reason: "missing or invalid CSRF token; reload the page and try again")
        }
        return try await next.respond(to: request)
    }

    /// The token from the header, else from a form body.
    static func presentedToken(_ request: Request) async throws -> String? {
        if let header = request.headers.first(name: header) { return header }
        guard let type = request.headers.contentType,
            type == .urlEncodedForm || type.type == "multipart"
        else { return nil }
        // The route's own limit (BodyLimits): reading less here refused uploads the route allows.
        _ = try await request.body.collect(max: BodyLimits.of(request)).get()
        return try? request.content.get(String.self, at: CSRFField.name)
    }
}
