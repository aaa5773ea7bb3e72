/// Temporary credentials for one role, assumed with another provider's credentials: a configured account's
/// role, or a profile's `role_arn`. Wrap it in `CachedCredentialProvider` so the role is assumed once per
/// session rather than per request.
public struct AssumeRoleCredentialProvider: AWSCredentialProvider {
    /// The role, `arn:aws-us-gov:iam::123456789012:role/Ops`.
    public var roleARN: String
    /// The session name AWS records in CloudTrail and the assumed-role ARN.
    public var sessionName: String
    /// The session length asked for; nil lets STS use its default (1 hour).
    public var duration: Duration?
    /// The credentials that assume the role.
    public var base: any AWSCredentialProvider
    /// STS: environment, region and endpoint overrides.
    public var resolver: AWSEndpointResolver
    /// The STS region.
    public var region: String
    /// How STS is reached.
    public var transport: any AWSHTTPTransport
    /// Signing dates.
    public var clock: any AWSClock
    /// Names this source in errors and in `ProvidedCredentials.source`.
    public var source: String

    /// A provider for `roleARN` in `region` of `resolver`'s environment.
    public init(
        roleARN: String, sessionName: String, duration: Duration? = nil, base: any AWSCredentialProvider,
        resolver: AWSEndpointResolver, region: String, transport: any AWSHTTPTransport,
        clock: any AWSClock = SystemAWSClock(), source: String? = nil
    ) {
        self.roleARN = roleARN
        self.sessionName = sessionName
        self.duration = duration
        self.base = base
        self.resolver = resolver
        self.region = region
        self.transport = transport
        self.clock = clock
        self.source = source ?? "role \(roleARN)"
    }

    /// Calls AssumeRole; any failure is `credentialSourceFailed` naming the source and role, keeping AWS's code.
    public func credentials() async throws -> ProvidedCredentials {
        do {
            let endpoint = try resolver.endpoint(for: .sts, region: region)
            let client = AWSClient(transport: transport, credentials: base, clock: clock)
            let assumed = try await STSClient(client: client, endpoint: endpoint)
                .assumeRole(roleARN: roleARN, sessionName: sessionName, duration: duration)
            return ProvidedCredentials(credentials: assumed.credentials, expiration: assumed.expiration, source: source)
        } catch let error as AWSError {
            throw AWSError.credentialSourceFailed(source: source, operation: "AssumeRole \(roleARN)", cause: error)
        }
    }
}
