import Fluent
import Foundation
import OpsCore

/// What a sync changed.
public struct EC2SyncReport: Sendable, Codable, Hashable {
    public var added: [String] = []
    public var updated: [String] = []
    public var unchanged: [String] = []
}

extension AWSAccess {
    /// Upserts instances as `ssm` targets, by instance id: a new instance becomes a target named after its Name
    /// tag (or its id; a name taken by another target gets `-<instance id>`), an instance already synced gets its
    /// address, OS, location and tags (AWS's, replacing what an earlier sync put) refreshed. Terminated instances
    /// are skipped.
    func sync(_ rows: [EC2InstanceRow], targets: TargetService) async throws -> EC2SyncReport {
        var report = EC2SyncReport()
        for row in rows where row.state != "terminated" {
            let tags = EC2TagMapping.targetTags(row.tags).merging(
                ["aws-account": row.account, "aws-region": row.region, "aws-environment": row.environment]
            ) { _, new in new }
            if let existing = try await Target.query(on: database).filter(\.$instanceID == row.instanceID).first() {
                let before = (existing.address, existing.os, existing.tagsJSON, existing.awsRegion, existing.awsAccount)
                existing.address = row.privateIP ?? existing.address
                existing.os = row.platform
                existing.tags = tags
                existing.awsEnvironment = row.environment
                existing.awsAccount = row.account
                existing.awsRegion = row.region
                let after = (existing.address, existing.os, existing.tagsJSON, existing.awsRegion, existing.awsAccount)
                if before == after {
                    report.unchanged.append(existing.name)
                    continue
                }
                try await database.retryingTransaction { try await existing.save(on: $0) }
                report.updated.append(existing.name)
                continue
            }
            var name = EC2TagMapping.targetName(name: row.name, instanceID: row.instanceID)
            if try await targets.find(name) != nil { name = "\(name)-\(row.instanceID)" }
            let target = Target()
            target.id = UUID()
            target.name = name
            target.address = row.privateIP ?? row.instanceID
            target.port = 0
            target.transport = TransportKind.ssm.rawValue
            target.os = row.platform
            target.tags = tags
            target.source = "ec2"
            target.awsEnvironment = row.environment
            target.awsAccount = row.account
            target.awsRegion = row.region
            target.instanceID = row.instanceID
            try await database.retryingTransaction { try await target.create(on: $0) }
            report.added.append(name)
        }
        try await audit.record(
            "aws.sync", actor: actor.name, object: "targets",
            details: [
                "added": String(report.added.count), "updated": String(report.updated.count),
                "unchanged": String(report.unchanged.count),
            ], source: actor.source, sourceAddress: actor.address)
        return report
    }
}
