import Crypto

extension SigV4 {
    /// Canonical headers and the signed-headers list that goes with them.
    public struct CanonicalHeaders: Sendable, Equatable {
        /// `name:value\n` for each signed header, names lower-cased and sorted; repeated names joined by commas.
        public var canonical: String
        /// The same names joined by `;`, for the canonical request and `SignedHeaders=`.
        public var signedHeaders: String
    }

    /// Step 1, the canonical request:
    /// method, canonical URI, canonical query string, canonical headers, signed headers and hashed payload,
    /// one per line.
    ///
    /// The hashed payload is the value of an `X-Amz-Content-Sha256` header when the request carries one (it may
    /// say `UNSIGNED-PAYLOAD`), the SHA-256 of the body otherwise.
    public static func canonicalRequest(for request: Request, options: Options = Options()) -> String {
        let headers = canonicalHeaders(signedHeaders(of: request))
        return [
            request.method,
            canonicalURI(path: request.path, normalize: options.normalizePath),
            canonicalQueryString(request.query),
            headers.canonical,
            headers.signedHeaders,
            payloadHash(of: request),
        ].joined(separator: "\n")
    }

    /// Step 1.2, the canonical URI: the path, normalized unless told otherwise, with each segment URI-encoded.
    /// Because `path` is the wire form, `%20` in it becomes `%2520`: the double encoding AWS asks for.
    public static func canonicalURI(path: String, normalize: Bool) -> String {
        let absolute = path.hasPrefix("/") ? path : "/" + path
        return uriEncode(normalize ? removeDotSegments(absolute) : absolute, keepSlash: true)
    }

    /// Step 1.3, the canonical query string: names and values URI-encoded, sorted by encoded name and, for a
    /// repeated name, by encoded value; `name=` for an empty value. Also a correct query string to send.
    public static func canonicalQueryString(_ items: [QueryItem]) -> String {
        items.map { (name: uriEncode($0.name), value: uriEncode($0.value)) }
            .sorted { lhs, rhs in
                lhs.name == rhs.name
                    ? precedesByCodePoint(lhs.value, rhs.value) : precedesByCodePoint(lhs.name, rhs.name)
            }
            .map { "\($0.name)=\($0.value)" }
            .joined(separator: "&")
    }

    /// Step 1.4 and 1.5, canonical headers and signed headers: names lower-cased and trimmed, values through
    /// Trimall, repeated names comma-joined in order, sorted by name. Headers in `unsignedHeaderNames` are left out.
    public static func canonicalHeaders(_ headers: [Header]) -> CanonicalHeaders {
        var values: [String: [String]] = [:]
        for header in headers {
            let name = trimAll(header.name).lowercased()
            guard !unsignedHeaderNames.contains(name) else { continue }
            values[name, default: []].append(trimAll(header.value))
        }
        let names = values.keys.sorted(by: precedesByCodePoint)
        let canonical = names.map { "\($0):\(values[$0, default: []].joined(separator: ","))\n" }.joined()
        return CanonicalHeaders(canonical: canonical, signedHeaders: names.joined(separator: ";"))
    }

    /// Step 1.6, the hashed payload: lower-case hex SHA-256 of the body.
    public static func hashedPayload(_ body: [UInt8]) -> String {
        hex(SHA256.hash(data: body))
    }

    /// The headers the signature covers: the request's own plus `host` when the request does not name one.
    static func signedHeaders(of request: Request) -> [Header] {
        request.headerValues("host").isEmpty ? request.headers + [Header("host", request.host)] : request.headers
    }

    private static func payloadHash(of request: Request) -> String {
        request.headerValues(contentSHA256HeaderName).first ?? hashedPayload(request.body)
    }

    static let contentSHA256HeaderName = "X-Amz-Content-Sha256"
}
