import Vapor

/// `/api/v1/groups`: everyone reads; admins change.
enum GroupsAPI {
    @Sendable static func list(_ request: Request) async throws -> [GroupDTO] {
        try await request.groupService.list().map {
            GroupDTO(
                name: $0.name, description: $0.groupDescription, selector: $0.selector, credential: $0.credential?.name,
                static_members: $0.members.map(\.name).sorted(), members: nil)
        }
    }

    @Sendable static func show(_ request: Request) async throws -> GroupDTO {
        let service = request.groupService
        let group = try await service.require(try request.parameter("name"))
        let statics = try await group.$members.get(on: request.db).map(\.name).sorted()
        let members = try await service.members(of: group).map(\.name)
        return GroupDTO(
            name: group.name, description: group.groupDescription, selector: group.selector,
            credential: group.credential?.name, static_members: statics, members: members)
    }

    @Sendable static func create(_ request: Request) async throws -> Response {
        let spec = try request.decodeJSON(GroupSpec.self)
        let group = try await request.groupService.create(spec, by: request.auditActor)
        request.parameters.set("name", to: group.name)
        return try await show(request).encodeResponse(status: .created, for: request)
    }

    struct PatchBody: Content {
        var description: String?
        var selector: String?
        var credential: String?
        var members: [String]?
    }

    @Sendable static func update(_ request: Request) async throws -> GroupDTO {
        let body = try request.decodeJSON(PatchBody.self)
        let spec = GroupSpec(
            name: try request.parameter("name"), description: body.description, selector: body.selector,
            credential: body.credential, members: body.members)
        try await request.groupService.update(spec, by: request.auditActor)
        return try await show(request)
    }

    @Sendable static func delete(_ request: Request) async throws -> HTTPStatus {
        try await request.groupService.delete(try request.parameter("name"), by: request.auditActor)
        return .noContent
    }
}
