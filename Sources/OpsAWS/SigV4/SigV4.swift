/// AWS Signature Version 4, header form (`Authorization: AWS4-HMAC-SHA256 …`).
///
/// Each stage of the signing process is its own function, named after the step of the AWS guide it implements
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html), so tests pin every intermediate
/// string against AWS's published vectors. Nothing here reads a clock: the signing instant is always passed in.
///
/// Scope: every service but S3. S3 signs its path encoded once and unnormalized; `Options.normalizePath = false`
/// covers the latter, the single encoding is not implemented because nothing here talks to S3.
public enum SigV4 {
    /// The only algorithm this signer produces.
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// The last element of every credential scope.
    public static let scopeTerminator = "aws4_request"

    /// Hex SHA-256 of an empty payload, the hashed payload of every GET.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Headers left out of the signature: hop-by-hop headers and those that proxies and HTTP clients add or
    /// rewrite in transit, which would break the signature when changed. The same list as botocore's.
    public static let unsignedHeaderNames: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// An HTTP request as the signer sees it.
    public struct Request: Sendable, Equatable {
        /// The HTTP method, as sent (`GET`, `POST`).
        public var method: String
        /// The `Host` header value exactly as the HTTP client will send it: the host name, plus `:port` when the
        /// port is not the scheme's default. Signed as `host` unless `headers` already carry a `Host`.
        public var host: String
        /// The path as it goes on the wire, percent-encoded wherever the caller encoded it. The canonical URI
        /// encodes it once more, which is SigV4's "encode each segment twice" rule for every service but S3.
        /// Empty means `/`.
        public var path: String
        /// Query parameters, not encoded, in any order: the canonical form encodes and sorts them, and is itself a
        /// correct query string to send.
        public var query: [QueryItem]
        /// Headers in sending order. Repeated names are allowed; their values are signed comma-joined, in order.
        public var headers: [Header]
        /// The payload, hashed into the signature.
        public var body: [UInt8]

        /// A request to sign; `path` and `query` follow the conventions documented on the properties.
        public init(
            method: String, host: String, path: String = "/", query: [QueryItem] = [], headers: [Header] = [],
            body: [UInt8] = []
        ) {
            self.method = method
            self.host = host
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
        }

        /// The values of every header named `name`, compared case-insensitively, in order.
        public func headerValues(_ name: String) -> [String] {
            let wanted = name.lowercased()
            return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
        }
    }

    /// One header line; the name keeps the caller's case on the wire and is lower-cased only for signing.
    public struct Header: Sendable, Equatable {
        /// Header name, any case.
        public var name: String
        /// Header value, untrimmed.
        public var value: String

        /// A header line.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One query parameter, not percent-encoded. An empty value signs and sends as `name=`.
    public struct QueryItem: Sendable, Equatable {
        /// Parameter name, not encoded.
        public var name: String
        /// Parameter value, not encoded.
        public var value: String

        /// A query parameter.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Choices that differ between services.
    public struct Options: Sendable, Equatable {
        /// Remove `.`, `..` and empty segments from the path before encoding it (AWS: "normalize URI paths
        /// according to RFC 3986"). Every service but S3 expects it.
        public var normalizePath: Bool
        /// Add `X-Amz-Content-Sha256` with the payload hash, and sign it. S3 requires it; others accept it.
        public var addContentSHA256Header: Bool

        /// The defaults suit every service but S3.
        public init(normalizePath: Bool = true, addContentSHA256Header: Bool = false) {
            self.normalizePath = normalizePath
            self.addContentSHA256Header = addContentSHA256Header
        }
    }

    /// `date/region/service/aws4_request`: what a signature is valid for.
    public struct CredentialScope: Sendable, Equatable, CustomStringConvertible {
        /// `yyyyMMdd`, UTC, the date of the signing instant.
        public var date: String
        /// Region code, `us-east-1`, `us-gov-west-1`.
        public var region: String
        /// Signing name of the service, `sts`, `ec2`, `ssm`.
        public var service: String

        /// The scope for one instant, region and service.
        public init(date: AMZDate, region: String, service: String) {
            self.date = date.date
            self.region = region
            self.service = service
        }

        /// The scope as it appears in the string to sign and, after the key id, in `Credential=`.
        public var description: String { "\(date)/\(region)/\(service)/\(SigV4.scopeTerminator)" }
    }
}
