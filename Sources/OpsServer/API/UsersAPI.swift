import OpsCore
import Vapor

/// `/api/v1/users` (admin).
enum UsersAPI {
    struct CreateBody: Content {
        var username: String
        var role: String
        var password: String?
    }

    struct CreatedUser: Content {
        var user: UserDTO
        /// Present only when the server generated the password.
        var password: String?
    }

    struct UpdateBody: Content {
        var role: String?
        var disabled: Bool?
    }

    @Sendable static func list(_ request: Request) async throws -> [UserDTO] {
        try await request.accountService.list().map(UserDTO.init)
    }

    @Sendable static func create(_ request: Request) async throws -> Response {
        let body = try request.decodeJSON(CreateBody.self)
        let role = try parseRole(body.role)
        let (user, generated) = try await request.accountService.createUser(
            username: body.username, role: role, password: body.password, by: request.auditActor)
        return try await CreatedUser(user: UserDTO(user), password: generated).encodeResponse(
            status: .created, for: request)
    }

    @Sendable static func update(_ request: Request) async throws -> UserDTO {
        let name = try request.parameter("name")
        let body = try request.decodeJSON(UpdateBody.self)
        guard body.role != nil || body.disabled != nil else {
            throw Abort(.badRequest, reason: "give role and/or disabled")
        }
        let service = request.accountService
        _ = try await service.require(name)
        if let roleName = body.role {
            try await service.setRole(username: name, role: try parseRole(roleName), by: request.auditActor)
        }
        if let disabled = body.disabled {
            try await service.setDisabled(username: name, disabled: disabled, by: request.auditActor)
        }
        return UserDTO(try await service.require(name))
    }

    static func parseRole(_ text: String) throws -> Role {
        guard let role = Role(parsing: text) else { throw AccountError.invalid(.invalidRole(text)) }
        return role
    }
}
