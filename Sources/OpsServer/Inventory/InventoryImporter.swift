import Fluent
import Foundation
import OpsCore

/// What an inventory import did (or, for a dry run, would do).
public struct InventoryImportReport: Sendable, Codable, Hashable {
    public var dryRun: Bool
    public var added: [String] = []
    public var updated: [String] = []
    public var unchanged: [String] = []
    public var rejected: [Rejection] = []
    public var groupsAdded: [String] = []
    public var groupsUpdated: [String] = []
    public var credentialsAdded: [String] = []
    /// Hosts imported with a problem to fix, e.g. a key file that could not be used (the host has no credential
    /// yet; its connection test says so).
    public var warnings: [Rejection] = []
    /// The login name given to hosts whose inventory names none (`--default-user`, `default_user`); nil when none
    /// was given, and such hosts log in as their credential's user (``InventoryImporter/credentialUser``, root, for
    /// a key or password read from the inventory).
    public var defaultUser: String?
    /// The hosts whose inventory names no login (no `ansible_user` or its spellings): they got ``defaultUser``.
    public var defaultUserHosts: [String] = []

    public struct Rejection: Sendable, Codable, Hashable {
        public var line: Int
        public var name: String?
        public var reason: String
    }

    enum CodingKeys: String, CodingKey {
        case added, updated, unchanged, rejected
        case dryRun = "dry_run"
        case groupsAdded = "groups_added"
        case groupsUpdated = "groups_updated"
        case credentialsAdded = "credentials_added"
        case warnings
        case defaultUser = "default_user"
        case defaultUserHosts = "default_user_hosts"
    }
}

/// Imports Ansible (YAML, INI) and CSV inventories: upserts targets by name, groups and their
/// static members, and turns `ansible_ssh_private_key_file` / `ansible_password` into encrypted
/// credentials (one per distinct secret). All in one transaction: a file that does not parse
/// changes nothing; a dry run rolls back after computing the report.
public struct InventoryImporter: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case yaml, ini, csv
    }

    let database: any Database
    let vault: Vault
    let audit: AuditLog
    let allowLocal: Bool
    /// What a refusal of a `local` host names as the way to allow it.
    let localSwitch: LocalTransportSwitch
    /// Which key files `ansible_ssh_private_key_file` may name (``KeyFilePolicy``).
    let keyFiles: KeyFilePolicy

    public init(
        database: any Database, vault: Vault, audit: AuditLog, allowLocal: Bool,
        localSwitch: LocalTransportSwitch = .allowLocalFlag, keyFiles: KeyFilePolicy
    ) {
        self.database = database
        self.vault = vault
        self.audit = audit
        self.allowLocal = allowLocal
        self.localSwitch = localSwitch
        self.keyFiles = keyFiles
    }

    /// The login name of credentials made from a key or password for a host whose inventory names no user and
    /// for which no default user was given.
    public static let credentialUser = "root"

    private struct DryRunRollback: Error {
        let report: InventoryImportReport
    }

    /// Parses `text` (format from `format`, else from `fileName`, else sniffed) and applies it. Hosts whose
    /// inventory names no login get `defaultUser` (checked with ``DefaultUser``) when one is given.
    public func importText(
        _ text: String, fileName: String?, format: Format?, dryRun: Bool, defaultUser: String? = nil,
        by actor: AccountService.Actor
    ) async throws -> InventoryImportReport {
        let defaultUser = try defaultUser.map(DefaultUser.validate)
        let parsed = try Self.parse(text, fileName: fileName, format: format)
        do {
            return try await database.retryingTransaction { transaction in
                let report = try await apply(
                    parsed, dryRun: dryRun, defaultUser: defaultUser, on: transaction, actor: actor)
                if dryRun { throw DryRunRollback(report: report) }
                return report
            }
        } catch let rollback as DryRunRollback {
            return rollback.report
        }
    }

    public static func parse(_ text: String, fileName: String?, format: Format?) throws -> ParsedInventory {
        guard text.utf8.count <= 10 << 20 else {
            throw InventoryServiceError.invalid(field: "file", message: "larger than 10 MB")
        }
        let chosen = format ?? (fileName?.lowercased().hasSuffix(".csv") == true ? .csv : nil)
        let result: Result<ParsedInventory, InventoryError>
        switch chosen {
        case .csv: result = parseCSV(text)
        case .yaml: result = parseYAML(text)
        case .ini: result = parseINI(text)
        case nil: result = parseAnsible(text, fileName: fileName)
        }
        switch result {
        case .success(let inventory): return inventory
        case .failure(let error): throw InventoryServiceError.unusable(field: "file", message: error.description)
        }
    }

    private static func parseCSV(_ text: String) -> Result<ParsedInventory, InventoryError> {
        do { return .success(try CSVInventoryParser.parse(text)) } catch { return .failure(error) }
    }

    private static func parseYAML(_ text: String) -> Result<ParsedInventory, InventoryError> {
        do { return .success(try AnsibleInventoryParser.parseYAML(text)) } catch { return .failure(error) }
    }

    private static func parseINI(_ text: String) -> Result<ParsedInventory, InventoryError> {
        do { return .success(try AnsibleInventoryParser.parseINI(text)) } catch { return .failure(error) }
    }

    private static func parseAnsible(_ text: String, fileName: String?) -> Result<ParsedInventory, InventoryError> {
        do { return .success(try AnsibleInventoryParser.parse(text, fileName: fileName)) } catch {
            return .failure(error)
        }
    }

    private func apply(
        _ parsed: ParsedInventory, dryRun: Bool, defaultUser: String?, on database: any Database,
        actor: AccountService.Actor
    ) async throws -> InventoryImportReport {
        let audit = AuditLog(database: database, now: self.audit.now, logger: self.audit.logger)
        let targets = TargetService(
            database: database, audit: audit, allowLocal: allowLocal, localSwitch: localSwitch)
        let credentials = CredentialService(database: database, vault: vault, audit: audit)
        let groups = GroupService(database: database, audit: audit)
        var report = InventoryImportReport(dryRun: dryRun, defaultUser: defaultUser)
        report.rejected = parsed.rejections.map { .init(line: $0.line, name: $0.name, reason: $0.reason) }
        var imported = [String: [String]]()  // group name → member names

        for var host in parsed.hosts {
            do {
                let inventoryNamesNoUser = host.user == nil && host.transport != .local
                if inventoryNamesNoUser { host.user = defaultUser }
                var spec = TargetSpec(
                    name: host.name, address: host.address ?? host.name, port: host.port,
                    transport: (host.transport ?? .ssh).rawValue, os: host.os?.rawValue, username: host.user,
                    tags: host.tags)
                if host.transport == .winrm { Self.applyWinRM(host, to: &spec) }
                if let credential = try await credential(
                    for: host, credentials: credentials, actor: actor, report: &report)
                {
                    spec.credential = credential
                }
                if let existing = try await targets.find(host.name) {
                    let before = Snapshot(existing)
                    let updated = try await targets.update(spec, by: actor)
                    if Snapshot(updated) == before {
                        report.unchanged.append(host.name)
                    } else {
                        report.updated.append(host.name)
                    }
                } else {
                    try await targets.create(spec, source: "inventory", by: actor)
                    report.added.append(host.name)
                }
                if inventoryNamesNoUser { report.defaultUserHosts.append(host.name) }
                for group in host.groups { imported[group, default: []].append(host.name) }
            } catch let error as InventoryServiceError {
                report.rejected.append(.init(line: host.line, name: host.name, reason: error.description))
            }
        }

        for group in parsed.groups where !["all", "ungrouped"].contains(group.name) {
            let members = imported[group.name] ?? []
            do {
                if try await groups.find(group.name) != nil {
                    if !members.isEmpty { try await groups.addMembers(members, to: group.name) }
                    report.groupsUpdated.append(group.name)
                } else {
                    try await groups.create(GroupSpec(name: group.name, members: members), by: actor)
                    report.groupsAdded.append(group.name)
                }
            } catch let error as InventoryServiceError {
                report.rejected.append(.init(line: group.line, name: group.name, reason: error.description))
            }
        }
        report.rejected.sort { $0.line < $1.line }
        report.warnings.sort { $0.line < $1.line }
        try await audit.record(
            dryRun ? "inventory.dry_run" : "inventory.import", actor: actor.name, object: "inventory",
            details: [
                "added": String(report.added.count), "updated": String(report.updated.count),
                "unchanged": String(report.unchanged.count), "rejected": String(report.rejected.count),
                "default_user": report.defaultUser ?? "", "default_user_hosts": String(report.defaultUserHosts.count),
            ], source: actor.source, sourceAddress: actor.address)
        return report
    }

    /// The credential name for a host's key file or password, creating it when its secret is new.
    private func credential(
        for host: InventoryHost, credentials: CredentialService, actor: AccountService.Actor,
        report: inout InventoryImportReport
    ) async throws -> String? {
        let secret: CredentialSecret
        let base: String
        if let path = host.privateKeyFile {
            switch keyFiles.read(path) {
            case .success(let key):
                secret = .sshKey(privateKey: key.text, passphrase: nil)
                base = "key-" + URL(fileURLWithPath: key.file).lastPathComponent
            case .failure(let refusal):
                // As Ansible, which reads keys only when it connects: the host is imported, without a credential.
                report.warnings.append(
                    .init(line: host.line, name: host.name, reason: "ansible_ssh_private_key_file: " + refusal.message))
                return nil
            }
        } else if let password = host.password, host.transport == .winrm {
            guard host.user != nil else {
                report.warnings.append(
                    .init(
                        line: host.line, name: host.name,
                        reason: "ansible_password without ansible_user: a Windows account needs a user name"))
                return nil
            }
            secret = .winrmPassword(password)
            base = "windows-" + (host.user ?? "")
        } else if let password = host.password {
            secret = .sshPassword(password)
            base = "password-" + (host.user ?? Self.credentialUser)
        } else {
            return nil
        }
        let username = host.user ?? Self.credentialUser
        if let existing = try await credentials.findDuplicate(of: secret, username: username) { return existing.name }
        var name = Self.credentialName(base)
        var suffix = 2
        while try await credentials.find(name) != nil {
            name = Self.credentialName(base) + "-\(suffix)"
            suffix += 1
        }
        try await credentials.create(name: name, username: username, secret: secret, by: actor)
        report.credentialsAdded.append(name)
        return name
    }

    /// A `winrm` host's settings onto its spec; a login with spaces (a Windows account may have them)
    /// stays in the credential made from the inventory, as a target's own login cannot hold one.
    static func applyWinRM(_ host: InventoryHost, to spec: inout TargetSpec) {
        if let settings = host.winrm {
            spec.winrmAuth = settings.authentication ?? ""
            spec.winrmScheme = settings.scheme ?? ""
            spec.tlsVerify = settings.verifyCertificates ?? true
            spec.tlsCABundle = settings.caBundle ?? ""
        } else {
            (spec.winrmAuth, spec.winrmScheme, spec.tlsVerify, spec.tlsCABundle) = ("", "", true, "")
        }
        if host.password != nil, let user = host.user, user.contains(where: \.isWhitespace) { spec.username = nil }
    }

    static func credentialName(_ base: String) -> String {
        let cleaned = base.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "-" }
        return String(String(cleaned).prefix(60))
    }

    /// The fields an import can change, to tell "updated" from "unchanged".
    private struct Snapshot: Equatable {
        var address: String
        var port: Int
        var transport: String
        var os: String
        var credential: UUID?
        var username: String?
        var tags: [String: String]
        var winrm: [String?]

        init(_ target: Target) {
            address = target.address
            port = target.port
            transport = target.transport
            os = target.os
            credential = target.$credential.id
            username = target.username
            tags = target.tags
            winrm = [
                target.winrmAuth, target.winrmScheme, target.tlsVerify.map(String.init), target.tlsCABundle,
                target.winrmCodepage.map(String.init),
            ]
        }
    }
}
