import OpsCore
import Vapor

/// Lets a request through only when its user has at least `role`.
///
/// Nobody signed in: pages redirect to the login page (GET) or answer 401; the API answers 401.
/// Signed in without the role: 403.
struct RequireRole: AsyncMiddleware {
    let role: Role

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let principal = request.principal else {
            if !request.isAPIRequest, request.method == .GET {
                return request.redirect(to: SitePath.login + "?next=" + Self.encodedNext(request))
            }
            throw Abort(.unauthorized, reason: "sign in first")
        }
        guard principal.role.allows(role) else {
            throw Abort(
                .forbidden, reason: "this needs the \(role.rawValue) role; you are \(principal.role.rawValue)")
        }
        return try await next.respond(to: request)
    }

    private static func encodedNext(_ request: Request) -> String {
        var path = request.url.path
        if let query = request.url.query { path += "?" + query }
        return path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
    }
}
