/// The standard chain AWS SDKs use, in their order: environment variables, the shared files' profile, IMDSv2;
/// cached until 5 minutes before temporary credentials expire.
public enum AWSCredentialChain {
    /// The chain for `environment`, over the variables passed in (never the process's own).
    public static func standard(
        environment: AWSEnvironment, variables: [String: String], transport: any AWSHTTPTransport,
        clock: any AWSClock = SystemAWSClock(),
        readFile: @escaping @Sendable (String) -> String? = SharedConfig.readFromDisk,
        onEC2: Bool = EC2HostDetection.looksLikeEC2()
    ) -> CachedCredentialProvider {
        let imdsEndpointSet = !(variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"]?.trimmingWhitespace() ?? "").isEmpty
        let imds: any AWSCredentialProvider =
            onEC2 || imdsEndpointSet
            ? IMDSCredentialProvider(variables: variables, transport: transport) : NotOnEC2CredentialProvider()
        let chain = CredentialProviderChain([
            EnvironmentCredentialProvider(variables: variables),
            ProfileCredentialProvider(
                environment: environment, variables: variables, transport: transport, clock: clock,
                readFile: readFile),
            imds,
        ])
        return CachedCredentialProvider(chain, clock: clock)
    }
}
