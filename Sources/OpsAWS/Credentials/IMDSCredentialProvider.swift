import Foundation

/// The instance profile's credentials from the EC2 instance metadata service, IMDSv2 only
/// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-security-credentials.html):
/// `PUT /latest/api/token`, then the role name from `GET /latest/meta-data/iam/security-credentials/`, then
/// that role's JSON document. Each request has a short timeout, so a host that is not on EC2 moves on quickly.
/// `AWS_EC2_METADATA_DISABLED=true` switches it off; `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves it.
public struct IMDSCredentialProvider: AWSCredentialProvider {
    /// Environment variables, as given.
    public var variables: [String: String]
    /// How IMDS is reached.
    public var transport: any AWSHTTPTransport
    /// Per request.
    public var timeout: Duration
    /// The token's lifetime asked for, in seconds (at most 21,600).
    public var tokenTTLSeconds: Int

    static let source = "IMDSv2"
    static let credentialsPath = "/latest/meta-data/iam/security-credentials/"

    /// A provider; 1 s per request as AWS SDKs default.
    public init(
        variables: [String: String], transport: any AWSHTTPTransport, timeout: Duration = .seconds(1),
        tokenTTLSeconds: Int = 21_600
    ) {
        self.variables = variables
        self.transport = transport
        self.timeout = timeout
        self.tokenTTLSeconds = tokenTTLSeconds
    }

    /// The base URL, `http://169.254.169.254` unless overridden, without a trailing slash.
    public var endpoint: String {
        var base = variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"]?.trimmingWhitespace() ?? ""
        if base.isEmpty { base = "http://169.254.169.254" }
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// The role credentials. Unreachable IMDS or no role attached is `credentialsUnavailable`; any other
    /// failure names the step that failed.
    public func credentials() async throws -> ProvidedCredentials {
        if variables["AWS_EC2_METADATA_DISABLED"]?.trimmingWhitespace().lowercased() == "true" {
            throw AWSError.credentialsUnavailable(source: Self.source, reason: "AWS_EC2_METADATA_DISABLED is true")
        }
        let tokenHeader = SigV4.Header("X-aws-ec2-metadata-token-ttl-seconds", String(tokenTTLSeconds))
        let token = try await fetch("PUT", "/latest/api/token", headers: [tokenHeader], step: "token request")
        guard !token.isEmpty else { throw failure("token request returned an empty token") }
        let auth = [SigV4.Header("X-aws-ec2-metadata-token", token)]
        let roles = try await fetch("GET", Self.credentialsPath, headers: auth, step: "role list")
        guard
            let role = roles.split(whereSeparator: \.isNewline).map({ String($0).trimmingWhitespace() })
                .first(where: { !$0.isEmpty })
        else {
            throw AWSError.credentialsUnavailable(source: Self.source, reason: "no IAM role attached to the instance")
        }
        let document = try await fetch("GET", Self.credentialsPath + role, headers: auth, step: "role '\(role)'")
        return try Self.decode(document, role: role)
    }

    private struct RoleDocument: Decodable {
        var Code: String?
        var AccessKeyId: String?
        var SecretAccessKey: String?
        var Token: String?
        var Expiration: String?
    }

    static func decode(_ document: String, role: String) throws -> ProvidedCredentials {
        let source = "\(Self.source) role '\(role)'"
        guard let parsed = try? JSONDecoder().decode(RoleDocument.self, from: Data(document.utf8)) else {
            throw AWSError.credentials(source: source, reason: "credentials document is not JSON")
        }
        guard parsed.Code == nil || parsed.Code == "Success" else {
            throw AWSError.credentials(source: source, reason: "credentials document has Code \(parsed.Code ?? "")")
        }
        guard let keyID = parsed.AccessKeyId, let secret = parsed.SecretAccessKey, !keyID.isEmpty, !secret.isEmpty
        else {
            throw AWSError.credentials(source: source, reason: "credentials document lacks AccessKeyId/SecretAccessKey")
        }
        let expiration = parsed.Expiration.flatMap(ISO8601Timestamp.parse)
        if parsed.Expiration != nil && expiration == nil {
            throw AWSError.credentials(source: source, reason: "Expiration is not an ISO 8601 time")
        }
        let keys = AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: parsed.Token)
        return ProvidedCredentials(credentials: keys, expiration: expiration, source: source)
    }

    private func fetch(_ method: String, _ path: String, headers: [SigV4.Header], step: String) async throws -> String {
        let request = AWSHTTPRequest(method: method, url: endpoint + path, headers: headers, timeout: timeout)
        let response: AWSHTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw AWSError.credentialsUnavailable(source: Self.source, reason: "\(endpoint) not reachable: \(error)")
        }
        if response.status == 404 && path == Self.credentialsPath {
            throw AWSError.credentialsUnavailable(source: Self.source, reason: "no IAM role attached to the instance")
        }
        guard response.status == 200 else { throw failure("\(step) answered HTTP \(response.status)") }
        return response.text.trimmingWhitespace()
    }

    private func failure(_ reason: String) -> AWSError {
        .credentials(source: Self.source, reason: reason)
    }
}
