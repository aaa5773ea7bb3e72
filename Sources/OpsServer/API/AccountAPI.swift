import Vapor

/// `GET /api/v1/me`.
enum AccountAPI {
    struct Me: Content {
        var username: String
        var role: String
        var authenticated_by: String
    }

    @Sendable static func me(_ request: Request) async throws -> Me {
        let principal = try request.requirePrincipal()
        let via: String =
            switch principal.via {
            case .session: "session"
            case .token: "token"
            }
        return Me(username: principal.username, role: principal.role.rawValue, authenticated_by: via)
    }
}
