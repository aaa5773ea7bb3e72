import Foundation

/// Credentials of a profile in the shared config and credentials files: its own keys, or a role it assumes
/// (`role_arn`) with the keys of its `source_profile`, which may itself assume a role (role chaining). STS is
/// called in the profile's `region` (else `AWS_REGION`, `AWS_DEFAULT_REGION`, the environment's default) at the
/// endpoint `AWSEndpointResolver` gives, so `AWS_ENDPOINT_URL_STS` applies.
public struct ProfileCredentialProvider: AWSCredentialProvider {
    /// COM or GOV: the partition STS is called in.
    public var environment: AWSEnvironment
    /// Environment variables (`AWS_PROFILE`, file paths, region, endpoint overrides, `HOME`).
    public var variables: [String: String]
    /// The profile; nil means `AWS_PROFILE`, else `default`.
    public var profileName: String?
    /// How STS is reached.
    public var transport: any AWSHTTPTransport
    /// Signing dates and session names.
    public var clock: any AWSClock
    /// Reads a file, nil when missing.
    public var readFile: @Sendable (String) -> String?

    /// A provider; the files are read on each call, so edits take effect at the next refresh.
    public init(
        environment: AWSEnvironment, variables: [String: String], profileName: String? = nil,
        transport: any AWSHTTPTransport, clock: any AWSClock = SystemAWSClock(),
        readFile: @escaping @Sendable (String) -> String? = SharedConfig.readFromDisk
    ) {
        self.environment = environment
        self.variables = variables
        self.profileName = profileName
        self.transport = transport
        self.clock = clock
        self.readFile = readFile
    }

    /// The profile's credentials. A profile named explicitly (argument or `AWS_PROFILE`) that does not exist is
    /// an error; a missing `default`, or a profile with neither keys nor `role_arn`, is merely unavailable.
    public func credentials() async throws -> ProvidedCredentials {
        let explicit = profileName ?? variables["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
        let name = explicit ?? "default"
        let config = try SharedConfig.load(variables: variables, readFile: readFile)
        guard let profile = config.profiles[name] else {
            let reason = Self.missingProfileReason(variables)
            if explicit != nil { throw AWSError.credentials(source: "profile '\(name)'", reason: reason) }
            throw AWSError.credentialsUnavailable(source: "profile '\(name)'", reason: reason)
        }
        if profile["role_arn"] == nil, profile["aws_access_key_id"] == nil, profile["aws_secret_access_key"] == nil {
            throw AWSError.credentialsUnavailable(
                source: "profile '\(name)'", reason: "has neither aws_access_key_id nor role_arn")
        }
        return try await resolve(name, config: config, top: name, chain: [])
    }

    private func resolve(_ name: String, config: SharedConfig, top: String, chain: [String]) async throws
        -> ProvidedCredentials
    {
        let source = "profile '\(top)'"
        let role = name == top ? "" : "source_profile '\(name)' "
        guard let profile = config.profiles[name] else {
            throw AWSError.credentials(source: source, reason: "\(role)does not exist")
        }
        guard let roleARN = profile["role_arn"], !roleARN.isEmpty, !chain.contains(name) else {
            return try Self.staticKeys(profile, source: source, role: role)
        }
        guard let sourceName = profile["source_profile"], !sourceName.isEmpty else {
            throw AWSError.credentials(
                source: source, reason: "\(role)has role_arn but no source_profile (credential_source is not supported)"
            )
        }
        if chain.contains(sourceName) && sourceName != name {
            let cycle = (chain + [name, sourceName]).joined(separator: " → ")
            throw AWSError.credentials(source: source, reason: "source_profile cycle \(cycle)")
        }
        // A profile that is its own source_profile uses its own keys to assume its role (AWS CLI rule).
        let base = try await resolve(sourceName, config: config, top: top, chain: chain + [name])
        return try await assume(roleARN, profile: profile, with: base.credentials, source: source)
    }

    private func assume(
        _ roleARN: String, profile: [String: String], with keys: AWSCredentials, source: String
    ) async throws -> ProvidedCredentials {
        let sessionName = profile["role_session_name"] ?? "pcm-ops-\(Int(clock.now().timeIntervalSince1970))"
        return try await AssumeRoleCredentialProvider(
            roleARN: roleARN, sessionName: sessionName,
            duration: profile["duration_seconds"].flatMap(Int64.init).map { Duration.seconds($0) },
            base: StaticCredentialProvider(keys, source: source),
            resolver: AWSEndpointResolver(environment: environment, variables: variables),
            region: environment.region(variables: variables, profileRegion: profile["region"]), transport: transport,
            clock: clock, source: source
        ).credentials()
    }

    private static func staticKeys(_ profile: [String: String], source: String, role: String) throws
        -> ProvidedCredentials
    {
        guard let keyID = profile["aws_access_key_id"], !keyID.isEmpty else {
            throw AWSError.credentials(source: source, reason: "\(role)has no aws_access_key_id")
        }
        guard let secret = profile["aws_secret_access_key"], !secret.isEmpty else {
            throw AWSError.credentials(source: source, reason: "\(role)has no aws_secret_access_key")
        }
        let token = profile["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
        let keys = AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token)
        return ProvidedCredentials(credentials: keys, source: source)
    }

    private static func missingProfileReason(_ variables: [String: String]) -> String {
        let paths = SharedConfig.filePaths(variables: variables)
        let files = [paths.config, paths.credentials].compactMap { $0 }
        if files.isEmpty {
            return "no config or credentials file (HOME, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE unset)"
        }
        return "no such profile in \(files.joined(separator: " and "))"
    }
}
