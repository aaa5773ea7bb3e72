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
    /// A response lacked an element the caller needs, named by its path (`GetCallerIdentityResult/Account`).
    case missingElement(path: String)

    /// Error codes that mean "slow down", as AWS services spell them (botocore's list, less the quota and
    /// transaction errors it also retries).
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "RequestThrottled", "SlowDown", "EC2ThrottledException",
    ]

    /// AWS's error code, when the service sent one.
    public var code: String? {
        if case .service(let code, _, _, _) = self { code } else { nil }
    }

    /// AWS's message, when the service sent one; empty when it sent a code without a message.
    public var message: String? {
        if case .service(_, let message, _, _) = self { message } else { nil }
    }

    /// The request id from the body or the `x-amzn-RequestId` header: what AWS support asks for.
    public var requestID: String? {
        switch self {
        case .service(_, _, let requestID, _), .unrecognizedErrorResponse(_, let requestID): requestID
        case .malformedXML, .missingElement: nil
        }
    }

    /// The HTTP status of the response, when the error came from one.
    public var httpStatus: Int? {
        switch self {
        case .service(_, _, _, let status), .unrecognizedErrorResponse(let status, _): status
        case .malformedXML, .missingElement: nil
        }
    }

    /// True when the request may succeed if sent again later: a throttling code, SSM's bare "Rate exceeded"
    /// message, or HTTP 429 or 503 whatever the body says.
    public var isThrottling: Bool {
        switch self {
        case .service(let code, let message, _, let status):
            Self.throttlingCodes.contains(code) || message.localizedCaseInsensitiveContains("rate exceeded")
                || Self.isThrottlingStatus(status)
        case .unrecognizedErrorResponse(let status, _):
            Self.isThrottlingStatus(status)
        case .malformedXML, .missingElement:
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
        case .missingElement(let path):
            return "AWS response lacks \(path)"
        }
    }

    private static func isThrottlingStatus(_ status: Int) -> Bool {
        status == 429 || status == 503
    }

    private static func requestIDSuffix(_ requestID: String?) -> String {
        requestID.map { ", request id \($0)" } ?? ""
    }
}
