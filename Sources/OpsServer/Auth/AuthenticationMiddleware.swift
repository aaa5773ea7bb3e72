import Vapor

/// Identifies the user of every request: a bearer token on `/api/`, otherwise the session cookie.
///
/// A bearer token that does not authenticate is refused at once (401) rather than treated as
/// anonymous, so a script with a revoked token fails loudly.
struct AuthenticationMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.isAPIRequest, let bearer = request.headers.bearerAuthorization {
            guard let holder = try await request.tokenService.authenticate(bearer.token) else {
                throw Abort(
                    .unauthorized, headers: ["WWW-Authenticate": "Bearer error=\"invalid_token\""],
                    reason: "the API token is invalid, expired or revoked")
            }
            request.auth.login(
                Principal(
                    userID: holder.userID, username: holder.username, role: holder.role,
                    via: .token(id: holder.tokenID)))
            request.logger[metadataKey: "user"] = .string(holder.username)
            return try await next.respond(to: request)
        }
        var clearCookie = false
        if let cookie = request.cookies[SessionStore.cookieName]?.string, !cookie.isEmpty {
            if let (session, user) = try await request.sessionStore.lookup(cookieToken: cookie) {
                request.auth.login(
                    Principal(
                        userID: try user.requireID(), username: user.username, role: user.role,
                        via: .session(id: try session.requireID(), csrfToken: session.csrfToken)))
                request.logger[metadataKey: "user"] = .string(user.username)
            } else {
                clearCookie = true
            }
        }
        let response = try await next.respond(to: request)
        if clearCookie, response.cookies[SessionStore.cookieName] == nil {
            response.cookies[SessionStore.cookieName] = SessionStore.expiredCookie(
                https: request.services.config.isHTTPS)
        }
        return response
    }
}
