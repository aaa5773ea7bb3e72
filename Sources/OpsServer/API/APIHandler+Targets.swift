import OpsCore
import Vapor

/// `/api/v1/targets`: everyone reads; admins change; operators test connections.
extension APIHandler {
    func listTargets(_ input: Operations.ListTargets.Input) async throws -> Operations.ListTargets.Output {
        let query = input.query
        let filter = try TargetFilter.parse(
            QueryValues([
                "q": query.q, "selector": query.selector, "group": query.group, "os": query.os?.rawValue,
                "transport": query.transport?.rawValue,
            ]))
        return .ok(.init(body: .json(try await request.targetService.list(filter).map(TargetDTO.init))))
    }

    func getTarget(_ input: Operations.GetTarget.Input) async throws -> Operations.GetTarget.Output {
        .ok(.init(body: .json(TargetDTO(try await request.targetService.require(input.path.name)))))
    }

    func createTarget(_ input: Operations.CreateTarget.Input) async throws -> Operations.CreateTarget.Output {
        guard case .json(let spec) = input.body else { throw Abort(.unsupportedMediaType) }
        let request = try request
        let target = try await request.targetService.create(spec, by: request.auditActor)
        return .created(.init(body: .json(TargetDTO(try await request.targetService.require(target.name)))))
    }

    func updateTarget(_ input: Operations.UpdateTarget.Input) async throws -> Operations.UpdateTarget.Output {
        guard case .json(let body) = input.body else { throw Abort(.unsupportedMediaType) }
        let request = try request
        var spec = body.spec
        spec.name = input.path.name
        _ = try await request.targetService.require(spec.name)
        let target = try await Self.namedInBody { try await request.targetService.update(spec, by: request.auditActor) }
        return .ok(.init(body: .json(TargetDTO(try await request.targetService.require(target.name)))))
    }

    func deleteTarget(_ input: Operations.DeleteTarget.Input) async throws -> Operations.DeleteTarget.Output {
        let request = try request
        try await request.targetService.delete(input.path.name, by: request.auditActor)
        return .noContent(.init())
    }

    /// TCP, handshake, host key, authentication, `true`; the failed stage when it fails.
    func testTarget(_ input: Operations.TestTarget.Input) async throws -> Operations.TestTarget.Output {
        let request = try request
        let target = try await request.targetService.require(input.path.name)
        let results = try await request.testConnections(
            [target], object: "target:\(target.name)", requireAdmin: input.query.admin ?? false)
        return .ok(.init(body: .json(ConnectionTestResultDTO(results[0]))))
    }

    /// `{"targets":[…]}` and/or `{"group":"…"}`; each target once.
    func testTargets(_ input: Operations.TestTargets.Input) async throws -> Operations.TestTargets.Output {
        guard case .json(let body) = input.body else { throw Abort(.unsupportedMediaType) }
        let request = try request
        guard body.targets != nil || body.group != nil else {
            throw InventoryServiceError.invalid(field: "targets", message: "name targets and/or a group")
        }
        if body.targets?.isEmpty == true {
            throw InventoryServiceError.invalid(field: "targets", message: "name at least one target, or leave it out")
        }
        var targets = [Target]()
        for name in body.targets ?? [] { targets.append(try await request.targetService.require(name)) }
        if let group = body.group {
            let members = try await request.groupService.members(of: group)
            if members.isEmpty, targets.isEmpty {
                throw InventoryServiceError.unusable(field: "group", message: "group '\(group)' has no members to test")
            }
            targets += members
        }
        var seen = Set<String>()
        targets = targets.filter { seen.insert($0.name).inserted }
        let results = try await request.testConnections(
            targets, object: "targets", requireAdmin: input.query.admin ?? false)
        return .ok(.init(body: .json(results.map(ConnectionTestResultDTO.init))))
    }
}

extension APIHandler {
    /// On an object's own path a 404 says that object is gone (and clients and schemathesis read it so);
    /// an object its PATCH body names that does not exist (a credential, a jump host, a member) is a 422.
    static func namedInBody<T>(_ change: () async throws -> T) async throws -> T {
        do {
            return try await change()
        } catch InventoryServiceError.notFound(let kind, let name) {
            throw InventoryServiceError.unusable(field: kind, message: "no \(kind) named '\(name)'")
        }
    }
}
