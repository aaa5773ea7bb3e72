import Foundation
import OpsAWS
import Vapor

extension APIHandler {
    func listAWSEnvironments(_ input: Operations.ListAWSEnvironments.Input) async throws
        -> Operations.ListAWSEnvironments.Output
    {
        let access = try request.awsAccess
        // Only admins read the server's file paths in AWS messages (issue 16.7).
        let role = try request.principal?.role
        var statuses: [Components.Schemas.AWSEnvironmentStatus] = []
        for environment in AWSEnvironment.all {
            let status = try await access.status(environment, refresh: input.query.refresh ?? false)
            statuses.append(
                .init(
                    environment: environment == .gov ? .gov : .com, partition: status.partition,
                    state: .init(rawValue: status.state.rawValue) ?? .failed, account: status.account, arn: status.arn,
                    source: ServerPathRedaction.shown(status.source, to: role), maskedKeyId: status.maskedKeyID,
                    message: status.message.map { ServerPathRedaction.shown($0, to: role) },
                    checkedAt: status.checkedAt))
        }
        return .ok(.init(body: .json(statuses)))
    }

    func listAWSAccounts(_ input: Operations.ListAWSAccounts.Input) async throws -> Operations.ListAWSAccounts.Output {
        .ok(.init(body: .json(try await request.awsAccess.accounts().map(Self.dto))))
    }

    func createAWSAccount(_ input: Operations.CreateAWSAccount.Input) async throws
        -> Operations.CreateAWSAccount.Output
    {
        guard case .json(let body) = input.body else { throw Abort(.unsupportedMediaType) }
        let environment: AWSEnvironment = body.environment == .gov ? .gov : .com
        let account = try await request.awsAccess.addAccount(
            environment, accountID: body.accountId, name: body.name, roleName: body.roleName)
        return .created(.init(body: .json(Self.dto(account))))
    }

    func deleteAWSAccount(_ input: Operations.DeleteAWSAccount.Input) async throws
        -> Operations.DeleteAWSAccount.Output
    {
        let environment: AWSEnvironment = input.path.environment == .gov ? .gov : .com
        try await request.awsAccess.removeAccount(environment, accountID: input.path.accountId)
        return .noContent(.init())
    }

    func listAWSInstances(_ input: Operations.ListAWSInstances.Input) async throws
        -> Operations.ListAWSInstances.Output
    {
        let query = EC2InstanceQuery(
            environment: input.query.environment == .gov ? .gov : .com, accounts: input.query.account ?? [],
            regions: input.query.region ?? [], state: input.query.state?.rawValue, tag: input.query.tag,
            name: input.query.name, instanceIDs: input.query.instanceId ?? [])
        let (rows, errors) = try await request.awsAccess.instances(try query.validated())
        let role = try request.principal?.role
        return .ok(
            .init(
                body: .json(.init(instances: rows, errors: errors.map { ServerPathRedaction.shown($0, to: role) }))))
    }

    func syncAWSInstances(_ input: Operations.SyncAWSInstances.Input) async throws
        -> Operations.SyncAWSInstances.Output
    {
        guard case .json(let body) = input.body else { throw Abort(.unsupportedMediaType) }
        let request = try request
        let query = EC2InstanceQuery(
            environment: body.environment == .gov ? .gov : .com, accounts: body.accounts ?? [],
            regions: body.regions ?? [], state: body.state?.rawValue, tag: body.tag, name: body.name,
            instanceIDs: body.instanceIds ?? [])
        let access = request.awsAccess
        let found = try await access.search(try query.validated())
        if let error = found.errors.first {
            // Well formed, but nothing to sync from: a 422 (openapi.yaml), as AWS is not the client's mistake.
            throw Abort(.unprocessableEntity, reason: "AWS refused or could not be reached: \(error)")
        }
        return .ok(.init(body: .json(try await access.sync(found.rows, targets: request.targetService))))
    }

    static func dto(_ account: AWSAccount) -> Components.Schemas.AWSAccount {
        .init(
            environment: account.environment == "gov" ? .gov : .com, accountId: account.accountID, name: account.name,
            roleName: account.roleName)
    }
}
