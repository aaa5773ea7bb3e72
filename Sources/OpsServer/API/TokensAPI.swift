import OpsCore
import Vapor

/// `/api/v1/tokens`: a user's own tokens; admins may list (`?all=true`) and revoke everyone's.
enum TokensAPI {
    struct CreateBody: Content {
        var name: String
        var expires_in_days: Int?
    }

    @Sendable static func list(_ request: Request) async throws -> [TokenDTO] {
        let principal = try request.requirePrincipal()
        let all = request.query[Bool.self, at: "all"] ?? false
        if all, principal.role != .admin {
            throw Abort(.forbidden, reason: "listing every user's tokens needs the admin role")
        }
        let user = all ? nil : try await request.accountService.require(principal.username)
        return try await request.tokenService.list(for: user).map(TokenDTO.init)
    }

    @Sendable static func create(_ request: Request) async throws -> Response {
        let body = try request.decodeJSON(CreateBody.self)
        let principal = try request.requirePrincipal()
        let user = try await request.accountService.require(principal.username)
        let (token, plaintext) = try await request.tokenService.create(
            for: user, name: body.name, expiresInDays: body.expires_in_days, by: request.auditActor)
        let created = CreatedTokenDTO(
            id: token.id, name: token.name, token: plaintext, created_at: token.createdAt, expires_at: token.expiresAt)
        return try await created.encodeResponse(status: .created, for: request)
    }

    @Sendable static func revoke(_ request: Request) async throws -> HTTPStatus {
        let principal = try request.requirePrincipal()
        let id = try request.uuidParameter("id")
        let owner = principal.role == .admin ? nil : try await request.accountService.require(principal.username)
        try await request.tokenService.revoke(id: id, owner: owner, by: request.auditActor)
        return .noContent
    }
}
