/// One HTTP request as the AWS client sends it.
public struct AWSHTTPRequest: Sendable, Equatable {
    /// `GET`, `PUT`, `POST`.
    public var method: String
    /// The absolute URL, `https://sts.us-east-1.amazonaws.com/`.
    public var url: String
    /// Headers in sending order.
    public var headers: [SigV4.Header]
    /// The body.
    public var body: [UInt8]
    /// How long to wait for the whole response.
    public var timeout: Duration

    /// A request.
    public init(
        method: String, url: String, headers: [SigV4.Header] = [], body: [UInt8] = [], timeout: Duration = .seconds(30)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// One HTTP response.
public struct AWSHTTPResponse: Sendable, Equatable {
    /// The status code.
    public var status: Int
    /// Headers as received.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: [UInt8]

    /// A response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Equal when status, body and headers (in order) are.
    public static func == (lhs: AWSHTTPResponse, rhs: AWSHTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.map { [$0.name, $0.value] } == rhs.headers.map { [$0.name, $0.value] }
    }
}

/// Sends HTTP requests. `URLSessionTransport` in production; tests pass an in-memory fake. An implementation
/// throws `AWSError.transport` when no HTTP answer arrived, and returns every answer, error statuses included.
public protocol AWSHTTPTransport: Sendable {
    /// Sends one request and returns the response, whatever its status.
    func send(_ request: AWSHTTPRequest) async throws -> AWSHTTPResponse
}
