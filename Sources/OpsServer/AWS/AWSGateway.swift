import Fluent
import Foundation
import OpsAWS
import OpsCore

/// How the server reaches AWS. In each environment the credentials are, first found: keys a browser session
/// entered on `/aws`, the environment's stored `aws_keys` credential, the standard chain of the server's own
/// environment variables (``AWSEnvironment/variables(from:)``). An account with a role name is reached by
/// assuming that role, its temporary keys cached until five minutes before they expire.
public struct AWSGateway: Sendable {
    /// The server's environment variables (chain, endpoint overrides).
    let processVariables: [String: String]
    let transport: any AWSHTTPTransport
    let roles: AWSRoleCache
    let statuses = AWSStatusCache()
    let chains: [String: CachedCredentialProvider]

    public init(processVariables: [String: String], transport: any AWSHTTPTransport = URLSessionTransport()) {
        self.processVariables = processVariables
        self.transport = transport
        self.roles = AWSRoleCache()
        var chains: [String: CachedCredentialProvider] = [:]
        for environment in AWSEnvironment.all {
            chains[environment.name] = AWSCredentialChain.standard(
                environment: environment, variables: environment.variables(from: processVariables),
                transport: transport)
        }
        self.chains = chains
    }

    /// The variables of one environment.
    func variables(_ environment: AWSEnvironment) -> [String: String] {
        environment.variables(from: processVariables)
    }

    /// The environment's base credentials: the session's keys, else the stored credential, else the chain.
    func baseCredentials(
        _ environment: AWSEnvironment, session: SessionAWSKeys.Keys?, stored: AWSCredentials?
    ) -> any AWSCredentialProvider {
        if let session {
            return StaticCredentialProvider(session.credentials, source: "keys entered for this session")
        }
        if let stored { return StaticCredentialProvider(stored, source: "stored credential") }
        return chains[environment.name]
            ?? AWSCredentialChain.standard(
                environment: environment, variables: variables(environment), transport: transport)
    }

    /// Who `credentials` are.
    func identity(_ environment: AWSEnvironment, _ credentials: any AWSCredentialProvider) async throws
        -> (CallerIdentity, source: String)
    {
        try await CallerIdentityProbe(environment: environment, variables: variables(environment), transport: transport)
            .identity(credentials)
    }

    /// Credentials for `account`: its role assumed with `base` when the account has a role name, else `base`.
    func credentials(
        _ environment: AWSEnvironment, account: AWSAccount?, base: any AWSCredentialProvider, baseKeyID: String
    ) async -> any AWSCredentialProvider {
        guard let account, let role = account.roleName, !role.isEmpty else { return base }
        let arn = "arn:\(environment.partition):iam::\(account.accountID):role/\(role)"
        return await roles.provider(key: "\(environment.name)|\(arn)|\(baseKeyID)") {
            AssumeRoleCredentialProvider(
                roleARN: arn, sessionName: "pcm-ops", base: base,
                resolver: AWSEndpointResolver(environment: environment, variables: variables(environment)),
                region: environment.apiRegion(variables: variables(environment)), transport: transport)
        }
    }

    /// A signed client and endpoint for `service` in `region`.
    func client(
        _ environment: AWSEnvironment, service: AWSService, region: String, credentials: any AWSCredentialProvider
    ) throws -> (AWSClient, AWSEndpoint) {
        let endpoint = try AWSEndpointResolver(environment: environment, variables: variables(environment))
            .endpoint(for: service, region: region)
        return (AWSClient(transport: transport, credentials: credentials), endpoint)
    }
}

/// Assumed-role providers by environment, role and base key: each caches its temporary keys.
actor AWSRoleCache {
    private var providers: [String: CachedCredentialProvider] = [:]

    func provider(key: String, make: () -> any AWSCredentialProvider) -> CachedCredentialProvider {
        if let existing = providers[key] { return existing }
        let provider = CachedCredentialProvider(make())
        providers[key] = provider
        return provider
    }

    /// Forgets every assumed role (after keys change).
    func clear() {
        providers = [:]
    }
}
