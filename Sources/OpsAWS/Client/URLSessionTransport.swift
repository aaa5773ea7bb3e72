import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `AWSHTTPTransport` over Foundation's `URLSession`. Redirects are not followed: AWS APIs never redirect, and
/// following one would send a signed request somewhere it was not signed for.
public final class URLSessionTransport: AWSHTTPTransport {
    private let session: URLSession

    /// A transport with its own ephemeral session (no cookies, no cache).
    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Sends the request; any failure short of an HTTP response is `AWSError.transport`.
    public func send(_ request: AWSHTTPRequest) async throws -> AWSHTTPResponse {
        guard let url = URL(string: request.url) else {
            throw AWSError.transport(reason: "invalid URL \(request.url)")
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        let parts = request.timeout.components
        urlRequest.timeoutInterval = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
        for header in request.headers where header.name.lowercased() != "host" {
            urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
        }
        if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" {
            urlRequest.httpBody = Data(request.body)
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: urlRequest)
        } catch {
            throw AWSError.transport(reason: "\(request.method) \(request.url): \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else {
            throw AWSError.transport(reason: "\(request.method) \(request.url): not an HTTP response")
        }
        let headers = http.allHeaderFields.compactMap { key, value -> (name: String, value: String)? in
            guard let name = key as? String else { return nil }
            return (name, "\(value)")
        }
        return AWSHTTPResponse(status: http.statusCode, headers: headers, body: Array(data))
    }
}

private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
