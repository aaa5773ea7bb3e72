import Fluent
import Foundation
import OpsAWS
import OpsCore

extension AWSAccess {
    /// Target names of instances already synced, by instance id.
    func targetNames(forInstances ids: [String]) async throws -> [String: String] {
        var names: [String: String] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            for target in try await Target.query(on: database).filter(\.$instanceID ~~ chunk).all() {
                if let id = target.instanceID { names[id] = target.name }
            }
        }
        return names
    }

    /// Syncs picked instances: each is described again (by id, per account and region) so what becomes a
    /// target is what AWS says now, not what the form carried.
    func syncSelected(_ selection: [EC2Selection], targets: TargetService) async throws -> EC2SyncReport {
        var rows: [EC2InstanceRow] = []
        let scopes = Dictionary(grouping: selection) { "\($0.environment.name)|\($0.account)|\($0.region)" }
        for (_, picks) in scopes {
            guard let first = picks.first else { continue }
            let query = EC2InstanceQuery(
                environment: first.environment, accounts: [first.account], regions: [first.region],
                instanceIDs: picks.map(\.instanceID))
            let found = try await search(query)
            if let error = found.errors.first { throw InventoryServiceError.invalid(field: "selected", message: error) }
            rows += found.rows
        }
        return try await sync(rows, targets: targets)
    }
}

extension AWSAccess {
    /// The SSM agent ping status of an `ssm` target (DescribeInstanceInformation): `Online`, `ConnectionLost`,
    /// `Inactive`, or `not managed by SSM`.
    func ssmPing(_ target: Target) async throws -> String {
        guard let instance = target.instanceID, let name = target.awsEnvironment, let region = target.awsRegion else {
            throw TransportFailure(
                stage: "connect", message: "\(target.name) has no instance id or region: sync it from /aws/instances")
        }
        let scope = SSMScope(environment: name, account: target.awsAccount, region: region)
        let client = try await RunService.ssmClient(self, scope)
        let page = try await client.describeInstanceInformation(instanceIDs: [instance], nextToken: nil)
        return page.items.first { $0.instanceID == instance }?.pingStatus ?? "not managed by SSM"
    }
}
