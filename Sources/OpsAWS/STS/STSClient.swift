import Foundation

/// The account, ARN and user id STS says signed the request.
public struct CallerIdentity: Sendable, Equatable {
    /// 12-digit account id.
    public var account: String
    /// `arn:aws:iam::123456789012:user/alice`, `arn:aws-us-gov:sts::…:assumed-role/…`.
    public var arn: String
    /// `AIDA…`, or `AROA…:session` for an assumed role.
    public var userID: String
}

/// What AssumeRole returns: temporary credentials and who they act as.
public struct AssumedRole: Sendable, Equatable {
    /// The temporary keys and session token.
    public var credentials: AWSCredentials
    /// When they expire.
    public var expiration: Date
    /// `arn:aws:sts::123456789012:assumed-role/Role/session`.
    public var assumedRoleARN: String
}

/// STS over the Query protocol (API version 2011-06-15).
public struct STSClient: Sendable {
    /// Signs and sends.
    public var client: AWSClient
    /// Where STS is, for the environment and region.
    public var endpoint: AWSEndpoint

    /// An STS client at `endpoint` (from `AWSEndpointResolver.endpoint(for: .sts, region:)`).
    public init(client: AWSClient, endpoint: AWSEndpoint) {
        self.client = client
        self.endpoint = endpoint
    }

    /// Who the client's credentials belong to; the check that keys entered by a user work.
    public func getCallerIdentity() async throws -> CallerIdentity {
        let response = try await client.query(request("GetCallerIdentity"), to: endpoint)
        let result = try Self.result(response, "GetCallerIdentityResult")
        return CallerIdentity(
            account: try result.requiredString("Account"), arn: try result.requiredString("Arn"),
            userID: try result.requiredString("UserId"))
    }

    /// Temporary credentials for `roleARN`. `duration` is sent in whole seconds; AWS accepts 900 s up to the
    /// role's maximum session duration.
    public func assumeRole(roleARN: String, sessionName: String, duration: Duration? = nil) async throws
        -> AssumedRole
    {
        var query = request("AssumeRole")
        query.add("RoleArn", .string(roleARN))
        query.add("RoleSessionName", .string(sessionName))
        if let duration { query.add("DurationSeconds", .string(String(duration.components.seconds))) }
        let result = try Self.result(try await client.query(query, to: endpoint), "AssumeRoleResult")
        let expirationText = try result.requiredString("Credentials", "Expiration")
        guard let expiration = ISO8601Timestamp.parse(expirationText) else {
            throw AWSError.malformedXML(reason: "AssumeRole Expiration '\(expirationText)' is not an ISO 8601 time")
        }
        let credentials = AWSCredentials(
            accessKeyID: try result.requiredString("Credentials", "AccessKeyId"),
            secretAccessKey: try result.requiredString("Credentials", "SecretAccessKey"),
            sessionToken: try result.requiredString("Credentials", "SessionToken"))
        return AssumedRole(
            credentials: credentials, expiration: expiration,
            assumedRoleARN: result.string("AssumedRoleUser", "Arn") ?? "")
    }

    private func request(_ action: String) -> AWSQueryRequest {
        AWSQueryRequest(action: action, version: AWSService.sts.queryVersion ?? "", listStyle: .member)
    }

    private static func result(_ response: XMLTree, _ name: String) throws(AWSError) -> XMLTree {
        guard let result = response.child(name) else {
            throw .missingElement(path: "\(response.name)/\(name)")
        }
        return result
    }
}
