import Fluent
import Foundation
import OpsSSH

/// The outcome of a known_hosts import.
public struct KnownHostsImportReport: Sendable, Codable, Hashable {
    public var added = 0
    public var unchanged = 0
    public var rejected: [Rejection] = []

    public struct Rejection: Sendable, Codable, Hashable {
        public var line: Int
        public var reason: String
    }
}

/// The server's trusted host keys, kept as known_hosts lines in the database.
public struct KnownHostsService: Sendable {
    let database: any Database
    let audit: AuditLog

    public init(database: any Database, audit: AuditLog) {
        self.database = database
        self.audit = audit
    }

    /// Adds every valid line of an OpenSSH known_hosts text; reports the lines it could not use.
    public func importText(_ text: String, source: String, by actor: AccountService.Actor) async throws
        -> KnownHostsImportReport
    {
        guard text.utf8.count <= 5 << 20 else {
            throw InventoryServiceError.invalid(field: "known_hosts", message: "larger than 5 MB")
        }
        let parsed = KnownHostsParser.parse(text)
        var report = KnownHostsImportReport()
        for error in parsed.errors {
            if case .malformedKnownHostsLine(let line, let reason) = error {
                report.rejected.append(.init(line: line, reason: reason))
            }
        }
        let (added, unchanged) = try await database.retryingTransaction { database in
            var added = 0
            var unchanged = 0
            for entry in parsed.entries {
                if try await add(entry, source: source, actor: actor.name, on: database) {
                    added += 1
                } else {
                    unchanged += 1
                }
            }
            return (added, unchanged)
        }
        report.added = added
        report.unchanged = unchanged
        try await audit.record(
            "hostkey.import", actor: actor.name, object: "known_hosts",
            details: [
                "added": String(report.added), "unchanged": String(report.unchanged),
                "rejected": String(report.rejected.count),
            ],
            source: actor.source, sourceAddress: actor.address)
        return report
    }

    /// Stores one entry; false when the same line is already there.
    @discardableResult
    func add(_ entry: KnownHostEntry, source: String, actor: String?, on database: any Database) async throws -> Bool {
        let line = entry.knownHostsLine
        guard try await KnownHostRecord.query(on: database).filter(\.$line == line).first() == nil else { return false }
        let record = KnownHostRecord()
        record.line = line
        let hosts = String(line.split(separator: " ").first(where: { !$0.hasPrefix("@") }) ?? "")
        // Plain names are compared case-insensitively; keep them lower-case so the SQL filter can find them.
        record.hosts = hosts.hasPrefix("|") ? hosts : hosts.lowercased()
        record.keyType = entry.keyType
        record.fingerprint = entry.fingerprint
        record.marker = Self.markerName(entry)
        record.source = source
        record.addedBy = actor
        try await record.create(on: database)
        return true
    }

    public func list() async throws -> [KnownHostRecord] {
        try await KnownHostRecord.query(on: database).sort(\.$hosts).all()
    }

    public func delete(id: UUID, by actor: AccountService.Actor) async throws {
        guard let record = try await KnownHostRecord.find(id, on: database) else {
            throw InventoryServiceError.notFound(kind: "known host", name: id.uuidString)
        }
        try await record.delete(on: database)
        try await audit.record(
            "hostkey.delete", actor: actor.name, object: "hostkey:\(record.hosts)",
            details: ["fingerprint": record.fingerprint],
            source: actor.source, sourceAddress: actor.address)
    }

    /// Every stored entry, parsed.
    func entries() async throws -> [KnownHostEntry] {
        let text = try await KnownHostRecord.query(on: database).all().map(\.line).joined(separator: "\n")
        return KnownHostsParser.parse(text).entries
    }

    /// The entries that can apply to `host`: those naming it, hashed ones and patterns with wildcards
    /// (the verifier does the exact matching). Keeps a large store from being read on every connection.
    func entries(forHost host: String) async throws -> [KnownHostEntry] {
        let rows = try await KnownHostRecord.query(on: database)
            .group(.or) { group in
                group.filter(\.$hosts ~~ host.lowercased()).filter(\.$hosts =~ "|").filter(\.$hosts ~~ "*")
                    .filter(\.$hosts ~~ "?")
            }
            .all()
        return KnownHostsParser.parse(rows.map(\.line).joined(separator: "\n")).entries
    }

    static func markerName(_ entry: KnownHostEntry) -> String? {
        let line = entry.knownHostsLine
        if line.hasPrefix("@revoked") { return "revoked" }
        if line.hasPrefix("@cert-authority") { return "cert-authority" }
        return nil
    }
}

/// The host key store the SSH transports use: the database, with accept-new and refusals audited.
public struct DatabaseHostKeyStore: HostKeyStore {
    let service: KnownHostsService
    let audit: AuditLog
    let actor: AccountService.Actor

    public init(service: KnownHostsService, audit: AuditLog, actor: AccountService.Actor) {
        self.service = service
        self.audit = audit
        self.actor = actor
    }

    public func entries(forHost host: String, port: Int) async throws -> [KnownHostEntry] {
        try await service.entries(forHost: host)
    }

    public func trustNew(_ entry: KnownHostEntry, target: String) async throws {
        try await service.add(entry, source: "accept-new", actor: actor.name, on: service.database)
        try await audit.record(
            "hostkey.accept_new", actor: actor.name, object: "target:\(target)",
            details: ["fingerprint": entry.fingerprint, "key_type": entry.keyType], source: actor.source,
            sourceAddress: actor.address)
    }

    public func recordRefusal(target: String, host: String, port: Int, error: SSHError) async {
        let action: String
        var details = ["host": host, "port": String(port)]
        switch error {
        case .hostKeyMismatch(_, let expected, let presented):
            action = "hostkey.mismatch"
            details["expected"] = expected.joined(separator: " ")
            details["presented"] = presented
        case .hostKeyRevoked(_, let presented):
            action = "hostkey.revoked"
            details["presented"] = presented
        case .hostKeyUnknown(_, let presented):
            action = "hostkey.unknown"
            details["presented"] = presented
        default:
            action = "hostkey.refused"
        }
        try? await audit.record(
            action, actor: actor.name, object: "target:\(target)", details: details, source: actor.source,
            sourceAddress: actor.address)
    }
}
