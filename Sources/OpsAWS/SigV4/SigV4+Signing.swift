import Crypto
import Foundation

extension SigV4 {
    /// Everything one signature was computed from, for logs at debug level and for tests. Holds no secret.
    public struct Authorization: Sendable, Equatable {
        /// Step 1 output.
        public var canonicalRequest: String
        /// Step 2 output.
        public var stringToSign: String
        /// Step 4 output, lower-case hex.
        public var signature: String
        /// The `Authorization` header value.
        public var headerValue: String
    }

    /// Step 2, the string to sign: algorithm, request date-time, credential scope and the hex SHA-256 of the
    /// canonical request, one per line.
    public static func stringToSign(canonicalRequest: String, date: AMZDate, scope: CredentialScope) -> String {
        [algorithm, date.dateTime, scope.description, hex(SHA256.hash(data: Array(canonicalRequest.utf8)))]
            .joined(separator: "\n")
    }

    /// Step 3, the signing key: HMAC-SHA256 chained from `"AWS4" + secret` over date, region, service and
    /// `aws4_request`. It is valid for that day, region and service only.
    public static func signingKey(secretAccessKey: String, scope: CredentialScope) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(secretAccessKey)".utf8))
        for part in [scope.date, scope.region, scope.service, scopeTerminator] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        return key
    }

    /// Step 4, the signature: lower-case hex HMAC-SHA256 of the string to sign under the signing key.
    public static func signature(stringToSign: String, signingKey: SymmetricKey) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey))
    }

    /// Step 5, the `Authorization` header value.
    public static func authorizationHeader(
        accessKeyID: String, scope: CredentialScope, signedHeaders: String, signature: String
    ) -> String {
        "\(algorithm) Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
    }

    /// Steps 1 to 5 over a request that already carries its `X-Amz-Date` (and token) headers.
    public static func authorization(
        for request: Request, credentials: AWSCredentials, date instant: Date, region: String, service: String,
        options: Options = Options()
    ) -> Authorization {
        let date = AMZDate(instant)
        let scope = CredentialScope(date: date, region: region, service: service)
        let canonical = canonicalRequest(for: request, options: options)
        let toSign = stringToSign(canonicalRequest: canonical, date: date, scope: scope)
        let key = signingKey(secretAccessKey: credentials.secretAccessKey, scope: scope)
        let signed = signature(stringToSign: toSign, signingKey: key)
        let header = authorizationHeader(
            accessKeyID: credentials.accessKeyID, scope: scope,
            signedHeaders: canonicalHeaders(signedHeaders(of: request)).signedHeaders, signature: signed)
        return Authorization(canonicalRequest: canonical, stringToSign: toSign, signature: signed, headerValue: header)
    }

    /// Sets the headers a signature covers besides the caller's: `X-Amz-Date`, `X-Amz-Security-Token` when the
    /// credentials carry a session token, and `X-Amz-Content-Sha256` when asked. Earlier values of those headers,
    /// and any `Authorization`, are removed, so a retried request can be signed again.
    public static func prepare(
        request: Request, credentials: AWSCredentials, date: Date, options: Options = Options()
    ) -> Request {
        var prepared = request
        prepared.removeHeaders("Authorization")
        prepared.setHeader("X-Amz-Date", AMZDate(date).dateTime)
        if let token = credentials.sessionToken {
            prepared.setHeader("X-Amz-Security-Token", token)
        }
        if options.addContentSHA256Header {
            prepared.setHeader(contentSHA256HeaderName, hashedPayload(request.body))
        }
        return prepared
    }

    /// Signs a request as of `date`: `prepare`, then steps 1 to 5, then the `Authorization` header.
    public static func sign(
        request: Request, credentials: AWSCredentials, date: Date, region: String, service: String,
        options: Options = Options()
    ) -> Request {
        var signed = prepare(request: request, credentials: credentials, date: date, options: options)
        let authorization = authorization(
            for: signed, credentials: credentials, date: date, region: region, service: service, options: options)
        signed.headers.append(Header("Authorization", authorization.headerValue))
        return signed
    }
}

extension SigV4.Request {
    /// Removes every header named `name` (any case), then appends one.
    mutating func setHeader(_ name: String, _ value: String) {
        removeHeaders(name)
        headers.append(SigV4.Header(name, value))
    }

    mutating func removeHeaders(_ name: String) {
        let lowered = name.lowercased()
        headers.removeAll { $0.name.lowercased() == lowered }
    }
}
