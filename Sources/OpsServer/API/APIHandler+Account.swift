import Foundation
import OpsCore
import Vapor

/// `/api/v1/me`, `/tokens`, `/users` and `/audit`.
extension APIHandler {
    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        let principal = try request.requirePrincipal()
        let via: String =
            switch principal.via {
            case .session: "session"
            case .token: "token"
            }
        return .ok(
            .init(
                body: .json(MeDTO(username: principal.username, role: principal.role.rawValue, authenticated_by: via))))
    }

    /// Your own tokens; admins may ask for everyone's with `all=true`.
    func listTokens(_ input: Operations.ListTokens.Input) async throws -> Operations.ListTokens.Output {
        let request = try request
        let principal = try request.requirePrincipal()
        let all = input.query.all ?? false
        if all, principal.role != .admin {
            throw Abort(.forbidden, reason: "listing every user's tokens needs the admin role")
        }
        let user = all ? nil : try await request.accountService.require(principal.username)
        return .ok(.init(body: .json(try await request.tokenService.list(for: user).map(TokenDTO.init))))
    }

    /// The response is the only time the token itself is sent.
    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        guard case .json(let body) = input.body else { throw Abort(.unsupportedMediaType) }
        let request = try request
        let user = try await request.accountService.require(try request.requirePrincipal().username)
        let (token, plaintext) = try await request.tokenService.create(
            for: user, name: body.name, expiresInDays: body.expiresInDays, by: request.auditActor)
        let created = CreatedTokenDTO(
            id: token.id, name: token.name, token: plaintext, created_at: token.createdAt, expires_at: token.expiresAt)
        return .created(.init(body: .json(created)))
    }

    /// Your own token; admins may revoke anyone's.
    func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        let request = try request
        let principal = try request.requirePrincipal()
        guard let id = UUID(uuidString: input.path.id) else {
            throw Abort(.badRequest, reason: "id: not a token id (UUID), got '\(input.path.id)'")
        }
        let owner = principal.role == .admin ? nil : try await request.accountService.require(principal.username)
        try await request.tokenService.revoke(id: id, owner: owner, by: request.auditActor)
        return .noContent(.init())
    }

    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        .ok(.init(body: .json(try await request.accountService.list().map(UserDTO.init))))
    }

    /// Without a password one is generated and returned once.
    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        guard case .json(let body) = input.body else { throw Abort(.unsupportedMediaType) }
        let request = try request
        let (user, generated) = try await request.accountService.createUser(
            username: body.username, role: try Self.role(body.role), password: body.password, by: request.auditActor)
        return .created(.init(body: .json(.init(user: UserDTO(user), password: generated))))
    }

    func updateUser(_ input: Operations.UpdateUser.Input) async throws -> Operations.UpdateUser.Output {
        guard case .json(let body) = input.body else { throw Abort(.unsupportedMediaType) }
        guard body.role != nil || body.disabled != nil else {
            throw Abort(.badRequest, reason: "give role and/or disabled")
        }
        let request = try request
        let name = input.path.name
        let service = request.accountService
        _ = try await service.require(name)
        if let role = body.role {
            try await service.setRole(username: name, role: try Self.role(role), by: request.auditActor)
        }
        if let disabled = body.disabled {
            try await service.setDisabled(username: name, disabled: disabled, by: request.auditActor)
        }
        return .ok(.init(body: .json(UserDTO(try await service.require(name)))))
    }

    func listAudit(_ input: Operations.ListAudit.Input) async throws -> Operations.ListAudit.Output {
        let query = try AuditQuery.parse(
            QueryValues([
                "user": input.query.user, "action": input.query.action, "since": input.query.since,
                "until": input.query.until, "page": input.query.page.map(String.init),
                "per_page": input.query.perPage.map(String.init),
            ]))
        let (entries, total) = try await query.run(on: try request.db)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: entries.map(AuditEntryDTO.init), total: total, page: query.page,
                        perPage: query.perPage))))
    }

    static func role(_ role: Components.Schemas.Role) throws -> Role {
        guard let parsed = Role(rawValue: role.rawValue) else {
            throw AccountError.invalid(.invalidRole(role.rawValue))
        }
        return parsed
    }
}
