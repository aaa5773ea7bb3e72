import Fluent
import Foundation
import Logging

/// Where an audited action came from.
public enum AuditSource: String, Sendable {
    case web, api, cli, system
}

/// The single writer of the audit log. Every feature records through this type and nothing else.
public struct AuditLog: Sendable {
    let database: any Database
    let now: @Sendable () -> Date
    let logger: Logger

    public init(database: any Database, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.database = database
        self.now = now
        self.logger = logger
    }

    /// The same log writing through `database`, e.g. a transaction, so entries commit with the change.
    public func on(_ database: any Database) -> AuditLog {
        AuditLog(database: database, now: now, logger: logger)
    }

    /// Appends one entry. `details` must never contain a secret.
    public func record(
        _ action: String, actor: String?, object: String? = nil, details: [String: String] = [:],
        source: AuditSource, sourceAddress: String? = nil
    ) async throws {
        let encodedDetails: String?
        if details.isEmpty {
            encodedDetails = nil
        } else {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            encodedDetails = String(decoding: try encoder.encode(details), as: UTF8.self)
        }
        let entry = AuditEntry(
            createdAt: now(), actor: actor, action: action, object: object, details: encodedDetails,
            sourceAddress: sourceAddress, source: source.rawValue)
        try await entry.create(on: database)
        logger.info(
            "audit",
            metadata: [
                "audit.action": .string(action), "audit.actor": .string(actor ?? "-"),
                "audit.object": .string(object ?? "-"),
            ])
    }
}
