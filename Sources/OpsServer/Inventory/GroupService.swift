import Fluent
import Foundation
import OpsCore

/// What a group should be; nil leaves a field as it is.
public struct GroupSpec: Sendable, Codable, Hashable {
    public var name: String
    public var description: String?
    /// Tag selector such as `env=prod,role=web`; "" clears it.
    public var selector: String?
    /// Default credential for members; "" clears it.
    public var credential: String?
    /// Replaces the static members when given.
    public var members: [String]?

    public init(
        name: String, description: String? = nil, selector: String? = nil, credential: String? = nil,
        members: [String]? = nil
    ) {
        self.name = name
        self.description = description
        self.selector = selector
        self.credential = credential
        self.members = members
    }
}

/// Target groups: static members and/or a tag selector.
public struct GroupService: Sendable {
    let database: any Database
    let audit: AuditLog

    public init(database: any Database, audit: AuditLog) {
        self.database = database
        self.audit = audit
    }

    @discardableResult
    public func create(_ spec: GroupSpec, by actor: AccountService.Actor) async throws -> TargetGroup {
        let name = try TargetName.validate(spec.name).orInvalid("name")
        guard try await find(name) == nil else { throw InventoryServiceError.duplicate(kind: "group", name: name) }
        let group = TargetGroup()
        group.id = UUID()
        group.name = name
        try await apply(spec, to: group)
        let members = try await spec.members.asyncMap { try await resolve($0) }
        try await group.create(on: database)
        if let members { try await attach(members, to: group) }
        try await audit.record(
            "group.create", actor: actor.name, object: "group:\(name)", details: ["selector": group.selector ?? ""],
            source: actor.source, sourceAddress: actor.address)
        return group
    }

    @discardableResult
    public func update(_ spec: GroupSpec, by actor: AccountService.Actor) async throws -> TargetGroup {
        let group = try await require(spec.name)
        try await apply(spec, to: group)
        let members = try await spec.members.asyncMap { try await resolve($0) }
        try await group.save(on: database)
        if let members { try await attach(members, to: group) }
        try await audit.record(
            "group.update", actor: actor.name, object: "group:\(group.name)",
            details: ["selector": group.selector ?? ""],
            source: actor.source, sourceAddress: actor.address)
        return group
    }

    /// Adds targets to a group's static members (no error when already members).
    public func addMembers(_ names: [String], to groupName: String) async throws {
        let group = try await require(groupName)
        let current = Set(try await group.$members.get(on: database).map(\.name))
        try await attach(try await resolve(Array(current.union(names))), to: group)
    }

    public func delete(_ name: String, by actor: AccountService.Actor) async throws {
        let group = try await require(name)
        try await group.delete(on: database)
        try await audit.record(
            "group.delete", actor: actor.name, object: "group:\(name)", source: actor.source,
            sourceAddress: actor.address)
    }

    public func find(_ name: String) async throws -> TargetGroup? {
        try await TargetGroup.query(on: database).filter(\.$name == name).with(\.$credential).first()
    }

    public func require(_ name: String) async throws -> TargetGroup {
        guard let group = try await find(name) else { throw InventoryServiceError.notFound(kind: "group", name: name) }
        return group
    }

    public func list() async throws -> [TargetGroup] {
        try await TargetGroup.query(on: database).with(\.$credential).with(\.$members).sort(\.$name).all()
    }

    /// Static members plus every target the selector matches, by name.
    public func members(of name: String) async throws -> [Target] {
        try await members(of: try require(name))
    }

    public func members(of group: TargetGroup) async throws -> [Target] {
        var byName = [String: Target]()
        for target in try await group.$members.query(on: database).with(\.$credential).all() {
            byName[target.name] = target
        }
        if let text = group.selector, !text.isEmpty {
            let selector = try TagSelector(parsing: text)
            for target in try await Target.query(on: database).with(\.$credential).all()
            where selector.matches(target.tags) {
                byName[target.name] = target
            }
        }
        return byName.values.sorted { $0.name < $1.name }
    }

    /// The groups a target belongs to (statically or by selector).
    public func groups(of target: Target) async throws -> [TargetGroup] {
        Self.groups(of: target, among: try await list())
    }

    /// The groups of `groups` (loaded with their members) that contain `target`, in memory.
    static func groups(of target: Target, among groups: [TargetGroup]) -> [TargetGroup] {
        groups.filter { group in
            let isStatic = group.members.contains { $0.id == target.id }
            let bySelector = (try? group.selector.map { try TagSelector(parsing: $0).matches(target.tags) }) ?? nil
            return isStatic || bySelector == true
        }
    }

    private func apply(_ spec: GroupSpec, to group: TargetGroup) async throws {
        if let description = spec.description {
            guard description.count <= 500 else {
                throw InventoryServiceError.invalid(field: "description", message: "must be at most 500 characters")
            }
            group.groupDescription = description.isEmpty ? nil : description
        }
        if let selector = spec.selector {
            if selector.trimmingCharacters(in: .whitespaces).isEmpty {
                group.selector = nil
            } else {
                do {
                    group.selector = try TagSelector(parsing: selector).description
                } catch {
                    throw InventoryServiceError.invalid(field: "selector", message: String(describing: error))
                }
            }
        }
        if let credentialName = spec.credential {
            if credentialName.isEmpty {
                group.$credential.id = nil
            } else {
                guard
                    let credential = try await Credential.query(on: database).filter(\.$name == credentialName).first()
                else {
                    throw InventoryServiceError.notFound(kind: "credential", name: credentialName)
                }
                group.$credential.id = try credential.requireID()
            }
        }
    }

    /// The targets named, or ``InventoryServiceError/notFound(kind:name:)`` for the first unknown one.
    private func resolve(_ names: [String]) async throws -> [Target] {
        var targets = [Target]()
        for name in Set(names).sorted() {
            guard let target = try await Target.query(on: database).filter(\.$name == name).first() else {
                throw InventoryServiceError.notFound(kind: "target", name: name)
            }
            targets.append(target)
        }
        return targets
    }

    /// Replaces the group's static members.
    private func attach(_ targets: [Target], to group: TargetGroup) async throws {
        try await group.$members.detachAll(on: database)
        try await group.$members.attach(targets, on: database)
    }
}
