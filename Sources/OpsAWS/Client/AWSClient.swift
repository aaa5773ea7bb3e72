import Foundation

/// Sends signed AWS requests: signs with SigV4 as of the injected clock, sends over the injected transport,
/// decodes error responses into `AWSError` and sends throttled requests again under `RetryPolicy`, signing each
/// attempt afresh.
public struct AWSClient: Sendable {
    /// How requests travel.
    public var transport: any AWSHTTPTransport
    /// Where the signing keys come from; asked once per attempt, so a cache behind it can refresh.
    public var credentials: any AWSCredentialProvider
    /// Signing dates.
    public var clock: any AWSClock
    /// Throttling retries.
    public var retryPolicy: RetryPolicy
    /// Retry jitter.
    public var random: any RandomSource
    /// Waits between retries; tests pass one that returns at once.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// Per-request timeout.
    public var timeout: Duration

    /// A client; only the transport and credentials have no default.
    public init(
        transport: any AWSHTTPTransport, credentials: any AWSCredentialProvider,
        clock: any AWSClock = SystemAWSClock(), retryPolicy: RetryPolicy = RetryPolicy(),
        random: any RandomSource = SystemRandomSource(),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        timeout: Duration = .seconds(30)
    ) {
        self.transport = transport
        self.credentials = credentials
        self.clock = clock
        self.retryPolicy = retryPolicy
        self.random = random
        self.sleep = sleep
        self.timeout = timeout
    }

    /// Sends a Query (or EC2) protocol request as a form POST and returns the parsed response document.
    public func query(
        _ request: AWSQueryRequest, to endpoint: AWSEndpoint, protocol wireProtocol: AWSWireProtocol = .query
    ) async throws -> XMLTree {
        let response = try await send(
            method: "POST", endpoint: endpoint, headers: [SigV4.Header("Content-Type", AWSQueryRequest.contentType)],
            body: request.body, protocol: wireProtocol)
        return try XMLTree.parse(response.body)
    }

    /// Signs and sends one request, retrying throttling; returns a 2xx response or throws the decoded error.
    public func send(
        method: String, endpoint: AWSEndpoint, headers: [SigV4.Header], body: [UInt8],
        protocol wireProtocol: AWSWireProtocol
    ) async throws -> AWSHTTPResponse {
        try await retryPolicy.run(random: ForwardingRandomSource(base: random), sleep: sleep) {
            let keys = try await credentials.credentials().credentials
            let unsigned = SigV4.Request(
                method: method, host: endpoint.hostHeader, path: endpoint.path, headers: headers, body: body)
            let signed = SigV4.sign(
                request: unsigned, credentials: keys, date: clock.now(), region: endpoint.signingRegion,
                service: endpoint.signingName)
            let sent = [SigV4.Header("Host", endpoint.hostHeader)] + signed.headers.filter { $0.name != "Host" }
            let response = try await transport.send(
                AWSHTTPRequest(method: method, url: endpoint.url, headers: sent, body: body, timeout: timeout))
            guard (200..<300).contains(response.status) else {
                throw AWSErrorDecoder.decode(
                    status: response.status, headers: response.headers, body: response.body, protocol: wireProtocol)
            }
            return response
        }
    }
}

/// Opens the existential so `RetryPolicy.run`'s generic parameter can take it.
private struct ForwardingRandomSource: RandomSource {
    let base: any RandomSource
    func nextUnitInterval() -> Double { base.nextUnitInterval() }
}
