/// "Who am I": GetCallerIdentity with a credential provider, in an environment, at the endpoint its variables
/// name. Used by `pcm-ops aws whoami`, the `/aws` page and stored-key validation.
public struct CallerIdentityProbe: Sendable {
    public var environment: AWSEnvironment
    public var variables: [String: String]
    public var transport: any AWSHTTPTransport

    public init(environment: AWSEnvironment, variables: [String: String], transport: any AWSHTTPTransport) {
        self.environment = environment
        self.variables = variables
        self.transport = transport
    }

    /// The identity behind `credentials`, and where the credentials came from.
    public func identity(_ credentials: any AWSCredentialProvider) async throws -> (CallerIdentity, source: String) {
        let provided = try await credentials.credentials()
        let endpoint = try AWSEndpointResolver(environment: environment, variables: variables)
            .endpoint(for: .sts, region: environment.apiRegion(variables: variables))
        let client = AWSClient(
            transport: transport, credentials: StaticCredentialProvider(provided.credentials, source: provided.source))
        return (try await STSClient(client: client, endpoint: endpoint).getCallerIdentity(), provided.source)
    }
}
