import Fluent
import Foundation
import OpsCore
import OpsSSH

/// What a person (form, API, CLI) or an import says a target should be. nil leaves a field as it is
/// on update and takes the default on create.
public struct TargetSpec: Sendable, Codable, Hashable {
    public var name: String
    public var address: String?
    public var port: Int?
    public var transport: String?
    public var os: String?
    /// Credential name; "" clears it.
    public var credential: String?
    /// Login name overriding the credential's; "" clears it.
    public var username: String?
    public var tags: [String: String]?
    /// strict | accept-new; "" clears it (server default: strict).
    public var hostKeyPolicy: String?
    /// Bastion target name; "" clears it.
    public var jump: String?
    /// `winrm` targets: ntlm | negotiate | basic; "" clears it (default: ntlm).
    public var winrmAuth: String?
    /// `winrm` targets: http | https; "" clears it (default: https on port 5986, else http).
    public var winrmScheme: String?
    /// `winrm` targets over https: false turns certificate verification off.
    public var tlsVerify: Bool?
    /// `winrm` targets over https: a PEM file of the CAs to trust; "" clears it.
    public var tlsCABundle: String?
    /// `winrm` targets: the shell's code page (default 65001, UTF-8).
    public var winrmCodepage: Int?

    public init(
        name: String, address: String? = nil, port: Int? = nil, transport: String? = nil, os: String? = nil,
        credential: String? = nil, username: String? = nil, tags: [String: String]? = nil, hostKeyPolicy: String? = nil,
        jump: String? = nil, winrmAuth: String? = nil, winrmScheme: String? = nil, tlsVerify: Bool? = nil,
        tlsCABundle: String? = nil, winrmCodepage: Int? = nil
    ) {
        self.winrmAuth = winrmAuth
        self.winrmScheme = winrmScheme
        self.tlsVerify = tlsVerify
        self.tlsCABundle = tlsCABundle
        self.winrmCodepage = winrmCodepage
        self.name = name
        self.address = address
        self.port = port
        self.transport = transport
        self.os = os
        self.credential = credential
        self.username = username
        self.tags = tags
        self.hostKeyPolicy = hostKeyPolicy
        self.jump = jump
    }

    enum CodingKeys: String, CodingKey {
        case name, address, port, transport, os, credential, username, tags, jump
        case hostKeyPolicy = "host_key_policy"
        case winrmAuth = "winrm_auth"
        case winrmScheme = "winrm_scheme"
        case tlsVerify = "tls_verify"
        case tlsCABundle = "tls_ca_bundle"
        case winrmCodepage = "winrm_codepage"
    }
}

/// Filters for the target list; every one given must hold.
public struct TargetFilter: Sendable {
    public var text: String?
    public var selector: TagSelector?
    public var group: String?
    public var os: OSFamily?
    public var transport: TransportKind?

    public init(
        text: String? = nil, selector: TagSelector? = nil, group: String? = nil, os: OSFamily? = nil,
        transport: TransportKind? = nil
    ) {
        self.text = text
        self.selector = selector
        self.group = group
        self.os = os
        self.transport = transport
    }
}

/// Creates, changes, deletes and lists targets, with every rule checked in one place.
public struct TargetService: Sendable {
    let database: any Database
    let audit: AuditLog
    let allowLocal: Bool
    /// What refusing a `local` target names as the way to allow it.
    let localSwitch: LocalTransportSwitch

    public init(
        database: any Database, audit: AuditLog, allowLocal: Bool, localSwitch: LocalTransportSwitch = .allowLocalFlag
    ) {
        self.database = database
        self.audit = audit
        self.allowLocal = allowLocal
        self.localSwitch = localSwitch
    }

    /// Creates a target from `spec`; `source` says where it came from (manual, inventory, …).
    @discardableResult
    public func create(_ spec: TargetSpec, source: String = "manual", by actor: AccountService.Actor) async throws
        -> Target
    {
        let name = try TargetName.validateHost(spec.name).orInvalid("name")
        guard try await find(name) == nil else { throw InventoryServiceError.duplicate(kind: "target", name: name) }
        let target = Target()
        target.id = UUID()
        target.name = name
        target.source = source
        target.tagsJSON = "{}"
        try await apply(spec, to: target, creating: true)
        try await target.create(on: database)
        try await audit.record(
            "target.create", actor: actor.name, object: "target:\(name)", details: Self.auditDetails(target),
            source: actor.source, sourceAddress: actor.address)
        return target
    }

    /// Applies the given fields of `spec` to the existing target of that name.
    @discardableResult
    public func update(_ spec: TargetSpec, by actor: AccountService.Actor) async throws -> Target {
        let target = try await require(spec.name)
        try await apply(spec, to: target, creating: false)
        guard target.hasChanges else { return target }
        try await target.save(on: database)
        try await audit.record(
            "target.update", actor: actor.name, object: "target:\(target.name)", details: Self.auditDetails(target),
            source: actor.source, sourceAddress: actor.address)
        return target
    }

    public func delete(_ name: String, by actor: AccountService.Actor) async throws {
        let target = try await require(name)
        let dependants = try await Target.query(on: database).filter(\.$jumpTarget.$id == target.requireID()).all()
        guard dependants.isEmpty else {
            throw InventoryServiceError.inUse(
                kind: "target", name: name,
                by: "the jump host setting of " + dependants.map(\.name).joined(separator: ", "))
        }
        try await target.delete(on: database)
        try await audit.record(
            "target.delete", actor: actor.name, object: "target:\(name)", source: actor.source,
            sourceAddress: actor.address)
    }

    public func find(_ name: String) async throws -> Target? {
        try await Target.query(on: database).filter(\.$name == name).with(\.$credential).with(\.$jumpTarget).first()
    }

    public func require(_ name: String) async throws -> Target {
        guard let target = try await find(name) else {
            throw InventoryServiceError.notFound(kind: "target", name: name)
        }
        return target
    }

    /// Targets matching `filter`, by name.
    public func list(_ filter: TargetFilter = TargetFilter()) async throws -> [Target] {
        let query = Target.query(on: database).with(\.$credential).with(\.$jumpTarget).sort(\.$name)
        if let os = filter.os { query.filter(\.$os == os.rawValue) }
        if let transport = filter.transport { query.filter(\.$transport == transport.rawValue) }
        var targets = try await query.all()
        if let text = filter.text?.lowercased(), !text.isEmpty {
            targets = targets.filter { $0.name.lowercased().contains(text) || $0.address.lowercased().contains(text) }
        }
        if let selector = filter.selector {
            targets = targets.filter { selector.matches($0.tags) }
        }
        if let groupName = filter.group {
            let members = try await GroupService(database: database, audit: audit).members(of: groupName)
            let ids = Set(members.compactMap(\.id))
            targets = targets.filter { $0.id.map(ids.contains) ?? false }
        }
        return targets
    }

    private func apply(_ spec: TargetSpec, to target: Target, creating: Bool) async throws {
        if let address = spec.address ?? (creating ? spec.name : nil) {
            target.address = try TargetAddress.validate(address).orInvalid("address")
        }
        if let transportName = spec.transport ?? (creating ? "ssh" : nil) {
            guard let transport = TransportKind(parsing: transportName) else {
                throw InventoryServiceError.invalid(
                    field: "transport",
                    message:
                        "'\(transportName)' is not one of \(TransportKind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            if transport == .local, !allowLocal, target.$transport.value != TransportKind.local.rawValue {
                throw InventoryServiceError.localTransportDisabled(localSwitch)
            }
            target.transport = transport.rawValue
        }
        if let port = spec.port {
            guard (1...65535).contains(port) else {
                throw InventoryServiceError.invalid(field: "port", message: "must be from 1 to 65535, got \(port)")
            }
            target.port = port
        } else if creating {
            target.port = Self.defaultPort(target.transport)
        }
        if let osName = spec.os ?? (creating ? (target.transport == "winrm" ? "windows" : "linux") : nil) {
            guard let os = OSFamily(parsing: osName) else {
                throw InventoryServiceError.invalid(field: "os", message: "'\(osName)' is not linux or windows")
            }
            target.os = os.rawValue
        }
        if let tags = spec.tags {
            var checked = [String: String]()
            for (key, value) in tags {
                let text = "\(key)=\(value)"
                do {
                    checked.merge(try Tags(parsing: text).dictionary) { _, new in new }
                } catch {
                    throw InventoryServiceError.invalid(field: "tags", message: error.description)
                }
            }
            target.tags = checked
        }
        if let credentialName = spec.credential {
            if credentialName.isEmpty {
                target.$credential.id = nil
            } else {
                guard
                    let credential = try await Credential.query(on: database).filter(\.$name == credentialName).first()
                else {
                    throw InventoryServiceError.notFound(kind: "credential", name: credentialName)
                }
                target.$credential.id = try credential.requireID()
            }
        }
        if let username = spec.username {
            let trimmed = username.trimmingCharacters(in: .whitespaces)
            // Length in code points, as openapi.yaml's username pattern counts.
            guard trimmed.unicodeScalars.count <= 64, !trimmed.contains(where: { $0.isWhitespace || $0 == ":" })
            else {
                throw InventoryServiceError.invalid(
                    field: "username",
                    message: "must be a login name without spaces or ':' ('@' only for winrm targets)")
            }
            target.username = trimmed.isEmpty ? nil : trimmed
        }
        if let policy = spec.hostKeyPolicy {
            guard policy.isEmpty || HostKeyPolicy(rawValue: policy) != nil else {
                throw InventoryServiceError.invalid(
                    field: "host_key_policy", message: "must be strict or accept-new, got '\(policy)'")
            }
            target.hostKeyPolicy = policy.isEmpty ? nil : policy
        }
        if let jumpName = spec.jump {
            try await setJump(jumpName, on: target)
        }
        try Self.applyWinRM(spec, to: target)
    }

    private func setJump(_ jumpName: String, on target: Target) async throws {
        guard !jumpName.isEmpty else {
            target.$jumpTarget.id = nil
            return
        }
        guard jumpName != target.name else {
            throw InventoryServiceError.invalid(field: "jump", message: "a target cannot be its own jump host")
        }
        guard let jump = try await Target.query(on: database).filter(\.$name == jumpName).first() else {
            throw InventoryServiceError.notFound(kind: "target", name: jumpName)
        }
        guard jump.transport == TransportKind.ssh.rawValue else {
            throw InventoryServiceError.invalid(
                field: "jump", message: "the jump host '\(jumpName)' must use the ssh transport")
        }
        // Follow the chain to refuse cycles.
        var seen: Set<String> = [target.name]
        var next: Target? = jump
        while let current = next {
            guard seen.insert(current.name).inserted else {
                throw InventoryServiceError.invalid(
                    field: "jump", message: "jump hosts would form a loop through '\(current.name)'")
            }
            next = try await current.$jumpTarget.get(on: database)
        }
        target.$jumpTarget.id = try jump.requireID()
    }

    static func defaultPort(_ transport: String) -> Int {
        switch transport {
        case "winrm": 5986
        case "ssm", "local": 0
        default: 22
        }
    }

    static func auditDetails(_ target: Target) -> [String: String] {
        var details = [
            "address": target.address, "port": String(target.port), "transport": target.transport, "os": target.os,
        ]
        if target.transport == TransportKind.winrm.rawValue {
            let endpoint = target.winrmEndpoint(defaultCABundle: nil)
            details["winrm"] = "\(endpoint.scheme.rawValue) \(endpoint.authentication.rawValue)"
            if target.tlsVerify == false { details["tls_verify"] = "off" }
            if let bundle = target.tlsCABundle { details["tls_ca_bundle"] = bundle }
        }
        return details
    }
}
