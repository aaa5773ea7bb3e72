import Fluent
import Vapor

/// The group pages.
enum GroupsController {
    struct GroupForm: Content {
        var name: String?
        var description: String?
        var selector: String?
        var credential: String?
        var members: [String]?
    }

    @Sendable static func list(_ request: Request) async throws -> Response {
        try await listPage(request, error: nil, status: .ok)
    }

    @Sendable static func create(_ request: Request) async throws -> Response {
        let form = try request.content.decode(GroupForm.self)
        do {
            let group = try await request.groupService.create(
                GroupSpec(
                    name: form.name ?? "", description: form.description ?? "", selector: form.selector ?? "",
                    credential: form.credential ?? ""), by: request.auditActor)
            return try await request.redirect(
                to: SitePath.group(group.name), flash: Flash(.success, "Added group \(group.name)."))
        } catch let error as InventoryServiceError {
            return try await listPage(request, error: error.description, status: error.status)
        }
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        try await detail(request, tests: [], error: nil, status: .ok)
    }

    @Sendable static func update(_ request: Request) async throws -> Response {
        let name = try request.parameter("name")
        let form = try request.content.decode(GroupForm.self)
        do {
            try await request.groupService.update(
                GroupSpec(
                    name: name, description: form.description ?? "", selector: form.selector ?? "",
                    credential: form.credential ?? "", members: form.members ?? []), by: request.auditActor)
            return try await request.redirect(to: SitePath.group(name), flash: Flash(.success, "Saved group \(name)."))
        } catch let error as InventoryServiceError {
            if case .notFound(let kind, _) = error, kind == "group" { throw error }
            return try await detail(request, tests: [], error: error.description, status: error.status)
        }
    }

    @Sendable static func delete(_ request: Request) async throws -> Response {
        let name = try request.parameter("name")
        try await request.groupService.delete(name, by: request.auditActor)
        return try await request.redirect(to: SitePath.groups, flash: Flash(.success, "Deleted group \(name)."))
    }

    @Sendable static func test(_ request: Request) async throws -> Response {
        let name = try request.parameter("name")
        let members = try await request.groupService.members(of: name)
        let results = try await request.testConnections(members, object: "group:\(name)")
        return try await detail(request, tests: results, error: nil, status: .ok)
    }

    private static func listPage(_ request: Request, error: String?, status: HTTPResponseStatus) async throws
        -> Response
    {
        let credentials = try await request.credentialService.list().map(\.name)
        let groups = try await request.groupService.list()
        let tags = try await inventoryTags(request)
        var memberships = [String: GroupMembership]()
        for group in groups {
            memberships[group.name] = GroupMembership.count(
                selector: group.selector, staticNames: Set(group.members.map(\.name)), targets: tags)
        }
        return GroupViews.list(
            groups, memberships: memberships, credentials: credentials,
            context: try await request.pageContext(.targets),
            error: error
        ).response(status: status)
    }

    private static func detail(
        _ request: Request, tests: [ConnectionTestResult], error: String?, status: HTTPResponseStatus
    ) async throws -> Response {
        let group = try await request.groupService.require(try request.parameter("name"))
        let members = try await request.groupService.members(of: group)
        let statics = try await group.$members.get(on: request.db).map(\.name)
        let tags = try await inventoryTags(request)
        let membership = GroupMembership.count(selector: group.selector, staticNames: Set(statics), targets: tags)
        let credentials = try await request.credentialService.list().map(\.name)
        return GroupViews.detail(
            group, members: members, staticMembers: statics, membership: membership, allTargets: tags.map(\.name),
            credentials: credentials, tests: tests,
            context: try await request.pageContext(.targets), error: error
        ).response(status: status)
    }

    /// Every target's name and tags, by name.
    private static func inventoryTags(_ request: Request) async throws -> [(name: String, tags: [String: String])] {
        try await Target.query(on: request.db).field(\.$name).field(\.$tagsJSON).sort(\.$name).all().map {
            (name: $0.name, tags: $0.tags)
        }
    }
}
