import Fluent
import Foundation
import OpsAWS
import Vapor

/// AWS for the CLI: the stored `aws_keys` credential or the server's chain (no browser session here).
extension AdminConsole {
    private var awsAccess: AWSAccess {
        let audit = AuditLog(database: app.db, now: { [clock = app.services.clock] in clock.now() }, logger: app.logger)
        return AWSAccess(
            database: app.db, vault: app.services.vault, gateway: app.services.aws,
            credentialService: CredentialService(database: app.db, vault: app.services.vault, audit: audit),
            audit: audit, sessionID: nil, actor: actor)
    }

    private var awsTargets: TargetService {
        let audit = AuditLog(database: app.db, now: { [clock = app.services.clock] in clock.now() }, logger: app.logger)
        return TargetService(database: app.db, audit: audit, allowLocal: app.services.config.allowLocal)
    }

    /// `--filter` keys the CLI takes: `state=running`, `tag=Key=Value` (or `tag=Key`), `name=web`,
    /// `instance-id=i-…` (repeatable).
    static func instanceQuery(
        environment: String, accounts: [String], regions: [String], filters: [String]
    ) throws -> EC2InstanceQuery {
        guard let env = AWSEnvironment.named(environment) else {
            throw InventoryServiceError.invalid(field: "environment", message: "com or gov, got '\(environment)'")
        }
        var query = EC2InstanceQuery(environment: env, accounts: accounts, regions: regions)
        for filter in filters {
            let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else {
                throw InventoryServiceError.invalid(field: "filter", message: "'\(filter)' is not key=value")
            }
            switch parts[0] {
            case "state": query.state = parts[1]
            case "tag": query.tag = parts[1]
            case "name": query.name = parts[1]
            case "instance-id", "instance_id": query.instanceIDs.append(parts[1])
            default:
                throw InventoryServiceError.invalid(
                    field: "filter", message: "unknown key '\(parts[0])': use state, tag, name or instance-id")
            }
        }
        return try query.validated()
    }

    /// The instances a query finds, one error line per account and region that failed, and one warning line
    /// per account and region whose SSM agent status could not be read.
    public func awsInstances(environment: String, accounts: [String], regions: [String], filters: [String])
        async throws -> (rows: [EC2InstanceRow], errors: [String], warnings: [String])
    {
        let query = try Self.instanceQuery(
            environment: environment, accounts: accounts, regions: regions, filters: filters)
        let found = try await awsAccess.search(query)
        return (found.rows, found.errors, found.warnings)
    }

    /// Syncs what the query finds as `ssm` targets; fails without changing anything when a scope failed.
    public func awsSync(environment: String, accounts: [String], regions: [String], filters: [String]) async throws
        -> EC2SyncReport
    {
        let query = try Self.instanceQuery(
            environment: environment, accounts: accounts, regions: regions, filters: filters)
        let access = awsAccess
        let found = try await access.search(query)
        if !found.errors.isEmpty {
            throw InventoryServiceError.invalid(field: "aws", message: found.errors.joined(separator: "; "))
        }
        return try await access.sync(found.rows, targets: awsTargets)
    }
}
