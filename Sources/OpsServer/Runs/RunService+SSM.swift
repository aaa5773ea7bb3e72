import Fluent
import Foundation
import OpsAWS
import OpsCore

extension RunService {
    /// How this service reaches AWS: the launching browser session's keys when it has some, else the stored
    /// `aws_keys` credential or the server's chain.
    var awsAccess: AWSAccess {
        AWSAccess(
            database: database, vault: services.vault, gateway: services.aws,
            credentialService: CredentialService(database: database, vault: services.vault, audit: audit),
            audit: audit, sessionID: awsSessionID, actor: AccountService.Actor(name: nil, source: .system))
    }

    /// The SSM transport for a run's `ssm` targets, or nil when it has none. Command ids are stored on the
    /// executions (every phase of a step shares its row) before polling starts.
    func ssmTransport(_ targets: [RunTarget], executionIDs: [[UUID]]) -> SSMTransport? {
        var locations: [String: SSMTargetLocation] = [:]
        for target in targets {
            if case .success(.ssm(let location)) = target.connection {
                locations[target.name] = SSMTargetLocation(
                    scope: SSMScope(
                        environment: location.environment, account: location.account, region: location.region),
                    instanceID: location.instanceID, windows: target.os == OSFamily.windows.rawValue)
            }
        }
        guard !locations.isEmpty else { return nil }
        let found = locations
        let database = self.database
        let access = awsAccess
        var options = SSMTransportOptions()
        options.comment = "pcm-ops"
        return SSMTransport(
            options: options,
            resolve: { name in
                found[name].map { .success($0) }
                    ?? .failure(TransportFailure(stage: "connect", message: "\(name) is not an ssm target of this run"))
            },
            api: { scope in try await Self.ssmClient(access, scope) },
            recorder: { keys, commandID, _, _ in
                let ids = keys.compactMap { key in
                    executionIDs.indices.contains(key.target) && executionIDs[key.target].indices.contains(key.step)
                        ? executionIDs[key.target][key.step] : nil
                }
                try await database.retryingTransaction { database in
                    try await Execution.query(on: database).filter(\.$id ~~ ids)
                        .set(\.$ssmCommandID, to: commandID).update()
                }
            })
    }

    /// An SSM client for a scope, with the account's credentials (its role assumed when it has one).
    static func ssmClient(_ access: AWSAccess, _ scope: SSMScope) async throws -> any SSMCommandAPI {
        guard let environment = AWSEnvironment.named(scope.environment) else {
            throw AWSError.endpoint(reason: "unknown environment '\(scope.environment)'")
        }
        let credentials = try await access.credentials(environment, account: scope.account)
        let (client, endpoint) = try access.gateway.client(
            environment, service: .ssm, region: scope.region, credentials: credentials)
        return SSMClient(client: client, endpoint: endpoint)
    }
}
