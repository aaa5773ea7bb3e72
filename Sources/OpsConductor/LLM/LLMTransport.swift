import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends one JSON request to the LLM server; a protocol so that tests can count calls or fail on purpose.
public protocol LLMTransport: Sendable {
    /// POSTs `body` and returns the status code and the body of the response.
    func post(_ url: URL, headers: [String: String], body: Data, timeout: Duration) async throws -> (Int, Data)
}

/// The transport over Foundation's URLSession (FoundationNetworking on Linux).
public struct URLSessionLLMTransport: LLMTransport {
    private let session: URLSession

    /// An ephemeral session: no cookies, no cache.
    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    /// POSTs with URLSession; a timeout is `LLMPlannerError.timeout`, any other failure `.transport`.
    public func post(_ url: URL, headers: [String: String], body: Data, timeout: Duration) async throws -> (Int, Data) {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.timeoutInterval = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        do {
            let (data, response) = try await session.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        } catch let error as URLError where error.code == .timedOut {
            throw LLMPlannerError.timeout
        } catch {
            throw LLMPlannerError.transport(error.localizedDescription)
        }
    }
}
