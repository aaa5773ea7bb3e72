import Fluent
import Foundation
import OpsCore
import OpsSSH
import Vapor

/// Inventory operations for the CLI.
extension AdminConsole {
    private var inventoryAudit: AuditLog {
        AuditLog(database: app.db, now: { [clock = app.services.clock] in clock.now() }, logger: app.logger)
    }

    private var credentials: CredentialService {
        CredentialService(database: app.db, vault: app.services.vault, audit: inventoryAudit)
    }

    private var targets: TargetService {
        TargetService(
            database: app.db, audit: inventoryAudit, allowLocal: app.services.config.allowLocal,
            localSwitch: .environment)
    }

    private var groups: GroupService { GroupService(database: app.db, audit: inventoryAudit) }

    private var knownHosts: KnownHostsService { KnownHostsService(database: app.db, audit: inventoryAudit) }

    public func importInventory(
        _ text: String, fileName: String?, format: InventoryImporter.Format?, dryRun: Bool, defaultUser: String? = nil
    ) async throws -> InventoryImportReport {
        try await InventoryImporter(
            database: app.db, vault: app.services.vault, audit: inventoryAudit,
            allowLocal: app.services.config.allowLocal, localSwitch: .environment, keyFiles: .localUser
        ).importText(text, fileName: fileName, format: format, dryRun: dryRun, defaultUser: defaultUser, by: actor)
    }

    public func importKnownHosts(_ text: String) async throws -> KnownHostsImportReport {
        try await knownHosts.importText(text, source: "import", by: actor)
    }

    public func listTargets(_ filter: TargetFilter) async throws -> [TargetSummary] {
        try await targets.list(filter).map(TargetSummary.init)
    }

    public func addTarget(_ spec: TargetSpec) async throws {
        try await targets.create(spec, by: actor)
    }

    public func updateTarget(_ spec: TargetSpec) async throws {
        try await targets.update(spec, by: actor)
    }

    public func removeTarget(_ name: String) async throws {
        try await targets.delete(name, by: actor)
    }

    /// Tests the named targets and the members of `group`.
    public func testTargets(
        _ names: [String], group: String?, concurrency: Int, requireAdmin: Bool = false
    ) async throws -> [ConnectionTestResult] {
        var chosen = [Target]()
        for name in names { chosen.append(try await targets.require(name)) }
        if let group { chosen += try await groups.members(of: group) }
        var seen = Set<String>()
        chosen = chosen.filter { seen.insert($0.name).inserted }
        guard !chosen.isEmpty else {
            throw InventoryServiceError.invalid(field: "targets", message: "name targets or --group")
        }
        let connector = TargetConnector(
            database: app.db, credentials: credentials,
            hostKeys: DatabaseHostKeyStore(service: knownHosts, audit: inventoryAudit, actor: actor),
            allowLocal: app.services.config.allowLocal,
            defaultPolicy: HostKeyPolicy(rawValue: app.services.config.defaultHostKeyPolicy) ?? .strict,
            winrmCABundle: app.services.config.winrmCABundle, logger: app.logger)
        let results = await connector.test(chosen, concurrency: concurrency, requireAdmin: requireAdmin)
        try await inventoryAudit.record(
            "target.test", actor: actor.name, object: "targets",
            details: ["count": String(results.count), "failed": String(results.filter { !$0.ok }.count)], source: .cli)
        return results
    }

    public func listGroups() async throws -> [GroupSummary] {
        var result = [GroupSummary]()
        for group in try await groups.list() {
            let members = try await groups.members(of: group).map(\.name)
            result.append(
                GroupSummary(
                    name: group.name, selector: group.selector, credential: group.credential?.name, members: members))
        }
        return result
    }

    public func addGroup(_ spec: GroupSpec) async throws {
        try await groups.create(spec, by: actor)
    }

    public func updateGroup(_ spec: GroupSpec) async throws {
        try await groups.update(spec, by: actor)
    }

    public func addGroupMembers(_ names: [String], to group: String) async throws {
        try await groups.addMembers(names, to: group)
    }

    public func removeGroup(_ name: String) async throws {
        try await groups.delete(name, by: actor)
    }

    public func addCredential(
        name: String, username: String, domain: String? = nil, secret: CredentialSecret, isDefault: Bool
    ) async throws {
        try await credentials.create(
            name: name, username: username, domain: domain, secret: secret, isDefault: isDefault, by: actor)
    }

    public func listCredentials() async throws -> [CredentialSummary] {
        try await credentials.list().map {
            CredentialSummary(
                name: $0.name, kind: $0.kind, username: $0.username, summary: $0.summary, isDefault: $0.isDefault)
        }
    }

    public func removeCredential(_ name: String) async throws {
        try await credentials.delete(name, by: actor)
    }
}

/// A target as the CLI prints it.
public struct TargetSummary: Sendable, Codable {
    public var name: String
    public var address: String
    public var port: Int
    public var transport: String
    public var os: String
    public var credential: String?
    /// The target's own login name; nil when it logs in as its credential's user.
    public var username: String?
    public var tags: [String: String]
    public var source: String
    /// How a `winrm` target is reached, defaults filled in; nil for other transports.
    public var winrm: WinRMSummary?

    /// A `winrm` target's effective settings.
    public struct WinRMSummary: Sendable, Codable {
        public var url: String
        public var auth: String
        public var tlsVerify: Bool
        public var tlsCABundle: String?
        public var codepage: Int

        enum CodingKeys: String, CodingKey {
            case url, auth, codepage
            case tlsVerify = "tls_verify"
            case tlsCABundle = "tls_ca_bundle"
        }

        /// Every field, a missing CA bundle as `null`.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(url, forKey: .url)
            try container.encode(auth, forKey: .auth)
            try container.encode(tlsVerify, forKey: .tlsVerify)
            try container.encode(tlsCABundle, forKey: .tlsCABundle)
            try container.encode(codepage, forKey: .codepage)
        }
    }

    init(_ target: Target) {
        name = target.name
        address = target.address
        port = target.port
        transport = target.transport
        os = target.os
        credential = target.$credential.value??.name
        username = target.username
        tags = target.tags
        source = target.source
        if target.transport == TransportKind.winrm.rawValue {
            let endpoint = target.winrmEndpoint(defaultCABundle: nil)
            winrm = WinRMSummary(
                url: endpoint.url, auth: endpoint.authentication.rawValue, tlsVerify: target.tlsVerify != false,
                tlsCABundle: target.tlsCABundle, codepage: target.winrmCodepage ?? TargetService.defaultCodepage)
        }
    }

    /// Every field, `null` included, so a script sees that a target has no login name or credential of its own.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(address, forKey: .address)
        try container.encode(port, forKey: .port)
        try container.encode(transport, forKey: .transport)
        try container.encode(os, forKey: .os)
        try container.encode(credential, forKey: .credential)
        try container.encode(username, forKey: .username)
        try container.encode(tags, forKey: .tags)
        try container.encode(source, forKey: .source)
        try container.encodeIfPresent(winrm, forKey: .winrm)
    }
}

public struct GroupSummary: Sendable, Codable {
    public var name: String
    public var selector: String?
    public var credential: String?
    public var members: [String]
}

public struct CredentialSummary: Sendable, Codable {
    public var name: String
    public var kind: String
    public var username: String
    public var summary: String?
    public var isDefault: Bool
}
