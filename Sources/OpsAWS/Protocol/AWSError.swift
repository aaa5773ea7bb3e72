/// Everything that can go wrong talking to an AWS API, short of the network itself. Each case carries what a
/// person needs to act on it; none carries a credential.
public enum AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The service answered with an error document: `code` is AWS's error code (`ThrottlingException`,
    /// `InvalidInstanceID.NotFound`), without any `namespace#` prefix.
    case service(code: String, message: String, requestID: String?, httpStatus: Int)
    /// The service (or something in front of it) answered with an error status and a body that is not an AWS
    /// error document: an empty 503, a proxy's HTML page.
    case unrecognizedErrorResponse(httpStatus: Int, requestID: String?)
    /// A body that should have been XML could not be read.
    case malformedXML(reason: String)
    /// A JSON 1.1 answer could not be decoded (`operation` is its `X-Amz-Target`).
    case malformedJSON(operation: String, reason: String)
    /// A response lacked an element the caller needs, named by its path (`GetCallerIdentityResult/Account`).
    case missingElement(path: String)
    /// A request PCM-Ops refused to send because AWS would refuse it (e.g. more than 50 instance ids).
    case invalidRequest(reason: String)
    /// A credential source that is configured could not give credentials; `source` names it (`profile 'dev'`,
    /// `environment`, `IMDSv2`), `reason` says what to fix. A chain stops here rather than trying the next one.
    case credentials(source: String, reason: String)
    /// A credential source is not configured at all (no variables set, no such profile, not on EC2); a chain goes
    /// on to the next source.
    case credentialsUnavailable(source: String, reason: String)
    /// A credential source failed because a call it made failed: the profile's AssumeRole, the IMDS request.
    /// `code`, `requestID` and `httpStatus` are the cause's, so callers still see AWS's error code.
    indirect case credentialSourceFailed(source: String, operation: String, cause: AWSError)
    /// No source of a chain had credentials; one `source: reason` line per source tried, in order.
    case noCredentials(tried: [String])
    /// No usable endpoint: a malformed `AWS_ENDPOINT_URL…` override, or a region outside the partition.
    case endpoint(reason: String)
    /// The request never got an HTTP answer: connection refused, timeout, DNS failure.
    case transport(reason: String)

    /// Error codes that mean "slow down", as AWS services spell them (botocore's list, less the quota and
    /// transaction errors it also retries).
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "RequestThrottled", "SlowDown", "EC2ThrottledException",
    ]

    /// AWS's error code, when the service sent one.
    public var code: String? {
        if case .service(let code, _, _, _) = rootCause { code } else { nil }
    }

    /// AWS's message, when the service sent one; empty when it sent a code without a message.
    public var message: String? {
        if case .service(_, let message, _, _) = rootCause { message } else { nil }
    }

    /// The request id from the body or the `x-amzn-RequestId` header: what AWS support asks for.
    public var requestID: String? {
        switch rootCause {
        case .service(_, _, let requestID, _), .unrecognizedErrorResponse(_, let requestID): requestID
        case .malformedXML, .malformedJSON, .invalidRequest, .missingElement, .credentials, .credentialsUnavailable,
            .noCredentials, .endpoint,
            .transport, .credentialSourceFailed:
            nil
        }
    }

    /// The HTTP status of the response, when the error came from one.
    public var httpStatus: Int? {
        switch rootCause {
        case .service(_, _, _, let status), .unrecognizedErrorResponse(let status, _): status
        case .malformedXML, .malformedJSON, .invalidRequest, .missingElement, .credentials, .credentialsUnavailable,
            .noCredentials, .endpoint,
            .transport, .credentialSourceFailed:
            nil
        }
    }

    /// True when the request may succeed if sent again later: a throttling code, SSM's bare "Rate exceeded"
    /// message, or HTTP 429 or 503 whatever the body says.
    public var isThrottling: Bool {
        switch rootCause {
        case .service(let code, let message, _, let status):
            Self.throttlingCodes.contains(code) || message.localizedCaseInsensitiveContains("rate exceeded")
                || Self.isThrottlingStatus(status)
        case .unrecognizedErrorResponse(let status, _):
            Self.isThrottlingStatus(status)
        case .malformedXML, .malformedJSON, .invalidRequest, .missingElement, .credentials, .credentialsUnavailable,
            .noCredentials, .endpoint,
            .transport, .credentialSourceFailed:
            false
        }
    }

    /// One line for logs and for the user.
    public var description: String {
        switch self {
        case .service(let code, let message, let requestID, let status):
            let detail = message.isEmpty ? code : "\(code): \(message)"
            return "AWS error \(detail) (HTTP \(status)\(Self.requestIDSuffix(requestID)))"
        case .unrecognizedErrorResponse(let status, let requestID):
            return "AWS answered HTTP \(status) without an error document\(Self.requestIDSuffix(requestID))"
        case .malformedXML(let reason):
            return "malformed XML in AWS response: \(reason)"
        case .malformedJSON(let operation, let reason):
            return "malformed JSON in the \(operation) response: \(reason)"
        case .invalidRequest(let reason):
            return "invalid AWS request: \(reason)"
        case .missingElement(let path):
            return "AWS response lacks \(path)"
        case .credentials(let source, let reason), .credentialsUnavailable(let source, let reason):
            return "AWS credentials from \(source): \(reason)"
        case .credentialSourceFailed(let source, let operation, let cause):
            return "AWS credentials from \(source): \(operation) failed: \(cause)"
        case .noCredentials(let tried):
            return "no AWS credentials found (tried \(tried.joined(separator: "; ")))"
        case .endpoint(let reason):
            return "AWS endpoint: \(reason)"
        case .transport(let reason):
            return "AWS request failed: \(reason)"
        }
    }

    /// The error at the bottom of any `credentialSourceFailed` wrapping.
    public var rootCause: AWSError {
        if case .credentialSourceFailed(_, _, let cause) = self { cause.rootCause } else { self }
    }

    private static func isThrottlingStatus(_ status: Int) -> Bool {
        status == 429 || status == 503
    }

    private static func requestIDSuffix(_ requestID: String?) -> String {
        requestID.map { ", request id \($0)" } ?? ""
    }
}
